TOOLS    += $(BIN)/tsa-nats
MANPAGES += tsa-nats/tsa-nats.1
TSA_NATS_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(filter-out tsa-nats/main.c,$(wildcard tsa-nats/*.c)))
$(BIN)/tsa-nats: $(OBJ)/tsa-nats/main.o $(TSA_NATS_OBJS) $(LIBTSA)
	@mkdir -p $(BIN)
	$(CC) $(LDFLAGS) -o $@ $^ -lnats -lzstd -lpthread $(LDLIBS)
