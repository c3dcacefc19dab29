#!/bin/sh
# make release-test: the release set in DIST (tests/release/: the files, sums, signature, man
# page, install, the OCI image with a grant from its rootfs in a chroot), then the aarch64 and
# armv7 binaries under qemu-user-static (tests/qemu-jwtgrant.sh): --version, the assertion
# known-answer test and the grants against the mock token endpoint (e2e/assertion,
# e2e/grant_outputs, e2e/grant_refusals). Prints each binary's size and the time of one
# assertion under emulation (emulated times are not performance figures).
#
#   tests/release-test.sh DIST VERSION
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
dist=$(cd "$1" && pwd) version=$2
export JWTGRANT_DIST="$dist" JWTGRANT_VERSION="$version"
failed=0
echo "== release set in $dist"
"$top/tests/run.sh" --bin "$dist/jwtgrant-$version-linux-x86_64" --unit /nonexistent --e2e tests/release || failed=1

key=$(mktemp -d "${TMPDIR:-/tmp}/jwtgrant-release.XXXXXX") || exit 1
trap 'rm -rf "$key"' EXIT INT TERM
"$top/jwtgrant" keygen --key-out "$key/k.pem" --cert-out "$key/k.crt" --subject t > /dev/null 2>&1

for pair in aarch64:qemu-aarch64-static armv7:qemu-arm-static; do
	arch=${pair%%:*} qemu=${pair#*:}
	bin="$dist/jwtgrant-$version-linux-$arch"
	echo "== $arch under $qemu"
	t0=$(date +%s%N)
	"$qemu" "$bin" assertion -i C -u u@example.com -f "$key/k.pem" > /dev/null || failed=1
	t1=$(date +%s%N)
	echo "$arch: $(stat -c %s "$bin") bytes; one assertion under $qemu: $(( (t1 - t0) / 1000000 )) ms"
	JWTGRANT_QEMU=$qemu JWTGRANT_QEMU_BIN=$bin "$top/tests/run.sh" --bin tests/qemu-jwtgrant.sh \
		--unit /nonexistent --only 'e2e/(assertion|grant_outputs|grant_refusals)$' || failed=1
done
[ $failed -eq 0 ] && echo "release-test: passed" || echo "release-test: FAILED"
exit $failed
