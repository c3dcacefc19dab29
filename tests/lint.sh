#!/bin/sh
# Static analysis of our C sources: cppcheck on src/*.c and src/tools/*.c, clang-tidy (the
# checks of .clang-tidy) on src/*.c, both with the project's compiler flags, and a check that
# no source in src/ calls libc's printf family (src/fmt.h has our own; musl's would bring ~11 KB
# of floating-point and wide-character formatting into the binary). Prints every finding as
# "file:line: ... [check]", one TAP line per tool, and exits 1 on any finding, or when a tool
# is missing and cannot be installed.
#
#   tests/lint.sh [--only cppcheck|clang-tidy|printf] [FILE...]
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
	targets=${files:-$(ls src/*.c src/tools/*.c)}
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
	targets=${files:-$(ls src/*.c)}
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

# C text with its comments blanked out and its string and character literals emptied, line
# numbers kept: what the printf check searches.
code_only() {
	awk '
	BEGIN { state = "code" }
	{
		out = ""
		n = length($0)
		for (i = 1; i <= n; i++) {
			c = substr($0, i, 1); d = substr($0, i, 2)
			if (state == "block") {
				if (d == "*/") { state = "code"; i++ }
				out = out " "
			} else if (state == "string" || state == "char") {
				if (c == "\\") { i++; continue }
				if ((state == "string" && c == "\"") || (state == "char" && c == "\047")) {
					state = "code"; out = out c
				}
			} else if (d == "/*") {
				state = "block"; i++; out = out "  "
			} else if (d == "//") {
				break
			} else {
				if (c == "\"") state = "string"
				else if (c == "\047") state = "char"
				out = out c
			}
		}
		if (state != "block") state = "code"
		print out
	}' "$1"
}

# Calls of libc's printf family in a C file (from code_only), one finding per call.
run_printf_check() {
	targets=${files:-$(ls src/*.c src/*.h src/tools/*.c)}
	: > "$out/printf.txt"
	for f in $targets; do
		code_only "$f" | awk -v file="$f" '
		{
			line = " " $0
			call = "[^_[:alnum:]](v?(s|sn|f|d|as)?printf)[[:space:]]*\\("
			while (match(line, call)) {
				name = substr(line, RSTART + 1, RLENGTH - 1)
				sub(/[[:space:]]*\($/, "", name)
				printf "%s:%d: calls libc %s; use the jg_ functions of src/fmt.h [printf-family]\n",
					file, NR, name
				line = substr(line, RSTART + RLENGTH)
			}
		}' >> "$out/printf.txt"
	done
	report "$out/printf.txt" "no libc printf family ($(echo $targets | wc -w) files)"
}

case $only in
'') run_cppcheck; run_clang_tidy; run_printf_check ;;
cppcheck) run_cppcheck ;;
clang-tidy) run_clang_tidy ;;
printf) run_printf_check ;;
*) echo "lint.sh: --only cppcheck, clang-tidy or printf" >&2; exit 2 ;;
esac

if [ "$failed" -gt 0 ]; then
	echo "lint: $failed finding$([ "$failed" -eq 1 ] || echo s)"
	exit 1
fi
echo "lint: clean"
