TOOLS    += $(BIN)/tsa-p0f
MANPAGES += tsa-p0f/tsa-p0f.1
TSA_P0F_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(filter-out tsa-p0f/main.c,$(wildcard tsa-p0f/*.c)))
$(BIN)/tsa-p0f: $(OBJ)/tsa-p0f/main.o $(TSA_P0F_OBJS) $(LIBTSA)
	@mkdir -p $(BIN)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
