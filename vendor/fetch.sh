#!/bin/sh
# Fetch BearSSL and cJSON as Debian source packages, verify the upstream tarballs against the
# pinned sums in vendor/SHA256SUMS, unpack them into vendor/src/ and apply Debian's patches.
#
# Usage: vendor/fetch.sh [DIST_DIR]
#   Without DIST_DIR, `apt-get source --download-only` fetches the packages through a private
#   apt directory (vendor/src/.apt) whose deb-src list is derived from the machine's own Debian
#   sources; the system's apt configuration, lists and cache are never touched.
#   With DIST_DIR (make VENDOR_DIST=DIR), the files are taken from there instead: it must hold
#   bearssl_0.6+dfsg.1.orig.tar.xz, cjson_1.7.15.orig.tar.gz and the two matching Debian
#   tarballs (bearssl_*.debian.tar.xz, cjson_*.debian.tar.xz), as `apt-get source
#   --download-only bearssl cjson` leaves them on any machine that has apt.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out="$here/src"
dist=${1:-}

say() { printf 'vendor: %s\n' "$*" >&2; }
die() { printf 'vendor: error: %s\n' "$*" >&2; exit 1; }

# Turn every "deb" entry of the machine's sources into a "deb-src" entry, in both formats.
derive_sources() {
	apt_dir=$1
	mkdir -p "$apt_dir/sources.list.d" "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
	: > "$apt_dir/sources.list"
	if [ -f /etc/apt/sources.list ]; then
		sed -n 's/^[[:space:]]*deb[[:space:]]/deb-src /p' /etc/apt/sources.list > "$apt_dir/sources.list"
	fi
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		grep -qi 'debian' "$f" || continue
		sed 's/^Types:.*/Types: deb-src/' "$f" > "$apt_dir/sources.list.d/$(basename "$f")"
	done
	for f in /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		grep -qi 'debian' "$f" || continue
		sed -n 's/^[[:space:]]*deb[[:space:]]/deb-src /p' "$f" > "$apt_dir/sources.list.d/$(basename "$f")"
	done
	if [ ! -s "$apt_dir/sources.list" ] && [ -z "$(ls "$apt_dir/sources.list.d")" ]; then
		die "no Debian entries in /etc/apt/sources.list or /etc/apt/sources.list.d to derive deb-src from"
	fi
}

apt_fetch() {
	command -v apt-get >/dev/null 2>&1 || die "apt-get is not available. Download the Debian source packages bearssl (0.6+dfsg.1) and cjson (1.7.15) on a machine with apt ('apt-get source --download-only bearssl cjson') and run: make VENDOR_DIST=/path/to/that/folder"
	apt_dir="$out/.apt"
	derive_sources "$apt_dir"
	set -- -o "Dir::Etc::SourceList=$apt_dir/sources.list" \
		-o "Dir::Etc::SourceParts=$apt_dir/sources.list.d" \
		-o "Dir::State::Lists=$apt_dir/lists" \
		-o "Dir::Cache=$apt_dir/cache" \
		-o "Debug::NoLocking=1" -o "APT::Sandbox::User=root"
	say "updating the private deb-src index in $apt_dir"
	apt-get "$@" -qq update || die "apt-get update failed on the private deb-src list (network? see $apt_dir/sources.list.d). Or run: make VENDOR_DIST=/path/to/downloaded/source/packages"
	mkdir -p "$out/dist"
	say "downloading the bearssl and cjson source packages"
	(cd "$out/dist" && apt-get "$@" -qq source --download-only bearssl cjson) ||
		die "apt-get source failed. Or run: make VENDOR_DIST=/path/to/downloaded/source/packages"
	dist="$out/dist"
}

verify() {
	(cd "$dist" && sha256sum -c --quiet "$here/SHA256SUMS") ||
		die "the upstream tarballs in $dist do not match the pinned sums in vendor/SHA256SUMS"
	say "upstream tarballs verified against vendor/SHA256SUMS"
}

one() { # the single file matching a pattern in $dist
	set -- "$dist"/$1
	[ -f "$1" ] || die "missing $(basename "$1") in $dist"
	printf '%s\n' "$1"
}

# The Debian revision from the first line of a debian/changelog: "pkg (VERSION) suite; ...".
revision() { sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' "$1"; }

unpack() {
	rm -rf "$out/bearssl-0.6" "$out/cJSON-1.7.15" "$out/debian-bearssl" "$out/debian-cjson"
	tar -xJf "$dist/bearssl_0.6+dfsg.1.orig.tar.xz" -C "$out"
	tar -xzf "$dist/cjson_1.7.15.orig.tar.gz" -C "$out"
	mkdir -p "$out/debian-bearssl" "$out/debian-cjson"
	tar -xJf "$(one 'bearssl_0.6+dfsg.1-*.debian.tar.xz')" -C "$out/debian-bearssl"
	tar -xJf "$(one 'cjson_1.7.15-*.debian.tar.xz')" -C "$out/debian-cjson"
	apply_series "$out/debian-bearssl/debian/patches" "$out/bearssl-0.6"
	apply_series "$out/debian-cjson/debian/patches" "$out/cJSON-1.7.15"
}

apply_series() {
	patches=$1 tree=$2
	[ -f "$patches/series" ] || { say "$(basename "$tree"): no Debian patch series"; return 0; }
	grep -v '^[[:space:]]*\(#\|$\)' "$patches/series" | while read -r p _; do
		patch -s -p1 -d "$tree" < "$patches/$p" || die "Debian patch $p does not apply to $(basename "$tree")"
		say "$(basename "$tree"): applied $p"
	done
}

record_versions() {
	b=$(revision "$out/debian-bearssl/debian/changelog")
	c=$(revision "$out/debian-cjson/debian/changelog")
	[ -n "$b" ] && [ -n "$c" ] || die "cannot read the Debian revisions from the changelogs"
	cat > "$out/versions.h" <<H
/* Written by vendor/fetch.sh: the Debian source packages this build uses. */
#define JG_BEARSSL_VERSION "$b"
#define JG_CJSON_VERSION "$c"
H
	say "BearSSL $b, cJSON $c"
}

mkdir -p "$out"
if [ -n "$dist" ]; then
	dist=$(cd "$dist" && pwd) || die "VENDOR_DIST folder not found"
else
	apt_fetch
fi
verify
unpack
record_versions
touch "$out/.ready"
