#!/bin/sh
# FROM scratch: an empty root holding only the static binary, the key, the test CA and
# etc/hosts (no libc, no /dev, no /proc, no certificates); a grant from inside it must work.
. "$(dirname "$0")/../lib.sh"

if [ "$(id -u)" -ne 0 ]; then
	echo "# skipped: the chroot test needs root (chroot(2)); run make test as root to include it"
	ok "scratch: skipped without root (reason printed above)"
	exit 0
fi
if ! file "$JG" 2>/dev/null | grep -q 'statically linked'; then
	echo "# skipped: $JG is not statically linked (musl-gcc was not available)"
	ok "scratch: skipped for a dynamic binary (reason printed above)"
	exit 0
fi
pki
start_mock || exit 0
CHROOT=$(command -v chroot || echo /usr/sbin/chroot)
R="$T/root"
mkdir -p "$R/etc" "$R/tmp"
cp "$JG" "$R/jwtgrant"
cp "$PKI/app.key" "$R/server.key"
cp "$PKI/ca.crt" "$R/ca.crt"
echo "127.0.0.1 localhost" > "$R/etc/hosts"
n=$(find "$R" -type f | wc -l)
[ "$n" -eq 4 ] && ok "the root holds exactly 4 files" || not_ok "the root holds exactly 4 files" "$(find "$R" -type f)"

expect_exit 0 "grant inside an empty chroot" env -i "$CHROOT" "$R" /jwtgrant grant -i 3MVG9TESTCLIENTID \
	-f /server.key -u ci@example.com -r "https://localhost:$MOCK_PORT" --cacert /ca.crt --max-time 10
expect_grep "^Successfully authorized ci@example.com with org ID 00D" "$T/out" "the success line"
expect_exit 0 "--output-file inside the chroot" env -i "$CHROOT" "$R" /jwtgrant grant -i 3MVG9TESTCLIENTID \
	-f /server.key -u ci@example.com -r "https://localhost:$MOCK_PORT" --cacert /ca.crt --max-time 10 \
	--output env --output-file /tmp/token.env
[ "$(stat -c %a "$R/tmp/token.env" 2>/dev/null)" = 600 ] && ok "the token file is 0600 in the chroot" || not_ok "the token file is 0600 in the chroot"
expect_exit 5 "the embedded trust set works without any certificate file (and refuses the test CA)" \
	env -i "$CHROOT" "$R" /jwtgrant grant -i 3MVG9TESTCLIENTID -f /server.key -u ci@example.com \
	-r "https://localhost:$MOCK_PORT" --max-time 10
expect_grep "not trusted" "$T/err" "untrusted, not a missing file"
stop_mock
