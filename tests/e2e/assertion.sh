#!/bin/sh
# The signed assertion: known answers computed by the openssl CLI, signatures verified by it for
# every key size, format and source, the audience rule, claim escaping, and every bad key.
. "$(dirname "$0")/../lib.sh"

NOW=1700000000
export JWTGRANT_NOW=$NOW
unset SF_AUDIENCE_URL SFDX_AUDIENCE_URL

# decode_part N JWT — the Nth part (1-based) of a JWT, base64url-decoded
decode_part() {
	printf '%s' "$2" | cut -d. -f"$1" | tr -- '-_' '+/' |
		awk '{ while (length($0) % 4) $0 = $0 "="; print }' | openssl base64 -d -A
}

# verify_jwt JWT KEY — verify the RS256 signature with openssl against KEY's public key
verify_jwt() {
	openssl pkey -in "$2" -pubout -out "$T/pub.pem" 2>/dev/null || return 1
	printf '%s' "$1" | cut -d. -f1,2 | tr -d '\n' > "$T/signed"
	decode_part 3 "$1" > "$T/sig"
	openssl dgst -sha256 -verify "$T/pub.pem" -signature "$T/sig" "$T/signed" > /dev/null 2>&1
}

# --- keys made by openssl --------------------------------------------------------------------
for bits in 2048 3072 4096; do
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:$bits -out "$T/k$bits.p8" 2>/dev/null
	openssl pkey -in "$T/k$bits.p8" -traditional -out "$T/k$bits.p1" 2>/dev/null
done
K="$T/k2048.p8"

# --- known answer -----------------------------------------------------------------------------
claims='{"iss":"3MVG9CID","sub":"ci@example.com","aud":"https://login.salesforce.com","exp":1700000180,"iat":1700000000}'
want=$(make_jwt "$K" "$claims")
expect_exit 0 "assertion runs" "$JG" assertion -i 3MVG9CID -f "$K" -u ci@example.com
got=$(cat "$T/out")
if [ "$got" = "$want" ]; then ok "known answer: the JWT equals openssl's, byte for byte"
else not_ok "known answer: the JWT equals openssl's, byte for byte" "got  $got" "want $want"; fi
expect_exit 0 "sign alias runs" "$JG" sign --clientid 3MVG9CID --jwtkeyfile "$K" -o ci@example.com
[ "$(cat "$T/out")" = "$want" ] && ok "sign alias gives the same JWT" || not_ok "sign alias gives the same JWT"

# Escaping per RFC 8259, computed by python's json module as the independent path.
sub=$(printf 'a"b\\c/d\te\001f\303\251')
claims=$(python3 -c 'import json,sys; print(json.dumps({"iss":"I","sub":sys.argv[1],"aud":"https://login.salesforce.com","exp":1700000060,"iat":1700000000},ensure_ascii=False,separators=(",",":")))' "$sub")
want=$(make_jwt "$K" "$claims")
expect_exit 0 "assertion with special characters runs" "$JG" assertion -i I -f "$K" -u "$sub" --lifetime 60
[ "$(cat "$T/out")" = "$want" ] && ok "claims escaped as RFC 8259 requires (python json oracle)" ||
	not_ok "claims escaped as RFC 8259 requires (python json oracle)" "$(decode_part 2 "$(cat "$T/out")")" "$claims"

# --- every size, format and source verifies with openssl --------------------------------------
for bits in 2048 3072 4096; do
	for fmt in p1 p8; do
		f="$T/k$bits.$fmt"
		"$JG" assertion -i C -u u@x.com -f "$f" > "$T/jwt" 2> "$T/err"
		verify_jwt "$(cat "$T/jwt")" "$f" && ok "RSA-$bits $fmt from a file verifies" ||
			not_ok "RSA-$bits $fmt from a file verifies" "$(cat "$T/err")"
		"$JG" assertion -i C -u u@x.com -f - < "$f" > "$T/jwt" 2> "$T/err"
		verify_jwt "$(cat "$T/jwt")" "$f" && ok "RSA-$bits $fmt from stdin verifies" ||
			not_ok "RSA-$bits $fmt from stdin verifies" "$(cat "$T/err")"
		JG_KEY=$(cat "$f") "$JG" assertion -i C -u u@x.com --jwt-key-env JG_KEY > "$T/jwt" 2> "$T/err"
		verify_jwt "$(cat "$T/jwt")" "$f" && ok "RSA-$bits $fmt from a variable verifies" ||
			not_ok "RSA-$bits $fmt from a variable verifies" "$(cat "$T/err")"
	done
done

# --- the shapes keys arrive in ------------------------------------------------------------------
openssl pkey -in "$K" -outform DER -out "$T/k.der" 2>/dev/null
openssl pkey -in "$T/k2048.p1" -traditional -outform DER -out "$T/k1.der" 2>/dev/null
sed 's/$/\r/' "$K" > "$T/crlf.pem"
{ echo "Bag Attributes"; echo "    localKeyID: 01"; cat "$PKI/app.crt" 2>/dev/null || true; cat "$K"; echo "trailing words"; } > "$T/bundle.pem"
printf '%s' "$(cat "$K")" > "$T/nonl.pem"
pki
cat "$PKI/app.crt" "$K" > "$T/certkey.pem"
shape() { # NAME FILE-OR-EMPTY [ENV VALUE]
	_n=$1 _f=$2
	if [ -n "$_f" ]; then "$JG" assertion -i C -u u@x.com -f "$_f" > "$T/jwt" 2> "$T/err"
	else JG_KEY=$3 "$JG" assertion -i C -u u@x.com --jwt-key-env JG_KEY > "$T/jwt" 2> "$T/err"; fi
	verify_jwt "$(cat "$T/jwt")" "$K" && ok "$_n" || not_ok "$_n" "$(cat "$T/err")"
}
shape "PKCS#8 DER file" "$T/k.der"
shape "PKCS#1 DER file" "$T/k1.der"
shape "CRLF line endings" "$T/crlf.pem"
shape "text around the PEM block" "$T/bundle.pem"
shape "a certificate, then the key" "$T/certkey.pem"
shape "no final newline" "$T/nonl.pem"
shape "PEM with literal backslash-n line breaks in a variable" "" "$(awk '{printf "%s\\n", $0}' "$K")"
shape "base64 of PEM in a variable" "" "$(openssl base64 -A -in "$K")"
shape "base64 of DER in a variable" "" "$(openssl base64 -in "$T/k.der")"

# --- the audience ---------------------------------------------------------------------------------
aud_of() { "$JG" assertion -i C -u u@x.com -f "$K" "$@" 2>/dev/null | { read -r j; decode_part 2 "$j"; } |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["aud"])'; }
aud_case() { # WANT NAME ARGS...
	_w=$1 _n=$2; shift 2
	_g=$(aud_of "$@")
	[ "$_g" = "$_w" ] && ok "audience: $_n" || not_ok "audience: $_n" "got '$_g', want '$_w'"
}
L=https://login.salesforce.com TS=https://test.salesforce.com
aud_case $L "default login host" 
aud_case $TS "test.salesforce.com" -r https://test.salesforce.com
aud_case $TS "sandbox My Domain" -r https://acme--uat.sandbox.my.salesforce.com
aud_case $TS "scratch My Domain" -r https://dream-1234.scratch.my.salesforce.com/
aud_case $TS "cs instance" -r https://CS42.salesforce.com
aud_case $L "production My Domain" -r https://acme.my.salesforce.com
aud_case $L "csx is not a cs instance" -r https://csx.salesforce.com
aud_case https://site.example.com "--audience wins" -r https://test.salesforce.com --audience https://site.example.com
SF_AUDIENCE_URL=https://a.example aud_case https://a.example "SF_AUDIENCE_URL overrides the rule" -r https://test.salesforce.com
SFDX_AUDIENCE_URL=https://b.example aud_case https://b.example "SFDX_AUDIENCE_URL overrides the rule"
SF_AUDIENCE_URL=https://a.example SFDX_AUDIENCE_URL=https://b.example aud_case https://a.example "SF_AUDIENCE_URL before SFDX_AUDIENCE_URL"
SF_AUDIENCE_URL=https://a.example aud_case https://c.example "--audience before SF_AUDIENCE_URL" --audience https://c.example

# lifetime: exp = now + N
j=$("$JG" assertion -i C -u u@x.com -f "$K" --lifetime 3600)
exp=$(decode_part 2 "$j" | python3 -c 'import json,sys; c=json.load(sys.stdin); print(c["exp"]-c["iat"], c["iat"])')
[ "$exp" = "3600 $NOW" ] && ok "--lifetime 3600 and JWTGRANT_NOW give exp and iat" || not_ok "--lifetime 3600 and JWTGRANT_NOW give exp and iat" "$exp"

# --- --output-file --------------------------------------------------------------------------------
expect_exit 0 "--output-file writes" "$JG" assertion -i C -u u@x.com -f "$K" --output-file "$T/a.jwt"
[ "$(stat -c %a "$T/a.jwt")" = 600 ] && ok "--output-file is mode 0600" || not_ok "--output-file is mode 0600" "$(stat -c %a "$T/a.jwt")"
verify_jwt "$(cat "$T/a.jwt")" "$K" && ok "--output-file holds the JWT" || not_ok "--output-file holds the JWT"
[ ! -s "$T/out" ] && ok "--output-file leaves stdout empty" || not_ok "--output-file leaves stdout empty"
ln -s "$T/target" "$T/link"
expect_exit 0 "--output-file replaces a symlink" "$JG" assertion -i C -u u@x.com -f "$K" --output-file "$T/link"
[ ! -e "$T/target" ] && [ -f "$T/link" ] && [ ! -L "$T/link" ] && ok "the symlink was replaced, not followed" || not_ok "the symlink was replaced, not followed"
expect_exit 3 "--output-file into a missing directory" "$JG" assertion -i C -u u@x.com -f "$K" --output-file "$T/no/such/dir/x"
ls "$T/no" > /dev/null 2>&1 && not_ok "nothing created on failure" || ok "nothing created on failure"

# --- bad keys: exit 3 and a message naming what was found ---------------------------------------
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/ec.p8" 2>/dev/null
openssl ec -in "$T/ec.p8" -out "$T/ec.sec1" 2>/dev/null
openssl genpkey -algorithm ED25519 -out "$T/ed.pem" 2>/dev/null
openssl pkey -in "$K" -aes128 -passout pass:x -out "$T/enc.p8" 2>/dev/null
openssl pkey -in "$K" -traditional -aes128 -passout pass:x -out "$T/enc.p1" 2>/dev/null
openssl genrsa -out "$T/k1024.pem" 1024 2>/dev/null
openssl genrsa -out "$T/k4104.pem" 4104 2>/dev/null
openssl pkey -in "$K" -pubout -out "$T/pub.pem" 2>/dev/null
printf 'hello, I am not a key\n' > "$T/junk"
: > "$T/empty"
printf -- '-----BEGIN PRIVATE KEY-----\nMIIE!!!!\n-----END PRIVATE KEY-----\n' > "$T/broken.pem"
bad() { # PATTERN NAME ARGS...
	_p=$1 _n=$2; shift 2
	expect_exit 3 "bad key: $_n exits 3" "$JG" assertion -i C -u u@x.com "$@"
	expect_grep "$_p" "$T/err" "bad key: $_n is named"
	_lines=$(wc -l < "$T/err")
	[ "$_lines" -eq 1 ] && ok "bad key: $_n is one line" || not_ok "bad key: $_n is one line" "$_lines lines"
}
bad "holds a certificate" "a certificate" -f "$PKI/app.crt"
bad "EC private key.*RS256" "an EC key (PKCS#8)" -f "$T/ec.p8"
bad "EC private key.*RS256" "an EC key (SEC1)" -f "$T/ec.sec1"
bad "not an RSA private key" "an Ed25519 key" -f "$T/ed.pem"
bad "is encrypted \\(PKCS#8 PBES2, .*\\): give its passphrase with --passphrase-env VAR or --passphrase-file FILE" "an encrypted PKCS#8 key without a passphrase" -f "$T/enc.p8"
bad "is encrypted \\(traditional PEM, .*\\): give its passphrase with --passphrase-env VAR" "an encrypted traditional key without a passphrase" -f "$T/enc.p1"
bad "1024 bits.*at least 2048" "RSA-1024" -f "$T/k1024.pem"
bad "4104 bits.*limit is 4096" "RSA-4104" -f "$T/k4104.pem"
bad "public key, not a private key" "a public key" -f "$T/pub.pem"
bad "not a private key" "text" -f "$T/junk"
bad "does not decode" "a broken PEM block" -f "$T/broken.pem"
bad "is empty" "an empty file" -f "$T/empty"
bad "cannot open key file.*No such file" "a missing file" -f "$T/nope.pem"
bad "is a directory" "a directory" -f "$T"
JG_EMPTY= bad "JG_EMPTY is empty" "an empty variable" --jwt-key-env JG_EMPTY
bad "JG_UNSET_VAR is not set" "an unset variable" --jwt-key-env JG_UNSET_VAR
head -c 70000 /dev/zero | tr '\0' 'A' > "$T/big"
bad "larger than 65536 bytes" "a 70 KB file" -f "$T/big"
if [ "$(id -u)" -ne 0 ]; then
	cp "$K" "$T/noread"; chmod 000 "$T/noread"
	bad "Permission denied" "an unreadable file" -f "$T/noread"
fi
if grep -q 'MII' "$T/err"; then not_ok "no key bytes in errors"; else ok "no key bytes in errors"; fi

# --- usage errors: exit 2 ---------------------------------------------------------------------------
expect_exit 2 "unknown option exits 2" "$JG" assertion -i C -u u -f "$K" --bogus
expect_grep "unknown option --bogus" "$T/err" "unknown option is named"
expect_exit 2 "missing --client-id exits 2" "$JG" assertion -u u -f "$K"
# Invalid UTF-8 never reaches the JWT (issue 12, item 10).
expect_exit 2 "a client id that is not UTF-8 exits 2" "$JG" assertion -i "$(printf '3MVG9\377x')" -u u -f "$K"
expect_grep "^jwtgrant: --client-id is not valid UTF-8" "$T/err" "a client id that is not UTF-8: the option is named"
[ -s "$T/out" ] && not_ok "a client id that is not UTF-8: no JWT printed" || ok "a client id that is not UTF-8: no JWT printed"
expect_exit 2 "a username that is not UTF-8 exits 2" "$JG" assertion -i C -u "$(printf 'z\303e@example.com')" -f "$K"
expect_grep "^jwtgrant: --username is not valid UTF-8" "$T/err" "a username that is not UTF-8: the option is named"
expect_exit 0 "a UTF-8 username is signed" "$JG" assertion -i C -u "$(printf 'z\303\266e@example.com')" -f "$K"
expect_exit 2 "missing --username exits 2" "$JG" assertion -i C -f "$K"
expect_exit 2 "no key source exits 2" "$JG" assertion -i C -u u
expect_exit 2 "both key sources exit 2" "$JG" assertion -i C -u u -f "$K" --jwt-key-env X
expect_exit 2 "--lifetime 0 exits 2" "$JG" assertion -i C -u u -f "$K" --lifetime 0
expect_exit 2 "--lifetime 3601 exits 2" "$JG" assertion -i C -u u -f "$K" --lifetime 3601
expect_exit 2 "an http:// instance URL exits 2" "$JG" assertion -i C -u u -f "$K" -r http://login.salesforce.com
expect_exit 2 "a keygen option on assertion exits 2" "$JG" assertion -i C -u u -f "$K" --bits 2048
expect_exit 2 "an unknown command exits 2" "$JG" frobnicate
expect_exit 2 "no command exits 2" "$JG"
JWTGRANT_NOW=soon expect_exit 2 "a malformed JWTGRANT_NOW exits 2" "$JG" assertion -i C -u u -f "$K"
expect_exit 0 "--help exits 0" "$JG" --help
expect_grep "^Usage: jwtgrant" "$T/out" "--help prints usage on stdout"
expect_exit 0 "assertion --help exits 0" "$JG" assertion --help
expect_exit 0 "--version exits 0" "$JG" --version
expect_grep '^jwtgrant [0-9]+\.[0-9]+\.[0-9]+ \(BearSSL 0\.6\+dfsg\.1-[0-9a-z.+~]+, cJSON 1\.7\.15-[0-9a-z.+~]+, roots ca-certificates [0-9]+[0-9a-z.+~]*\)$' "$T/out" "--version has the documented form"
# The roots named are the pinned package's (vendor/SHA256SUMS), not the build machine's /etc/ssl.
roots_pin=$(sed -n 's/^[0-9a-f]*  ca-certificates_\(.*\)_all\.deb$/\1/p' "$JG_TOP/vendor/SHA256SUMS")
expect_grep "roots ca-certificates $(printf '%s' "$roots_pin" | sed 's/[.+~]/\\&/g')\\)\$" "$T/out" "--version names the pinned ca-certificates ($roots_pin)"
