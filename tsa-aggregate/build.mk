TOOLS    += $(BIN)/tsa-aggregate
MANPAGES += tsa-aggregate/tsa-aggregate.1
TSA_AGGREGATE_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(filter-out tsa-aggregate/main.c,$(wildcard tsa-aggregate/*.c)))
$(OBJ)/tsa-aggregate/%.o: CFLAGS += -Itsa-aggregate
$(BIN)/tsa-aggregate: $(OBJ)/tsa-aggregate/main.o $(TSA_AGGREGATE_OBJS) $(LIBTSA)
	@mkdir -p $(BIN)
	$(CC) $(LDFLAGS) -o $@ $^ -lpsl $(LDLIBS)
