#!/bin/sh
# Run every unit test binary and every end-to-end script; each prints TAP lines ("ok ..." /
# "not ok ..."). Prints a summary line "N passed, N failed" and exits non-zero on any failure,
# on a crashed test program, or when nothing ran at all.
#
#   tests/run.sh --bin ./jwtgrant --unit build/host/tests [--only REGEX] [--e2e DIR]
# --only keeps the tests whose name ("unit/test_http", "e2e/grant_tls") matches the extended
# regular expression. --e2e runs the scripts of another folder (tests/release: "release/oci").
set -u
bin=./jwtgrant unit=build/host/tests only= e2e=tests/e2e
while [ $# -gt 0 ]; do
	case $1 in
	--bin) bin=$2; shift 2 ;;
	--unit) unit=$2; shift 2 ;;
	--only) only=$2; shift 2 ;;
	--e2e) e2e=$2; shift 2 ;;
	*) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done
top=$(cd "$(dirname "$0")/.." && pwd)
case $bin in /*) ;; *) bin="$top/$bin" ;; esac
case $unit in /*) ;; *) unit="$top/$unit" ;; esac
case $e2e in /*) ;; *) e2e="$top/$e2e" ;; esac
export JWTGRANT_BIN="$bin" CMOCKA_MESSAGE_OUTPUT=TAP
log=$(mktemp -d "${TMPDIR:-/tmp}/jwtgrant-tests.XXXXXX")
trap 'rm -rf "$log"' EXIT INT TERM

passed=0 failed=0
run_one() { # NAME COMMAND...
	name=$1; shift
	if [ -n "$only" ] && ! printf '%s\n' "$name" | grep -Eq -e "$only"; then
		return 0
	fi
	out="$log/out"
	"$@" > "$out" 2>&1
	rc=$?
	p=$(grep -c '^ok ' "$out")
	f=$(grep -c '^not ok ' "$out")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "not ok - $name exited $rc without reporting a failure" >> "$out"
	fi
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "not ok - $name ran no test" >> "$out"
	fi
	passed=$((passed + p)) failed=$((failed + f))
	if [ "$f" -gt 0 ]; then
		echo "== $name: $p passed, $f failed"
		grep -v '^ok ' "$out" | sed 's/^/   /'
	else
		echo "== $name: $p passed"
	fi
}

for t in "$unit"/test_*; do
	[ -x "$t" ] || continue
	run_one "unit/$(basename "$t")" "$t"
done
for t in "$e2e"/*.sh; do
	[ -f "$t" ] || continue
	run_one "$(basename "$e2e")/$(basename "$t" .sh)" timeout 600 sh "$t"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
