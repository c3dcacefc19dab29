#!/bin/sh
# The OCI image of the release (jwtgrant-VERSION-oci.tar): umoci unpacks it to a rootfs that
# holds only /jwtgrant (the x86_64 asset, byte for byte), the entrypoint is /jwtgrant and the
# user 65534; and a grant run from that rootfs in a chroot, as user 65534, against the mock
# token endpoint on 127.0.0.1 succeeds. JWTGRANT_DIST and JWTGRANT_VERSION come from
# tests/release-test.sh.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

D=${JWTGRANT_DIST:?}
V=${JWTGRANT_VERSION:?}
grant_suite 30

mkdir -p "$T/layout"
if tar -xf "$D/jwtgrant-$V-oci.tar" -C "$T/layout" && [ -f "$T/layout/oci-layout" ] &&
	[ -f "$T/layout/index.json" ]; then
	ok "the OCI tarball is an image layout (oci-layout, index.json, blobs)"
else
	not_ok "the OCI tarball is an image layout (oci-layout, index.json, blobs)"
fi
expect_exit 0 "umoci lists the tag $V" umoci ls --layout "$T/layout"
expect_grep "^$V\$" "$T/out" "the image's one tag is the version"
expect_exit 0 "umoci unpack" umoci unpack --image "$T/layout:$V" "$T/bundle"
R="$T/bundle/rootfs"
(cd "$R" && find . -mindepth 1 | sort) > "$T/rootfs.list"
[ "$(cat "$T/rootfs.list")" = ./jwtgrant ] && ok "the rootfs holds only /jwtgrant" ||
	not_ok "the rootfs holds only /jwtgrant" "$(head -n 10 "$T/rootfs.list")"
cmp -s "$R/jwtgrant" "$D/jwtgrant-$V-linux-x86_64" && ok "/jwtgrant is the x86_64 asset" ||
	not_ok "/jwtgrant is the x86_64 asset"
"$JG_PY" -c 'import json, sys
c = json.load(open(sys.argv[1]))
p = c["process"]
assert p["user"]["uid"] == 65534 and p["user"]["gid"] == 65534, p["user"]
assert p["args"] == ["/jwtgrant"], p["args"]' "$T/bundle/config.json" > "$T/cfg.err" 2>&1 &&
	ok "runtime config: user 65534, entrypoint /jwtgrant" ||
	not_ok "runtime config: user 65534, entrypoint /jwtgrant" "$(tail -n 2 "$T/cfg.err")"

# The grant: key and CA are given to the rootfs only for the test, readable by user 65534.
start_mock --cert "$PKI/server-ip.crt" || exit 1
mkdir -p "$R/run"
cp "$PKI/ca.crt" "$R/run/ca.crt"
chmod 0755 "$R/run"
chmod 0644 "$R/run/ca.crt"
URL="https://127.0.0.1:$MOCK_PORT"
JWT_KEY=$(cat "$PKI/app.key")
export JWT_KEY
expect_exit 0 "a grant from the image's rootfs in a chroot, as user 65534" \
	chroot --userspec=65534:65534 "$R" /jwtgrant grant -i "$CID" --jwt-key-env JWT_KEY -u "$USER" \
	-r "$URL" --cacert /run/ca.crt --max-time 20
expect_grep "^$SUCCESS\$" "$T/out" "it prints the Salesforce CLI's success line"
[ "$(mock_token_requests)" = 1 ] && ok "the mock saw one token request" ||
	not_ok "the mock saw one token request" "$(mock_token_requests)"
unset JWT_KEY
