#!/bin/sh
# need.sh PROGRAM-OR-FILE PACKAGE [...]: make sure each PROGRAM (a name on PATH) or FILE (an
# absolute path) exists, installing the Debian PACKAGE with apt-get when it is missing and we
# may (root, apt-get present). Runs `apt-get update` once first, as a fresh machine needs.
# Exits 1 naming what is missing when it cannot be installed.
set -u
updated=0
missing=0
while [ $# -ge 2 ]; do
	what=$1 pkg=$2
	shift 2
	case $what in
	/*) [ -e "$what" ] && continue ;;
	*) command -v "$what" >/dev/null 2>&1 && continue ;;
	esac
	if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
		printf 'need: %s is missing; install the Debian package %s\n' "$what" "$pkg" >&2
		missing=1
		continue
	fi
	if [ $updated -eq 0 ]; then
		printf 'need: apt-get update (to install %s)\n' "$pkg" >&2
		DEBIAN_FRONTEND=noninteractive apt-get -qq update >&2 || true
		updated=1
	fi
	printf 'need: installing %s for %s\n' "$pkg" "$what" >&2
	DEBIAN_FRONTEND=noninteractive apt-get -qq -y install "$pkg" >/dev/null 2>&1 ||
		{ printf 'need: could not install %s (for %s)\n' "$pkg" "$what" >&2; missing=1; }
done
exit $missing
