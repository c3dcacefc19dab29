#!/bin/sh
# need-release.sh [minisign]: what `make release` needs beyond `make`, from Debian's packages:
# the cross compilers for aarch64 and armv7 with those architectures' musl (dpkg multiarch),
# qemu-user-static to run their binaries, umoci for the OCI image, and minisign when asked.
# Adds the dpkg architectures arm64 and armhf first when they are missing, and says so.
set -u
here=$(dirname "$0")
added=
for arch in arm64 armhf; do
	dpkg --print-foreign-architectures 2>/dev/null | grep -qx "$arch" && continue
	command -v dpkg >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ] || continue
	dpkg --add-architecture "$arch" && added="$added $arch"
done
[ -n "$added" ] && echo "release: added the dpkg architecture(s)$added for the cross builds' musl-dev" >&2
set -- \
	musl-gcc musl-tools \
	aarch64-linux-gnu-gcc gcc-aarch64-linux-gnu \
	arm-linux-gnueabihf-gcc gcc-arm-linux-gnueabihf \
	/usr/lib/aarch64-linux-musl/musl-gcc.specs musl-dev:arm64 \
	/usr/lib/arm-linux-musleabihf/musl-gcc.specs musl-dev:armhf \
	qemu-aarch64-static qemu-user-static \
	umoci umoci \
	file file \
	"$@"
exec "$here/need.sh" "$@"
