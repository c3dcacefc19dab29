#!/bin/sh
# decode: JWTs from `jwtgrant assertion` and from the openssl CLI shown as the JSON they hold
# (cross-checked with python's json module), times in ISO-8601, RS256 verified with a
# certificate, every other alg refused under --cert, malformed input refused, and the signature
# never printed.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

pki || exit 1
NOW=1700000000
export JWTGRANT_NOW=$NOW
unset SF_AUDIENCE_URL SFDX_AUDIENCE_URL

same() { # NAME GOT WANT — ok when the two strings are equal
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "got  $2" "want $3"; fi
}

# section NAME < OUTPUT — the JSON printed after the line "NAME:", up to its closing "}"
section() {
	awk -v name="$1:" '$0 == name { on = 1; next } on { print } on && /^}$/ { exit }'
}

# same_json NAME FILE PART JWT — the section in FILE is the JSON of that JWT part (python)
same_json() {
	_want=$(printf '%s' "$4" | cut -d. -f"$3" | tr -- '-_' '+/' |
		awk '{ while (length($0) % 4) $0 = $0 "="; print }' | openssl base64 -d -A)
	if python3 -c 'import json,sys; sys.exit(json.loads(sys.argv[1]) != json.loads(sys.argv[2]))' \
		"$(section "$2" < "$T/out")" "$_want" 2>/dev/null; then
		ok "$1"
	else
		not_ok "$1" "printed: $(section "$2" < "$T/out" | tr '\n' ' ')" "in the JWT: $_want"
	fi
}

jwt_of() { # HEADER_JSON CLAIMS_JSON SIGNATURE_PART — a JWT with that signature text
	printf '%s.%s.%s' "$(printf '%s' "$1" | b64url)" "$(printf '%s' "$2" | b64url)" "$3"
}

C="$PKI/app.crt"
CLAIMS='{"iss":"3MVG9CID","sub":"ci@example.com","aud":"https://login.salesforce.com","exp":1700000180,"iat":1700000000}'

# --- a JWT made by jwtgrant assertion -----------------------------------------------------------
JWT=$("$JG" assertion -i 3MVG9CID -f "$PKI/app.key" -u ci@example.com)
SIG=$(printf '%s' "$JWT" | cut -d. -f3)
expect_exit 0 "an assertion decodes" "$JG" decode "$JWT"
cp "$T/out" "$T/decoded"
expect_grep '^header:$' "$T/out" "the header title"
expect_grep '^claims:$' "$T/out" "the claims title"
same_json "the header shown is the JWT's header" header 1 "$JWT"
same_json "the claims shown are the JWT's claims" claims 2 "$JWT"
expect_grep '"sub":	"ci@example\.com"' "$T/out" "the claims are pretty-printed"
expect_grep '^exp: 1700000180 \(2023-11-14T22:16:20Z\)$' "$T/out" "exp in ISO-8601"
expect_grep '^iat: 1700000000 \(2023-11-14T22:13:20Z\)$' "$T/out" "iat in ISO-8601"
expect_no_grep '^nbf:' "$T/out" "no nbf line without an nbf claim"
expect_grep '^signature: not checked \(give --cert to verify\)$' "$T/out" "without --cert the signature is not checked"
expect_no_grep "$SIG" "$T/out" "the signature is not printed"
same "no stderr" "$(cat "$T/err")" ""

printf '%s\n' "$JWT" > "$T/jwt"
EXPECT_STDIN="$T/jwt" expect_exit 0 "from stdin, no argument" "$JG" decode
same "stdin gives the same output" "$(cat "$T/out")" "$(cat "$T/decoded")"
EXPECT_STDIN="$T/jwt" expect_exit 0 "from stdin with -" "$JG" decode -
same "- gives the same output" "$(cat "$T/out")" "$(cat "$T/decoded")"
printf '\r\n  \t%s \r\n\n' "$JWT" > "$T/jwt-spaces"
EXPECT_STDIN="$T/jwt-spaces" expect_exit 0 "whitespace around the JWT on stdin is ignored" "$JG" decode
expect_exit 0 "whitespace around the JWT argument is ignored" "$JG" decode " $JWT
"

# --- verification with --cert -------------------------------------------------------------------
expect_exit 0 "signed by app.key, verified with app.crt" "$JG" decode "$JWT" --cert "$C"
expect_grep '^signature: verified with CN=jwtgrant test app, O=jwtgrant tests$' "$T/out" \
	"verified: names the certificate's subject"
expect_no_grep "$SIG" "$T/out" "verified: the signature is not printed"
EXPECT_STDIN="$T/jwt" expect_exit 0 "from stdin, verified" "$JG" decode --cert "$C"
JWT_OPENSSL=$(make_jwt "$PKI/app.key" "$CLAIMS")
expect_exit 0 "a JWT signed by the openssl CLI verifies" "$JG" decode "$JWT_OPENSSL" --cert "$C"
same "openssl's JWT of the same claims equals jwtgrant's" "$JWT_OPENSSL" "$JWT"
openssl x509 -in "$C" -outform DER -out "$T/app.der"
expect_exit 0 "a DER certificate verifies" "$JG" decode "$JWT" --cert "$T/app.der"

JWT2=$(make_jwt "$PKI/app2.key" "$CLAIMS")
expect_exit 7 "signed by app2.key, not verified with app.crt" "$JG" decode "$JWT2" --cert "$C"
expect_grep "signature does not verify" "$T/err" "the refusal says the signature does not verify"
expect_grep '^claims:$' "$T/out" "the claims are still shown"
expect_no_grep "^signature: verified" "$T/out" "no verified line"
expect_exit 0 "without --cert the app2 JWT decodes" "$JG" decode "$JWT2"
TAMPERED=$(jwt_of '{"alg":"RS256","typ":"JWT"}' \
	'{"iss":"3MVG9CID","sub":"admin@example.com","aud":"https://login.salesforce.com","exp":1700000180,"iat":1700000000}' "$SIG")
expect_exit 7 "claims changed under a valid signature" "$JG" decode "$TAMPERED" --cert "$C"
expect_exit 7 "a signature cut short" "$JG" decode "$(printf '%s' "$JWT" | sed 's/.....$//')" --cert "$C"
expect_exit 7 "the signature of another key size" "$JG" decode \
	"$(printf '%s' "$JWT" | cut -d. -f1,2).$(printf '%s' "$SIG" | cut -c1-300)" --cert "$C"
expect_exit 7 "the verification of an empty signature" "$JG" decode "$(printf '%s' "$JWT" | cut -d. -f1,2)." --cert "$C"

# --- other algorithms under --cert ---------------------------------------------------------------
NONE=$(jwt_of '{"alg":"none"}' "$CLAIMS" "")
expect_exit 7 "alg none with --cert" "$JG" decode "$NONE" --cert "$C"
expect_grep 'alg is "none".*RS256' "$T/err" "alg none: the refusal names the alg"
expect_exit 0 "alg none without --cert decodes" "$JG" decode "$NONE"
expect_grep '"alg":	"none"' "$T/out" "alg none: the header is shown"
# hs256 HEADER MACOPT — a JWT of $CLAIMS signed with HMAC-SHA256 (openssl dgst -macopt MACOPT)
hs256() {
	_in=$(printf '%s.%s' "$(printf '%s' "$1" | b64url)" "$(printf '%s' "$CLAIMS" | b64url)")
	_mac=$(printf '%s' "$_in" | openssl dgst -sha256 -mac HMAC -macopt "$2" -binary | b64url)
	printf '%s.%s' "$_in" "$_mac"
}
HS=$(hs256 '{"alg":"HS256","typ":"JWT"}' key:secret)
expect_exit 7 "alg HS256 with --cert" "$JG" decode "$HS" --cert "$C"
expect_grep 'alg is "HS256"' "$T/err" "HS256: the refusal names the alg"
# keyed with the certificate's public key PEM as the secret (the classic algorithm confusion)
PUB_HS=$(hs256 '{"alg":"HS256"}' "hexkey:$(od -An -tx1 "$PKI/app-pub.pem" | tr -d ' \n')")
expect_exit 7 "HS256 keyed with the public key is refused" "$JG" decode "$PUB_HS" --cert "$C"
expect_exit 7 "no alg with --cert" "$JG" decode "$(jwt_of '{"typ":"JWT"}' "$CLAIMS" "$SIG")" --cert "$C"
expect_grep 'alg is missing' "$T/err" "no alg: says so"
expect_exit 7 "alg rs256 (lower case) with --cert" "$JG" decode "$(jwt_of '{"alg":"rs256"}' "$CLAIMS" "$SIG")" --cert "$C"
expect_exit 7 "alg as a number with --cert" "$JG" decode "$(jwt_of '{"alg":256}' "$CLAIMS" "$SIG")" --cert "$C"

# --- the certificate itself -----------------------------------------------------------------------
expect_exit 3 "a missing certificate" "$JG" decode "$JWT" --cert "$T/nope.crt"
expect_exit 3 "the key given as --cert" "$JG" decode "$JWT" --cert "$PKI/app.key"
expect_grep "is a private key, not a certificate" "$T/err" "the key as --cert: says so"
expect_exit 3 "an EC certificate cannot verify RS256" "$JG" decode "$JWT" --cert "$PKI/server-ec.crt"
expect_grep "not RSA" "$T/err" "the EC certificate: says its key is not RSA"
expect_exit 7 "another RSA certificate" "$JG" decode "$JWT" --cert "$PKI/server.crt"

# --- claims and their times -----------------------------------------------------------------------
odd() { # NAME CLAIMS PATTERN
	expect_exit 0 "$1: decodes" "$JG" decode "$(jwt_of '{"alg":"RS256"}' "$2" "$SIG")"
	expect_grep "$3" "$T/out" "$1: shown"
}
odd "nbf" '{"nbf":1700000000,"exp":1700000060}' '^nbf: 1700000000 \(2023-11-14T22:13:20Z\)$'
odd "exp with a fraction" '{"exp":1700000180.5}' '^exp: 1700000180.5 \(not epoch seconds\)$'
odd "exp as a string" '{"exp":"soon"}' '^exp: "soon" \(not epoch seconds\)$'
odd "exp in the year 2100" '{"exp":4102444800}' '^exp: 4102444800 \(2100-01-01T00:00:00Z\)$'
odd "exp before 1970" '{"exp":-86400}' '^exp: -86400 \(1969-12-31T00:00:00Z\)$'
odd "exp beyond year 9999, as cJSON prints it" '{"exp":1e300}' '^exp: 1e\+300 \(not epoch seconds\)$'
odd "exp with an exponent that is whole seconds" '{"exp":1.7e9}' '^exp: 1700000000 \(2023-11-14T22:13:20Z\)$'
odd "exp as an object, compact" '{"exp":{ "a" : [ 1 , 2.50 ] }}' '^exp: \{"a":\[1,2\.5\]\} \(not epoch seconds\)$'
odd "exp with an escape in a string" '{"exp":"a\u001bb\n"}' '^exp: "a\\u001bb\\n" \(not epoch seconds\)$'
odd "an empty claims object" '{}' '^claims:$'
odd "nested claims and unicode" '{"sub":"z\u00f6e","x":{"y":[1,2,{"z":null}]}}' '"sub":	"zöe"'
printf '%s' "$(jwt_of '{"alg":"RS256"}' '{"sub":"a\u001b[31mred"}' "$SIG")" > "$T/esc.jwt"
EXPECT_STDIN="$T/esc.jwt" expect_exit 0 "a control character in a claim decodes" "$JG" decode
if grep -q "$(printf '\033')" "$T/out"; then not_ok "the escape byte is not printed raw"; else ok "the escape byte is not printed raw"; fi
expect_grep 'a\\u001b\[31mred' "$T/out" "the escape character is shown as \\u001b"

# --- how the JSON is shown: as cJSON_Print has it, then DEL and C1 escaped too ------------------
# shows NAME CLAIMS WANT — the claims section equals WANT; CLAIMS and WANT are printf formats
# shellcheck disable=SC2059 # they are formats on purpose: octal escapes make the raw bytes
shows() {
	_claims=$(printf "$2")
	expect_exit 0 "$1: decodes" "$JG" decode "$(jwt_of '{"alg":"RS256"}' "$_claims" "$SIG")"
	same "$1: shown" "$(section claims < "$T/out")" "$(printf "$3")"
}
shows "an empty object" '{}' '{\n}'
shows "white space around tokens" ' {\r\n "a" :\t[ 1 ,2 ] , "b":{ } }' \
	'{\n\t"a":\t[1, 2],\n\t"b":\t{\n\t}\n}'
shows "nested arrays and objects" '{"x":[{"z":null},{},[],[{}]],"y":{"q":{}},"t":[true,false,[[]]]}' \
	'{\n\t"x":\t[{\n\t\t\t"z":\tnull\n\t\t}, {\n\t\t}, [], [{\n\t\t\t}]],\n\t"y":\t{\n\t\t"q":\t{\n\t\t}\n\t},\n\t"t":\t[true, false, [[]]]\n}'
shows "numbers as cJSON prints them" '{"a":1e3,"b":-0,"c":0.10,"d":1E+2,"e":-1.5e-7}' \
	'{\n\t"a":\t1000,\n\t"b":\t-0,\n\t"c":\t0.1,\n\t"d":\t100,\n\t"e":\t-1.5e-07\n}'
shows "big numbers as cJSON prints them" '{"big":123456789012345678901234567890,"huge":1e400,"tiny":1e-400}' \
	'{\n\t"big":\t1.2345678901234568e+29,\n\t"huge":\tnull,\n\t"tiny":\t0\n}'
shows "escapes decoded, then escaped as cJSON did" \
	'{"e":"\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\\u0041"}' \
	'{\n\t"e":\t"\\"\\\\/\\b\\f\\n\\r\\t\303\251\360\237\230\200A"\n}'
shows "raw control bytes escaped" '{"c":"\033[2J\001\177\302\233\t"}' \
	'{\n\t"c":\t"\\u001b[2J\\u0001\\u007f\\u009b\\t"\n}'
shows "escaped DEL and C1 stay escaped, a string ends at NUL" '{"c":"\\u007f\\u009b\\u0085x\\u0000y"}' \
	'{\n\t"c":\t"\\u007f\\u009b\\u0085x"\n}'
shows "UTF-8 and non-UTF-8 bytes as they are" '{"\303\266":"\342\202\254\377"}' \
	'{\n\t"\303\266":\t"\342\202\254\377"\n}'
if LC_ALL=C grep -q "$(printf '[\033\177]')" "$T/out"; then
	not_ok "no ESC or DEL byte is printed raw"
else
	ok "no ESC or DEL byte is printed raw"
fi
printf '%s' "$(jwt_of "$(printf '{"alg":"\033[31m\\u009b"}')" "$CLAIMS" "$SIG")" > "$T/alg-esc.jwt"
EXPECT_STDIN="$T/alg-esc.jwt" expect_exit 7 "a control character in alg, with --cert" "$JG" decode --cert "$C"
expect_grep 'alg is "\\u001b\[31m\\u009b"' "$T/err" "the refusal shows alg with its controls escaped"

# --- malformed input: exit 3 ---------------------------------------------------------------------
H=$(printf '%s' '{"alg":"RS256"}' | b64url)
P=$(printf '%s' "$CLAIMS" | b64url)
bad() { # NAME JWT [PATTERN]
	expect_exit 3 "malformed: $1" "$JG" decode "$2"
	[ $# -ge 3 ] && expect_grep "$3" "$T/err" "malformed: $1: says why"
	expect_no_grep "$SIG" "$T/err" "malformed: $1: no signature in the message"
}
bad "two parts" "$H.$P" "three base64url parts"
bad "one part" "$H"
bad "four parts" "$H.$P.$SIG.x" "more than three"
bad "an empty header" ".$P.$SIG"
bad "empty claims" "$H..$SIG"
bad "a character outside base64url" "$H.$P!.$SIG" "not a base64url character"
bad "standard base64 with +" "$H.$P+.$SIG" "not a base64url character"
bad "padding" "$H.$P==.$SIG"
bad "base64url of an impossible length" "$H.${P}a.$SIG" "claims set is not valid base64url"
bad "claims that are not JSON" "$H.$(printf 'hello' | b64url).$SIG" "claims set is not a JSON object"
bad "claims that are a JSON array" "$H.$(printf '[1,2]' | b64url).$SIG" "not a JSON object"
bad "claims that are a JSON string" "$H.$(printf '"x"' | b64url).$SIG" "not a JSON object"
bad "claims with text after the JSON" "$H.$(printf '{"a":1} x' | b64url).$SIG" "not a JSON object"
bad "claims with a NUL byte inside" "$H.$(printf '{"a":1}\000{}' | b64url).$SIG" "NUL"
bad "a header that is not JSON" "$(printf 'RS256' | b64url).$P.$SIG" "header is not a JSON object"
bad "a JWT inside quotes" "\"$JWT\""
bad "an empty argument" "" "no JWT given"
bad "spaces only" "   " "no JWT given"
bad "a space inside" "$H. $P.$SIG"
: > "$T/empty"
EXPECT_STDIN="$T/empty" expect_exit 3 "malformed: empty stdin" "$JG" decode
expect_grep "empty" "$T/err" "malformed: empty stdin: says so"
printf '\n \n' > "$T/blank"
EXPECT_STDIN="$T/blank" expect_exit 3 "malformed: a blank line on stdin" "$JG" decode -
head -c 17000 /dev/zero | tr '\0' 'A' > "$T/big"
EXPECT_STDIN="$T/big" expect_exit 3 "a JWT over 16 KiB on stdin" "$JG" decode
expect_grep "larger than 16384 bytes" "$T/err" "over 16 KiB: the limit is named"
expect_exit 3 "a JWT over 16 KiB as the argument" "$JG" decode "$(cat "$T/big")"
big_claims=$(python3 -c 'import json; print(json.dumps({"sub": "x" * 12000}, separators=(",", ":")))')
expect_exit 0 "a JWT just under 16 KiB decodes" "$JG" decode "$(jwt_of '{"alg":"RS256"}' "$big_claims" "$SIG")"
expect_exit 2 "two JWT arguments" "$JG" decode "$JWT" "$JWT"
expect_exit 2 "a check option" "$JG" decode "$JWT" -f "$PKI/app.key"
expect_exit 0 "decode --help" "$JG" decode --help
expect_grep "^Usage: jwtgrant decode" "$T/out" "decode --help prints its usage"
