TOOLS    += $(BIN)/tsa-plot
MANPAGES += tsa-plot/tsa-plot.1
TSA_PLOT_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(filter-out tsa-plot/main.c,$(wildcard tsa-plot/*.c)))
$(BIN)/tsa-plot: $(OBJ)/tsa-plot/main.o $(TSA_PLOT_OBJS) $(LIBTSA)
	@mkdir -p $(BIN)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
# The map data, found at run time in $(PREFIX)/share/tsa (TSA_DATADIR).
INSTALL_DATA_HOOKS += install -m 644 tsa-plot/world.dat $(DESTDIR)$(PREFIX)/share/tsa/ ;
