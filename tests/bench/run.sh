#!/bin/sh
# tests/bench/run.sh — `make bench`: jwtgrant measured against the tools people use today.
#
# Run from anywhere, with ./jwtgrant and build/release/ already built (`make`). It
#   1. builds its helpers into build/bench/bin/ with the release compiler and flags: measure
#      (runs a command, records wall time and the rusage of wait4), micro (RS256 signing and TLS
#      handshakes on the release objects), empty (an empty static program: the machine's memory
#      floor) and touch (a known resident set, to calibrate the peak RSS figures);
#   2. starts the project's local token endpoints (tests/mock/sf_mock.py, and google_mock.py with
#      a service-account key file) once, and after warm-up runs, alternates BENCH_RUNS rounds of:
#      `jwtgrant grant`, the curl + openssl script tests/bench/peer.sh, the empty program, `sf org
#      login jwt` when sf is on PATH, `jwtgrant grant --provider google` and its curl + openssl
#      script tests/bench/peer_google.sh — each once under measure and once under GNU time (for
#      its %M);
#   3. times TLS handshakes against the same endpoint and, per suite, against endpoints that
#      offer one suite each (ChaCha20, AES-GCM, AES-CBC; RSA and ECDSA certificates), RS256
#      signatures per key size beside `openssl speed`, and `jwtgrant keygen` per key size;
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
#   BENCH_DECRYPT_RUNS=5     rounds of opening the 600,000-iteration encrypted key
#   BENCH_SPEED_SECONDS=2    `openssl speed -seconds`
#   BENCH_NOISE_FACTOR=2     max/min wall time spread above which a figure is called noisy
#   BENCH_TIMEOUT=60         seconds any single measured command may take
#   BENCH_SIZE_CEILING=360448  the stripped binary's size goal, in bytes
# shellcheck disable=SC2086,SC2034,SC2154
# (SC2086: the compiler flags are word-split on purpose; SC2034, SC2154: the figures live in
# variables named after a contender or a key size, wall_peer or sign_3072, set and read by eval;
# a contender named with a hyphen, peer-google, has its figures in peer_google.)
set -u

RUNS=${BENCH_RUNS:-20}
WARMUP=${BENCH_WARMUP:-2}
SF_RUNS=${BENCH_SF_RUNS:-5}
SIGNS=${BENCH_SIGNS:-200}
HANDSHAKES=${BENCH_HANDSHAKES:-50}
KEYGEN_RUNS=${BENCH_KEYGEN_RUNS:-3}
DECRYPT_RUNS=${BENCH_DECRYPT_RUNS:-5}
SPEED_SECONDS=${BENCH_SPEED_SECONDS:-2}
NOISE_FACTOR=${BENCH_NOISE_FACTOR:-2}
TMO=${BENCH_TIMEOUT:-60}
SIZE_CEILING=${BENCH_SIZE_CEILING:-360448}
for knob in RUNS WARMUP SF_RUNS SIGNS HANDSHAKES KEYGEN_RUNS DECRYPT_RUNS SPEED_SECONDS TMO SIZE_CEILING; do
	eval "v=\$$knob"
	case $v in
	'' | *[!0-9]*) echo "bench: BENCH_$knob must be a whole number (got '$v')" >&2; exit 1 ;;
	esac
done
[ "$RUNS" -ge 1 ] || { echo "bench: BENCH_RUNS must be at least 1" >&2; exit 1; }
[ "$SF_RUNS" -le "$RUNS" ] || SF_RUNS=$RUNS

# The e2e helpers: JG_TOP, JG (./jwtgrant), PKI, T (temporary, removed on exit), start_mock and
# stop_mock with bounded waits, and the EXIT trap that stops every process they started.
# shellcheck source=tests/lib.sh
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
# is 0; FIELD is wall (µs), cpu (user+sys, µs) or rss (KiB) for measure's lines, gtrss (KiB) for
# GNU time's "%e %U %S %M %x" lines, rss, file or anon (KiB) for hwm's "RssFile RssAnon 0 VmHWM"
# lines. "- - - 0" when there is none.
stats() {
	awk -v field="$2" '
		NF >= 5 && $NF == 0 {
			if (field == "wall") v = $1
			else if (field == "cpu") v = $2 + $3
			else if (field == "rss" || field == "gtrss") v = $4
			else if (field == "file") v = $1
			else if (field == "anon") v = $2
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
# shellcheck disable=SC2317 # called only through eval (table_row, pair_row)
range_kib() {
	[ "$(field 4 "$1")" -gt 0 ] || { echo "n/a"; return; }
	echo "$1" | awk '{ printf "%s KiB (%s–%s)", g($1), g($2), g($3) }
		function g(x,   n, s) { n = sprintf("%d", x); s = ""
			while (length(n) > 3) { s = "," substr(n, length(n) - 2) s; n = substr(n, 1, length(n) - 3) }
			return n s }'
}
ratio() { # A B — A/B to two decimals, "n/a" when B is 0 or missing
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b + 0 > 0) printf "%.2f", a / b; else print "n/a" }'
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
# the product's own sources use them. A make that runs us (`make bench`) passes its jobserver in
# MAKEFLAGS; this separate make must not inherit it.
# shellcheck disable=SC2016 # $(CC) and the others are make's to expand, not the shell's
flags=$(env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory -s VARIANT=release B=build/release \
	--eval='jg-bench-flags: ; @printf "%s\n" "$(CC)" "$(CFLAGS_OURS)" "$(LDFLAGS)"' jg-bench-flags) ||
	die "cannot read the release flags from the Makefile"
CC=$(echo "$flags" | sed -n 1p)
CFLAGS=$(echo "$flags" | sed -n 2p | tr ' ' '\n' | grep -v "^-DJG_" | tr '\n' ' ')
LDFLAGS=$(echo "$flags" | sed -n 3p)
if [ -z "$CC" ] || [ -z "$LDFLAGS" ]; then
	die "cannot read the release flags from the Makefile"
fi
REL="build/release/cjson.o build/release/libjg.a build/release/libbearssl.a"

say "building the helpers with $CC"
$CC $CFLAGS -o "$BIN/measure" tests/bench/measure.c $LDFLAGS >&2 || die "cannot build measure"
$CC $CFLAGS -o "$BIN/empty" tests/bench/empty.c $LDFLAGS >&2 || die "cannot build empty"
$CC $CFLAGS -o "$BIN/micro" tests/bench/micro.c $REL $LDFLAGS >&2 || die "cannot build micro"
$CC $CFLAGS -o "$BIN/touch" tests/bench/touch.c $LDFLAGS >&2 || die "cannot build touch"
$CC $CFLAGS -o "$BIN/hwm" tests/bench/hwm.c $LDFLAGS >&2 || die "cannot build hwm"
MEASURE=$BIN/measure
# bounded SECONDS COMMAND [ARGS...] — run it with measure's time limit (which also stops it and
# its children when this script is interrupted); returns the command's status.
bounded() {
	_secs=$1
	shift
	: > "$T/bounded"
	"$MEASURE" "$T/bounded" "$_secs" "$@"
	_st=$(awk '{ print $NF }' "$T/bounded")
	return "${_st:-2}"
}

# --- the whole-process runs -----------------------------------------------------------------
pki >&2 || die "cannot build the test PKI"
CLIENT_ID=3MVG9TESTCLIENTID
USER_NAME=ci@example.com
SF=$(command -v sf 2>/dev/null || true)
SF_HOME=$T/sf-home
mkdir -p "$SF_HOME"
# The Google profile: a service account's key file (google_credentials: the test PKI's app.key,
# its token_uri the Google endpoint's) and one scope.
GKEY=$T/google-key.json
GSCOPE=https://www.googleapis.com/auth/cloud-platform
GCONTENDERS="jwtgrant-google peer-google"
vname() { # CONTENDER — the name of its variables: jwtgrant-google -> jwtgrant_google
	echo "$1" | tr - _
}

# measured NAME — run contender NAME once under measure and once under GNU time (appending to
# $DEST/NAME.measure and $DEST/NAME.gnutime), output in $T/NAME.out and $T/NAME.err. Each command
# is exec'd directly, with no shell in between that would add its own CPU time and memory.
measured() {
	_name=$1
	case $_name in
	jwtgrant)
		set -- "$JG" grant --client-id "$CLIENT_ID" --jwt-key-file "$PKI/app.key" \
			--username "$USER_NAME" --instance-url "$MOCK_URL" --cacert "$PKI/ca.crt" ;;
	peer)
		set -- tests/bench/peer.sh "$PKI/app.key" "$CLIENT_ID" "$USER_NAME" "$MOCK_URL" \
			"$PKI/ca.crt" ;;
	jwtgrant-google)
		set -- "$JG" grant --provider google --credentials "$GKEY" --scope "$GSCOPE" \
			--cacert "$PKI/ca.crt" ;;
	peer-google) set -- tests/bench/peer_google.sh "$GKEY" "$GSCOPE" "$PKI/ca.crt" ;;
	empty) set -- "$BIN/empty" ;;
	sf)
		set -- env HOME="$SF_HOME" NODE_EXTRA_CA_CERTS="$PKI/ca.crt" SF_AUTOUPDATE_DISABLE=true \
			SF_DISABLE_TELEMETRY=true SFDX_DISABLE_TELEMETRY=true \
			SF_USE_GENERIC_UNIX_KEYCHAIN=true "$SF" org login jwt --client-id "$CLIENT_ID" \
			--jwt-key-file "$PKI/app.key" --username "$USER_NAME" --instance-url "$MOCK_URL" ;;
	esac
	"$MEASURE" "$DEST/$_name.measure" "$TMO" "$@" < /dev/null > "$T/$_name.out" 2> "$T/$_name.err"
	bounded "$TMO" "$GNU_TIME" -q -f '%e %U %S %M %x' -a -o "$DEST/$_name.gnutime" "$@" \
		< /dev/null > /dev/null 2>&1
	# The exact peak (VmHWM at exit, under ptrace) of the single-process contenders.
	case $_name in
	jwtgrant | jwtgrant-google | empty)
		bounded "$TMO" "$BIN/hwm" "$DEST/$_name.hwm" "$@" < /dev/null > /dev/null 2>&1 ;;
	esac
}
last_status() { # FILE — the status of its last line
	tail -n 1 "$1" 2>/dev/null | awk '{ print $NF }'
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)
started=$(date +%s)
JWTGRANT_MOCK_MAX_LIFE=600 start_mock >&2 || die "the local token endpoint did not start"
JWTGRANT_MOCK_MAX_LIFE=600 start_google_mock >&2 || die "the local Google token endpoint did not start"
google_credentials "$GKEY" "$GMOCK_URL" || die "cannot write the Google key file"
say "token endpoints at $MOCK_URL and $GMOCK_URL; warm-up"
contenders="jwtgrant peer empty"
DEST=$T/warm
mkdir -p "$DEST"
for name in jwtgrant peer empty $GCONTENDERS; do
	i=0
	while [ $i -lt "$WARMUP" ] || [ $i -eq 0 ]; do
		measured "$name"
		i=$((i + 1))
	done
	if [ "$(last_status "$DEST/$name.measure")" != 0 ]; then
		say "$name fails against the token endpoint (status $(last_status "$DEST/$name.measure")):"
		head -n 5 "$T/$name.err" >&2
		die "cannot measure a failing $name"
	fi
done
grep -q '^Successfully authorized' "$T/jwtgrant.out" || die "jwtgrant grant printed no success line"
grep -q '^Successfully authorized' "$T/peer.out" || die "peer.sh printed no success line"
gline="^Obtained an access token for $GEMAIL (google), expires [0-9]"
grep -q "$gline" "$T/jwtgrant-google.out" || die "jwtgrant grant --provider google printed no success line"
grep -q "$gline" "$T/peer-google.out" || die "peer_google.sh printed no success line"

if [ -n "$SF" ] && [ "$SF_RUNS" -gt 0 ]; then
	measured sf
	if [ "$(last_status "$DEST/sf.measure")" = 0 ]; then
		contenders="$contenders sf"
	else
		note "sf ($SF) is on PATH but its grant against the local endpoint failed (exit $(last_status "$DEST/sf.measure"): $(grep -v '^[[:space:]]*$' "$T/sf.err" | head -n 1 | cut -c1-160)); not measured."
		SF=
	fi
elif [ -z "$SF" ]; then
	note "sf is not on PATH: not measured (installing it is not the bench's job)."
fi

say "$RUNS interleaved rounds of: $contenders $GCONTENDERS"
DEST=$RAW
round=1
while [ "$round" -le "$RUNS" ]; do
	order="$contenders $GCONTENDERS"
	[ $((round % 2)) -eq 0 ] && order=$(echo $order | tr ' ' '\n' | sed '1!G;h;$!d' | tr '\n' ' ')
	for name in $order; do
		[ "$name" = sf ] && [ "$round" -gt "$SF_RUNS" ] && continue
		measured "$name"
		if [ "$(last_status "$DEST/$name.measure")" != 0 ] && [ ! -f "$RAW/$name.failure" ]; then
			cp "$T/$name.err" "$RAW/$name.failure"
		fi
	done
	round=$((round + 1))
done
gtls_of() { # USER-AGENT-PREFIX — what that client negotiated with the Google endpoint
	grep "\"User-Agent\",\"$1" "$GMOCK_LOG" 2> /dev/null | head -n 1 |
		sed -n 's/.*"tls":"\([^"]*\)","cipher":"\([^"]*\)".*/\1 \2/p'
}
gtls_jwtgrant=$(gtls_of jwtgrant/) gtls_curl=$(gtls_of curl/)
ggranted=$(grep -c '"verdict":"granted"' "$GMOCK_LOG" 2> /dev/null)
stop_google_mock

# --- token reuse: a reused grant beside a fresh one; 20 grants started at once ----------------
# The reused grant answers from the token cache: the endpoint's request count does not move, and
# it succeeds in a network namespace of its own (unshare -n: only a loopback that is down), where
# a fresh grant cannot connect at all.
REUSE_CACHE=$T/reuse-cache
reuse_grant() { # ARGS... — a grant of the bench's request with these options added
	"$JG" grant --client-id "$CLIENT_ID" --jwt-key-file "$PKI/app.key" --username "$USER_NAME" \
		--instance-url "$MOCK_URL" --cacert "$PKI/ca.crt" "$@"
}
say "token reuse: $RUNS reused grants, then 20 grants at once"
reuse_grant --reuse 3600 --cache-dir "$REUSE_CACHE" < /dev/null > /dev/null 2>&1 ||
	note "the grant that fills the token cache failed"
reuse_before=$(mock_token_requests)
i=0
while [ $i -lt "$RUNS" ]; do
	"$MEASURE" "$RAW/reused.measure" "$TMO" "$JG" grant --client-id "$CLIENT_ID" \
		--jwt-key-file "$PKI/app.key" --username "$USER_NAME" --instance-url "$MOCK_URL" \
		--cacert "$PKI/ca.crt" --reuse 3600 --cache-dir "$REUSE_CACHE" < /dev/null > /dev/null 2>&1
	i=$((i + 1))
done
reused_requests=$(($(mock_token_requests) - reuse_before))
wall_reused=$(stats "$RAW/reused.measure" wall)
cpu_reused=$(stats "$RAW/reused.measure" cpu)
netns_reused=n/a netns_fresh=n/a
if unshare -n true 2> /dev/null; then
	bounded "$TMO" unshare -n "$JG" grant --client-id "$CLIENT_ID" --jwt-key-file "$PKI/app.key" \
		--username "$USER_NAME" --instance-url "$MOCK_URL" --cacert "$PKI/ca.crt" --reuse 3600 \
		--cache-dir "$REUSE_CACHE" < /dev/null > "$T/netns.out" 2> "$T/netns.err"
	netns_reused=$?
	bounded "$TMO" unshare -n "$JG" grant --client-id "$CLIENT_ID" --jwt-key-file "$PKI/app.key" \
		--username "$USER_NAME" --instance-url "$MOCK_URL" --cacert "$PKI/ca.crt" --max-time 5 \
		< /dev/null > /dev/null 2> "$T/netns-fresh.err"
	netns_fresh=$?
else
	note "unshare -n is not allowed here: the no-network run of a reused grant was not made."
fi

# parallel LABEL CMD... — 20 copies of CMD started together: "WALL_MS REQUESTS FAILED DISTINCT"
# (the endpoint's token requests meanwhile, the copies that failed, distinct stdouts).
parallel() {
	_label=$1
	shift
	_before=$(mock_token_requests) _t0=$(ms_now) _pids='' _i=0
	while [ $_i -lt 20 ]; do
		"$@" < /dev/null > "$T/par-$_label.$_i" 2> /dev/null &
		_pids="$_pids $!"
		_i=$((_i + 1))
	done
	_failed=0
	for _p in $_pids; do
		wait "$_p" || _failed=$((_failed + 1))
	done
	_t1=$(ms_now)
	echo "$((_t1 - _t0)) $(($(mock_token_requests) - _before)) $_failed $(cat "$T/par-$_label".* | sort -u | wc -l)"
}
par_reuse=$(parallel reuse "$JG" grant --client-id "$CLIENT_ID" --jwt-key-file "$PKI/app.key" \
	--username "$USER_NAME" --instance-url "$MOCK_URL" --cacert "$PKI/ca.crt" --reuse 600 \
	--cache-dir "$T/parallel-cache" --output token)
par_fresh=$(parallel fresh "$JG" grant --client-id "$CLIENT_ID" --jwt-key-file "$PKI/app.key" \
	--username "$USER_NAME" --instance-url "$MOCK_URL" --cacert "$PKI/ca.crt" --output token)
par_peer=$(parallel peer tests/bench/peer.sh "$PKI/app.key" "$CLIENT_ID" "$USER_NAME" "$MOCK_URL" \
	"$PKI/ca.crt")

# What TLS each contender negotiated with the endpoint (its log names the User-Agent).
tls_of() { # USER-AGENT-PREFIX — "TLSv1.2 ECDHE-RSA-AES256-GCM-SHA384" from the mock's log
	grep "\"User-Agent\",\"$1" "$MOCK_LOG" 2> /dev/null | head -n 1 |
		sed -n 's/.*"tls":"\([^"]*\)","cipher":"\([^"]*\)".*/\1 \2/p'
}
tls_jwtgrant=$(tls_of jwtgrant/) tls_curl=$(tls_of curl/)
granted=$(grep -c '"verdict":"granted"' "$MOCK_LOG" 2> /dev/null)

say "$HANDSHAKES TLS handshakes"
handshake=$(bounded 120 "$BIN/micro" handshake "$MOCK_PORT" "$PKI/ca.crt" "$HANDSHAKES" 2> "$T/hs.err") ||
	{ note "TLS handshake micro-benchmark failed: $(head -n 1 "$T/hs.err")"; handshake=; }
stop_mock

# The handshake by suite: an endpoint offering only SUITE (TLS 1.2, sf_mock.py --ciphers), an
# ECDSA P-256 certificate for the ECDHE-ECDSA suites. One line per suite in $T/hs_suites:
# "SUITE NEGOTIATED CPU_MEDIAN CPU_MIN CPU_MAX WALL_MEDIAN WALL_MIN WALL_MAX|CODE", NEGOTIATED
# as the endpoint logged it and CODE the record code jwtgrant -v names for it.
HS_SUITES="ECDHE-RSA-AES128-GCM-SHA256 ECDHE-RSA-CHACHA20-POLY1305 ECDHE-RSA-AES128-SHA256
	ECDHE-ECDSA-AES128-GCM-SHA256"
: > "$T/hs_suites"
handshake_suite() { # SUITE
	case $1 in
	ECDHE-ECDSA-*) set -- "$1" --cert "$PKI/server-ec.crt" --key "$PKI/server-ec.key" ;;
	esac
	say "$HANDSHAKES TLS handshakes, $1 only"
	JWTGRANT_MOCK_MAX_LIFE=300 start_mock --ciphers "$@" >&2 ||
		{ note "no endpoint offering only $1"; return; }
	_line=$(bounded 120 "$BIN/micro" handshake "$MOCK_PORT" "$PKI/ca.crt" "$HANDSHAKES" 2> "$T/hs.err") ||
		{ note "TLS handshake micro-benchmark with $1 failed: $(head -n 1 "$T/hs.err")"; _line=; }
	bounded "$TMO" "$JG" grant --client-id "$CLIENT_ID" --jwt-key-file "$PKI/app.key" \
		--username "$USER_NAME" --instance-url "$MOCK_URL" --cacert "$PKI/ca.crt" -v \
		< /dev/null > /dev/null 2> "$T/hs-v.err"
	stop_mock
	_got=$(sed -n 's/.*"cipher":"\([^"]*\)".*/\1/p' "$MOCK_LOG" | sort -u | tr '\n' ' ')
	_code=$(sed -n 's/^\* TLS 1\.2 connection using [^ ]* (\(.*\))$/\1/p' "$T/hs-v.err")
	[ -n "$_line" ] && echo "$1 ${_got:-?} $(echo "$_line" | cut -d' ' -f2-)|${_code:-?}" >> "$T/hs_suites"
}
for suite in $HS_SUITES; do
	handshake_suite "$suite"
done

# --- signing, openssl speed, keygen -----------------------------------------------------------
key_for() { # BITS — a PKCS#8 RSA key of that size (2048: the test PKI's; others made once)
	if [ "$1" = 2048 ]; then
		echo "$PKI/app.key"
		return
	fi
	_k=$OUT/keys/rsa$1.pem
	if [ ! -s "$_k" ]; then
		openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:$1" -out "$_k.tmp" 2>/dev/null &&
			mv "$_k.tmp" "$_k"
	fi
	echo "$_k"
}
SIZES="2048 3072 4096"
for bits in $SIZES; do
	say "RS256 signing, $bits bits ($SIGNS signatures)"
	line=$(bounded 120 "$BIN/micro" sign "$(key_for "$bits")" "$SIGNS" 2> "$T/sign.err") ||
		{ note "signing with a $bits-bit key failed: $(head -n 1 "$T/sign.err")"; line=; }
	eval "sign_$bits=\$line"
done

say "openssl speed -seconds $SPEED_SECONDS rsa2048 rsa3072 rsa4096"
bounded 120 openssl speed -mr -seconds "$SPEED_SECONDS" rsa2048 rsa3072 rsa4096 \
	> "$RAW/openssl-speed.txt" 2>&1 || note "openssl speed failed or timed out (see $RAW/openssl-speed.txt)"
for bits in $SIZES; do
	# "+F2:INDEX:BITS:SIGN_PER_S:VERIFY_PER_S"
	v=$(awk -F: -v b="$bits" '$1 == "+F2" && $3 == b && $4 > 0 { printf "%.1f", 1e6 / $4 }' \
		"$RAW/openssl-speed.txt")
	eval "ossl_$bits=\$v"
done

KG=$T/keygen
mkdir -p "$KG"
keygen_ok=1
if ! bounded 120 "$JG" keygen --bits 2048 --key-out "$KG/probe.key" --cert-out "$KG/probe.crt" \
	--force > "$T/kg.out" 2> "$T/kg.err" || [ ! -s "$KG/probe.key" ]; then
	keygen_ok=0
	note "keygen unavailable: \`jwtgrant keygen --bits 2048\` failed ($(grep -v '^[[:space:]]*$' "$T/kg.err" | head -n 1 | cut -c1-160))."
fi
if [ $keygen_ok = 1 ]; then
	for bits in $SIZES; do
		say "keygen, $bits bits ($KEYGEN_RUNS runs)"
		i=0
		while [ $i -lt "$KEYGEN_RUNS" ]; do
			rm -f "$KG/k.pem" "$KG/c.pem"
			"$MEASURE" "$RAW/keygen$bits.measure" 120 "$JG" keygen --bits "$bits" \
				--key-out "$KG/k.pem" --cert-out "$KG/c.pem" --force > /dev/null 2> "$T/kg.err"
			i=$((i + 1))
		done
	done
fi

# --- an encrypted key: PBKDF2 ----------------------------------------------------------------
# The same key, PBES2 with PBKDF2-HMAC-SHA256 (600,000 iterations, keygen --encrypt's default)
# and AES-256-CBC, opened by `jwtgrant check` and by `openssl pkey`, interleaved; nearly all of
# either is the PBKDF2 loop (openssl with the CPU's SHA extensions where it has them, jwtgrant
# with BearSSL's portable SHA-256).
ENC=$T/encrypted
mkdir -p "$ENC"
decrypt_ok=1
export JG_BENCH_PASSPHRASE=bench-passphrase-not-secret
if ! openssl pkcs8 -topk8 -in "$PKI/app.key" -v2 aes-256-cbc -v2prf hmacWithSHA256 -iter 600000 \
	-passout env:JG_BENCH_PASSPHRASE -out "$ENC/key.p8" 2> "$T/enc.err"; then
	decrypt_ok=0
	note "the encrypted key could not be made: $(head -n 1 "$T/enc.err")"
fi
if [ $decrypt_ok = 1 ]; then
	say "opening a 600,000-iteration PBES2 key ($DECRYPT_RUNS rounds): jwtgrant check, openssl pkey"
	i=0
	while [ $i -lt "$DECRYPT_RUNS" ]; do
		"$MEASURE" "$RAW/decrypt_jwtgrant.measure" 120 "$JG" check --jwt-key-file "$ENC/key.p8" \
			--passphrase-env JG_BENCH_PASSPHRASE < /dev/null > /dev/null 2> "$T/dec.err"
		"$MEASURE" "$RAW/decrypt_openssl.measure" 120 openssl pkey -in "$ENC/key.p8" \
			-passin env:JG_BENCH_PASSPHRASE -noout < /dev/null > /dev/null 2>> "$T/dec.err"
		i=$((i + 1))
	done
fi
for who in jwtgrant openssl; do
	eval "decrypt_wall_$who=\$(stats \"\$RAW/decrypt_\$who.measure\" wall)"
	eval "decrypt_cpu_$who=\$(stats \"\$RAW/decrypt_\$who.measure\" cpu)"
done

# --- sizes ----------------------------------------------------------------------------------
say "sizes and the link map"
stripped_size() { # FILE — bytes of a stripped copy (the file's own size when strip refuses it)
	if strip -o "$T/stripped" "$1" 2> /dev/null; then
		wc -c < "$T/stripped" | tr -d ' '
	else
		wc -c < "$1" | tr -d ' '
	fi
	rm -f "$T/stripped"
}
dependencies() { # PROGRAM — the program and every shared library ldd resolves, one real path a line
	_p=$(command -v "$1") || return 1
	readlink -f "$_p"
	ldd "$_p" 2> /dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3; next } $1 ~ /^\// { print $1 }' |
		while read -r _f; do readlink -f "$_f"; done
}
sum_stripped() { # < PATHS — "BYTES FILES" over the distinct files
	sort -u | { _sb=0 _sn=0
		while read -r _f; do
			[ -f "$_f" ] || continue
			_sb=$((_sb + $(stripped_size "$_f")))
			_sn=$((_sn + 1))
		done
		echo "$_sb $_sn"; }
}
jg_size=$(stripped_size "$JG")
jg_file_size=$(wc -c < "$JG" | tr -d ' ')
curl_size=$(dependencies curl | sum_stripped)
openssl_size=$(dependencies openssl | sum_stripped)
peer_size=$({ dependencies curl; dependencies openssl; } | sum_stripped)
jg_linkage=static # no program interpreter: static (static-pie included)
readelf -l "$JG" 2> /dev/null | grep -q 'program interpreter' && jg_linkage=dynamic

# The release link again, as the Makefile does it, plus a map: $(CC) $(CFLAGS_OURS) -o $@ $^
# $(LDFLAGS) with $^ = main.o cjson.o libjg.a libbearssl.a.
MAP=$OUT/jwtgrant.map
relinked=$OUT/jwtgrant.relinked
$CC $CFLAGS -o "$relinked" build/release/obj/main.o $REL $LDFLAGS -Wl,-Map="$MAP" >&2 ||
	note "the relink for the link map failed"
relinked_size=$(wc -c < "$relinked" 2> /dev/null | tr -d ' ')
if [ "${relinked_size:-0}" != "$jg_file_size" ]; then
	note "the relinked binary is $(group "${relinked_size:-0}") bytes but ./jwtgrant is $(group "$jg_file_size"): ./jwtgrant may be stale (run make); the split describes the relink."
fi

# Who defines what, for the sections of an LTO link: lto-dump lists the functions and variables
# (static ones too) that each input object defines. Cached until the objects change.
SYMS=$OUT/symbols.txt
if [ ! -s "$SYMS" ] || [ -n "$(find build/release/libjg.a build/release/libbearssl.a \
	build/release/cjson.o build/release/obj/main.o -newer "$SYMS" 2> /dev/null)" ]; then
	: > "$SYMS.tmp"
	if command -v lto-dump > /dev/null 2>&1; then
		mkdir -p "$T/ar/jg" "$T/ar/br"
		(cd "$T/ar/jg" && ar x "$JG_TOP/build/release/libjg.a")
		(cd "$T/ar/br" && ar x "$JG_TOP/build/release/libbearssl.a")
		for o in "$T"/ar/jg/*.o build/release/obj/main.o "$T"/ar/br/*.o build/release/cjson.o; do
			case $o in
			*/anchors_embedded.o) g=anchors ;;
			*/ar/br/*) g=bearssl ;;
			*/cjson.o) g=cjson ;;
			*) g=ours ;;
			esac
			lto-dump -list -defined-only "$o" 2> /dev/null |
				awk -v g="$g" '($1 == "function" || $1 == "variable") && NF >= 4 { print g, $NF }'
		done >> "$SYMS.tmp"
		rm -rf "$T/ar"
	fi
	mv "$SYMS.tmp" "$SYMS"
fi
if [ ! -s "$SYMS" ] && grep -q 'ltrans' "$MAP" 2> /dev/null; then
	note "lto-dump (GCC) is not installed: LTO sections are attributed by name prefix only (br_, cJSON, the anchor index), the rest shows as no owner."
fi
awk -v file_size="${relinked_size:-0}" -v top_file="$T/top" -v top_count=12 \
	-f tests/bench/sizesplit.awk "$SYMS" "$MAP" > "$T/split" 2> "$T/split.err" ||
	note "the link map could not be read: $(head -n 1 "$T/split.err")"

# How much of a small process each RSS figure can see: a static program writing N KiB.
calibration=
for kib in 0 64 128 256 512 1024; do
	: > "$T/touch.measure"
	: > "$T/touch.gnutime"
	"$MEASURE" "$T/touch.measure" 10 "$BIN/touch" "$kib"
	bounded 10 "$GNU_TIME" -q -f '%e %U %S %M %x' -o "$T/touch.gnutime" "$BIN/touch" "$kib"
	calibration="$calibration${calibration:+; }$kib → $(field 4 "$(cat "$T/touch.measure")") / $(field 4 "$(cat "$T/touch.gnutime")")"
done

load_after=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)

# --- the report -----------------------------------------------------------------------------
for name in jwtgrant peer empty sf; do
	eval "wall_$name=\$(stats \"\$RAW/\$name.measure\" wall)"
	eval "cpu_$name=\$(stats \"\$RAW/\$name.measure\" cpu)"
	eval "rss_$name=\$(stats \"\$RAW/\$name.measure\" rss)"
	eval "gtrss_$name=\$(stats \"\$RAW/\$name.gnutime\" gtrss)"
	eval "hwm_$name=\$(stats \"\$RAW/\$name.hwm\" rss)"
	eval "hwmfile_$name=\$(stats \"\$RAW/\$name.hwm\" file)"
	eval "hwmanon_$name=\$(stats \"\$RAW/\$name.hwm\" anon)"
done
label_jwtgrant='jwtgrant grant'
label_peer='curl + openssl script'
label_empty='empty static program'
label_sf='sf org login jwt'
for name in $GCONTENDERS; do
	v=$(vname "$name")
	eval "wall_$v=\$(stats \"\$RAW/\$name.measure\" wall)"
	eval "cpu_$v=\$(stats \"\$RAW/\$name.measure\" cpu)"
	eval "rss_$v=\$(stats \"\$RAW/\$name.measure\" rss)"
	eval "gtrss_$v=\$(stats \"\$RAW/\$name.gnutime\" gtrss)"
	eval "hwm_$v=\$(stats \"\$RAW/\$name.hwm\" rss)"
done
label_jwtgrant_google='jwtgrant grant --provider google'
label_peer_google='curl + openssl script (Google)'

# One table row: LABEL then the cells of each contender, then the jwtgrant/peer (and /sf) ratio.
table_row() { # LABEL KIND — KIND: wall cpu rss gtrss runs
	_cells="| $1 |"
	for _c in $contenders; do
		case $2 in
		wall) eval "_v=\$(range_ms \"\$wall_$_c\")" ;;
		cpu) eval "_v=\$(range_ms \"\$cpu_$_c\")" ;;
		rss) eval "_v=\$(range_kib \"\$rss_$_c\")" ;;
		gtrss) eval "_v=\$(range_kib \"\$gtrss_$_c\")" ;;
		hwm) eval "_v=\$(range_kib \"\$hwm_$_c\")" ;;
		runs) _v="$(ok_count "$RAW/$_c.measure") ok" ;;
		esac
		_cells="$_cells $_v |"
	done
	for _c in peer sf; do
		case " $contenders " in *" $_c "*) ;; *) continue ;; esac
		case $2 in
		wall | cpu | rss | gtrss)
			eval "_a=\$(field 1 \"\$${2}_jwtgrant\") _b=\$(field 1 \"\$${2}_$_c\")"
			_cells="$_cells $(ratio "$_a" "$_b") |" ;;
		*) _cells="$_cells |" ;;
		esac
	done
	echo "$_cells"
}

# One row of a two-contender table: LABEL, then A's cell, B's cell and the A / B ratio of the
# medians. A and B are variable names (jwtgrant_google, peer_google).
pair_row() { # LABEL KIND A B — KIND: wall cpu rss gtrss hwm runs
	_cells="| $1 |"
	for _c in "$3" "$4"; do
		case $2 in
		wall | cpu) eval "_v=\$(range_ms \"\$${2}_$_c\")" ;;
		rss | gtrss | hwm) eval "_v=\$(range_kib \"\$${2}_$_c\")" ;;
		runs) _v="$(ok_count "$RAW/$(echo "$_c" | tr _ -).measure") ok" ;;
		esac
		_cells="$_cells $_v |"
	done
	case $2 in
	wall | cpu | rss | gtrss)
		eval "_a=\$(field 1 \"\$${2}_$3\") _b=\$(field 1 \"\$${2}_$4\")"
		_cells="$_cells $(ratio "$_a" "$_b") |" ;;
	*) _cells="$_cells |" ;;
	esac
	echo "$_cells"
}

micro_cell() { # LINE FIELD — a field of a micro output line, "n/a" when there is none
	if [ -n "$1" ]; then field "$2" "$1"; else echo "n/a"; fi
}
sign_cell() { # BITS — jwtgrant's median µs per signature, "1,185"
	eval "_l=\$sign_$1"
	if [ -n "$_l" ]; then group "$(fmt '%.0f' "$(field 3 "$_l")")"; else echo "n/a"; fi
}
ossl_cell() { # BITS — openssl's µs per signature
	eval "_v=\$ossl_$1"
	if [ -n "$_v" ]; then group "$(fmt '%.0f' "$_v")"; else echo "n/a"; fi
}
keygen_cell() { # BITS KIND — KIND wall (s, median (min–max)) or cpu (s, median)
	[ $keygen_ok = 1 ] || { echo "n/a (keygen unavailable)"; return; }
	_s=$(stats "$RAW/keygen$1.measure" "$2")
	[ "$(field 4 "$_s")" -gt 0 ] || { echo "n/a (keygen failed)"; return; }
	if [ "$2" = wall ]; then
		echo "$_s" | awk '{ printf "%.2f s (%.2f–%.2f)", $1 / 1e6, $2 / 1e6, $3 / 1e6 }'
	else
		echo "$_s" | awk '{ printf "%.2f s", $1 / 1e6 }'
	fi
}

goal() { # MET(0/1) TEXT
	if [ "$1" = 1 ]; then
		echo "- **met**: $2"
		goals_met=$((goals_met + 1))
	else
		echo "- **missed**: $2"
		goals_missed=$((goals_missed + 1))
	fi
}

noise_check() { # NAME — a note when the spread of its wall times exceeds NOISE_FACTOR
	eval "_s=\$wall_$1 _l=\$label_$1"
	[ "$(field 4 "$_s")" -gt 1 ] || return 0
	_spread=$(awk -v a="$(field 3 "$_s")" -v b="$(field 2 "$_s")" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print 0 }')
	if awk -v s="$_spread" -v f="$NOISE_FACTOR" 'BEGIN { exit !(s > f) }'; then
		noisy=1
		note "**noisy**: $_l's wall times spread ${_spread}× (max/min) over $(field 4 "$_s") runs, above the ${NOISE_FACTOR}× this bench accepts: other work shared the machine (load average $load_before before, $load_after after). The medians stand; read the ranges."
	fi
}
noisy=0
for name in $contenders; do
	[ "$name" = empty ] || noise_check "$name"
done
for name in $GCONTENDERS; do
	noise_check "$(vname "$name")"
done
for name in $contenders $GCONTENDERS; do
	f=$RAW/$name.failure
	[ -f "$f" ] && note "$name failed in $(awk 'NF >= 5 && $NF != 0' "$RAW/$name.measure" | wc -l | tr -d ' ') measured run(s), left out of its figures; the first failure said: $(grep -v '^[[:space:]]*$' "$f" | head -n 1 | cut -c1-160)"
done

elapsed=$(($(date +%s) - started))
{
	echo "# jwtgrant bench"
	echo
	echo "$("$JG" --version 2>/dev/null | head -n 1 | cut -c1-100), $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc 2>/dev/null || echo '?') CPUs ($(uname -sr)); load average $load_before before, $load_after after; the bench took ${elapsed} s."
	echo
	echo "## One grant, the whole process"
	echo
	echo "$RUNS interleaved rounds after $WARMUP warm-up runs each (order reversed every other round), against the project's local token endpoint (tests/mock/sf_mock.py on 127.0.0.1, TLS 1.2/1.3, the JWT verified with the openssl CLI). Figures: median (min–max)."
	echo
	_h="| per run |" _s="|---|"
	for _c in $contenders; do
		eval "_h=\"\$_h \$label_$_c |\""
		_s="$_s---:|"
	done
	for _c in peer sf; do
		case " $contenders " in *" $_c "*) ;; *) continue ;; esac
		_h="$_h jwtgrant / $_c |"
		_s="$_s---:|"
	done
	echo "$_h"
	echo "$_s"
	table_row "wall time" wall
	table_row "user+sys CPU" cpu
	table_row "peak RSS, GNU time %M" gtrss
	table_row "peak RSS, measure (wait4, no GNU time)" rss
	table_row "peak RSS, exact (VmHWM at exit, ptrace; one process only)" hwm
	table_row "runs" runs
	echo
	echo "### The Google profile"
	echo
	echo "In the same rounds, a Google service account's grant against the project's local Google token endpoint (tests/mock/google_mock.py on 127.0.0.1, which verifies the JWT as sf_mock.py does), from one JSON key file (RSA-2048, scope cloud-platform): \`jwtgrant grant --provider google\` beside tests/bench/peer_google.sh, the same grant with sed, printf, openssl, curl and a temporary key file. Figures: median (min–max)."
	echo
	echo "| per run | $label_jwtgrant_google | $label_peer_google | jwtgrant / script |"
	echo "|---|---:|---:|---:|"
	pair_row "wall time" wall jwtgrant_google peer_google
	pair_row "user+sys CPU" cpu jwtgrant_google peer_google
	pair_row "peak RSS, GNU time %M" gtrss jwtgrant_google peer_google
	pair_row "peak RSS, measure (wait4, no GNU time)" rss jwtgrant_google peer_google
	pair_row "peak RSS, exact (VmHWM at exit, ptrace; one process only)" hwm jwtgrant_google peer_google
	pair_row "runs" runs jwtgrant_google peer_google
	echo
	[ -n "$gtls_jwtgrant$gtls_curl" ] && echo "TLS negotiated with the Google endpoint: jwtgrant ${gtls_jwtgrant:-?}, curl ${gtls_curl:-?}; it granted ${ggranted:-?} token requests in all, warm-up runs included." && echo
	echo "## Token reuse"
	echo
	echo "A grant answered from the token cache (\`--reuse 3600\`, filled by one grant first) beside a fresh grant, $RUNS runs each, median (min–max):"
	echo
	echo "| per run | fresh grant | reused grant | reused / fresh |"
	echo "|---|---:|---:|---:|"
	echo "| wall time | $(range_ms "$wall_jwtgrant") | $(range_ms "$wall_reused") | $(ratio "$(field 1 "$wall_reused")" "$(field 1 "$wall_jwtgrant")") |"
	echo "| user+sys CPU | $(range_ms "$cpu_jwtgrant") | $(range_ms "$cpu_reused") | $(ratio "$(field 1 "$cpu_reused")" "$(field 1 "$cpu_jwtgrant")") |"
	echo "| runs | $(ok_count "$RAW/jwtgrant.measure") | $(ok_count "$RAW/reused.measure") | |"
	echo
	echo "No network connection: the endpoint logged $reused_requests token requests during the $RUNS reused grants. In a network namespace of its own (\`unshare -n\`: no interface up), the reused grant exited $netns_reused$([ -s "$T/netns.out" ] && echo " and printed \"$(head -n 1 "$T/netns.out" | cut -c1-80)\""), a fresh grant exited $netns_fresh$([ -s "$T/netns-fresh.err" ] && echo " (\"$(head -n 1 "$T/netns-fresh.err" | cut -c1-100)\")")."
	echo
	echo "20 grants of one request started at once (each its own process), wall time from the first start to the last exit:"
	echo
	echo "| 20 at once | wall | token requests the endpoint saw | failed | distinct stdouts |"
	echo "|---|---:|---:|---:|---:|"
	echo "| jwtgrant grant --reuse 600 (empty cache) | $(field 1 "$par_reuse") ms | $(field 2 "$par_reuse") | $(field 3 "$par_reuse") | $(field 4 "$par_reuse") |"
	echo "| jwtgrant grant (no reuse) | $(field 1 "$par_fresh") ms | $(field 2 "$par_fresh") | $(field 3 "$par_fresh") | $(field 4 "$par_fresh") |"
	echo "| curl + openssl script | $(field 1 "$par_peer") ms | $(field 2 "$par_peer") | $(field 3 "$par_peer") | $(field 4 "$par_peer") |"
	echo
	echo "## Micro figures"
	echo
	echo "| | 2048 bits | 3072 bits | 4096 bits |"
	echo "|---|---:|---:|---:|"
	echo "| RS256 sign, jwtgrant (jg_jwt_sign, CPU µs, median of $SIGNS) | $(sign_cell 2048) | $(sign_cell 3072) | $(sign_cell 4096) |"
	echo "| RSA sign, \`openssl speed\` (µs = 1/sign/s) | $(ossl_cell 2048) | $(ossl_cell 3072) | $(ossl_cell 4096) |"
	echo "| jwtgrant / openssl | $(ratio "$(micro_cell "$sign_2048" 3)" "$ossl_2048") | $(ratio "$(micro_cell "$sign_3072" 3)" "$ossl_3072") | $(ratio "$(micro_cell "$sign_4096" 3)" "$ossl_4096") |"
	echo "| \`jwtgrant keygen\` wall, median of $KEYGEN_RUNS (min–max) | $(keygen_cell 2048 wall) | $(keygen_cell 3072 wall) | $(keygen_cell 4096 wall) |"
	echo "| \`jwtgrant keygen\` user+sys CPU, median | $(keygen_cell 2048 cpu) | $(keygen_cell 3072 cpu) | $(keygen_cell 4096 cpu) |"
	echo
	echo "Opening a PBES2 key (PBKDF2-HMAC-SHA256, 600,000 iterations, AES-256-CBC), median (min–max) of $DECRYPT_RUNS interleaved runs:"
	echo
	echo "| | wall | user+sys CPU | runs |"
	echo "|---|---:|---:|---:|"
	echo "| \`jwtgrant check --passphrase-env\` | $(range_ms "$decrypt_wall_jwtgrant") | $(range_ms "$decrypt_cpu_jwtgrant") | $(ok_count "$RAW/decrypt_jwtgrant.measure") |"
	echo "| \`openssl pkey -passin env:\` | $(range_ms "$decrypt_wall_openssl") | $(range_ms "$decrypt_cpu_openssl") | $(ok_count "$RAW/decrypt_openssl.measure") |"
	echo "| jwtgrant / openssl | $(ratio "$(field 1 "$decrypt_wall_jwtgrant")" "$(field 1 "$decrypt_wall_openssl")") | $(ratio "$(field 1 "$decrypt_cpu_jwtgrant")" "$(field 1 "$decrypt_cpu_openssl")") | |"
	echo
	if [ -n "$handshake" ]; then
		echo "TLS handshake (jg_tls_handshake, RSA-2048 server certificate, connect excluded), client CPU: median $(field 2 "$handshake") µs ($(field 3 "$handshake")–$(field 4 "$handshake")), wall $(field 5 "$handshake") µs ($(field 6 "$handshake")–$(field 7 "$handshake")) over $HANDSHAKES handshakes."
	else
		echo "TLS handshake: n/a (see the notes)."
	fi
	if [ -s "$T/hs_suites" ]; then
		echo
		echo "The handshake by suite, from an endpoint offering only that suite (TLS 1.2, X25519; connect excluded; $HANDSHAKES handshakes each):"
		echo
		echo "| suite offered | negotiated | certificate | record code (jwtgrant -v) | client CPU, median (min–max) | wall, median |"
		echo "|---|---|---|---|---:|---:|"
		while IFS='|' read -r _f _code; do
			set -- $_f
			case $1 in ECDHE-ECDSA-*) _cert="ECDSA P-256" ;; *) _cert="RSA-2048" ;; esac
			echo "| $1 | $2 | $_cert | $_code | $3 µs ($4–$5) | $6 µs |"
		done < "$T/hs_suites"
		echo
	fi
	if [ -n "$handshake" ] && [ -n "$sign_2048" ] && [ "$(field 4 "$cpu_jwtgrant")" -gt 0 ]; then
		awk -v total="$(field 1 "$cpu_jwtgrant")" -v sign="$(field 3 "$sign_2048")" \
			-v hs="$(field 2 "$handshake")" 'BEGIN {
			printf "Of jwtgrant'"'"'s %.2f ms of CPU per grant: RS256 signing %.2f ms, the TLS handshake %.2f ms, everything else (exec, key and CA loading, HTTP, JSON, output) %.2f ms.\n",
				total / 1000, sign / 1000, hs / 1000, (total - sign - hs) / 1000 }'
	fi
	echo
	echo "## Size"
	echo
	echo "| stripped, on disk | bytes | files |"
	echo "|---|---:|---:|"
	echo "| jwtgrant ($jg_linkage) | $(group "$jg_size") | 1 |"
	echo "| curl + its shared libraries (ldd) | $(group "$(field 1 "$curl_size")") | $(field 2 "$curl_size") |"
	echo "| openssl + its shared libraries (ldd) | $(group "$(field 1 "$openssl_size")") | $(field 2 "$openssl_size") |"
	echo "| curl + openssl, libraries counted once (the script's tools) | $(group "$(field 1 "$peer_size")") | $(field 2 "$peer_size") |"
	echo "| jwtgrant / (curl + openssl) | $(ratio "$jg_size" "$(field 1 "$peer_size")") | |"
	echo
	echo "### Where jwtgrant's bytes go"
	echo
	echo "From the link map of a relink with the Makefile's release command (\`$CC ... -o X build/release/obj/main.o $REL $LDFLAGS -Wl,-Map=$MAP\`, $(group "${relinked_size:-0}") bytes)."
	echo
	echo "| part | .text | .rodata | .data | file bytes | share | .bss (RAM only) |"
	echo "|---|---:|---:|---:|---:|---:|---:|"
	cat "$T/split" 2> /dev/null
	if [ -s "$T/top" ]; then
		echo
		echo "The largest input sections in the file:"
		echo
		echo "| section | part | column | bytes |"
		echo "|---|---|---|---:|"
		cat "$T/top"
	fi
	echo
	echo "## Goals"
	echo
	goals_met=0 goals_missed=0
	jw=$(field 1 "$wall_jwtgrant") pw=$(field 1 "$wall_peer")
	if [ "$(field 4 "$wall_jwtgrant")" -gt 0 ] && [ "$(field 4 "$wall_peer")" -gt 0 ]; then
		goal "$(awk -v a="$jw" -v b="$pw" 'BEGIN { print (a <= 0.20 * b) ? 1 : 0 }')" \
			"$(fmt 'wall time per grant ≤ 0.20 × the script'"'"'s: %.1f ms vs 0.20 × %.1f = %.1f ms (ratio %.2f)' \
				"$jw / 1000, $pw / 1000, 0.2 * $pw / 1000, $jw / $pw")"
	else
		goal 0 "wall time per grant ≤ 0.20 × the script's: no successful runs to compare"
	fi
	jc=$(field 1 "$cpu_jwtgrant") pc=$(field 1 "$cpu_peer")
	if [ "$(field 4 "$cpu_jwtgrant")" -gt 0 ] && [ "$(field 4 "$cpu_peer")" -gt 0 ]; then
		goal "$(awk -v a="$jc" -v b="$pc" 'BEGIN { print (a <= 0.15 * b) ? 1 : 0 }')" \
			"$(fmt 'user+sys CPU per grant ≤ 0.15 × the script'"'"'s: %.2f ms vs 0.15 × %.2f = %.2f ms (ratio %.2f)' \
				"$jc / 1000, $pc / 1000, 0.15 * $pc / 1000, $jc / $pc")"
	else
		goal 0 "user+sys CPU per grant ≤ 0.15 × the script's: no successful runs to compare"
	fi
	# Peak RSS is judged on VmHWM at exit (hwm), the exact figure; GNU time's %M is in the table.
	jx=$(field 1 "$hwm_jwtgrant") ex=$(field 1 "$hwm_empty")
	if [ "$(field 4 "$hwm_jwtgrant")" -gt 0 ] && [ "$(field 4 "$hwm_empty")" -gt 0 ]; then
		parts=$(fmt 'at exit, %d KiB of it were the binary'"'"'s own pages (RssFile: the kernel maps a file'"'"'s pages around each fault, so nearly the whole text is resident) and %d KiB anonymous (.bss, heap, stack)' \
			"$(field 1 "$hwmfile_jwtgrant"), $(field 1 "$hwmanon_jwtgrant")")
		goal "$(awk -v a="$jx" 'BEGIN { print (a <= 512) ? 1 : 0 }')" \
			"$(fmt 'peak RSS of a grant ≤ 512 KiB (VmHWM at exit, median): %d KiB' "$jx"); $parts"
		goal "$(awk -v a="$jx" -v e="$ex" 'BEGIN { print (a - e <= 256) ? 1 : 0 }')" \
			"$(fmt 'peak RSS within 256 KiB of the empty static program (VmHWM at exit, medians): %d KiB, empty %d KiB, %+d KiB' "$jx, $ex, $jx - $ex")"
	else
		goal 0 "peak RSS ≤ 512 KiB and within 256 KiB of the empty program: no VmHWM figures"
	fi
	dj=$(field 1 "$decrypt_wall_jwtgrant") dop=$(field 1 "$decrypt_wall_openssl")
	if [ "$(field 4 "$decrypt_wall_jwtgrant")" -gt 0 ] && [ "$(field 4 "$decrypt_wall_openssl")" -gt 0 ]; then
		goal "$(awk -v a="$dj" -v b="$dop" 'BEGIN { print (a <= 3 * b) ? 1 : 0 }')" \
			"$(fmt 'opening a 600,000-iteration PBES2 key ≤ 3 × openssl pkey'"'"'s time (wall, medians): %.0f ms vs 3 × %.0f = %.0f ms (ratio %.2f)' \
				"$dj / 1000, $dop / 1000, 3 * $dop / 1000, $dj / $dop")"
	else
		goal 0 "opening a 600,000-iteration PBES2 key ≤ 3 × openssl pkey's time: no successful runs to compare"
	fi
	goal "$([ "$jg_size" -le "$SIZE_CEILING" ] && echo 1 || echo 0)" \
		"stripped static binary ≤ $(group "$SIZE_CEILING") bytes (a ceiling, not a target): $(group "$jg_size") bytes ($(awk -v s="$jg_size" -v c="$SIZE_CEILING" 'BEGIN { d = s - c; if (d > 0) print d, "over"; else print -d, "to spare" }' | { read -r n w; echo "$(group "$n") $w"; }))$([ "$jg_linkage" = static ] || echo '; note: ./jwtgrant is dynamically linked')"
	echo
	echo "Summary: $goals_met of $((goals_met + goals_missed)) goals met$([ "$goals_missed" -gt 0 ] && echo ", $goals_missed missed")$([ $noisy = 1 ] && echo " (noisy machine: see the notes)")."
	echo
	echo "## Notes"
	echo
	cat "$NOTES"
	echo "- Wall time and CPU come from tests/bench/measure.c: monotonic time around fork…wait4, and wait4's rusage, which for the script includes every child it waited for (printf, openssl ×4, tr, date, curl, sed); GNU time's %e/%U/%S are the same numbers rounded to 10 ms, too coarse for a process of a few milliseconds, so they are kept in $RAW/*.gnutime only. Under this measure each command is exec'd directly, with no shell in between."
	echo "- Peak RSS is ru_maxrss: for one process its largest resident set; for the script it is the largest of any single process of the pipeline (the processes are not summed, and several run at once in a pipe). GNU time's %M reads the same field, but its own forked pages count before exec: that is most of the empty program's figure there (bearssl-notes #16). The row without GNU time is measure's (a small static program), which shows the programs alone, in the steps of the kernel's counters (next note)."
	echo "- RSS calibration, a static program writing N KiB of its .bss → peak RSS read by measure / by GNU time %M (KiB): $calibration. GNU time cannot show less than its own pre-exec footprint; measure sees the kernel's per-CPU RSS counters, folded in batches, so its figures move in steps (here: 64 KiB written reads as 0) and can be low by up to one step."
	[ -n "$tls_jwtgrant$tls_curl" ] && echo "- TLS negotiated with the endpoint: jwtgrant ${tls_jwtgrant:-?} (TLS 1.2 is BearSSL's highest), curl ${tls_curl:-?}. The endpoint granted ${granted:-?} token requests in all, warm-up runs included."
	echo "- Wall time per grant includes the token endpoint's own work (Python, and an openssl process to verify each JWT) on the same 2 CPUs: it is a floor under both contenders' wall times and makes their ratio look closer than their CPU ratio."
	echo "- RS256 signing is jwtgrant's whole assertion (claims, base64url, SHA-256, BearSSL RSA i62 CRT), CPU time per call; \`openssl speed\` reports RSA sign operations per second of CPU time with its assembly bignums. keygen runs are few and prime search is random: read their range."
	echo "- Raw per-run figures (wall µs, user µs, sys µs, max RSS KiB, status): $RAW/; the link map: $MAP."
} > "$REPORT.tmp"
mv "$REPORT.tmp" "$REPORT"
cat "$REPORT"
exit 0
