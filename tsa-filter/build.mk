TOOLS    += $(BIN)/tsa-filter
MANPAGES += tsa-filter/tsa-filter.1
TSA_FILTER_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(filter-out tsa-filter/main.c,$(wildcard tsa-filter/*.c)))
$(BIN)/tsa-filter: $(OBJ)/tsa-filter/main.o $(TSA_FILTER_OBJS) $(LIBTSA)
	@mkdir -p $(BIN)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
