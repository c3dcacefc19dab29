#!/bin/sh
# make reproducible: build/dist/ (made by `make release` in this tree) against a second release
# build from a clean clone of HEAD in another directory, later, with another umask and time zone.
# Every file must be byte for byte the same, but SHA256SUMS.minisig (a signature is never
# reproducible; SHA256SUMS does not list it). The downloaded inputs are shared (vendor/src/dist,
# verified against the pins again by the clone's own build); everything else is built anew.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
dist="$top/build/dist"
[ -f "$dist/SHA256SUMS" ] || { echo "reproducible: no $dist/SHA256SUMS; run make release first" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/jwtgrant-reproducible.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT INT TERM
clone="$work/another/place/jwtgrant"

if [ -n "$(git -C "$top" status --porcelain --untracked-files=no)" ]; then
	echo "reproducible: note: this tree has uncommitted changes, which the clone of HEAD lacks" >&2
fi
git clone -q "$top" "$clone" || exit 1
shared=
[ -d "$top/vendor/src/dist" ] && shared="VENDOR_DIST=$top/vendor/src/dist"
start=$(date +%s)
# shellcheck disable=SC2086 # $shared is one word or none
(cd "$clone" && umask 077 && TZ=Pacific/Kiritimati LC_ALL=C.UTF-8 make -s release $shared) \
	> "$work/build.log" 2>&1 || { tail -n 30 "$work/build.log"; echo "reproducible: the second build failed"; exit 1; }
echo "reproducible: second build (umask 077, TZ=Pacific/Kiritimati, $clone) took $(( $(date +%s) - start )) s"

other="$clone/build/dist"
(cd "$dist" && find . -type f ! -name SHA256SUMS.minisig | sort) > "$work/a.list"
(cd "$other" && find . -type f ! -name SHA256SUMS.minisig | sort) > "$work/b.list"
if ! cmp -s "$work/a.list" "$work/b.list"; then
	echo "reproducible: FAILED: the two builds made different files:"
	diff "$work/a.list" "$work/b.list"
	exit 1
fi
differ=0 same=0
while read -r f; do
	if cmp -s "$dist/$f" "$other/$f"; then
		same=$((same + 1))
	else
		differ=$((differ + 1))
		echo "reproducible: FAILED: $f differs"
	fi
done < "$work/a.list"
if [ "$differ" -ne 0 ]; then
	echo "reproducible: $differ of $((same + differ)) files differ"
	exit 1
fi
echo "reproducible: all $same files identical; SHA256SUMS $(sha256sum "$dist/SHA256SUMS" | cut -c1-16)…"
(cd "$other" && sha256sum -c --quiet SHA256SUMS) || { echo "reproducible: sha256sum -c failed"; exit 1; }
