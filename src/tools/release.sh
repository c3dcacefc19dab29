#!/bin/sh
# Assemble the release set in DIST from binaries already built (make release builds them first):
#   jwtgrant-VERSION-linux-{x86_64,aarch64,armv7}, jwtgrant.1, completions/jwtgrant.bash,
#   completions/_jwtgrant, jwtgrant-VERSION-oci.tar, SHA256SUMS [, SHA256SUMS.minisig]
#
#   src/tools/release.sh VERSION EPOCH DIST GEN_DOCS X86_64 AARCH64 ARMV7
#
# Everything is a function of the inputs: file modes are fixed, times are EPOCH (the commit's,
# SOURCE_DATE_EPOCH), archives list their members sorted with fixed owners. With MINISIGN_KEY
# set, SHA256SUMS is signed; the signature is the one file that differs between two builds, and
# SHA256SUMS does not list it.
set -eu
[ $# -eq 7 ] || { echo "usage: $0 VERSION EPOCH DIST GEN_DOCS X86_64 AARCH64 ARMV7" >&2; exit 2; }
version=$1 epoch=$2 dist=$3 gen_docs=$4
x86_64=$5 aarch64=$6 armv7=$7
umask 022
export LC_ALL=C TZ=UTC

say() { printf 'release: %s\n' "$*" >&2; }
die() { printf 'release: error: %s\n' "$*" >&2; exit 1; }

# A file's expected machine, as file(1) says it, checked before it is shipped.
check_binary() { # PATH MACHINE-REGEX
	desc=$(file -b "$1")
	printf '%s\n' "$desc" | grep -Eq "$2" || die "$1 is not for the expected machine: $desc"
	printf '%s\n' "$desc" | grep -q 'statically linked' || die "$1 is not static: $desc"
}

binaries() {
	check_binary "$x86_64" 'x86-64'
	check_binary "$aarch64" 'ARM aarch64'
	check_binary "$armv7" 'ARM, EABI5'
	for arch in x86_64 aarch64 armv7; do
		eval "src=\$$arch"
		install -m 0755 "$src" "$dist/jwtgrant-$version-linux-$arch"
	done
}

docs() {
	mkdir -p "$dist/completions"
	"$gen_docs" man "$(date -u -d "@$epoch" +%Y-%m-%d)" > "$dist/jwtgrant.1"
	"$gen_docs" bash > "$dist/completions/jwtgrant.bash"
	"$gen_docs" zsh > "$dist/completions/_jwtgrant"
}

# The OCI image layout of the x86-64 binary alone, made with umoci (no container engine): a
# blank image, one layer holding /jwtgrant (root-owned, 0755, mtime EPOCH), the entrypoint and
# user 65534, no history entries, a fixed creation time, unreferenced blobs collected; then the
# layout as a tar with sorted members, fixed owners and times.
oci_image() {
	work="$dist.oci"
	rm -rf "$work"
	mkdir -p "$work"
	install -m 0755 "$x86_64" "$work/jwtgrant"
	touch -d "@$epoch" "$work/jwtgrant"
	created=$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)
	image="$work/layout:$version"
	umoci init --layout "$work/layout"
	umoci new --image "$image"
	umoci insert --no-history --image "$image" "$work/jwtgrant" /jwtgrant 2>/dev/null
	umoci config --no-history --image "$image" --created "$created" --os linux \
		--architecture amd64 --config.entrypoint /jwtgrant --config.user 65534:65534 2>/dev/null
	umoci gc --layout "$work/layout"
	find "$work/layout" -exec touch -h -d "@$epoch" {} +
	tar --sort=name --format=gnu --owner=0 --group=0 --numeric-owner --mtime="@$epoch" \
		--mode='u+rwX,go+rX,go-w' -cf "$dist/jwtgrant-$version-oci.tar" \
		-C "$work/layout" oci-layout index.json blobs
	rm -rf "$work"
}

sums() {
	(cd "$dist" && find . -type f ! -name SHA256SUMS ! -name SHA256SUMS.minisig | sed 's|^\./||' |
		sort | xargs sha256sum) > "$dist/SHA256SUMS"
	if [ -n "${MINISIGN_KEY:-}" ]; then
		minisign -S -s "$MINISIGN_KEY" -m "$dist/SHA256SUMS" -x "$dist/SHA256SUMS.minisig" \
			-t "jwtgrant $version SHA256SUMS" || die "minisign could not sign SHA256SUMS with $MINISIGN_KEY"
	fi
}

rm -rf "$dist"
mkdir -p "$dist"
binaries
docs
oci_image
sums
find "$dist" -exec touch -h -d "@$epoch" {} +
say "$dist: $(cd "$dist" && find . -type f | sed 's|^\./||' | sort | tr '\n' ' ')"
