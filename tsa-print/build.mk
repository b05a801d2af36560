TOOLS    += $(BIN)/tsa-print
MANPAGES += tsa-print/tsa-print.1
TSA_PRINT_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(filter-out tsa-print/main.c,$(wildcard tsa-print/*.c)))
$(BIN)/tsa-print: $(OBJ)/tsa-print/main.o $(TSA_PRINT_OBJS) $(LIBTSA)
	@mkdir -p $(BIN)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
