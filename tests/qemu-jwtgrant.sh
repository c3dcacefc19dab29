#!/bin/sh
# Runs a release binary of another architecture under qemu-user-static, for the end-to-end
# scripts (tests/release-test.sh sets JWTGRANT_QEMU, e.g. qemu-aarch64-static, and
# JWTGRANT_QEMU_BIN, the binary). Emulation, not binfmt_misc: nothing on the machine changes.
exec "${JWTGRANT_QEMU:?}" "${JWTGRANT_QEMU_BIN:?}" "$@"
