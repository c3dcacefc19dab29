#!/bin/sh
# check: key size and public-key SHA-256 against the openssl CLI, key/certificate matching,
# validity at pinned times read from the certificate with openssl, files that are not what they
# should be, and the warning for a key file others can read.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

pki || exit 1
unset JWTGRANT_NOW

same() { # NAME GOT WANT — ok when the two strings are equal
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "got  $2" "want $3"; fi
}

pubkey_sha() { # KEY — SHA-256 of the SubjectPublicKeyInfo DER, as openssl writes it
	openssl pkey -in "$1" -pubout -outform DER 2>/dev/null | sha256sum | cut -d' ' -f1
}

cert_epoch() { # -startdate|-enddate CERT — that date in epoch seconds
	date -u -d "$(openssl x509 -noout "$1" -in "$2" | cut -d= -f2)" +%s
}

iso() { # EPOCH — as jwtgrant prints times
	date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ
}

K="$PKI/app.key" C="$PKI/app.crt"
NOT_BEFORE=$(cert_epoch -startdate "$C")
NOT_AFTER=$(cert_epoch -enddate "$C")

# --- a matching pair ------------------------------------------------------------------------------
expect_exit 0 "app.key and app.crt match" "$JG" check --jwt-key-file "$K" --cert "$C"
cp "$T/out" "$T/match.out"
expect_grep "^key: RSA 2048 bits\$" "$T/out" "the key type and size"
expect_grep "^public key SHA-256: $(pubkey_sha "$K")\$" "$T/out" "the public-key SHA-256 equals openssl's"
expect_grep "^subject: CN=jwtgrant test app, O=jwtgrant tests\$" "$T/out" "the subject"
expect_grep "^issuer: CN=jwtgrant test app, O=jwtgrant tests\$" "$T/out" "the issuer"
expect_grep "^not before: $(iso "$NOT_BEFORE")\$" "$T/out" "not before, as openssl reads it"
expect_grep "^not after: $(iso "$NOT_AFTER")\$" "$T/out" "not after, as openssl reads it"
expect_grep "^$(openssl x509 -noout -fingerprint -sha256 -in "$C")\$" "$T/out" \
	"the certificate fingerprint line equals openssl's"
expect_grep "^key matches certificate: yes\$" "$T/out" "key matches certificate: yes"
expect_grep "^certificate valid now: yes\$" "$T/out" "valid now: yes"
[ -s "$T/err" ] && not_ok "nothing on stderr for a 0600 key" "$(cat "$T/err")" || ok "nothing on stderr for a 0600 key"

expect_exit 0 "the same key as PKCS#1 matches" "$JG" check -f "$PKI/app-rsa.key" --cert "$C"
EXPECT_STDIN=$K expect_exit 0 "the key from stdin matches" "$JG" check -f - --cert "$C"
JG_KEY=$(cat "$K") expect_exit 0 "the key from --jwt-key-env matches" "$JG" check --jwt-key-env JG_KEY --cert "$C"
same "--jwt-key-env prints what --jwt-key-file prints" "$(cat "$T/out")" "$(cat "$T/match.out")"
openssl x509 -in "$C" -outform DER -out "$T/app.der"
expect_exit 0 "a DER certificate matches" "$JG" check -f "$K" --cert "$T/app.der"
sed 's/$/\r/' "$C" > "$T/crlf.crt"
expect_exit 0 "a CRLF certificate matches" "$JG" check -f "$K" --cert "$T/crlf.crt"
{ echo "subject=/CN=x"; cat "$C"; cat "$PKI/ca.crt"; } > "$T/bundle.crt"
expect_exit 0 "the first certificate of a bundle with text around it" "$JG" check -f "$K" --cert "$T/bundle.crt"

# --- mismatches: exit 7 -------------------------------------------------------------------------
expect_exit 7 "app2.key and app.crt do not match" "$JG" check -f "$PKI/app2.key" --cert "$C"
expect_grep "^key matches certificate: no\$" "$T/out" "mismatch: key matches certificate: no"
expect_grep "do not match" "$T/err" "mismatch: the error says so"
expect_grep "^public key SHA-256: $(pubkey_sha "$PKI/app2.key")\$" "$T/out" "mismatch: the key's own SHA-256"
expect_exit 7 "a CA certificate is not the app's" "$JG" check -f "$K" --cert "$PKI/ca.crt"
expect_grep "^issuer: CN=jwtgrant test CA, O=jwtgrant tests\$" "$T/out" "the CA's issuer is printed"
expect_exit 7 "an EC certificate does not match an RSA key" "$JG" check -f "$K" --cert "$PKI/server-ec.crt"
expect_grep "an EC public key" "$T/err" "the EC key is named"

# --- validity at pinned times ---------------------------------------------------------------------
JWTGRANT_NOW=$((NOT_AFTER + 1)) expect_exit 7 "one second after notAfter: expired" \
	"$JG" check -f "$K" --cert "$C"
expect_grep "^certificate valid now: no, expired on $(iso "$NOT_AFTER")" "$T/out" "expired: says so on stdout"
expect_grep "expired on $(iso "$NOT_AFTER")" "$T/err" "expired: the error names the date"
expect_grep "^key matches certificate: yes\$" "$T/out" "expired: the key still matches"
JWTGRANT_NOW=$NOT_AFTER expect_exit 0 "at notAfter: still valid" "$JG" check -f "$K" --cert "$C"
JWTGRANT_NOW=$NOT_BEFORE expect_exit 0 "at notBefore: valid" "$JG" check -f "$K" --cert "$C"
JWTGRANT_NOW=$((NOT_BEFORE - 1)) expect_exit 7 "one second before notBefore: not yet valid" \
	"$JG" check -f "$K" --cert "$C"
expect_grep "not valid before $(iso "$NOT_BEFORE")" "$T/err" "not yet valid: the error names the date"
JWTGRANT_NOW=$((NOT_AFTER + 86400)) expect_exit 7 "mismatched and expired" \
	"$JG" check -f "$PKI/app2.key" --cert "$C"
expect_grep "do not match.*expired on" "$T/err" "mismatched and expired: both are named"
JWTGRANT_NOW=$(($(cert_epoch -enddate "$PKI/expired.crt") + 1)) expect_exit 7 \
	"expired.crt (openssl ca -enddate 2011) is expired" "$JG" check -f "$PKI/server.key" --cert "$PKI/expired.crt"
expect_exit 7 "expired.crt is expired by the real clock" "$JG" check -f "$PKI/server.key" --cert "$PKI/expired.crt"
expect_exit 7 "notyet.crt is not yet valid by the real clock" "$JG" check -f "$PKI/server.key" --cert "$PKI/notyet.crt"
JWTGRANT_NOW=yesterday expect_exit 2 "a malformed JWTGRANT_NOW exits 2" "$JG" check -f "$K" --cert "$C"

# --- files that cannot be used: exit 3 --------------------------------------------------------------
expect_exit 3 "a missing certificate" "$JG" check -f "$K" --cert "$T/nope.crt"
expect_grep "cannot open certificate .*nope\.crt" "$T/err" "the missing certificate is named"
expect_exit 3 "the key given as --cert" "$JG" check -f "$K" --cert "$K"
expect_grep "is a private key, not a certificate" "$T/err" "the key as --cert: says it is not a certificate"
openssl pkey -in "$K" -outform DER -out "$T/key.der"
expect_exit 3 "a DER key given as --cert" "$JG" check -f "$K" --cert "$T/key.der"
expect_grep "is a private key, not a certificate" "$T/err" "the DER key as --cert: says so"
expect_exit 3 "a public key given as --cert" "$JG" check -f "$K" --cert "$PKI/app-pub.pem"
expect_grep "is a public key, not a certificate" "$T/err" "the public key as --cert: says so"
printf 'not a certificate\n' > "$T/junk.crt"
expect_exit 3 "text given as --cert" "$JG" check -f "$K" --cert "$T/junk.crt"
expect_grep "no certificate found" "$T/err" "text as --cert: no certificate found"
: > "$T/empty.crt"
expect_exit 3 "an empty --cert" "$JG" check -f "$K" --cert "$T/empty.crt"
sed '3s/^..../!!!!/' "$C" > "$T/broken.crt"
expect_exit 3 "a certificate with broken base64" "$JG" check -f "$K" --cert "$T/broken.crt"
head -c 300 "$T/app.der" > "$T/cut.der"
expect_exit 3 "a truncated DER certificate" "$JG" check -f "$K" --cert "$T/cut.der"
expect_exit 3 "a missing key" "$JG" check -f "$T/nope.key" --cert "$C"
expect_exit 3 "the certificate given as the key" "$JG" check -f "$C"
expect_exit 3 "an EC key" "$JG" check -f "$PKI/ec.key"
expect_exit 2 "no key at all" "$JG" check --cert "$C"
expect_exit 2 "a grant option" "$JG" check -f "$K" --client-id x
if grep -q 'MII' "$T/err" "$T/out"; then not_ok "no key bytes in the output"; else ok "no key bytes in the output"; fi

# --- the key file's mode ----------------------------------------------------------------------------
cp "$K" "$T/open.key"
chmod 644 "$T/open.key"
expect_exit 0 "a 0644 key is a warning, not a failure" "$JG" check -f "$T/open.key" --cert "$C"
same "the warning line" "$(cat "$T/err")" \
	"jwtgrant: warning: $T/open.key is readable by others (mode 0644); chmod 600 $T/open.key"
chmod 640 "$T/open.key"
expect_exit 0 "a 0640 key runs" "$JG" check -f "$T/open.key"
expect_grep "readable by others \(mode 0640\)" "$T/err" "a group-readable key warns too"
chmod 600 "$T/open.key"
ln -s "$T/open.key" "$T/link.key"
expect_exit 0 "a symlink to a 0600 key" "$JG" check -f "$T/link.key"
[ -s "$T/err" ] && not_ok "the target's mode counts, not the link's" "$(cat "$T/err")" ||
	ok "the target's mode counts, not the link's"

# --- the public-key SHA-256 for every size and form, against openssl -------------------------------
for bits in 2048 3072 4096; do
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:$bits -out "$T/k$bits.p8" 2>/dev/null
	openssl pkey -in "$T/k$bits.p8" -traditional -out "$T/k$bits.p1" 2>/dev/null
	want=$(pubkey_sha "$T/k$bits.p8")
	for form in p8 p1; do
		expect_exit 0 "RSA-$bits $form: check runs" "$JG" check -f "$T/k$bits.$form"
		expect_grep "^key: RSA $bits bits\$" "$T/out" "RSA-$bits $form: the size"
		expect_grep "^public key SHA-256: $want\$" "$T/out" "RSA-$bits $form: the public-key SHA-256 equals openssl's"
	done
	openssl req -new -x509 -key "$T/k$bits.p8" -subj "/CN=k$bits" -days 2 -out "$T/k$bits.crt" 2>/dev/null
	expect_exit 0 "RSA-$bits: matches its openssl certificate" "$JG" check -f "$T/k$bits.p1" --cert "$T/k$bits.crt"
	expect_grep "^$(openssl x509 -noout -fingerprint -sha256 -in "$T/k$bits.crt")\$" "$T/out" \
		"RSA-$bits: the fingerprint equals openssl's"
done
expect_exit 7 "RSA-3072 key and RSA-4096 certificate do not match" "$JG" check -f "$T/k3072.p8" --cert "$T/k4096.crt"
expect_exit 0 "check --help" "$JG" check --help
expect_grep "^Usage: jwtgrant check" "$T/out" "check --help prints its usage"
