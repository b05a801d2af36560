# tsa-gen: the deterministic traffic generator (writes pcap; needs only
# lib/util and settings).
TOOLS    += $(BIN)/tsa-gen
MANPAGES += tsa-gen/tsa-gen.1
TSA_GEN_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(filter-out tsa-gen/main.c,$(wildcard tsa-gen/*.c)))
$(BIN)/tsa-gen: $(OBJ)/tsa-gen/main.o $(TSA_GEN_OBJS) $(LIBTSA)
	@mkdir -p $(BIN)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
