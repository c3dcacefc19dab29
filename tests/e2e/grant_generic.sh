#!/bin/sh
# grant --provider generic (providers.md) against tests/mock/generic_mock.py, both clocks pinned
# (JWTGRANT_NOW for jwtgrant, --now for the mock) so that every output is known exactly: --help
# and usage errors; the assertion byte for byte (openssl's own JWT of the documented header and
# claims, its signature, the jti); the bearer and client-assertion bodies as the mock parsed
# them; the outputs text, json, env, github, azure and token, GITHUB_ACTIONS masking; refusals
# from the mock's real checks and forced ones, without an invented hint; --retry; --reuse keyed
# by every part of the request and bounded 60 s before expiry; no secret on stderr with -v.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

grant_suite 20
# nothing from the environment may change what is expected here (a CI may set any of these)
unset GITHUB_ACTIONS TF_BUILD JWTGRANT_REUSE JWTGRANT_CACHE_DIR XDG_CACHE_HOME JWTGRANT_NOW \
	JWTGRANT_MOCK_NOW SF_AUDIENCE_URL SFDX_AUDIENCE_URL
HOME="$T/home" # a default cache must never be one of the user's
export HOME
mkdir -p "$HOME"
T0=1900000000 # both clocks (2030-03-17T17:46:40Z): later than any build, so jwtgrant accepts it
AT=$T0        # jwtgrant's clock for the next command (JWTGRANT_NOW)
ISS=ci-issuer # the issuer the mocks expect in the bearer grant
CLIENT=ci-client # the client id they expect in the client assertion
SUB=ci-bot@example.com
TOKEN='gen.e2e-generic_0123456789-abcdefghij' # the fixed token of the main mock
CLOSED=https://localhost:1/oauth2/token       # no server: a usage error not seen is exit 4
KEY=                                          # the key file for gg (default app.key)
X5T=$(openssl x509 -in "$PKI/app.crt" -outform DER | openssl dgst -sha1 -binary | b64url)

# --- running jwtgrant ---------------------------------------------------------------------------
# gx CODE NAME VAR=VALUE [ARGS...] — grant --provider generic with one more environment variable
# (JG_NONE= when none), its clock at $AT, the test CA trusted, bounded
gx() {
	_c=$1 _n=$2 _e=$3
	shift 3
	expect_exit "$_c" "$_n" env "JWTGRANT_NOW=$AT" "$_e" "$JG" grant --provider generic \
		--cacert "$PKI/ca.crt" --max-time 10 "$@"
}
gg() { # CODE NAME [ARGS...] — gx to the latest mock's URL with the key ${KEY:-app.key}
	_gc=$1 _gn=$2
	shift 2
	gx "$_gc" "$_gn" JG_NONE= --token-url "$XMOCK_URL" --jwt-key-file "${KEY:-$PKI/app.key}" \
		"$@"
}
gb() { # CODE NAME [ARGS...] — the bearer grant as $ISS
	_bc=$1 _bn=$2
	shift 2
	gg "$_bc" "$_bn" --issuer "$ISS" "$@"
}
gc() { # CODE NAME [ARGS...] — the client assertion as $CLIENT
	_cc=$1 _cn=$2
	shift 2
	gg "$_cc" "$_cn" --client-assertion --client-id "$CLIENT" "$@"
}
usage() { # NAME PATTERN [ARGS...] — grant to a closed port: exit 2, one line matching PATTERN
	_un=$1 _up=$2
	shift 2
	gx 2 "$_un: exit 2" JG_NONE= --jwt-key-file "$PKI/app.key" "$@"
	if [ "$(wc -l < "$T/err")" -eq 1 ] && grep -E -q -e "^jwtgrant: .*$_up" "$T/err"; then
		ok "$_un: one line naming it"
	else
		not_ok "$_un: one line naming it" "want: $_up" "got: $(head -n 3 "$T/err")"
	fi
}
assertion() { # CODE NAME [ARGS...] — jwtgrant assertion --provider generic at $AT, app.key
	_ac=$1 _an=$2
	shift 2
	expect_exit "$_ac" "$_an" env "JWTGRANT_NOW=$AT" "$JG" assertion --provider generic \
		--token-url "$CLOSED" --jwt-key-file "$PKI/app.key" "$@"
}

# --- checking results ---------------------------------------------------------------------------
want() { # LINE... — $T/want holds these lines
	printf '%s\n' "$@" > "$T/want"
}
same_file() { # A B NAME — byte for byte equal
	if cmp -s "$1" "$2"; then
		ok "$3"
	else
		not_ok "$3" "got:  $(head -c 400 "$1" 2>&1)" "want: $(head -c 400 "$2" 2>&1)"
	fi
}
is_empty() { # FILE NAME
	if [ -s "$1" ]; then not_ok "$2" "$(head -c 300 "$1")"; else ok "$2"; fi
}
line_is() { # N TEXT NAME — line N of $T/err is exactly TEXT
	_got=$(sed -n "$1p" "$T/err")
	if [ "$_got" = "$2" ]; then ok "$3"; else not_ok "$3" "got:  $_got" "want: $2"; fi
}
has_line() { # NAME TEXT — some line of $T/err is exactly TEXT
	if grep -F -x -q -e "$2" "$T/err"; then
		ok "$1"
	else
		not_ok "$1" "no line is exactly: $2" "$(head -n 8 "$T/err")"
	fi
}
mode_is_600() { # FILE NAME — a regular file of mode 0600
	_m=$(find "$1" -maxdepth 0 -type f -printf '%m' 2>/dev/null)
	if [ "$_m" = 600 ]; then ok "$2"; else not_ok "$2" "mode ${_m:-(missing)}"; fi
}
iso_at() { # EPOCH — as jwtgrant writes times
	"$JG_PY" -c 'import sys, time
print(time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(sys.argv[1]))))' "$1"
}

# py NAME EXPR [ARG...] — ok when the python3 expression EXPR holds; in it: a (the ARGs),
# part(JWT, I) (the bytes of a JWT's part I), load(PATH) (a JSON file), posts() (the token
# requests the latest mock logged, dicts), last() (the latest of them)
PY_LIB='import base64, json, os, sys
a = sys.argv[1:]
def part(jwt, i):
    s = jwt.strip().split(".")[i]
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)
def posts():
    with open(os.environ["XMOCK_LOG"], encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.startswith("{\"method\":\"POST\"")]
def last():
    return posts()[-1]
'
py() {
	_pn=$1 _pe=$2
	shift 2
	if XMOCK_LOG=$XMOCK_LOG "$JG_PY" -c "$PY_LIB
sys.exit(0 if ($_pe) else 1)" "$@" > "$T/py.err" 2>&1; then
		ok "$_pn"
	else
		not_ok "$_pn" "$(tail -n 2 "$T/py.err")" "$(head -c 300 "$T/out")"
	fi
}

requests() { # — how many token requests the latest mock logged
	_r=$(grep -c '^{"method":"POST","path":"/oauth2/token"' "$XMOCK_LOG" 2>/dev/null)
	echo "${_r:-0}"
}
mark() { MARK=$(requests); }
new_requests() { # NAME N — the mock logged N token requests since mark; marks again
	_r=$(($(requests) - MARK))
	if [ "$_r" -eq "$2" ]; then ok "$1: $2 new token request(s)"; else
		not_ok "$1: $2 new token request(s)" "got $_r"; fi
	mark
}

# refused NAME STATUS ERROR DESCRIPTION [AUDIENCE] — the last grant was refused as documented:
# nothing on stdout, the first line, error and error_description verbatim, the token URL and
# audience used, and no hint line (a generic endpoint's errors have no known meaning)
refused() {
	is_empty "$T/out" "$1: nothing on stdout"
	line_is 1 "jwtgrant: the token request was refused (HTTP $2): $3: $4" "$1: the first line"
	has_line "$1: error verbatim" "error: $3"
	has_line "$1: error_description verbatim" "error_description: $4"
	has_line "$1: the token URL" "token URL: $XMOCK_URL"
	has_line "$1: the audience" "audience: ${5:-$XMOCK_URL}"
	expect_no_grep '^hint:' "$T/err" "$1: no invented hint"
}

# =================================================================================================
# --help and usage errors: a closed token URL, so an error not seen would be exit 4.
"$JG" grant --provider generic --help > "$T/xhelp" 2>&1
expect_exit 0 "grant --provider generic --help: exit 0" "$JG" grant --provider generic --help
for o in --token-url --issuer --claim --jwt-header --jti --client-assertion --x5t --form --cert; do
	expect_grep "^ +$o " "$T/xhelp" "grant --provider generic --help lists $o"
done
for o in --username --credentials --passphrase-env; do
	expect_no_grep "^ .*$o " "$T/xhelp" "grant --provider generic --help does not list $o"
done

U="--token-url $CLOSED"
usage "no --token-url" '--token-url' --issuer "$ISS"
# shellcheck disable=SC2086 # $U is two words on purpose
{
	usage "neither --issuer nor --client-id" '--issuer' $U
	usage "--client-assertion without --client-id" '--client-id' $U --client-assertion
	usage "--client-assertion with --issuer" '--issuer' $U --client-assertion \
		--client-id "$CLIENT" --issuer "$ISS"
	usage "--client-assertion with --jwt-subject" '--jwt-subject' $U --client-assertion \
		--client-id "$CLIENT" --jwt-subject "$SUB"
	for c in iss:--issuer sub:--jwt-subject aud:--audience exp:--lifetime iat:--lifetime \
		jti:--jti; do
		usage "--claim ${c%%:*}=x" "--claim ${c%%:*}.*use ${c#*:}" $U --issuer "$ISS" \
			--claim "${c%%:*}=x"
	done
	usage "--claim given twice with one name" '--claim t.*twice' $U --issuer "$ISS" \
		--claim t=a --claim 't:=1'
	usage "--claim without '='" '--claim' $U --issuer "$ISS" --claim tenant
	usage "--claim x:=\"s\" (a JSON string)" '--claim x.*x=TEXT' $U --issuer "$ISS" \
		--claim 'x:="s"'
	for h in alg typ x5t; do
		usage "--jwt-header $h=x" "--jwt-header $h" $U --issuer "$ISS" --jwt-header "$h=x"
	done
	for f in grant_type assertion; do
		usage "--form $f=x" "--form $f" $U --issuer "$ISS" --form "$f=x"
	done
	usage "--form scope=x" '--form scope.*use --scope' $U --issuer "$ISS" --form scope=x
	usage "--form without '='" '--form' $U --issuer "$ISS" --form client_id
	usage "--x5t without --cert" '--cert' $U --issuer "$ISS" --x5t
	usage "--cert without --x5t" '--x5t' $U --issuer "$ISS" --cert "$PKI/app.crt"
	for o in --username --credentials; do
		usage "$o with --provider generic" \
			"$o is not an option of grant --provider generic" $U --issuer "$ISS" "$o" x
	done
}
usage "an http:// --token-url" '--token-url' --token-url http://localhost:1/oauth2/token \
	--issuer "$ISS"
usage "a --token-url with a query" '--token-url' --token-url "$CLOSED?a=b" --issuer "$ISS"

# =================================================================================================
# The assertion, byte for byte: the openssl CLI signs the documented header and claims with the
# same key, and RS256 (PKCS#1 v1.5) is deterministic, so the JWTs must be equal. A jti is random:
# it is read from jwtgrant's JWT and put into the claims openssl signs.
HDR='{"alg":"RS256","typ":"JWT"}'
jti_of() { # JWT — its jti claim (empty when none)
	"$JG_PY" -c "$PY_LIB"'
print(json.loads(part(a[0], 1)).get("jti", ""))' "$1"
}
known() { # NAME HEADER CLAIMS [ARGS...] — assertion ARGS prints openssl's JWT of HEADER and
	# CLAIMS (where CLAIMS says @JTI@, the jti of jwtgrant's JWT); both parts checked as bytes
	_kn=$1 _kh=$2 _kc=$3
	shift 3
	assertion 0 "$_kn: exit 0" "$@"
	_kj=$(cat "$T/out")
	_kc=$(printf '%s' "$_kc" | sed "s/@JTI@/$(jti_of "$_kj")/")
	py "$_kn: the header, byte for byte" 'part(a[0], 0) == a[1].encode()' "$_kj" "$_kh"
	py "$_kn: the claims, byte for byte" 'part(a[0], 1) == a[1].encode()' "$_kj" "$_kc"
	make_jwt "$PKI/app.key" "$_kc" "$_kh" > "$T/want"
	same_file "$T/out" "$T/want" "$_kn: the JWT openssl makes of them"
}
A="\"aud\":\"$CLOSED\",\"exp\":$((T0 + 180)),\"iat\":$T0"
known "--issuer: iss, aud = --token-url, lifetime 180" "$HDR" "{\"iss\":\"$ISS\",$A}" \
	--issuer "$ISS"
JWT=$(cat "$T/out")
printf '%s' "${JWT%.*}" > "$T/signed"
printf '%s' "${JWT##*.}" | tr -- '-_' '+/' | awk '{ while (length($0) % 4) $0 = $0 "="; print }' |
	openssl base64 -d -A > "$T/sig"
if openssl dgst -sha256 -verify "$PKI/app-pub.pem" -signature "$T/sig" "$T/signed" > /dev/null
then ok "the signature verifies with openssl against app-pub.pem"
else not_ok "the signature verifies with openssl against app-pub.pem"; fi
known "--client-id alone: it is iss" "$HDR" "{\"iss\":\"$CLIENT\",$A}" --client-id "$CLIENT"
known "--issuer wins over --client-id" "$HDR" "{\"iss\":\"$ISS\",$A}" --client-id "$CLIENT" \
	--issuer "$ISS"
C="{\"iss\":\"$ISS\",\"sub\":\"$SUB\",\"aud\":\"https://aud.example/t\""
known "--jwt-subject, --audience, --lifetime 600" "$HDR" "$C,\"exp\":$((T0 + 600)),\"iat\":$T0}" \
	--issuer "$ISS" --jwt-subject "$SUB" --audience https://aud.example/t --lifetime 600
known "--jti: jti after iat" "$HDR" "{\"iss\":\"$ISS\",$A,\"jti\":\"@JTI@\"}" --issuer "$ISS" \
	--jti
J1=$(jti_of "$(cat "$T/out")")
py "--jti: 22 base64url characters of 128 bits" 'len(a[0]) == 22 and set(a[0]) <=
	set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") and
	len(base64.urlsafe_b64decode(a[0] + "==")) == 16 and
	base64.urlsafe_b64encode(base64.urlsafe_b64decode(a[0] + "==")) == a[0].encode() + b"=="' \
	"$J1"
assertion 0 "--jti again: exit 0" --issuer "$ISS" --jti
J2=$(jti_of "$(cat "$T/out")")
py "--jti: two assertions, two jti" 'a[0] != a[1] and len(a[1]) == 22' "$J1" "$J2"
known "--client-assertion: iss = sub = --client-id, jti always" "$HDR" \
	"{\"iss\":\"$CLIENT\",\"sub\":\"$CLIENT\",$A,\"jti\":\"@JTI@\"}" --client-assertion \
	--client-id "$CLIENT"
# --claim members after the standard ones, in order; JSON written compact as cJSON prints it
C="{\"iss\":\"$ISS\",$A,\"n\":[1,2,{\"a\":true}],\"s\":\"a\\\"b\\\\c/é\",\"b\":true"
C="$C,\"z\":null,\"k\":-7,\"one\":\"1\",\"uno\":1}" # '"' and '\' escaped, '/' and UTF-8 not
known "--claim: after the standard claims, in order, compact" "$HDR" "$C" --issuer "$ISS" \
	--claim 'n:=[1, 2,{"a" : true}]' --claim 's=a"b\c/é' --claim 'b:=true' --claim 'z:=null' \
	--claim 'k:=-7' --claim one=1 --claim 'uno:=1'
known "--jwt-header members after alg and typ, in order, then x5t" \
	"{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"k/\\\"1\",\"cty\":\"x\",\"x5t\":\"$X5T\"}" \
	"{\"iss\":\"$ISS\",$A}" --issuer "$ISS" --jwt-header 'kid=k/"1' --jwt-header cty=x --x5t \
	--cert "$PKI/app.crt"
# the key from an environment variable, and encrypted with --passphrase-env: the same JWT
expect_exit 0 "--jwt-key-env: exit 0" env "JWTGRANT_NOW=$T0" "JG_KEY=$(cat "$PKI/app.key")" \
	"$JG" assertion --provider generic --token-url "$CLOSED" --issuer "$ISS" \
	--jwt-key-env JG_KEY
printf '%s\n' "$JWT" > "$T/want"
same_file "$T/out" "$T/want" "--jwt-key-env: the JWT of --jwt-key-file"
openssl pkcs8 -topk8 -in "$PKI/app.key" -v2 aes-256-cbc -passout pass:e2e-secret \
	-out "$T/enc.pem" 2> /dev/null
expect_exit 0 "an encrypted key with --passphrase-env: exit 0" env "JWTGRANT_NOW=$T0" \
	JG_PASS=e2e-secret "$JG" assertion --provider generic --token-url "$CLOSED" \
	--issuer "$ISS" --jwt-key-file "$T/enc.pem" --passphrase-env JG_PASS
same_file "$T/out" "$T/want" "an encrypted key: the JWT of the plain key"

# =================================================================================================
# The main mock: a fixed token, the pinned clock, known issuer and client, lifetime up to 600.
start_generic_mock --now "$T0" --access-token "$TOKEN" --issuer "$ISS" --client-id "$CLIENT" \
	--max-lifetime 600 --max-life 300 || exit 1
mark
EXP=$(iso_at $((T0 + 3600))) # the mock's default expires_in
gb 0 "text: exit 0"
want "Obtained an access token for $ISS (generic), expires $EXP"
same_file "$T/out" "$T/want" "text: exactly the documented line"
is_empty "$T/err" "text: nothing on stderr"
cp "$T/out" "$T/plain.text"
new_requests "one grant" 1
py "bearer: the mock got header alg, typ" 'list(last()["jwt_header"].items()) == [("alg",
	"RS256"), ("typ", "JWT")]'
py "bearer: the mock got iss, aud, exp = iat + 180, iat, in that order" \
	'list(last()["jwt_claims"].items()) == [("iss", a[0]), ("aud", a[1]),
	("exp", int(a[2]) + 180), ("iat", int(a[2]))]' "$ISS" "$XMOCK_URL" "$T0"
py "bearer: the body is grant_type jwt-bearer and assertion" \
	'last()["form_keys"] == ["grant_type", "assertion"] and last()["form"]["grant_type"] ==
	"urn:ietf:params:oauth:grant-type:jwt-bearer" and last()["shape"] == "bearer"'

gb 0 "json: exit 0" --output json
py "json: exactly the documented object, scope null" 'load(a[0]) == {"status": 0, "result": {
	"provider": "generic", "accessToken": a[1], "tokenType": "Bearer", "expiresIn": 3600,
	"expiresAt": a[2], "scope": None}, "warnings": []}' "$T/out" "$TOKEN" "$EXP"
cp "$T/out" "$T/plain.json"
gb 0 "env: exit 0" --output env
want "ACCESS_TOKEN='$TOKEN'" "ACCESS_TOKEN_EXPIRES_AT='$EXP'"
same_file "$T/out" "$T/want" "env: ACCESS_TOKEN and ACCESS_TOKEN_EXPIRES_AT, no Google names"
cp "$T/out" "$T/plain.env"
gb 0 "github: exit 0" --output github
want "ACCESS_TOKEN=$TOKEN" "ACCESS_TOKEN_EXPIRES_AT=$EXP"
same_file "$T/out" "$T/want" "github: two NAME=value lines"
gb 0 "azure: exit 0" --output azure
V='##vso[task.setvariable variable'
want "$V=ACCESS_TOKEN;issecret=true]$TOKEN" "$V=ACCESS_TOKEN_EXPIRES_AT]$EXP"
same_file "$T/out" "$T/want" "azure: the token secret, the expiry not"
gb 0 "token: exit 0" --output token
want "$TOKEN"
same_file "$T/out" "$T/want" "token: the token and a newline"
cp "$T/out" "$T/plain.token"
gb 0 "--output-file (json): exit 0" --output json --output-file "$T/of.json"
is_empty "$T/out" "--output-file: stdout is empty"
mode_is_600 "$T/of.json" "--output-file: mode 0600"
same_file "$T/of.json" "$T/plain.json" "--output-file: what stdout had"

# GitHub Actions: the add-mask line on stderr before anything else, stdout unchanged
want "::add-mask::$TOKEN"
cp "$T/want" "$T/mask"
for fmt in token env; do
	gx 0 "$fmt, GITHUB_ACTIONS=true: exit 0" GITHUB_ACTIONS=true --token-url "$XMOCK_URL" \
		--jwt-key-file "$PKI/app.key" --issuer "$ISS" --output "$fmt"
	same_file "$T/out" "$T/plain.$fmt" "$fmt, GITHUB_ACTIONS=true: stdout unchanged"
	same_file "$T/err" "$T/mask" "$fmt, GITHUB_ACTIONS=true: stderr is ::add-mask::<token>"
done
timeout -k 5 "$JG_CMD_TIMEOUT" env JWTGRANT_NOW="$T0" GITHUB_ACTIONS=true "$JG" grant \
	--provider generic --token-url "$XMOCK_URL" --jwt-key-file "$PKI/app.key" --issuer "$ISS" \
	--cacert "$PKI/ca.crt" --max-time 10 < /dev/null > "$T/both" 2>&1
cat "$T/mask" "$T/plain.text" > "$T/want"
same_file "$T/both" "$T/want" "GITHUB_ACTIONS=true, both streams in one: the mask comes first"

# --instance-url is ignored; an encrypted key works on the wire too
gb 0 "--instance-url: exit 0" --instance-url https://x.my.salesforce.com
want 'jwtgrant: warning: --instance-url is ignored with --provider generic'
same_file "$T/err" "$T/want" "--instance-url: exactly the warning on stderr"
same_file "$T/out" "$T/plain.text" "--instance-url: the usual line"
gx 0 "an encrypted key with --passphrase-env: grant exit 0" JG_PASS=e2e-secret \
	--token-url "$XMOCK_URL" --jwt-key-file "$T/enc.pem" --passphrase-env JG_PASS \
	--issuer "$ISS"
same_file "$T/out" "$T/plain.text" "an encrypted key: the usual line"

# The bodies: the mock's log holds the form as it parsed it, so every value must come back
# exactly (spaces, '&', '=', '+', '%' and UTF-8 survive only when percent-encoded)
gb 0 "bearer, --scope and --form: exit 0" --scope 'api://x/.default' --scope 'a+b&c=d%' \
	--form 'client_id=box app' --form 'x y=1 & 2=é' --form 'z&=3+ 4' --form 'ü='
py "bearer: the fields in order: grant_type, assertion, scope, the --form fields" \
	'last()["form_keys"] == ["grant_type", "assertion", "scope", "client_id", "x y", "z&",
	"ü"]'
py "bearer: scope space-joined and every --form value exact" 'last()["form"] == {
	"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "scope":
	"api://x/.default a+b&c=d%", "client_id": "box app", "x y": "1 & 2=é", "z&": "3+ 4",
	"ü": ""} and last()["verdict"] == "granted"'
gg 0 "bearer with --client-id alone: exit 0" --client-id "$ISS"
py "bearer with --client-id alone: it is iss" 'last()["jwt_claims"]["iss"] == a[0]' "$ISS"
gc 0 "client assertion with --scope and --form: exit 0" --scope api --form 'resource=a b&c'
py "client assertion: grant_type, client_assertion_type, client_assertion, scope, --form" \
	'last()["form_keys"] == ["grant_type", "client_assertion_type", "client_assertion", "scope",
	"resource"] and last()["form"] == {"grant_type": "client_credentials",
	"client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
	"scope": "api", "resource": "a b&c"} and last()["shape"] == "client_assertion"'
py "client assertion: iss = sub = --client-id, then aud, exp, iat, jti" \
	'list(last()["jwt_claims"]) == ["iss", "sub", "aud", "exp", "iat", "jti"] and
	last()["jwt_claims"]["iss"] == a[0] == last()["jwt_claims"]["sub"]' "$CLIENT"
gc 0 "client assertion, text: exit 0"
want "Obtained an access token for $CLIENT (generic), expires $EXP"
same_file "$T/out" "$T/want" "client assertion, text: names the client"
py "two client assertions in a row: both granted, two different jti" \
	'[p["verdict"] for p in posts()[-2:]] == ["granted"] * 2 and
	posts()[-1]["jwt_claims"]["jti"] != posts()[-2]["jwt_claims"]["jti"]'
gc 0 "client assertion with --x5t: exit 0" --x5t --cert "$PKI/app.crt"
py "--x5t: the mock got x5t last in the header" 'list(last()["jwt_header"].items()) == [("alg",
	"RS256"), ("typ", "JWT"), ("x5t", a[0])] and last()["verdict"] == "granted"' "$X5T"

# Refusals made by the mock's real checks: no hint (generic errors have no known meaning)
mark
KEY="$PKI/app2.key"
gb 1 "bearer, another key: exit 1"
refused "bearer, another key" 400 invalid_grant 'JWT signature does not verify'
new_requests "a refusal is not retried" 1
gc 1 "client assertion, another key: exit 1"
refused "client assertion, another key" 401 invalid_client 'JWT signature does not verify'
KEY=
gb 1 "--audience other: exit 1" --audience other
refused "--audience other" 400 invalid_grant "JWT aud must be $XMOCK_URL" other
gc 1 "client assertion, --audience other: exit 1" --audience other
refused "client assertion, --audience other" 401 invalid_client "JWT aud must be $XMOCK_URL" \
	other
gb 1 "--lifetime 601 over the mock's 600: exit 1" --lifetime 601
refused "--lifetime 601" 400 invalid_grant 'JWT lifetime exceeds 600 seconds'
gb 0 "--lifetime 600: exit 0" --lifetime 600
gx 1 "an unknown --issuer: exit 1" JG_NONE= --token-url "$XMOCK_URL" \
	--jwt-key-file "$PKI/app.key" --issuer someone-else
refused "an unknown --issuer" 400 invalid_grant 'unknown issuer someone-else'
gg 1 "client assertion, an unknown --client-id: exit 1" --client-assertion --client-id nobody
refused "an unknown client" 401 invalid_client 'unknown client nobody'
_sent=$(wc -l < "$XMOCK_LOG")
gc 3 "--x5t with a certificate of another key: exit 3" --x5t --cert "$PKI/server.crt"
if [ "$(wc -l < "$T/err")" -eq 1 ] && grep -q -F -e "jwtgrant: --cert $PKI/server.crt does not hold the public key of the key that signs" "$T/err"; then
	ok "--x5t with a certificate of another key: one line naming --cert"
else
	not_ok "--x5t with a certificate of another key: one line naming --cert" "$(head -c 300 "$T/err")"
fi
if [ "$(wc -l < "$XMOCK_LOG")" -eq "$_sent" ]; then
	ok "--x5t with a certificate of another key: nothing sent"
else
	not_ok "--x5t with a certificate of another key: nothing sent"
fi
# A certificate of the same key that the endpoint does not know: its refusal, verbatim.
if openssl req -new -x509 -key "$PKI/app.key" -subj /CN=unregistered -days 2 \
	-out "$T/unregistered.crt" 2> "$T/openssl.err"; then
	gc 1 "--x5t of an unregistered certificate of the key: exit 1" --x5t \
		--cert "$T/unregistered.crt"
	refused "--x5t of an unregistered certificate" 401 invalid_client \
		'JWT header x5t names no known certificate'
else
	not_ok "openssl makes a second certificate for the key" "$(head -n 3 "$T/openssl.err")"
fi
gb 1 "--json refusal: exit 1" --audience other --json
py "--json refusal: the failure envelope on stdout" 'load(a[0]) == {"status": 1,
	"name": "JwtGrantError", "message": "the token request was refused (HTTP 400): " + a[1],
	"exitCode": 1, "code": "invalid_grant", "commandName": "grant", "warnings": []}' "$T/out" \
	"invalid_grant: JWT aud must be $XMOCK_URL"

# No secret on stderr with -v: no line of a key, no JWT part (eyJ), not the token
grep -v -e '-----' "$PKI/app.key" > "$T/key.lines"
grep -v -e '-----' "$PKI/app2.key" >> "$T/key.lines"
no_secrets() { # NAME FILE... — none holds a key line, eyJ or the token
	_n=$1
	shift
	if grep -F -q -f "$T/key.lines" "$@"; then not_ok "$_n: no line of a private key"
	else ok "$_n: no line of a private key"; fi
	if grep -F -q -e eyJ -e "$TOKEN" "$@"; then
		not_ok "$_n: no JWT nor token" "$(grep -F -e eyJ -e "$TOKEN" "$@" | head -c 300)"
	else
		ok "$_n: no JWT nor token"
	fi
}
gb 0 "-v bearer: exit 0" -v --jti --output token
expect_grep 'HTTP 200' "$T/err" "-v traces the exchange"
no_secrets "-v bearer, stderr" "$T/err"
gc 0 "-v client assertion: exit 0" -v --output token
no_secrets "-v client assertion, stderr" "$T/err"
KEY="$PKI/app2.key"
gb 1 "-v another key: exit 1" -v
no_secrets "-v another key, stderr" "$T/err"
KEY=
stop_generic_mock

# =================================================================================================
# A demanding mock: each requirement left out (or wrong) is its own refusal.
start_generic_mock --now "$T0" --issuer "$ISS" --subject "$SUB" --require-jti --require-x5t \
	--require-claim 'tenant="acme"' --require-claim 'level=1' \
	--require-form 'client_id=box app' --require-scope read || exit 1
strict() { # CODE NAME SKIP [ARGS...] — the bearer grant meeting every requirement but SKIP
	_sc=$1 _sn=$2 _skip=$3
	shift 3
	[ "$_skip" = jti ] || set -- "$@" --jti
	[ "$_skip" = x5t ] || set -- "$@" --x5t --cert "$PKI/app.crt"
	[ "$_skip" = sub ] || set -- "$@" --jwt-subject "$SUB"
	[ "$_skip" = tenant ] || set -- "$@" --claim tenant=acme
	[ "$_skip" = level ] || set -- "$@" --claim 'level:=1'
	[ "$_skip" = form ] || set -- "$@" --form 'client_id=box app'
	[ "$_skip" = scope ] || set -- "$@" --scope read
	gb "$_sc" "$_sn" "$@"
}
strict 0 "every requirement met: exit 0" none
strict 1 "--require-jti without --jti: exit 1" jti
refused "--require-jti without --jti" 400 invalid_grant 'JWT jti is required'
strict 1 "--require-x5t without --x5t: exit 1" x5t
refused "--require-x5t without --x5t" 400 invalid_grant 'JWT header x5t is required'
strict 1 "--subject without --jwt-subject: exit 1" sub
refused "no --jwt-subject" 400 invalid_grant "JWT sub must be $SUB"
strict 1 "--require-claim tenant, other value: exit 1" tenant --claim tenant=other
refused "--require-claim mismatch" 400 invalid_grant 'JWT claim tenant must be "acme"'
strict 1 "--require-claim level=1, given level=1 (a string): exit 1" level --claim level=1
refused "a string where the number is required" 400 invalid_grant 'JWT claim level must be 1'
strict 1 "--require-form missing: exit 1" form
refused "--require-form missing" 400 invalid_request 'form parameter client_id must be box app'
strict 1 "--require-scope missing: exit 1" scope
refused "--require-scope missing" 400 invalid_scope 'scope read is required'
stop_generic_mock

# Forced refusals: the server's words verbatim, the status it chose, no hint
forced() { # STATUS ERROR DESCRIPTION [MOCK_ARGS...] — one bearer grant against --refuse
	_fs=$1 _fe=$2 _fd=$3
	shift 3
	start_generic_mock --now "$T0" --refuse "$_fe:$_fd" "$@" || return 0
	gb 1 "--refuse $_fe: exit 1"
	refused "--refuse $_fe" "$_fs" "$_fe" "$_fd"
	stop_generic_mock
}
forced 400 access_denied 'the account "ci" is locked: ask an admin \\ today'
forced 401 invalid_client 'Client authentication failed.'

# =================================================================================================
# --expires-in 0: the answer says nothing of expiry
if start_generic_mock --now "$T0" --access-token "$TOKEN" --expires-in 0; then
	gb 0 "no expires_in, text: exit 0"
	want "Obtained an access token for $ISS (generic), expires unknown"
	same_file "$T/out" "$T/want" "no expires_in, text: expires unknown"
	gb 0 "no expires_in, json: exit 0" --json --scope read
	py "no expires_in, json: expiresIn and expiresAt null" 'load(a[0]) == {"status": 0,
		"result": {"provider": "generic", "accessToken": a[1], "tokenType": "Bearer",
		"expiresIn": None, "expiresAt": None, "scope": "read"}, "warnings": []}' "$T/out" \
		"$TOKEN"
	gb 0 "no expires_in, env: exit 0" --output env
	want "ACCESS_TOKEN='$TOKEN'"
	same_file "$T/out" "$T/want" "no expires_in, env: ACCESS_TOKEN alone"
	stop_generic_mock
fi

# =================================================================================================
# --retry: a 503 is retried with a fresh assertion; one that never ends is exit 6.
if start_generic_mock --now "$T0" --mode fail-then-ok --fail-count 1 --require-jti; then
	gc 0 "--retry 2, client assertion, one 503 then a token: exit 0" --retry 2 --output token
	MARK=0
	new_requests "--retry 2, one 503" 2
	py "--retry: each attempt has its own jti" 'len(posts()) == 2 and
		posts()[0]["jwt_claims"]["jti"] != posts()[1]["jwt_claims"]["jti"] and
		posts()[1]["verdict"] == "granted"'
	stop_generic_mock
fi
if start_generic_mock --now "$T0" --mode always-503; then
	gb 6 "--retry 2, always 503: exit 6" --retry 2
	MARK=0
	new_requests "--retry 2, always 503" 3
	is_empty "$T/out" "--retry 2, always 503: nothing on stdout"
	stop_generic_mock
fi

# =================================================================================================
# --reuse: random tokens (a reused one is recognisable), expires_in 100, any issuer or client.
# The request carries a --jwt-subject; one without is checked on its own.
start_generic_mock --now "$T0" --expires-in 100 --max-life 300 || exit 1
mark
CACHE="$T/cache"
r_defaults() { # the request rg makes, one setting a variable (R_SUB empty: no --jwt-subject)
	R_KEY=$PKI/app.key R_WHO=--issuer R_ID=$ISS R_SUB=$SUB R_SCOPE=read R_TENANT=acme
	R_LEVEL=level=1 R_KID=k1 R_FORM=client_id=app R_AUD=$XMOCK_URL
}
r_defaults
rg() { # CODE NAME [ARGS...] — grant --reuse 600 in $CACHE, the request of the R_* variables
	_rc=$1 _rn=$2
	shift 2
	[ -z "$R_SUB" ] || set -- --jwt-subject "$R_SUB" "$@"
	gx "$_rc" "$_rn" JG_NONE= --token-url "$XMOCK_URL" --jwt-key-file "$R_KEY" \
		"$R_WHO" "$R_ID" --scope "$R_SCOPE" --claim "tenant=$R_TENANT" --claim "$R_LEVEL" \
		--jwt-header "kid=$R_KID" --form "$R_FORM" --audience "$R_AUD" --reuse 600 \
		--cache-dir "$CACHE" "$@"
}
rg 0 "reuse: the first grant" --output json
new_requests "reuse: the first grant" 1
cp "$T/out" "$T/fresh.json"
TOK=$("$JG_PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))["result"]["accessToken"])' \
	"$T/fresh.json")
rg 0 "reuse (json): exit 0" --output json
same_file "$T/out" "$T/fresh.json" "reuse (json): the stdout of the fresh grant"
for fmt in text token; do
	rg 0 "reuse ($fmt): exit 0" --output "$fmt"
	cp "$T/out" "$T/reuse1"
	rg 0 "reuse ($fmt) again: exit 0" --output "$fmt"
	same_file "$T/out" "$T/reuse1" "reuse ($fmt): the same stdout twice"
done
want "$TOK"
same_file "$T/out" "$T/want" "reuse: the token the first grant obtained"
new_requests "reuse: 5 more grants" 0
rg 0 "reuse -v: exit 0" -v
expect_grep 'reusing a token obtained 0 s ago' "$T/err" "reuse -v: says so"

E=$(find "$CACHE" -type f ! -name '*.lock' | head -n 1)
mode_is_600 "$E" "cache entry: mode 0600"
expect_grep '"provider":"generic"' "$E" "cache entry: \"provider\":\"generic\""
openssl pkey -in "$PKI/app.key" -outform DER 2> /dev/null | openssl base64 -A > "$T/der64"
{
	grep -v -e '-----' "$PKI/app.key"
	cut -c 200-263 "$T/der64"
	tr '+/' '-_' < "$T/der64" | tr -d '=' | cut -c 200-263
} > "$T/secret.lines"
if grep -F -q -f "$T/secret.lines" "$E"; then not_ok "cache entry: no key material" "$(cat "$E")"
else ok "cache entry: no line of the key, no base64 of its DER"; fi

# each part of the request gives a new request
changed() { # ASSIGNMENTS CODE NAME [ARGS...] — rg with the R_* ASSIGNMENTS: one new request
	_ca=$1 _cc=$2 _cn=$3
	shift 3
	eval "$_ca"
	rg "$_cc" "reuse, $_cn: exit $_cc" "$@"
	new_requests "reuse, $_cn" 1
	r_defaults
}
changed R_SCOPE=write 0 "another --scope"
changed R_TENANT=other 0 "another --claim value"
changed "R_LEVEL='level:=1'" 0 "level:=1 instead of level=1"
changed R_KID=k2 0 "another --jwt-header"
changed R_FORM=client_id=app2 0 "another --form"
changed R_ID=other-issuer 0 "another --issuer"
changed R_AUD=other 1 "another --audience (refused)"
changed "R_KEY='$PKI/app2.key'" 1 "another key (refused)"
# the bearer grant as the client (iss = sub = $CLIENT), then the client assertion: the same
# iss, sub and aud, but another shape
changed "R_WHO=--client-id R_ID=$CLIENT R_SUB=$CLIENT" 0 "bearer, iss = sub = $CLIENT"
changed "R_WHO=--client-id R_ID=$CLIENT R_SUB=" 0 "--client-assertion after that bearer" \
	--client-assertion
rg 0 "reuse, the first request again: exit 0"
new_requests "reuse, the first request again" 0
# without --jwt-subject (the request's sub is absent)
CACHE="$T/cache-nosub"
R_SUB=
if rg 0 "reuse without --jwt-subject: exit 0" --output token; then
	new_requests "reuse without --jwt-subject" 1
	rg 0 "reuse without --jwt-subject, again: exit 0" --output token
	new_requests "reuse without --jwt-subject, again" 0
fi
mark
r_defaults

# expiry: expires_in 100, so reused at +30 s (70 s left) and not at +50 s (50 s left, under 60)
CACHE="$T/cache2"
rg 0 "expiry: obtained at T0" --output json
new_requests "expiry: obtained at T0" 1
AT=$((T0 + 30))
rg 0 "expiry: T0 + 30 s: exit 0" --output json
new_requests "expiry: reused at T0 + 30 s" 0
py "expiry: at T0 + 30 s, expiresAt is still T0 + 100 and expiresIn 70" \
	'load(a[0])["result"]["expiresAt"] == a[1] and load(a[0])["result"]["expiresIn"] == 70' \
	"$T/out" "$(iso_at $((T0 + 100)))"
AT=$((T0 + 50))
rg 0 "expiry: T0 + 50 s: exit 0" --output json
new_requests "expiry: not reused within 60 s of expiry (T0 + 50 s)" 1
py "expiry: the new token expires at T0 + 150" 'load(a[0])["result"]["expiresAt"] == a[1]' \
	"$T/out" "$(iso_at $((T0 + 150)))"
AT=$T0
stop_generic_mock
