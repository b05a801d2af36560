# TSA: one directory per tool, each with a build.mk fragment included here.
# make / make test / make asan / make bench / make fuzz / make demo / make demo-sensors
# make install / make soak

PREFIX  ?= /usr/local
DESTDIR ?=
BIN     ?= bin
OBJ     ?= build
CC      ?= cc
SANITIZE ?=
# Warnings are errors in the project's own targets (test, asan, demo, bench,
# CI), not in a user's plain `make`.
WERROR  ?=
VERSION := $(shell cat VERSION)

PKGS     = libpcap libmaxminddb libpsl
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE -Wall -Wextra $(WERROR) -Ilib $(SANITIZE) \
           -DTSA_VERSION='"$(VERSION)"'
LDFLAGS += $(SANITIZE)
# What libtsa.a itself needs; every tool's link line ends with $(LDLIBS).
LDLIBS   = -lm
LIBTSA   = $(OBJ)/libtsa.a

TOOLS    :=
MANPAGES :=
MANPAGES5 :=
TESTBINS :=

# A plain `make` builds and installs nothing else: the packages it needs
# come from `make setup` (which make test, make demo and make asan run).
all: tools

# Fragments add to TOOLS, MANPAGES (section 1), MANPAGES5 and TESTBINS.
include $(sort $(wildcard */build.mk))

tools: $(TOOLS) $(TESTBINS)

$(OBJ)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

-include $(shell find $(OBJ) -name '*.d' 2>/dev/null)

# Build prerequisites come from scripts/setup; run it only when something is
# missing (it is idempotent but asks apt).
setup-check:
	@scripts/setup --check >/dev/null 2>&1 || scripts/setup

setup:
	scripts/setup

test: setup-check
	$(MAKE) WERROR=-Werror tools
	tests/run

# The same tests with AddressSanitizer and UndefinedBehaviorSanitizer.
asan: setup-check
	$(MAKE) WERROR=-Werror BIN=bin-asan OBJ=build-asan \
	    SANITIZE='-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer' tools
	TSA_BIN=$(CURDIR)/bin-asan ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	    LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 tests/run

bench: setup-check
	$(MAKE) WERROR=-Werror tools
	scripts/bench

# Minutes of live capture on lo through the whole pipeline, watching memory
# (SOAK_SECONDS, default 600; needs root).  Not part of make test.
soak: setup-check
	$(MAKE) WERROR=-Werror tools
	scripts/soak

fuzz: setup-check
	scripts/fuzz

demo: setup-check
	$(MAKE) WERROR=-Werror tools
	scripts/demo

# Two sensors and a collector through a local NATS JetStream server.
demo-sensors: setup-check
	$(MAKE) WERROR=-Werror tools
	scripts/demo-sensors

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(PREFIX)/share/man/man5 \
	    $(DESTDIR)$(PREFIX)/etc/tsa $(DESTDIR)$(PREFIX)/share/tsa
	install -m 755 $(TOOLS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(MANPAGES) $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 $(MANPAGES5) $(DESTDIR)$(PREFIX)/share/man/man5/
	install -m 644 data/dbip-country.mmdb data/DBIP-LICENSE $(DESTDIR)$(PREFIX)/share/tsa/
	# The tools find the database and world.dat beside themselves
	# (PREFIX/share/tsa), whatever PREFIX the build had.
	install -m 644 settings.ini $(DESTDIR)$(PREFIX)/etc/tsa/settings.ini
	$(INSTALL_DATA_HOOKS)

# For scripts: make -s print-TSA_CAPTURE_OBJS
print-%:
	@echo $($*)

clean:
	rm -rf bin bin-asan bin-fuzz build build-asan build-fuzz

.PHONY: all tools setup setup-check test asan bench fuzz demo demo-sensors install clean soak
