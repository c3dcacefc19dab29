# libFuzzer targets for every parser of untrusted bytes (fuzz/fuzz_<name>.c), built with
# clang-14, ASan and UBSan into build/fuzz/.
#
#   make -f fuzz/fuzz.mk fuzz          build every target: build/fuzz/bin/fuzz_<name>
#   make -f fuzz/fuzz.mk fuzz-smoke    run each for FUZZ_SECONDS (30) on a copy of its corpus;
#                                      fails on any crash, leak or timeout
#   make -f fuzz/fuzz.mk fuzz-regress  run each once over its committed corpus (seconds)
#
#   FUZZ_TARGETS="http url"            restrict fuzz-smoke / fuzz-regress to some targets
#   FUZZ_CC=clang-14                   the compiler (libFuzzer ships with clang)
#
# A crash is replayed with build/fuzz/bin/fuzz_<name> FILE; once fixed, its input goes into
# fuzz/corpus/<name>/ as crash-<what> (fuzz/make_seeds.sh keeps files named so), and
# fuzz-regress runs it from then on. Seeds: fuzz/make_seeds.sh; dictionaries: fuzz/dict/.
#
# Our sources are compiled with coverage instrumentation (-fsanitize=fuzzer-no-link, the form
# of -fsanitize=fuzzer for code that is not the fuzz target itself) and linked into each target
# from an archive, so a target only pulls the modules it calls. src/main.c is left out; the
# index of embedded trust anchors is generated at build time and not needed here, so
# fuzz/anchors_none.c stands in for it with an empty one. The vendored BearSSL and cJSON are
# built without unaligned access (bearssl-notes.md, pitfall 13) and without warnings; our own
# code and the targets with -Werror (a pointer given an integer in a target once built with a
# warning and crashed the smoke run).

FUZZ_CC      ?= clang-14
FUZZ_SECONDS ?= 30
FUZZ_B       := build/fuzz
VENDOR       := vendor/src
BEARSSL      := $(VENDOR)/bearssl-0.6
CJSON        := $(VENDOR)/cJSON-1.7.15

FUZZ_NAMES   := $(sort $(patsubst fuzz/fuzz_%.c,%,$(wildcard fuzz/fuzz_*.c)))
FUZZ_TARGETS ?= $(FUZZ_NAMES)
FUZZ_BINS    := $(FUZZ_NAMES:%=$(FUZZ_B)/bin/fuzz_%)

# -fno-sanitize-recover: a UBSan report must stop the run, or libFuzzer never sees it.
FUZZ_SAN    := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_OPT    := -g -O1 -fno-omit-frame-pointer
FUZZ_OURS   := -std=c11 -D_GNU_SOURCE -DJG_VERSION='"0.1.0"' -Wall -Wextra -Werror \
               -Isrc -isystem $(BEARSSL)/inc -isystem $(CJSON) -isystem $(VENDOR)
FUZZ_VENDOR := -std=c11 -D_GNU_SOURCE -w -DBR_LE_UNALIGNED=0 -DBR_BE_UNALIGNED=0 \
               -I$(BEARSSL)/src -I$(BEARSSL)/inc

FUZZ_LIB_SRC := $(filter-out src/main.c src/tools/%,$(sort $(wildcard src/*.c src/*/*.c)))
FUZZ_LIB_OBJ := $(FUZZ_LIB_SRC:src/%.c=$(FUZZ_B)/obj/%.o) $(FUZZ_B)/obj/anchors_none.o
FUZZ_BR_SRC   = $(shell find $(BEARSSL)/src -name '*.c' 2>/dev/null | sort)
FUZZ_BR_OBJ   = $(FUZZ_BR_SRC:$(BEARSSL)/src/%.c=$(FUZZ_B)/bearssl/%.o)

.PHONY: fuzz fuzz-smoke fuzz-regress fuzz-bearssl-objs fuzz-clean
.DELETE_ON_ERROR:
.SECONDARY: $(FUZZ_NAMES:%=$(FUZZ_B)/targets/fuzz_%.o)

fuzz: $(FUZZ_BINS)

# A fresh clone has no vendored sources yet: the top-level `make vendor` does the same.
$(VENDOR)/.ready: vendor/fetch.sh vendor/SHA256SUMS
	vendor/fetch.sh

$(FUZZ_B)/obj/%.o: src/%.c $(VENDOR)/.ready
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_OPT) $(FUZZ_SAN) -fsanitize=fuzzer-no-link $(FUZZ_OURS) -MMD -MP -c $< -o $@

$(FUZZ_B)/obj/anchors_none.o: fuzz/anchors_none.c $(VENDOR)/.ready
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_OPT) $(FUZZ_SAN) $(FUZZ_OURS) -MMD -MP -c $< -o $@

$(FUZZ_B)/libjg.a: $(FUZZ_LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(FUZZ_B)/bearssl/%.o: $(BEARSSL)/src/%.c $(VENDOR)/.ready
	@mkdir -p $(dir $@)
	@$(FUZZ_CC) $(FUZZ_OPT) $(FUZZ_SAN) -fsanitize=fuzzer-no-link $(FUZZ_VENDOR) -c $< -o $@

# BearSSL's file list is only known once the sources are there: build its objects in a
# second make, as the top-level Makefile does.
$(FUZZ_B)/libbearssl.a: $(VENDOR)/.ready
	@$(MAKE) --no-print-directory -f fuzz/fuzz.mk fuzz-bearssl-objs
	@rm -f $@ && ar rcs $@ $(FUZZ_BR_OBJ) && echo "ar $@"

fuzz-bearssl-objs: $(FUZZ_BR_OBJ)

$(FUZZ_B)/cjson.o: $(CJSON)/cJSON.c $(VENDOR)/.ready fuzz/fuzz.mk
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_OPT) $(FUZZ_SAN) -fsanitize=fuzzer-no-link $(FUZZ_VENDOR) -c $< -o $@

$(FUZZ_B)/targets/%.o: fuzz/%.c $(wildcard fuzz/*.h) $(VENDOR)/.ready
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_OPT) $(FUZZ_SAN) -fsanitize=fuzzer $(FUZZ_OURS) -MMD -MP -c $< -o $@

$(FUZZ_B)/bin/fuzz_%: $(FUZZ_B)/targets/fuzz_%.o $(FUZZ_B)/libjg.a $(FUZZ_B)/cjson.o \
                      $(FUZZ_B)/libbearssl.a
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_OPT) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^

# Each target fuzzes a copy of its corpus in build/fuzz/corpus-run/<name> (the committed corpus
# is never written), artifacts go to build/fuzz/artifacts/<name>/, logs to build/fuzz/logs/.
fuzz-smoke: fuzz
	@sh fuzz/smoke.sh --seconds $(FUZZ_SECONDS) --build $(FUZZ_B) $(FUZZ_TARGETS)

fuzz-regress: fuzz
	@sh fuzz/smoke.sh --regress --build $(FUZZ_B) $(FUZZ_TARGETS)

fuzz-clean:
	rm -rf $(FUZZ_B)

-include $(wildcard $(FUZZ_B)/obj/*.d $(FUZZ_B)/obj/*/*.d $(FUZZ_B)/targets/*.d)
