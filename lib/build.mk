# The shared library: stream I/O, raw msgpack, settings, addresses, errors.
LIBTSA_SRCS := $(wildcard lib/*.c)
# settings.ini and what root trusts, for every tool's manual to refer to.
MANPAGES5 += lib/tsa-settings.5

$(LIBTSA): $(patsubst %.c,$(OBJ)/%.o,$(LIBTSA_SRCS))
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^

# Unit tests of the library (msgpack-c is their independent decoder) and a
# pass-through stage, the smallest stage the library allows: the Python-stage
# test, the EPIPE test and the benchmark use it.  The same stage written with
# msgpack-c, for the benchmark to set beside it.
TESTBINS += $(BIN)/tests/tsa-test-lib $(BIN)/tests/tsa-passthrough \
    $(BIN)/tests/tsa-msgpack-passthrough $(BIN)/tests/tsa-snapshot-roundtrip
$(BIN)/tests/tsa-test-lib: $(OBJ)/tests/lib/unit.o $(LIBTSA)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lmsgpackc $(LDLIBS)
$(BIN)/tests/tsa-snapshot-roundtrip: $(OBJ)/tests/lib/snapshot-roundtrip.o $(LIBTSA)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(BIN)/tests/tsa-passthrough: $(OBJ)/tests/lib/passthrough.o $(LIBTSA)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(BIN)/tests/tsa-msgpack-passthrough: $(OBJ)/tests/lib/msgpack-passthrough.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lmsgpackc
