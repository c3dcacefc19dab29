#!/bin/sh
# Runs the dynamic glibc build of jwtgrant under valgrind's memcheck (valgrind cannot see a musl
# static binary's heap). Any memory error or definite leak makes the command exit 99, which the
# calling test reports as a wrong exit code; the report itself goes to $JWTGRANT_VALGRIND_LOG.
top=$(cd "$(dirname "$0")/.." && pwd)
exec valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
	--show-leak-kinds=definite --log-file="${JWTGRANT_VALGRIND_LOG:-/dev/stderr}" \
	"${JWTGRANT_VALGRIND_BIN:-$top/build/host/jwtgrant}" "$@"
