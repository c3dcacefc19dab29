#!/bin/sh
# keygen: the key and certificate read, checked and verified by the openssl CLI for every size;
# the validity pinned by JWTGRANT_NOW; modes; files never overwritten without --force, symlinks
# never followed; bad options refused before any work; `check` agreeing with it; and a full
# grant against the mock token endpoint with the new pair.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

pki || exit 1
NOW=1700000000

same() { # NAME GOT WANT — ok when the two strings are equal
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "got  $2" "want $3"; fi
}

openssl_date() { # EPOCH — the form `openssl x509 -dates` prints: "Nov 14 22:08:20 2023 GMT"
	LC_ALL=C date -u -d "@$1" '+%b %e %H:%M:%S %Y GMT'
}

empty_dir() { # DIR — true when DIR holds nothing
	[ -z "$(ls -A "$1")" ]
}

sha() { # FILE — its SHA-256, or "missing"
	if [ -e "$1" ]; then sha256sum "$1" | cut -d' ' -f1; else echo missing; fi
}

pubkey_sha() { # KEY — SHA-256 of the SubjectPublicKeyInfo DER, as openssl writes it
	openssl pkey -in "$1" -pubout -outform DER 2>/dev/null | sha256sum | cut -d' ' -f1
}

# --- every size, pinned clock: openssl reads, checks and verifies the pair ------------------------
# check_pair NAME KEY CERT BITS — the properties every key/certificate pair keygen writes must have
check_pair() {
	_n=$1 _k=$2 _c=$3 _b=$4
	openssl x509 -noout -text -in "$_c" > "$T/text" 2> "$T/x509.err" ||
		not_ok "$_n: openssl x509 reads the certificate" "$(cat "$T/x509.err")"
	expect_grep 'Version: 3 \(0x2\)' "$T/text" "$_n: X.509 v3"
	expect_grep 'Signature Algorithm: sha256WithRSAEncryption' "$T/text" "$_n: sha256WithRSAEncryption"
	expect_grep "Public-Key: \($_b bit\)" "$T/text" "$_n: RSA $_b bits"
	expect_grep 'Exponent: 65537 ' "$T/text" "$_n: public exponent 65537"
	expect_grep 'X509v3 Basic Constraints: critical' "$T/text" "$_n: basicConstraints is critical"
	expect_grep '^ *CA:FALSE$' "$T/text" "$_n: CA:FALSE"
	expect_grep 'X509v3 Key Usage: critical' "$T/text" "$_n: keyUsage is critical"
	expect_grep '^ *Digital Signature$' "$T/text" "$_n: keyUsage digitalSignature only"
	expect_grep 'X509v3 Subject Key Identifier' "$T/text" "$_n: has a subjectKeyIdentifier"
	# RFC 7093 method 1, recomputed by the openssl CLI from the key file: the first 20 bytes of
	# the SHA-256 of the DER RSAPublicKey
	same "$_n: subjectKeyIdentifier is RFC 7093 method 1 (SHA-256)" \
		"$(openssl x509 -noout -ext subjectKeyIdentifier -in "$_c" 2>/dev/null | tail -n 1 |
			tr -d ' :' | tr A-F a-f)" \
		"$(openssl pkey -in "$_k" -pubout 2>/dev/null |
			openssl rsa -pubin -RSAPublicKey_out -outform DER 2>/dev/null |
			openssl dgst -sha256 -r | cut -c1-40)"
	_v=$(openssl verify -check_ss_sig -attime "${JWTGRANT_NOW:-$(now)}" -CAfile "$_c" "$_c" 2>&1)
	same "$_n: openssl verify -check_ss_sig accepts the self-signature" "$_v" "$_c: OK"
	_v=$(openssl pkey -check -noout -in "$_k" 2>&1)
	same "$_n: openssl pkey -check finds the key valid" "$_v" "Key is valid"
	same "$_n: the key file is PKCS#8 PEM" "$(head -n 1 "$_k")" "-----BEGIN PRIVATE KEY-----"
	same "$_n: the certificate holds the key's public key" \
		"$(openssl x509 -pubkey -noout -in "$_c" 2>/dev/null)" "$(openssl pkey -pubout -in "$_k" 2>/dev/null)"
	same "$_n: key mode 0600" "$(stat -c %a "$_k")" 600
	same "$_n: certificate mode 0644" "$(stat -c %a "$_c")" 644
	_size=$(wc -c < "$_c")
	[ "$_size" -lt 4096 ] && ok "$_n: certificate PEM under 4096 bytes ($_size)" ||
		not_ok "$_n: certificate PEM under 4096 bytes" "$_size bytes"
	_serial=$(openssl x509 -noout -serial -in "$_c" | cut -d= -f2)
	# 16 random bytes with the top bit cleared: up to 32 hex digits, the first below 8 when
	# there are 32 (fewer when the first bytes came out zero: 13 bytes or more but once in 2^23)
	case ${#_serial}:$_serial in
	32:[0-7]* | 2[6-9]:* | 3[01]:*) ok "$_n: serial is positive and 16 random bytes" ;;
	*) not_ok "$_n: serial is positive and 16 random bytes" "serial=$_serial" ;;
	esac
}

# check_printed NAME KEY CERT — keygen's stdout ($T/out) names the fingerprints openssl computes
check_printed() {
	_fp=$(openssl x509 -noout -fingerprint -sha256 -in "$3")
	expect_grep "^$_fp\$" "$T/out" "$1: the fingerprint line equals openssl's ($(echo "$_fp" | cut -c1-30)...)"
	expect_grep "^public key SHA-256: $(pubkey_sha "$2")\$" "$T/out" \
		"$1: the public-key SHA-256 equals openssl's"
}

export JWTGRANT_NOW=$NOW
for bits in 2048 3072 4096; do
	K="$T/k$bits.key" C="$T/c$bits.crt"
	expect_exit 0 "keygen --bits $bits runs" "$JG" keygen --bits "$bits" --key-out "$K" --cert-out "$C" \
		--subject "ci bot $bits" --org "Acme, Inc." --days 30
	check_pair "RSA-$bits" "$K" "$C" "$bits"
	check_printed "RSA-$bits" "$K" "$C"
	same "RSA-$bits: subject is O then CN, as given" \
		"$(openssl x509 -noout -subject -nameopt oneline -in "$C")" "subject=O = \"Acme, Inc.\", CN = ci bot $bits"
	same "RSA-$bits: issuer is the subject" \
		"$(openssl x509 -noout -issuer -nameopt oneline -in "$C")" "issuer=O = \"Acme, Inc.\", CN = ci bot $bits"
	same "RSA-$bits: notBefore is now - 5 minutes" \
		"$(openssl x509 -noout -startdate -in "$C")" "notBefore=$(openssl_date $((NOW - 300)))"
	same "RSA-$bits: notAfter is now + 30 days" \
		"$(openssl x509 -noout -enddate -in "$C")" "notAfter=$(openssl_date $((NOW + 30 * 86400)))"
done
expect_grep "^not before: 2023-11-14T22:08:20Z\$" "$T/out" "the validity is printed: not before"
expect_grep "^not after: 2023-12-14T22:13:20Z" "$T/out" "the validity is printed: not after"
expect_grep "^  jwtgrant grant --client-id <consumer key> --jwt-key-file $T/k4096.key --username <user>\$" \
	"$T/out" "the next steps end with the grant command for this key"
expect_grep "test\.salesforce\.com" "$T/out" "the next steps mention the sandbox login host"
expect_grep "Use digital signatures" "$T/out" "the next steps say where the certificate goes"
expect_grep "External Client Apps Manager > your app > Edit Settings > OAuth Settings" "$T/out" \
	"the next steps cover an External Client App (new orgs since Spring '26)"
expect_grep "Enable JWT Bearer Flow" "$T/out" "the next steps name the External Client App's JWT setting"
expect_grep "Admin approved users are" "$T/out" "the next steps name the pre-authorization policy"
expect_no_grep "PRIVATE KEY|MII" "$T/out" "no key bytes on stdout"

# A long validity crosses into GeneralizedTime (2050 and later) and openssl still agrees.
expect_exit 0 "keygen --days 9999 runs" "$JG" keygen --key-out "$T/long.key" --cert-out "$T/long.crt" \
	--days 9999
same "--days 9999: notAfter in 2051 as openssl reads it" \
	"$(openssl x509 -noout -enddate -in "$T/long.crt")" "notAfter=$(openssl_date $((NOW + 9999 * 86400)))"
expect_exit 0 "--days 1 runs" "$JG" keygen --key-out "$T/short.key" --cert-out "$T/short.crt" --days 1
same "--days 1: notAfter is now + 1 day" \
	"$(openssl x509 -noout -enddate -in "$T/short.crt")" "notAfter=$(openssl_date $((NOW + 86400)))"

# --- check agrees with keygen --------------------------------------------------------------------
expect_exit 0 "check accepts the new pair" "$JG" check -f "$T/k2048.key" --cert "$T/c2048.crt"
expect_grep "^key matches certificate: yes\$" "$T/out" "check: the key matches the certificate"
expect_grep "^key: RSA 2048 bits\$" "$T/out" "check: RSA 2048 bits"
expect_grep "^$(openssl x509 -noout -fingerprint -sha256 -in "$T/c2048.crt")\$" "$T/out" \
	"check: the fingerprint equals openssl's"
expect_grep "^public key SHA-256: $(pubkey_sha "$T/k2048.key")\$" "$T/out" \
	"check: the public-key SHA-256 equals openssl's"
expect_grep "^subject: CN=ci bot 2048, O=Acme\\\\, Inc\.\$" "$T/out" "check: the subject, RFC 4514 escaped"
expect_exit 7 "check: the 2048 key does not match the 3072 certificate" \
	"$JG" check -f "$T/k2048.key" --cert "$T/c3072.crt"

# --- defaults, real clock -----------------------------------------------------------------------
unset JWTGRANT_NOW
mkdir "$T/d"
before=$(now)
(cd "$T/d" && expect_exit 0 "keygen with defaults runs" "$JG" keygen)
after=$(now)
check_pair "defaults" "$T/d/server.key" "$T/d/server.crt" 2048
same "defaults: the files are server.key and server.crt" "$(ls "$T/d" | tr '\n' ' ')" "server.crt server.key "
same "defaults: CN=jwtgrant, no O" "$(openssl x509 -noout -subject -nameopt oneline -in "$T/d/server.crt")" \
	"subject=CN = jwtgrant"
nb=$(date -u -d "$(openssl x509 -noout -startdate -in "$T/d/server.crt" | cut -d= -f2)" +%s)
na=$(date -u -d "$(openssl x509 -noout -enddate -in "$T/d/server.crt" | cut -d= -f2)" +%s)
if [ "$nb" -ge $((before - 300)) ] && [ "$nb" -le $((after - 300)) ]; then
	ok "defaults: notBefore is 5 minutes before the real now"
else
	not_ok "defaults: notBefore is 5 minutes before the real now" "notBefore $nb, now $before..$after"
fi
same "defaults: valid for 365 days after now" "$((na - nb))" "$((365 * 86400 + 300))"

# Two runs never give the same key or serial.
mkdir "$T/d2"
(cd "$T/d2" && "$JG" keygen > /dev/null 2>&1)
[ "$(pubkey_sha "$T/d/server.key")" != "$(pubkey_sha "$T/d2/server.key")" ] &&
	ok "two runs make two different keys" || not_ok "two runs make two different keys"
[ "$(openssl x509 -noout -serial -in "$T/d/server.crt")" != "$(openssl x509 -noout -serial -in "$T/d2/server.crt")" ] &&
	ok "two runs use two different serials" || not_ok "two runs use two different serials"

# --- no overwrite without --force; --force replaces; symlinks are not followed ------------------
mkdir "$T/o"
printf 'old key\n' > "$T/o/server.key"
chmod 644 "$T/o/server.key"
old_key=$(sha "$T/o/server.key")
(cd "$T/o" && expect_exit 3 "an existing key refuses without --force" "$JG" keygen)
expect_grep "server\.key already exists.*--force" "$T/err" "the refusal names the file and --force"
same "the existing key is unchanged" "$(sha "$T/o/server.key")" "$old_key"
[ ! -e "$T/o/server.crt" ] && ok "no certificate written beside the existing key" ||
	not_ok "no certificate written beside the existing key"

rm "$T/o/server.key"
printf 'old certificate\n' > "$T/o/server.crt"
old_crt=$(sha "$T/o/server.crt")
(cd "$T/o" && expect_exit 3 "an existing certificate refuses without --force" "$JG" keygen)
expect_grep "server\.crt already exists" "$T/err" "the refusal names the certificate"
same "the existing certificate is unchanged" "$(sha "$T/o/server.crt")" "$old_crt"
[ ! -e "$T/o/server.key" ] && ok "no key written beside the existing certificate" ||
	not_ok "no key written beside the existing certificate"

printf 'old key\n' > "$T/o/server.key"
chmod 644 "$T/o/server.key"
(cd "$T/o" && expect_exit 0 "--force replaces both" "$JG" keygen --force)
[ "$(sha "$T/o/server.key")" != "$old_key" ] && [ "$(sha "$T/o/server.crt")" != "$old_crt" ] &&
	ok "--force: both files hold new bytes" || not_ok "--force: both files hold new bytes"
same "--force: the replaced key is mode 0600 (the old one was 0644)" "$(stat -c %a "$T/o/server.key")" 600
same "--force: the new pair belongs together" \
	"$(openssl x509 -pubkey -noout -in "$T/o/server.crt" 2>/dev/null)" \
	"$(openssl pkey -pubout -in "$T/o/server.key" 2>/dev/null)"
same "--force: no temporary file left behind" "$(ls "$T/o" | tr '\n' ' ')" "server.crt server.key "

mkdir "$T/s"
printf 'precious\n' > "$T/s/target"
ln -s "$T/s/target" "$T/s/link.key"
ln -s "$T/s/nowhere" "$T/s/dangling.crt"
expect_exit 3 "a symlink at --key-out refuses without --force" \
	"$JG" keygen --key-out "$T/s/link.key" --cert-out "$T/s/new.crt"
expect_exit 3 "a dangling symlink at --cert-out refuses without --force" \
	"$JG" keygen --key-out "$T/s/new.key" --cert-out "$T/s/dangling.crt"
[ ! -e "$T/s/new.key" ] && [ ! -e "$T/s/new.crt" ] && [ ! -e "$T/s/nowhere" ] &&
	ok "the refused runs wrote nothing" || not_ok "the refused runs wrote nothing" "$(ls "$T/s")"
expect_exit 0 "--force replaces a symlink at --key-out" \
	"$JG" keygen --key-out "$T/s/link.key" --cert-out "$T/s/new.crt" --force
[ -f "$T/s/link.key" ] && [ ! -L "$T/s/link.key" ] && ok "the symlink became a regular file" ||
	not_ok "the symlink became a regular file"
same "the symlink's target was not written" "$(cat "$T/s/target")" precious
same "the key that replaced the symlink is mode 0600" "$(stat -c %a "$T/s/link.key")" 600

# --- failures leave nothing behind ---------------------------------------------------------------
mkdir "$T/f" "$T/f/dir.crt"
expect_exit 3 "a directory at --cert-out refuses, even with --force" \
	"$JG" keygen --key-out "$T/f/a.key" --cert-out "$T/f/dir.crt" --force
expect_grep "is a directory" "$T/err" "the directory is named"
expect_exit 3 "--cert-out in a missing directory refuses" \
	"$JG" keygen --key-out "$T/f/b.key" --cert-out "$T/f/no/such/x.crt"
expect_grep "directory .*/f/no/such does not exist" "$T/err" "the missing directory is named"
expect_exit 3 "--key-out in a missing directory refuses" \
	"$JG" keygen --key-out "$T/f/no/x.key" --cert-out "$T/f/c.crt"
same "no key or certificate left after the failures" "$(ls "$T/f")" "dir.crt"

# --- bad options: exit 2 before any work, nothing written ----------------------------------------
mkdir "$T/u"
bad_option() { # NAME ARGS...
	_n=$1
	shift
	(cd "$T/u" && expect_exit 2 "$_n exits 2" "$JG" keygen "$@")
	[ -s "$T/err" ] && ok "$_n: says why" || not_ok "$_n: says why"
	empty_dir "$T/u" && ok "$_n: nothing written" || not_ok "$_n: nothing written" "$(ls "$T/u")"
}
bad_option "--bits 1024" --bits 1024
bad_option "--bits abc" --bits abc
bad_option "--bits 8192" --bits 8192
bad_option "--days 0" --days 0
bad_option "--days -1" --days -1
bad_option "--days 10000" --days 10000
bad_option "--subject ''" --subject ""
bad_option "--org ''" --org ""
bad_option "a 65-character subject" --subject "$(printf '%065d' 0)"
bad_option "a control character in the subject" --subject "$(printf 'a\tb')"
bad_option "the same path for key and certificate" --key-out same.pem --cert-out same.pem
bad_option "a grant option" --client-id x
(cd "$T/u" && JWTGRANT_NOW=later expect_exit 2 "a malformed JWTGRANT_NOW exits 2" "$JG" keygen)
expect_exit 2 "--bits 1024 names the sizes allowed" "$JG" keygen --bits 1024 --key-out "$T/u/x" --cert-out "$T/u/y"
expect_grep "2048, 3072, 4096" "$T/err" "--bits 1024: the message lists 2048, 3072, 4096"
expect_exit 2 "--days 10000" "$JG" keygen --days 10000 --key-out "$T/u/x" --cert-out "$T/u/y"
expect_grep "1 to 9999" "$T/err" "--days 10000: the message gives the range"
expect_exit 0 "keygen --help" "$JG" keygen --help
expect_grep "^Usage: jwtgrant keygen" "$T/out" "keygen --help prints its usage"

# --- a full grant with the new pair against the mock ----------------------------------------------
if start_mock --app-cert "$T/c2048.crt"; then
	expect_exit 0 "grant with the new key against a mock holding the new certificate" \
		"$JG" grant --client-id 3MVG9TESTCLIENTID -f "$T/k2048.key" -u ci@example.com -r "$MOCK_URL" \
		--cacert "$PKI/ca.crt" --max-time 10
	expect_grep "^Successfully authorized ci@example\.com with org ID " "$T/out" "grant: the new pair is accepted"
	expect_exit 1 "grant with another key is refused by that mock" \
		"$JG" grant --client-id 3MVG9TESTCLIENTID -f "$PKI/app.key" -u ci@example.com -r "$MOCK_URL" \
		--cacert "$PKI/ca.crt" --max-time 10
	expect_grep "invalid assertion" "$T/err" "grant: the mismatched key gets invalid assertion"
	stop_mock
fi
