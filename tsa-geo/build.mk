TOOLS    += $(BIN)/tsa-geo
MANPAGES += tsa-geo/tsa-geo.1
TSA_GEO_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(filter-out tsa-geo/main.c,$(wildcard tsa-geo/*.c)))
$(BIN)/tsa-geo: $(OBJ)/tsa-geo/main.o $(TSA_GEO_OBJS) $(LIBTSA)
	@mkdir -p $(BIN)
	$(CC) $(LDFLAGS) -o $@ $^ -lmaxminddb $(LDLIBS)
