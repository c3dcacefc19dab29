#!/bin/sh
# Fetch every input of the build that is not ours, each pinned by SHA-256 in vendor/SHA256SUMS:
# BearSSL and cJSON as Debian source packages (upstream tarball + Debian patch tarball), and the
# binary package ca-certificates, whose mozilla/*.crt become the embedded trust anchors. Unpack
# them into vendor/src/, apply Debian's patches, write vendor/src/roots.pem and
# vendor/src/versions.h.
#
# Usage: vendor/fetch.sh [--repin] [DIST_DIR]
#   Without DIST_DIR, apt-get fetches the pinned versions through a private apt directory
#   (vendor/src/.apt) whose list is derived from the machine's own Debian sources; the system's
#   apt configuration, lists and cache are never touched. The versions are read from the file
#   names in SHA256SUMS.
#   With DIST_DIR (make VENDOR_DIST=DIR), the files are taken from there instead: it must hold
#   the five files SHA256SUMS names, as `apt-get source --download-only bearssl cjson` and
#   `apt-get download ca-certificates` leave them on any machine that has apt.
#   --repin (make repin) fetches the versions Debian has now and rewrites SHA256SUMS with their
#   sums: for when Debian has replaced a pinned revision (its archive keeps only the newest).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out="$here/src"
sums="$here/SHA256SUMS"
repin=0
[ "${1:-}" = --repin ] && { repin=1; shift; }
dist=${1:-}

say() { printf 'vendor: %s\n' "$*" >&2; }
die() { printf 'vendor: error: %s\n' "$*" >&2; exit 1; }

# The pinned version of a package, from its file name in SHA256SUMS: pinned PACKAGE SUFFIX.
pinned() {
	sed -n "s/^[0-9a-f]\{64\}  $1_\(.*\)$2\$/\1/p" "$sums" | sed 's/%7e/~/g'
}
bearssl_version=$(pinned bearssl '\.debian\.tar\.xz')
cjson_version=$(pinned cjson '\.debian\.tar\.xz')
roots_version=$(pinned ca-certificates '_all\.deb')

# Every "deb" entry of the machine's Debian sources, as "deb" and "deb-src", in both formats.
derive_sources() {
	apt_dir=$1
	mkdir -p "$apt_dir/sources.list.d" "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
	: > "$apt_dir/sources.list"
	if [ -f /etc/apt/sources.list ]; then
		sed -n 's/^[[:space:]]*deb[[:space:]]\(.*\)/deb \1\ndeb-src \1/p' /etc/apt/sources.list > "$apt_dir/sources.list"
	fi
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		grep -qi 'debian' "$f" || continue
		sed 's/^Types:.*/Types: deb deb-src/' "$f" > "$apt_dir/sources.list.d/$(basename "$f")"
	done
	for f in /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		grep -qi 'debian' "$f" || continue
		sed -n 's/^[[:space:]]*deb[[:space:]]\(.*\)/deb \1\ndeb-src \1/p' "$f" > "$apt_dir/sources.list.d/$(basename "$f")"
	done
	if [ ! -s "$apt_dir/sources.list" ] && [ -z "$(ls "$apt_dir/sources.list.d")" ]; then
		die "no Debian entries in /etc/apt/sources.list or /etc/apt/sources.list.d to derive from"
	fi
}

# apt-get and apt-cache with the private directory, and only this machine's own architecture
# (arch-all packages are listed under it) whatever foreign architectures dpkg knows.
private_apt() {
	tool=$1
	shift
	"$tool" -o "Dir::Etc::SourceList=$apt_dir/sources.list" \
		-o "Dir::Etc::SourceParts=$apt_dir/sources.list.d" \
		-o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" \
		-o "Debug::NoLocking=1" -o "APT::Sandbox::User=root" \
		-o "APT::Architectures=$(dpkg --print-architecture)" "$@"
}

# The version of PACKAGE Debian's archive has now (source or binary, as FIELD says).
available() {
	private_apt apt-cache "$1" "$2" 2>/dev/null | sed -n 's/^Version: //p' | head -n 1
}

# A pinned version Debian no longer has: stop, naming what it has and how to re-pin.
gone() {
	now=$(available "$1" "$2")
	die "the pinned $2 $3 is no longer in Debian's archive${now:+, which has $now now}. To build with that version, re-pin: make repin (then review and commit vendor/SHA256SUMS)"
}

apt_fetch() {
	command -v apt-get >/dev/null 2>&1 || die "apt-get is not available. On a machine with apt, run 'apt-get source --download-only bearssl=$bearssl_version cjson=$cjson_version' and 'apt-get download ca-certificates=$roots_version', then here: make VENDOR_DIST=/path/to/that/folder"
	apt_dir="$out/.apt"
	derive_sources "$apt_dir"
	say "updating the private package index in $apt_dir"
	private_apt apt-get -qq update || die "apt-get update failed on the private list (network? see $apt_dir/sources.list.d). Or run: make VENDOR_DIST=/path/to/downloaded/packages"
	rm -rf "$out/dist"
	mkdir -p "$out/dist"
	dist="$out/dist"
	if [ $repin -eq 1 ]; then
		say "downloading the newest bearssl, cjson and ca-certificates to re-pin"
		(cd "$dist" && private_apt apt-get -qq source --download-only bearssl cjson &&
			private_apt apt-get -qq download ca-certificates) || die "apt-get could not download the packages"
		return 0
	fi
	say "downloading bearssl $bearssl_version, cjson $cjson_version, ca-certificates $roots_version"
	(cd "$dist" && private_apt apt-get -qq source --download-only "bearssl=$bearssl_version") >/dev/null 2>&1 ||
		gone showsrc bearssl "$bearssl_version"
	(cd "$dist" && private_apt apt-get -qq source --download-only "cjson=$cjson_version") >/dev/null 2>&1 ||
		gone showsrc cjson "$cjson_version"
	(cd "$dist" && private_apt apt-get -qq download "ca-certificates=$roots_version") >/dev/null 2>&1 ||
		gone show ca-certificates "$roots_version"
}

# Rewrite SHA256SUMS from what was just downloaded (make repin).
write_pins() {
	(cd "$dist" && sha256sum bearssl_*.orig.tar.xz bearssl_*.debian.tar.xz cjson_*.orig.tar.gz \
		cjson_*.debian.tar.xz ca-certificates_*_all.deb) > "$sums.tmp" || die "a downloaded file is missing in $dist"
	mv "$sums.tmp" "$sums"
	say "re-pinned in vendor/SHA256SUMS:"
	sed 's/^/  /' "$sums" >&2
	bearssl_version=$(pinned bearssl '\.debian\.tar\.xz')
	cjson_version=$(pinned cjson '\.debian\.tar\.xz')
	roots_version=$(pinned ca-certificates '_all\.deb')
}

verify() {
	(cd "$dist" && sha256sum -c --quiet "$sums") ||
		die "the files in $dist do not match the pins in vendor/SHA256SUMS"
	say "every input verified against vendor/SHA256SUMS"
}

# The one file of SHA256SUMS whose name begins with $1.
pinned_file() {
	name=$(sed -n "s/^[0-9a-f]\{64\}  \($1[^ ]*\)\$/\1/p" "$sums" | head -n 1)
	[ -n "$name" ] || die "vendor/SHA256SUMS pins no file $1*"
	printf '%s/%s\n' "$dist" "$name"
}

unpack() {
	rm -rf "$out/bearssl-0.6" "$out/cJSON-1.7.15" "$out/debian-bearssl" "$out/debian-cjson" \
		"$out/ca-certificates"
	tar -xJf "$(pinned_file bearssl_0.6+dfsg.1.orig)" -C "$out"
	tar -xzf "$(pinned_file cjson_1.7.15.orig)" -C "$out"
	mkdir -p "$out/debian-bearssl" "$out/debian-cjson"
	tar -xJf "$(pinned_file bearssl_0.6+dfsg.1-)" -C "$out/debian-bearssl"
	tar -xJf "$(pinned_file cjson_1.7.15-)" -C "$out/debian-cjson"
	apply_series "$out/debian-bearssl/debian/patches" "$out/bearssl-0.6"
	apply_series "$out/debian-cjson/debian/patches" "$out/cJSON-1.7.15"
	dpkg-deb -x "$(pinned_file ca-certificates_)" "$out/ca-certificates" ||
		die "dpkg-deb could not unpack the ca-certificates package"
}

apply_series() {
	patches=$1 tree=$2
	[ -f "$patches/series" ] || { say "$(basename "$tree"): no Debian patch series"; return 0; }
	grep -v '^[[:space:]]*\(#\|$\)' "$patches/series" | while read -r p _; do
		patch -s -p1 -d "$tree" < "$patches/$p" || die "Debian patch $p does not apply to $(basename "$tree")"
		say "$(basename "$tree"): applied $p"
	done
}

# The embedded roots: the package's mozilla/*.crt in byte order of their names, one PEM file.
collect_roots() {
	mozilla="$out/ca-certificates/usr/share/ca-certificates/mozilla"
	[ -d "$mozilla" ] || die "the ca-certificates package has no usr/share/ca-certificates/mozilla"
	(cd "$mozilla" && ls | LC_ALL=C sort | while read -r crt; do cat "$crt"; done) > "$out/roots.pem.tmp"
	mv "$out/roots.pem.tmp" "$out/roots.pem"
	say "roots: $(grep -c 'BEGIN CERTIFICATE' "$out/roots.pem") certificates from ca-certificates $roots_version"
}

# The Debian revision from the first line of a debian/changelog: "pkg (VERSION) suite; ...".
revision() { sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' "$1"; }

record_versions() {
	b=$(revision "$out/debian-bearssl/debian/changelog")
	c=$(revision "$out/debian-cjson/debian/changelog")
	[ -n "$b" ] && [ -n "$c" ] || die "cannot read the Debian revisions from the changelogs"
	cat > "$out/versions.h" <<H
/* Written by vendor/fetch.sh: the Debian packages this build uses. */
#define JG_BEARSSL_VERSION "$b"
#define JG_CJSON_VERSION "$c"
#define JG_ROOTS_VERSION "ca-certificates $roots_version"
H
	say "BearSSL $b, cJSON $c, roots ca-certificates $roots_version"
}

[ -n "$bearssl_version" ] && [ -n "$cjson_version" ] && [ -n "$roots_version" ] ||
	die "vendor/SHA256SUMS must pin bearssl_*.debian.tar.xz, cjson_*.debian.tar.xz and ca-certificates_*_all.deb"
mkdir -p "$out"
if [ -n "$dist" ]; then
	dist=$(cd "$dist" && pwd) || die "VENDOR_DIST folder not found"
else
	apt_fetch
fi
[ $repin -eq 1 ] && write_pins
verify
unpack
collect_roots
record_versions
touch "$out/.ready"
