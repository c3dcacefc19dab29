#!/bin/sh
# Static analysis of our C sources: cppcheck on every .c file under src/ (tools included),
# clang-tidy (the checks of .clang-tidy) on the product's, both with the project's compiler
# flags, two size rules: no source file over 900 lines, no function over 60 lines, and a compile
# of the bench's helpers (which only `make bench` builds, so nothing else notices when a change to
# src/ breaks them). Prints
# every finding as "file:line: ... [check]", one TAP line per check, and exits 1 on any finding,
# or when a tool is missing and cannot be installed.
#
#   tests/lint.sh [--only cppcheck|clang-tidy|size|bench] [FILE...]
#
#   LINT_JOBS=N      clang-tidy processes at once (default 2)
#   LINT_VERBOSE=1   show clang-tidy's notes and source excerpts too
#
# A finding that is a false positive is silenced at its line, with a reason:
#   cppcheck:   // cppcheck-suppress ID          (--inline-suppr)
#   clang-tidy: // NOLINTNEXTLINE(check): why
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
only= files=
while [ $# -gt 0 ]; do
	case $1 in
	--only) only=$2; shift 2 ;;
	-*) echo "lint.sh: unknown option $1" >&2; exit 2 ;;
	*) files="$files $1"; shift ;;
	esac
done

vendor=vendor/src
bearssl=$vendor/bearssl-0.6
cjson=$vendor/cJSON-1.7.15
if [ ! -f "$vendor/.ready" ]; then
	vendor/fetch.sh || exit 2
fi
# The flags of the Makefile's builds (BASE and WARN; JG_BUILD_EPOCH as a plain build has it).
defines="-D_GNU_SOURCE -DJG_VERSION=\"0.1.0\" -DJG_BUILD_EPOCH=0"
cflags="-std=c11 $defines -Wall -Wextra -Wshadow -Wconversion -Wformat=2 -Wstrict-prototypes
	-Wmissing-prototypes -Isrc -isystem $bearssl/inc -isystem $cjson -isystem $vendor"

out=$(mktemp -d "${TMPDIR:-/tmp}/jwtgrant-lint.XXXXXX")
trap 'rm -rf "$out"' EXIT INT TERM
failed=0

# Print the findings collected in $1 under a TAP line for tool $2.
report() {
	n=$(grep -c . "$1")
	if [ "$n" -eq 0 ]; then
		echo "ok - $2"
	else
		echo "not ok - $2: $n finding$([ "$n" -eq 1 ] || echo s)"
		sed 's/^/  /' "$1"
		failed=$((failed + n))
	fi
}

# Every C file of ours, one a line.
all_c() {
	find src -name '*.c' | sort
}

# Each tool, or the Debian package that brings it (vendor/need.sh installs it when it may).
need_tool() {
	command -v "$1" >/dev/null 2>&1 && return 0
	vendor/need.sh "$1" "$2" >&2 && return 0
	echo "not ok - $1 is not installed (Debian package $2)"
	failed=$((failed + 1))
	return 1
}

run_cppcheck() {
	need_tool cppcheck cppcheck || return
	targets=${files:-$(all_c)}
	# The vendored headers are read (for BearSSL's types and macros) but, like system headers,
	# never reported on; missing system headers are expected (cppcheck has its own libc model).
	# shellcheck disable=SC2086 # word splitting of the lists is wanted
	cppcheck --enable=warning,portability,performance --error-exitcode=1 --inline-suppr \
		--std=c11 -D_GNU_SOURCE -DJG_VERSION='"0.1.0"' -DJG_BUILD_EPOCH=0 \
		-I src -I "$bearssl/inc" -I "$cjson" -I "$vendor" \
		--suppress=missingIncludeSystem --suppress="*:$vendor/*" --quiet \
		--template='{file}:{line}: {severity}: {message} [cppcheck {id}]' \
		$targets > "$out/cppcheck.txt" 2>&1
	report "$out/cppcheck.txt" "cppcheck ($(echo $targets | wc -w) files)"
}

run_clang_tidy() {
	tidy=
	for t in clang-tidy-14 clang-tidy; do
		command -v "$t" >/dev/null 2>&1 && { tidy=$t; break; }
	done
	if [ -z "$tidy" ]; then
		need_tool clang-tidy clang-tidy || return
		tidy=clang-tidy
	fi
	targets=${files:-$(all_c | grep -v '^src/tools/')}
	mkdir -p "$out/tidy"
	# One process per file, LINT_JOBS at a time; .clang-tidy at the top holds the checks.
	# shellcheck disable=SC2086
	printf '%s\n' $targets | xargs -P "${LINT_JOBS:-2}" -I{} sh -c \
		'"$1" --quiet "$2" -- $3 > "$4/tidy/$(echo "$2" | tr / _).txt" 2>&1' \
		sh "$tidy" {} "$cflags" "$out"
	# Diagnostics only (a finding in a header is reported once, not per including file), with
	# paths made relative to the top of the tree.
	cat "$out"/tidy/*.txt | sed "s|^$top/||" > "$out/tidy-all.txt"
	if [ "${LINT_VERBOSE:-0}" = 1 ]; then
		cat "$out/tidy-all.txt"
	fi
	grep -E '^[^ :]+:[0-9]+:[0-9]+: (warning|error):' "$out/tidy-all.txt" | sort -t: -k1,1 -k2,2n -k3,3n -k4 | uniq \
		> "$out/clang-tidy.txt"
	report "$out/clang-tidy.txt" "clang-tidy ($(echo $targets | wc -w) files)"
}

# The size rules, for every .c and .h file under src/: a file of more than 900 lines, or a
# function of more than 60 (from the line of its opening brace to that of its closing one; the
# style puts both alone at the start of a line), is a finding. A function that long holds more
# than one job; a file that long, more than one subject.
run_size_check() {
	targets=${files:-$(find src -name '*.[ch]' | sort)}
	: > "$out/size.txt"
	for f in $targets; do
		awk -v max_file=900 -v max_function=60 '
		/^\{/ { start = FNR; name = previous }
		/^\}/ && start {
			n = FNR - start + 1
			if (n > max_function)
				printf "%s:%d: function of %d lines (at most %d): %s [function-size]\n",
					FILENAME, start, n, max_function, name
			start = 0
		}
		/[^ \t]/ { previous = $0 }
		END {
			if (NR > max_file)
				printf "%s:1: %d lines (at most %d) [file-size]\n", FILENAME, NR, max_file
		}' "$f" >> "$out/size.txt"
	done
	report "$out/size.txt" "files under 900 lines, functions under 60 ($(echo $targets | wc -w) files)"
}

# The bench's helpers (tests/bench/*.c) compile against the current src/ headers, warnings as
# errors: a changed prototype shows here, not first in a bench run.
run_bench_compile() {
	: > "$out/bench.txt"
	for f in tests/bench/*.c; do
		# shellcheck disable=SC2086
		gcc -fsyntax-only -Werror $cflags "$f" >> "$out/bench.txt" 2>&1
	done
	grep -E '^[^ :]+:[0-9]+:[0-9]+: (warning|error):' "$out/bench.txt" > "$out/bench-errors.txt"
	report "$out/bench-errors.txt" "the bench's helpers compile ($(ls tests/bench/*.c | wc -l) files)"
}

case $only in
'') run_cppcheck; run_clang_tidy; run_size_check; run_bench_compile ;;
bench) run_bench_compile ;;
cppcheck) run_cppcheck ;;
clang-tidy) run_clang_tidy ;;
size) run_size_check ;;
*) echo "lint.sh: --only cppcheck, clang-tidy, size or bench" >&2; exit 2 ;;
esac

if [ "$failed" -gt 0 ]; then
	echo "lint: $failed finding$([ "$failed" -eq 1 ] || echo s)"
	exit 1
fi
echo "lint: clean"
