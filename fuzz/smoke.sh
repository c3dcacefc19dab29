#!/bin/sh
# Run the fuzz targets built by fuzz/fuzz.mk; prints one TAP line per target and a summary, and
# exits 1 when any target crashed, leaked, timed out or did not run.
#
#   fuzz/smoke.sh [--seconds N] [--build DIR] [--regress] [NAME...]
#
# Fuzzing (the default): each target runs for N seconds (30) on a copy of its corpus,
# DIR/corpus-run/NAME (the committed fuzz/corpus/NAME is never written), with the dictionary
# of its format from fuzz/dict/. Crashing inputs land in DIR/artifacts/NAME/, the output in
# DIR/logs/NAME.log. --regress instead runs each target once over every committed seed, which
# takes seconds: the regression check for inputs that once crashed.
set -u
seconds=30 build=build/fuzz regress=0
while [ $# -gt 0 ]; do
	case $1 in
	--seconds) seconds=$2; shift 2 ;;
	--build) build=$2; shift 2 ;;
	--regress) regress=1; shift ;;
	--) shift; break ;;
	-*) echo "smoke.sh: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
if [ $# -eq 0 ]; then
	for f in fuzz/fuzz_*.c; do
		n=${f#fuzz/fuzz_}
		set -- "$@" "${n%.c}"
	done
fi

# The longest input worth trying: past the size cap of what each target reads, so that the
# "too large" branches run too, or where the cap is far beyond any real input, past the biggest
# real one. libFuzzer's default (4096, or the largest seed) silently skipped what is bigger: an
# 8,192-bit key (issue 12) never reached the key loader.
#   key           an 8,192-bit key in every form (base64 of its PEM is ~8.6 KB)
#   http*, oauth, github  past JG_HTTP_ANSWER_MAX (65536), the answer cap
#   cert          past JG_CERT_DER_MAX (16384) as PEM
#   jwt           past JG_JWT_MAX (8192)
#   cache_entry   past JG_CACHE_ENTRY_MAX (16384)
#   trust         a CA file of several 4,096-bit certificates (the 4 MB cap is out of reach)
#   issuer        the start of the largest certificate the TLS layer reads
max_len() {
	case $1 in
	key) echo 16384 ;;
	http|http_head|http_chunked|http_connect|oauth|github) echo 66000 ;;
	cert|issuer) echo 24576 ;;
	jwt) echo 12288 ;;
	cache_entry) echo 17000 ;;
	trust) echo 32768 ;;
	*) echo 8192 ;;
	esac
}

# The dictionary of tokens a target's format is made of.
dict_of() {
	case $1 in
	http*) echo fuzz/dict/http.dict ;;
	oauth|github|jwt|cache_entry|google_account) echo fuzz/dict/json.dict ;;
	key|trust|cert) echo fuzz/dict/pem.dict ;;
	url|noproxy) echo fuzz/dict/url.dict ;;
	encrypted) echo fuzz/dict/encrypted.dict ;;
	esac
}

export ASAN_OPTIONS="detect_leaks=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
mkdir -p "$build/logs"
echo "1..$#"
failed=0
for name in "$@"; do
	bin=$build/bin/fuzz_$name
	corpus=fuzz/corpus/$name
	log=$build/logs/$name.log
	if [ ! -x "$bin" ] || [ ! -d "$corpus" ]; then
		echo "not ok - fuzz $name (no $bin or no $corpus)"
		failed=$((failed + 1))
		continue
	fi
	if [ "$regress" -eq 1 ]; then
		# Every seed, once; libFuzzer runs the files it is given and exits.
		"$bin" -timeout=10 -rss_limit_mb=2048 "$corpus"/* > "$log" 2>&1
		rc=$?
		runs=$(find "$corpus" -type f | wc -l | tr -d ' ')
		what="$runs seeds"
	else
		run=$build/corpus-run/$name
		artifacts=$build/artifacts/$name
		rm -rf "$run"
		mkdir -p "$run" "$artifacts"
		cp "$corpus"/* "$run"/
		dict=$(dict_of "$name")
		[ -n "$dict" ] && [ -f "$dict" ] && dict="-dict=$dict"
		# shellcheck disable=SC2086 # $dict is one word or none
		"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
			-max_len="$(max_len "$name")" -artifact_prefix="$artifacts/" -print_final_stats=1 \
			$dict "$run" > "$log" 2>&1
		rc=$?
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
		what="${runs:-0} runs"
	fi
	if [ "$rc" -eq 0 ]; then
		echo "ok - fuzz $name ($what)"
	else
		failed=$((failed + 1))
		echo "not ok - fuzz $name (exit $rc, log $log)"
		grep -E 'ERROR: |runtime error|invariant failed|SUMMARY|Test unit written' "$log" |
			head -n 8 | sed 's/^/#   /'
	fi
done
if [ "$failed" -gt 0 ]; then
	echo "# $failed of $# fuzz targets failed"
	exit 1
fi
echo "# all $# fuzz targets passed"
