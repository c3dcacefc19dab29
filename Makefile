# jwtgrant — one static binary for the OAuth 2.0 JWT bearer grant.
#
#   make            build ./jwtgrant (static with musl when it can be had)
#   make test       unit and end-to-end tests; ends with "N passed, N failed"
#   make sanitize   the same suite built with ASan and UBSan
#   make release    build/dist/: x86-64, aarch64 and armv7 binaries, SHA256SUMS, man page,
#                   completions, OCI image (installs the cross compilers it needs)
#   make reproducible  two release builds from clean clones in different places: identical?
#   make release-test  the aarch64 and armv7 binaries' tests under qemu-user-static
#   make install PREFIX=/usr/local   binary, man page, bash and zsh completions
#   make repin      pin the versions of BearSSL, cJSON and ca-certificates Debian has now
#   make clean      remove build/ and ./jwtgrant (distclean also drops the fetched sources)
#
# Variants, each in build/<variant>/:
#   release  musl-gcc -static -Oz (fallback: the system cc, dynamic); the product. ARCH=aarch64
#            or ARCH=armv7 builds the same with Debian's cross gcc and that architecture's musl
#   host     the system cc, dynamic, -g; unit tests (cmocka), valgrind, build-time tools
#   san      clang with ASan+UBSan; vendored code without unaligned access (bearssl-notes #13)

VERSION   := 0.2.0
PREFIX    ?= /usr/local
VARIANT   ?= release
ARCH      ?= x86_64
VENDOR    := vendor/src
BEARSSL   := $(VENDOR)/bearssl-0.6
CJSON     := $(VENDOR)/cJSON-1.7.15
# The embedded roots: the pinned ca-certificates package's mozilla/*.crt (vendor/fetch.sh), never
# the build machine's /etc/ssl. CA_BUNDLE=FILE builds with another set, which --version names.
ROOTS_PEM := $(VENDOR)/roots.pem
CA_BUNDLE ?= $(ROOTS_PEM)
VENDOR_DIST ?=

B ?= build/$(VARIANT)
# The last commit's time: the clock check of grant refuses a system clock earlier than this,
# and it is the SOURCE_DATE_EPOCH of a release (man page date, archive times).
BUILD_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
SOURCE_DATE_EPOCH ?= $(BUILD_EPOCH)
ROOTS_DEF := $(if $(filter-out $(ROOTS_PEM),$(CA_BUNDLE)),-DJG_ROOTS_SOURCE='"file $(notdir $(CA_BUNDLE))"')

WARN := -Wall -Wextra -Wshadow -Wconversion -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes
# -ffile-prefix-map: no build directory in any output, so two checkouts build the same bytes.
BASE := -std=c11 -D_GNU_SOURCE -DJG_VERSION='"$(VERSION)"' -DJG_BUILD_EPOCH=$(BUILD_EPOCH) $(ROOTS_DEF) \
        -ffunction-sections -fdata-sections -fstack-protector-strong -ffile-prefix-map=$(CURDIR)=.
VENDOR_DEFS :=

ifeq ($(VARIANT),release)
  MUSL := $(shell command -v musl-gcc 2>/dev/null)
  ifeq ($(ARCH),aarch64)
    CC       := aarch64-linux-gnu-gcc -specs /usr/lib/aarch64-linux-musl/musl-gcc.specs
    LDSTATIC := -static
    PIE      := -fno-pie -no-pie
  else ifeq ($(ARCH),armv7)
    CC       := arm-linux-gnueabihf-gcc -specs /usr/lib/arm-linux-musleabihf/musl-gcc.specs
    LDSTATIC := -static
    PIE      := -fno-pie -no-pie
  else ifneq ($(ARCH),x86_64)
    $(error unknown ARCH $(ARCH): x86_64, aarch64 or armv7)
  else ifneq ($(MUSL),)
    CC      := musl-gcc
    LDSTATIC := -static
    # The static link makes a fixed-address executable (ET_EXEC), so the code is compiled for
    # one: with the compiler's default -fPIE, every const table of pointers (the option table,
    # error tables, BearSSL's vtables) needed a load-time relocation and sat in RELRO data
    # (8.4 KB) instead of .rodata, and each access went through RIP-relative position-independent
    # code: -fno-pie measured 4 KB less text and one 4 KiB step off the file (366,224 -> 362,128
    # bytes). Nothing is lost: a non-PIE static executable has no address randomisation of its
    # image either way, and the tables are read-only in both places.
    PIE     := -fno-pie -no-pie
  else
    CC      ?= cc
    LDSTATIC :=
    PIE     :=
  endif
  # -Oz (GCC 12: 1.8 KB less than -Os, RS256 signing measured no slower), no unwind tables (C
  # only, nothing unwinds), no separate-code padding, no build id, and link-time optimisation
  # across our code and BearSSL's (-12 KB stripped). They were chosen for a size goal that is
  # retired (the ceiling is now 360,448 bytes, tests/bench/run.sh), and stay until measured
  # otherwise. None of them drops BearSSL's AES-NI, PCLMUL and SSE2 code: BearSSL compiles it
  # with function target attributes, no -m flags needed, and its default selectors use it when
  # the CPU has the instructions (src/tls/tls.c; grant -v names the code in use).
  # -flto-partition=one: the whole program optimised as one unit instead of four parallel
  # partitions, so calls across them can be inlined or dropped (832 bytes less text, measured;
  # the link takes a few seconds longer).
  OPT     := -Oz -flto=auto -fno-asynchronous-unwind-tables -fno-unwind-tables $(PIE)
  # RELRO only where a dynamic loader applies it. musl's start-up code in a static executable
  # never mprotects PT_GNU_RELRO (measured: the region stays rw-p in /proc/PID/maps) and there
  # is nothing to bind "now", so in the static build -z relro only aligned the end of that region
  # to a page: up to 4 KiB of zeros in the file (362,128 -> 360,152 bytes without it).
  RELRO_DYNAMIC := -Wl,-z,relro -Wl,-z,now
  RELRO_STATIC  := -Wl,-z,norelro
  RELRO   := $(if $(LDSTATIC),$(RELRO_STATIC),$(RELRO_DYNAMIC))
  LDFLAGS := $(LDSTATIC) $(PIE) -Oz -flto=auto -flto-partition=one -Wl,--gc-sections \
             $(RELRO) -Wl,-z,noseparate-code -Wl,--build-id=none -s
else ifeq ($(VARIANT),host)
  CC      := cc
  OPT     := -O1 -g
  LDFLAGS := -Wl,--gc-sections
else ifeq ($(VARIANT),san)
  CC      := clang-14
  OPT     := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
  LDFLAGS := -fsanitize=address,undefined
  # BearSSL: no unaligned access (UBSan, bearssl-notes #13); br_encode_rsa_pkcs8_der calls
  # memcpy(dst, NULL, 0) (x509/asn1enc.c), harmless but fatal under UBSan nonnull-attribute.
  VENDOR_DEFS := -DBR_LE_UNALIGNED=0 -DBR_BE_UNALIGNED=0 -fno-sanitize=nonnull-attribute
else
  $(error unknown VARIANT $(VARIANT): release, host or san)
endif

INCLUDES := -Isrc -I$(B)/gen -isystem $(BEARSSL)/inc -isystem $(CJSON) -isystem $(VENDOR)
CFLAGS_OURS   := $(BASE) $(OPT) $(WARN) $(INCLUDES) $(EXTRA_CFLAGS)
# BearSSL reads and writes little- and big-endian words through unions (inner.h, when
# BR_LE_UNALIGNED / BR_BE_UNALIGNED are on, as on x86), which strict aliasing lets the compiler
# reorder: with -Oz -flto -fno-pie, gcc 12 miscompiled hash/md5.c (every MD5 derivation of an
# encrypted key came out wrong; found by tests/e2e/encrypted_keys.sh, fixed by this flag alone).
CFLAGS_VENDOR := $(BASE) $(OPT) -w -fno-strict-aliasing $(VENDOR_DEFS) -I$(BEARSSL)/src -I$(BEARSSL)/inc

SRC      := $(sort $(wildcard src/*.c src/*/*.c))
SRC      := $(filter-out src/tools/%,$(SRC))
HEADERS  := $(wildcard src/*.h src/*/*.h)
LIB_SRC  := $(filter-out src/main.c,$(SRC))
LIB_OBJ  := $(LIB_SRC:src/%.c=$(B)/obj/%.o)
GEN_OBJ  := $(if $(wildcard src/tools/gen_anchors.c),$(B)/obj/anchors_embedded.o)
BR_SRC    = $(shell find $(BEARSSL)/src -name '*.c' 2>/dev/null | sort)
BR_OBJ    = $(BR_SRC:$(BEARSSL)/src/%.c=$(B)/bearssl/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)

.PHONY: all binary unit-bins test sanitize install clean distclean vendor demo \
        valgrind lint fuzz fuzz-smoke bench release reproducible release-test repin

all: vendor
	@if [ "$(VARIANT)" = release ] && ! command -v musl-gcc >/dev/null 2>&1; then \
	  vendor/need.sh musl-gcc musl-tools || \
	  echo "jwtgrant: musl-gcc unavailable: building a dynamic binary with the system compiler"; fi
	@$(MAKE) --no-print-directory VARIANT=release B=build/release binary
	@file jwtgrant | grep -q 'statically linked' || \
	  echo "jwtgrant: note: ./jwtgrant is dynamically linked (musl-gcc was not available)"

binary: $(B)/jwtgrant
	cp $(B)/jwtgrant jwtgrant

vendor: $(VENDOR)/.ready

$(VENDOR)/.ready: vendor/fetch.sh vendor/SHA256SUMS
	vendor/fetch.sh $(VENDOR_DIST)

# Debian keeps only the newest revision of a package: when a pin is gone, fetch.sh says so and
# this takes the versions Debian has now (review and commit vendor/SHA256SUMS afterwards).
repin:
	vendor/fetch.sh --repin $(VENDOR_DIST)

# --- our code -------------------------------------------------------------------------------
$(B)/obj/%.o: src/%.c $(HEADERS) $(VENDOR)/.ready
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_OURS) -c $< -o $@

# The objects that hold the version, the build time or the roots' name are rebuilt whenever one
# of those changes (every commit changes the build time): make does not see changed -D flags.
BUILD_STAMP := $(B)/gen/build-info
.PHONY: FORCE
FORCE:
$(BUILD_STAMP): FORCE
	@mkdir -p $(dir $@)
	@echo '$(VERSION) $(BUILD_EPOCH) $(ROOTS_DEF)' > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi
$(B)/obj/main.o $(B)/obj/cmd/grant.o $(B)/obj/oauth/https.o $(B)/obj/net/proxy.o: $(BUILD_STAMP)

$(B)/libjg.a: $(LIB_OBJ) $(GEN_OBJ)
	rm -f $@ && ar rcsD $@ $^

$(B)/jwtgrant: $(B)/obj/main.o $(B)/libjg.a $(B)/cjson.o $(B)/libbearssl.a
	$(CC) $(CFLAGS_OURS) -o $@ $^ $(LDFLAGS)

# --- embedded trust anchors -------------------------------------------------------------------
# The Mozilla roots of the pinned ca-certificates package (vendor/fetch.sh: vendor/src/roots.pem)
# become an index (DN hashes and keys, src/tls/anchors.h) at build time, read by the loader that
# reads --cacert at run time (src/tls/trust.c) in the host tool src/tools/gen_anchors.c.
# libjg-core.a is everything but the index.
$(B)/libjg-core.a: $(LIB_OBJ)
	rm -f $@ && ar rcsD $@ $^

build/host/tools/gen_anchors: src/tools/gen_anchors.c build/host/libjg-core.a build/host/libbearssl.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_OURS) -o $@ $^

$(ROOTS_PEM): $(VENDOR)/.ready

$(B)/gen/anchors_embedded.c: $(CA_BUNDLE) src/tools/gen_anchors.c \
                             $(wildcard src/tls/* src/x509/* src/crypto/* src/base/*)
	@mkdir -p $(dir $@)
	@$(MAKE) --no-print-directory VARIANT=host B=build/host build/host/tools/gen_anchors
	build/host/tools/gen_anchors $(CA_BUNDLE) > $@.tmp && mv $@.tmp $@

$(GEN_OBJ): $(B)/gen/anchors_embedded.c src/tls/anchors.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_OURS) -Wno-conversion -c $< -o $@

# --- vendored code, our flags ------------------------------------------------------------------
$(B)/bearssl/%.o: $(BEARSSL)/src/%.c $(VENDOR)/.ready
	@mkdir -p $(dir $@)
	@$(CC) $(CFLAGS_VENDOR) -c $< -o $@

$(B)/libbearssl.a: $(VENDOR)/.ready
	@$(MAKE) --no-print-directory VARIANT=$(VARIANT) bearssl-objs
	@rm -f $@ && ar rcsD $@ $(BR_OBJ) && echo "ar $@"

.PHONY: bearssl-objs
bearssl-objs: $(BR_OBJ)

$(B)/cjson.o: $(CJSON)/cJSON.c $(VENDOR)/.ready Makefile
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_VENDOR) -c $< -o $@

# --- tests ----------------------------------------------------------------------------------
$(B)/tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(HEADERS) $(B)/libjg.a $(B)/libbearssl.a $(B)/cjson.o
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_OURS) -Wno-conversion -Itests/unit -DJG_BEARSSL_INC='"$(CURDIR)/$(BEARSSL)/inc"' \
	  -DJG_ROOTS_PEM='"$(abspath $(CA_BUNDLE))"' \
	  -o $@ $< $(B)/libjg.a $(B)/cjson.o \
	  $(B)/libbearssl.a -lcmocka $(filter-out -s -static,$(LDFLAGS))

unit-bins: $(UNIT_BIN)

test: all
	@vendor/need.sh /usr/include/cmocka.h libcmocka-dev openssl openssl python3 python3 \
	  tinyproxy tinyproxy curl curl
	@$(MAKE) --no-print-directory VARIANT=host B=build/host unit-bins $(if $(wildcard src/tools/gen_docs.c),$(GEN_DOCS))
	@tests/run.sh --bin ./jwtgrant --unit build/host/tests

sanitize: vendor
	@vendor/need.sh /usr/include/cmocka.h libcmocka-dev clang-14 clang-14 \
	  /usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.asan-x86_64.a libclang-rt-14-dev
	@$(MAKE) --no-print-directory VARIANT=san B=build/san $(if $(wildcard src/main.c),build/san/jwtgrant) unit-bins
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  tests/run.sh --bin build/san/jwtgrant --unit build/san/tests

demo: all
	@tests/demo.sh

# memcheck over the end-to-end runs of grant (success, refusals, HTTP framing, TLS failures,
# usage errors, token reuse, masking, revoke, the Google provider), assertion, check, decode and
# the big-key refusals,
# on the dynamic glibc build:
# valgrind cannot see a musl static binary's heap.
VALGRIND_TESTS ?= e2e/(assertion|big_keys|check|decode|encrypted_keys|grant_generic|grant_github|grant_google|grant_http|grant_masking|grant_outputs|grant_refusals|grant_reuse|grant_tls|grant_usage|revoke)$$
valgrind: all
	@vendor/need.sh valgrind valgrind
	@$(MAKE) --no-print-directory VARIANT=host B=build/host build/host/jwtgrant
	@JWTGRANT_VALGRIND_BIN=$(CURDIR)/build/host/jwtgrant JWTGRANT_VALGRIND_LOG=$(CURDIR)/build/valgrind.log \
	  tests/run.sh --bin tests/valgrind-jwtgrant.sh --unit /nonexistent --only '$(VALGRIND_TESTS)' || \
	  { echo "valgrind: see build/valgrind.log"; exit 1; }

# Speed, size and memory against a curl + openssl script, measured side by side (tests/bench/).
bench: all
	@vendor/need.sh /usr/bin/time time curl curl openssl openssl
	@tests/bench/run.sh

# libFuzzer targets for every parser of untrusted bytes (fuzz/fuzz.mk); the smoke pass runs
# each for FUZZ_SECONDS (30) and fails on any crash, leak or timeout.
fuzz: vendor
	@$(MAKE) --no-print-directory -f fuzz/fuzz.mk fuzz

fuzz-smoke: vendor
	@$(MAKE) --no-print-directory -f fuzz/fuzz.mk fuzz-smoke

# cppcheck and clang-tidy (bugprone-*, cert-*, clang-analyzer-*) over src/, zero findings.
lint: vendor
	@vendor/need.sh cppcheck cppcheck clang-tidy clang-tidy
	@tests/lint.sh

# --- releases (shared/docs/cli.md, "Releases") -------------------------------------------------
# Three static binaries of one source, the man page and completions generated from the option
# table, the OCI image, SHA256SUMS (and SHA256SUMS.minisig with MINISIGN_KEY=FILE).
DIST := build/dist
GEN_DOCS := build/host/tools/gen_docs

release: vendor
	@vendor/need-release.sh $(if $(MINISIGN_KEY),minisign minisign)
	@$(MAKE) --no-print-directory VARIANT=release ARCH=x86_64 B=build/release build/release/jwtgrant
	@$(MAKE) --no-print-directory VARIANT=release ARCH=aarch64 B=build/aarch64 build/aarch64/jwtgrant
	@$(MAKE) --no-print-directory VARIANT=release ARCH=armv7 B=build/armv7 build/armv7/jwtgrant
	@$(MAKE) --no-print-directory VARIANT=host B=build/host $(GEN_DOCS)
	@src/tools/release.sh $(VERSION) $(SOURCE_DATE_EPOCH) $(DIST) $(GEN_DOCS) \
	  build/release/jwtgrant build/aarch64/jwtgrant build/armv7/jwtgrant

$(GEN_DOCS): src/tools/gen_docs.c build/host/libjg-core.a build/host/libbearssl.a build/host/cjson.o \
             $(wildcard src/tools/*.1.in) $(BUILD_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_OURS) -o $@ $(filter %.c %.a %.o,$^)

# Two release builds from clean clones of HEAD in two other places, at two times, with other
# umasks and time zones: every file but the signature must be byte for byte the same.
reproducible:
	@tests/reproducible.sh

# The aarch64 and armv7 release binaries under qemu-user-static: --version, the assertion
# known-answer test, grants against the test endpoint (tests/release-test.sh).
release-test: release
	@vendor/need.sh minisign minisign groff groff man man-db
	@tests/release-test.sh $(DIST) $(VERSION)

install: all
	@$(MAKE) --no-print-directory VARIANT=host B=build/host $(GEN_DOCS)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/zsh/site-functions
	install -m 0755 jwtgrant $(DESTDIR)$(PREFIX)/bin/jwtgrant
	$(GEN_DOCS) man "$$(date -u -d @$(SOURCE_DATE_EPOCH) +%Y-%m-%d)" > $(DESTDIR)$(PREFIX)/share/man/man1/jwtgrant.1
	$(GEN_DOCS) bash > $(DESTDIR)$(PREFIX)/share/bash-completion/completions/jwtgrant
	$(GEN_DOCS) zsh > $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_jwtgrant
	chmod 0644 $(DESTDIR)$(PREFIX)/share/man/man1/jwtgrant.1 \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions/jwtgrant \
	  $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_jwtgrant

clean:
	rm -rf build jwtgrant

distclean: clean
	rm -rf $(VENDOR)
