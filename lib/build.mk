# The shared library: stream I/O, raw msgpack, settings, addresses, errors.
LIBTSA_SRCS := $(wildcard lib/*.c)

$(LIBTSA): $(patsubst %.c,$(OBJ)/%.o,$(LIBTSA_SRCS))
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^
