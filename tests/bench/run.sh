#!/bin/sh
# tests/bench/run.sh — `make bench`: jwtgrant measured against the tools people use today.
#
# Run from anywhere, with ./jwtgrant and build/release/ already built (`make`). It
#   1. builds three helpers into build/bench/: measure (runs a command, records wall time and
#      the rusage of wait4), micro (RS256 signing and TLS handshakes on the release objects) and
#      empty (an empty static program: the machine's memory floor);
#   2. starts the project's local token endpoint (tests/mock/sf_mock.py) once, and after warm-up
#      runs, alternates BENCH_RUNS rounds of: `jwtgrant grant`, the curl + openssl script
#      tests/bench/peer.sh, the empty program, and `sf org login jwt` when sf is on PATH — each
#      once under measure and once under GNU time (for its %M);
#   3. times TLS handshakes against the same endpoint, RS256 signatures per key size beside
#      `openssl speed`, and `jwtgrant keygen` per key size;
#   4. compares stripped sizes with curl's and openssl's binaries plus their shared libraries,
#      and splits jwtgrant's bytes by origin from the link map of a relink with the Makefile's
#      own release command;
#   5. prints a markdown report on stdout (also in build/bench.md), ending with one met/missed
#      line per goal. Progress goes to stderr; raw per-run figures stay in build/bench/raw/.
#
# Exit 0 when the bench ran (whether or not the goals were met), 1 when it could not.
#
# Knobs (environment):
#   BENCH_RUNS=20            measured rounds (each tool once per round)
#   BENCH_WARMUP=2           unmeasured runs of each tool first
#   BENCH_SF_RUNS=5          rounds that include sf (it takes seconds a run), at most BENCH_RUNS
#   BENCH_SIGNS=200          signatures per key size
#   BENCH_HANDSHAKES=50      TLS handshakes
#   BENCH_KEYGEN_RUNS=3      keygen runs per key size
#   BENCH_SPEED_SECONDS=2    `openssl speed -seconds`
#   BENCH_NOISE_FACTOR=2     max/min wall time spread above which a figure is called noisy
#   BENCH_TIMEOUT=60         seconds any single measured command may take
# shellcheck disable=SC2086 # the compiler flags are word-split on purpose
set -u

RUNS=${BENCH_RUNS:-20}
WARMUP=${BENCH_WARMUP:-2}
SF_RUNS=${BENCH_SF_RUNS:-5}
SIGNS=${BENCH_SIGNS:-200}
HANDSHAKES=${BENCH_HANDSHAKES:-50}
KEYGEN_RUNS=${BENCH_KEYGEN_RUNS:-3}
SPEED_SECONDS=${BENCH_SPEED_SECONDS:-2}
NOISE_FACTOR=${BENCH_NOISE_FACTOR:-2}
TMO=${BENCH_TIMEOUT:-60}
for knob in RUNS WARMUP SF_RUNS SIGNS HANDSHAKES KEYGEN_RUNS SPEED_SECONDS TMO; do
	eval "v=\$$knob"
	case $v in
	'' | *[!0-9]*) echo "bench: BENCH_$knob must be a whole number (got '$v')" >&2; exit 1 ;;
	esac
done
[ "$RUNS" -ge 1 ] || { echo "bench: BENCH_RUNS must be at least 1" >&2; exit 1; }
[ "$SF_RUNS" -le "$RUNS" ] || SF_RUNS=$RUNS

# The e2e helpers: JG_TOP, JG (./jwtgrant), PKI, T (temporary, removed on exit), start_mock and
# stop_mock with bounded waits, and the EXIT trap that stops every process they started.
. "$(dirname "$0")/../lib.sh"
cd "$JG_TOP" || exit 1

OUT=build/bench
RAW=$OUT/raw
REPORT=build/bench.md
BIN=$OUT/bin
rm -rf "$RAW"
mkdir -p "$RAW" "$BIN" "$OUT/keys" || exit 1
NOTES=$T/notes
: > "$NOTES"
note() { printf -- '- %s\n' "$*" >> "$NOTES"; }
say() { printf 'bench: %s\n' "$*" >&2; }
die() {
	say "$*"
	exit 1
}

# --- numbers --------------------------------------------------------------------------------
# stats FILE FIELD — "MEDIAN MIN MAX COUNT" over the lines of FILE whose status (the last field)
# is 0; FIELD is wall (µs), cpu (user+sys, µs) or rss (KiB) for measure's lines, gtrss for GNU
# time's "%e %U %S %M %x" lines, gtcpu (seconds) likewise. "- - - 0" when there is none.
stats() {
	awk -v field="$2" '
		NF >= 5 && $NF == 0 {
			if (field == "wall") v = $1
			else if (field == "cpu") v = $2 + $3
			else if (field == "rss" || field == "gtrss") v = $4
			else if (field == "gtcpu") v = $2 + $3
			print v
		}' "$1" 2>/dev/null | sort -n | awk '
		{ v[NR] = $1 }
		END {
			if (NR == 0) { print "- - - 0"; exit }
			m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			print m, v[1], v[NR], NR
		}'
}
field() { # N "A B C D" — the Nth word
	echo "$2" | awk -v n="$1" '{ print $n }'
}
ok_count() { # FILE — how many lines have status 0, "k/n"
	awk 'NF >= 5 { n++; if ($NF == 0) k++ } END { printf "%d/%d", k, n }' "$1" 2>/dev/null
}
calc() { # AWK-EXPRESSION — printed as awk prints it
	awk "BEGIN { print $1 }"
}
fmt() { # PRINTF-FORMAT EXPRESSION
	awk -v f="$1" "BEGIN { printf f, $2 }"
}
group() { # N — 333416 -> 333,416
	echo "$1" | awk '{ n = sprintf("%d", $1); s = ""
		while (length(n) > 3) { s = "," substr(n, length(n) - 2) s; n = substr(n, 1, length(n) - 3) }
		print n s }'
}
# range_ms "MED MIN MAX N" — "12.3 ms (10.1–15.0)" from microseconds
range_ms() {
	[ "$(field 4 "$1")" -gt 0 ] || { echo "n/a"; return; }
	echo "$1" | awk '{ printf "%.1f ms (%.1f–%.1f)", $1 / 1000, $2 / 1000, $3 / 1000 }'
}
range_kib() {
	[ "$(field 4 "$1")" -gt 0 ] || { echo "n/a"; return; }
	echo "$1" | awk '{ printf "%d KiB (%d–%d)", $1, $2, $3 }'
}
ratio() { # A B — A/B to two decimals, "n/a" when B is 0 or missing
	awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0 && a != "-") printf "%.2f", a / b; else print "n/a" }'
}

# --- tools and flags --------------------------------------------------------------------------
[ -x "$JG" ] || die "build first: make (no ./jwtgrant)"
for f in build/release/obj/main.o build/release/libjg.a build/release/libbearssl.a build/release/cjson.o; do
	[ -f "$f" ] || die "build first: make ($f is missing)"
done
vendor/need.sh /usr/bin/time time curl curl openssl openssl >&2 || die "GNU time, curl and openssl are needed"
GNU_TIME=/usr/bin/time

# The release variant's compiler and flags, from the Makefile itself (so a change there is
# measured here). JG_* defines are dropped: their quoting does not survive the echo, and only
# the product's own sources use them.
flags=$(make --no-print-directory -s VARIANT=release B=build/release \
	--eval='jg-bench-flags: ; @printf "%s\n" "$(CC)" "$(CFLAGS_OURS)" "$(LDFLAGS)"' jg-bench-flags) ||
	die "cannot read the release flags from the Makefile"
CC=$(echo "$flags" | sed -n 1p)
CFLAGS=$(echo "$flags" | sed -n 2p | tr ' ' '\n' | grep -v "^-DJG_" | tr '\n' ' ')
LDFLAGS=$(echo "$flags" | sed -n 3p)
[ -n "$CC" ] && [ -n "$LDFLAGS" ] || die "cannot read the release flags from the Makefile"
REL="build/release/libjg.a build/release/libbearssl.a build/release/cjson.o"

say "building the helpers with $CC"
$CC $CFLAGS -o "$BIN/measure" tests/bench/measure.c $LDFLAGS >&2 || die "cannot build measure"
$CC $CFLAGS -o "$BIN/empty" tests/bench/empty.c $LDFLAGS >&2 || die "cannot build empty"
$CC $CFLAGS -o "$BIN/micro" tests/bench/micro.c $REL $LDFLAGS >&2 || die "cannot build micro"
MEASURE=$BIN/measure

# --- the whole-process runs -----------------------------------------------------------------
pki || die "cannot build the test PKI"
CLIENT_ID=3MVG9TESTCLIENTID
USER_NAME=ci@example.com
SF=$(command -v sf 2>/dev/null || true)
SF_HOME=$T/sf-home
mkdir -p "$SF_HOME"

# The command line of each contender (the mock's URL is known once it runs).
run_contender() { # NAME — run it once, output in $T/NAME.out and .err
	case $1 in
	jwtgrant)
		set -- "$JG" grant --client-id "$CLIENT_ID" --jwt-key-file "$PKI/app.key" \
			--username "$USER_NAME" --instance-url "$MOCK_URL" --cacert "$PKI/ca.crt" ;;
	peer)
		set -- tests/bench/peer.sh "$PKI/app.key" "$CLIENT_ID" "$USER_NAME" "$MOCK_URL" \
			"$PKI/ca.crt" ;;
	empty) set -- "$BIN/empty" ;;
	sf)
		set -- env HOME="$SF_HOME" NODE_EXTRA_CA_CERTS="$PKI/ca.crt" SF_AUTOUPDATE_DISABLE=true \
			SF_DISABLE_TELEMETRY=true SFDX_DISABLE_TELEMETRY=true SF_USE_GENERIC_UNIX_KEYCHAIN=true \
			"$SF" org login jwt --client-id "$CLIENT_ID" --jwt-key-file "$PKI/app.key" \
			--username "$USER_NAME" --instance-url "$MOCK_URL" ;;
	esac
	"$@"
}
# measured NAME — once under measure, once under GNU time; results appended to $RAW/NAME.*
measured() {
	"$MEASURE" "$RAW/$1.measure" "$TMO" sh -c '. "$0"; run_contender "$1"' "$T/contenders.sh" "$1" \
		> "$T/$1.out" 2> "$T/$1.err"
	timeout -k 5 "$TMO" "$GNU_TIME" -q -f '%e %U %S %M %x' -a -o "$RAW/$1.gnutime" \
		sh -c '. "$0"; run_contender "$1"' "$T/contenders.sh" "$1" > /dev/null 2>&1
}
