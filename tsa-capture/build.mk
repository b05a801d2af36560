TOOLS    += $(BIN)/tsa-capture
MANPAGES += tsa-capture/tsa-capture.1
TSA_CAPTURE_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(filter-out tsa-capture/main.c,$(wildcard tsa-capture/*.c)))
$(BIN)/tsa-capture: $(OBJ)/tsa-capture/main.o $(TSA_CAPTURE_OBJS) $(LIBTSA)
	@mkdir -p $(BIN)
	$(CC) $(LDFLAGS) -o $@ $^ -lpcap $(LDLIBS)
