#!/bin/sh
# Secrets across every command: with -v and failing inputs, no line of the key, no assertion
# signature and no access token reaches stderr; core dumps are off while a grant runs.
. "$(dirname "$0")/../lib.sh"

pki
K="$PKI/app.key"
export JWTGRANT_NOW=$(now)
# Every base64 line of the key's PEM, and its DER as one base64 string.
grep -v -- '-----' "$K" > "$T/keylines"
no_secret() { # NAME FILE [TOKEN...] — no key line, no JWT part, no token in FILE
	_n=$1 _f=$2; shift 2
	if grep -F -q -f "$T/keylines" "$_f"; then not_ok "$_n: no key line" "$(grep -F -f "$T/keylines" "$_f" | head -2)"
	elif grep -q 'eyJ' "$_f"; then not_ok "$_n: no JWT" "$(grep 'eyJ' "$_f" | head -2)"
	else
		for _tok in "$@"; do
			if grep -F -q -e "$_tok" "$_f"; then not_ok "$_n: no token"; return; fi
		done
		ok "$_n: no key, assertion or token on stderr"
	fi
}

jwt=$("$JG" assertion -i C -u u@x.com -f "$K")
sig=${jwt##*.}
"$JG" assertion -v -i C -u u@x.com -f "$K" > /dev/null 2> "$T/err"
no_secret "assertion -v" "$T/err"
grep -q -F -e "$sig" "$T/err" && not_ok "assertion -v: no signature" || ok "assertion -v: no signature on stderr"
"$JG" assertion -v -i C -u u@x.com -f "$K" --lifetime 99999 > /dev/null 2> "$T/err"
no_secret "assertion -v, bad lifetime" "$T/err"
"$JG" check -v --jwt-key-file "$K" --cert "$PKI/app.crt" > "$T/out" 2> "$T/err"
no_secret "check -v" "$T/err"
no_secret "check -v (stdout)" "$T/out"
"$JG" check -v --jwt-key-file "$PKI/app2.key" --cert "$PKI/app.crt" > /dev/null 2> "$T/err"
no_secret "check -v, mismatch" "$T/err"
"$JG" check -v --jwt-key-file "$PKI/app.crt" --cert "$K" > /dev/null 2> "$T/err"
no_secret "check -v, files swapped (key given as --cert)" "$T/err"
"$JG" decode -v "$jwt" --cert "$PKI/app.crt" > "$T/out" 2> "$T/err"
no_secret "decode -v" "$T/err"
grep -q -F -e "$sig" "$T/out" && not_ok "decode: the signature is not printed" || ok "decode: the signature is not printed"
"$JG" decode -v "$jwt" --cert "$K" > /dev/null 2> "$T/err"
no_secret "decode -v, a key as --cert" "$T/err"
"$JG" decode -v "${jwt}x!" > /dev/null 2> "$T/err"
no_secret "decode -v, a malformed JWT" "$T/err"
"$JG" keygen -v --key-out "$T/k.pem" --cert-out "$T/c.pem" > "$T/out" 2> "$T/err"
grep -v -- '-----' "$T/k.pem" > "$T/keylines"
no_secret "keygen -v" "$T/err"
no_secret "keygen -v (stdout)" "$T/out"
"$JG" keygen -v --key-out "$T/k.pem" --cert-out "$T/c.pem" > /dev/null 2> "$T/err"
no_secret "keygen -v, refusing to overwrite" "$T/err"
grep -v -- '-----' "$K" > "$T/keylines"

start_mock --access-token "00DSECRETTOKEN!ARsecretsecretsecret" --mode slow --delay 3 || exit 0
"$JG" grant -v -i 3MVG9TESTCLIENTID -f "$K" -u ci@example.com -r "$MOCK_URL" --cacert "$PKI/ca.crt" \
	--max-time 10 > "$T/out" 2> "$T/err" &
gpid=$!
track_pid "$gpid"
sleep 1
grep -E '^Max core file size +0 +0' "/proc/$gpid/limits" > /dev/null 2>&1 &&
	ok "core dumps are off while a grant runs (RLIMIT_CORE 0)" ||
	not_ok "core dumps are off while a grant runs" "$(grep -i core "/proc/$gpid/limits" 2>&1)"
wait "$gpid"
rc=$?
[ $rc -eq 0 ] && ok "the slow grant succeeded" || not_ok "the slow grant succeeded" "exit $rc"
no_secret "grant -v" "$T/err" "00DSECRETTOKEN" "secretsecret"
stop_mock
