#!/bin/sh
# grant --provider google (providers.md) against tests/mock/google_mock.py, both clocks pinned
# (JWTGRANT_NOW for jwtgrant, --now for the mock) so that every output is known exactly: usage
# errors; the JSON key file and its faults; the assertion byte for byte (openssl's own JWT, its
# signature, decode --cert); the outputs text, json, env, github, azure and token, --output-file,
# GITHUB_ACTIONS masking; GOOGLE_APPLICATION_CREDENTIALS; --token-url moving only the POST;
# Google's refusals, real and forced, with their hints and the clock line; --reuse keyed by
# scope, subject, key and token URL and bounded 60 s before expiry; --retry; no secret on stderr.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

grant_suite 20
# nothing from the environment may change what is expected here (a CI may set any of these)
unset GITHUB_ACTIONS TF_BUILD JWTGRANT_REUSE JWTGRANT_CACHE_DIR XDG_CACHE_HOME JWTGRANT_NOW \
	JWTGRANT_MOCK_NOW GOOGLE_APPLICATION_CREDENTIALS
HOME="$T/home" # a default cache must never be one of the user's
export HOME
mkdir -p "$HOME"
T0=1900000000 # both clocks (2030-03-17T17:46:40Z): later than any build, so jwtgrant accepts it
AT=$T0        # jwtgrant's clock for the next command (JWTGRANT_NOW)
SCOPE=https://www.googleapis.com/auth/cloud-platform
SCOPE2=https://www.googleapis.com/auth/devstorage.read_only
GOOGLE=https://oauth2.googleapis.com/token
TOKEN='ya29.c.e2e-google_0123456789-abcdefghij....' # dots at the end, as Google pads tokens
DELEGATE=alice@example.com # the one user the mocks let --jwt-subject name
SA="$T/sa.json"            # the key file for the running mock
KF=                        # rg: another key file than $SA

# --- running jwtgrant ---------------------------------------------------------------------------
# gx CODE NAME VAR=VALUE [ARGS...] — grant --provider google with one more environment variable
# (JG_NONE= when none), its clock at $AT, the test CA trusted, bounded; no key file given
gx() {
	_c=$1 _n=$2 _e=$3
	shift 3
	expect_exit "$_c" "$_n" env "JWTGRANT_NOW=$AT" "$_e" "$JG" grant --provider google \
		--cacert "$PKI/ca.crt" --max-time 10 "$@"
}
gg() { # CODE NAME [ARGS...] — gx with the key file $SA
	_gc=$1 _gn=$2
	shift 2
	gx "$_gc" "$_gn" JG_NONE= --credentials "$SA" "$@"
}
assertion() { # CODE NAME [ARGS...] — jwtgrant assertion --provider google with $SA at $AT
	_ac=$1 _an=$2
	shift 2
	expect_exit "$_ac" "$_an" env "JWTGRANT_NOW=$AT" "$JG" assertion --provider google \
		--credentials "$SA" "$@"
}
# use_mock — the key file for the mock just started: its token_uri is the mock's URL
use_mock() {
	google_credentials "$SA" "$GMOCK_URL"
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
http_date_at() { # EPOCH — as the mock's Date header writes it
	"$JG_PY" -c 'import email.utils, sys
print(email.utils.formatdate(int(sys.argv[1]), usegmt=True))' "$1"
}

# py NAME EXPR [ARG...] — ok when the python3 expression EXPR holds; in it: a (the ARGs),
# part(JWT, I) (the bytes of a JWT's part I), load(PATH) (a JSON file), last() (the latest token
# request the mock logged, a dict)
PY_LIB='import base64, json, os, sys
a = sys.argv[1:]
def part(jwt, i):
    s = jwt.strip().split(".")[i]
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)
def last():
    with open(os.environ["GMOCK_LOG"], encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.startswith("{\"method\":\"POST\"")][-1]
'
py() {
	_pn=$1 _pe=$2
	shift 2
	if GMOCK_LOG=$GMOCK_LOG "$JG_PY" -c "$PY_LIB
sys.exit(0 if ($_pe) else 1)" "$@" > "$T/py.err" 2>&1; then
		ok "$_pn"
	else
		not_ok "$_pn" "$(tail -n 2 "$T/py.err")" "$(head -c 300 "$T/out")"
	fi
}

requests() { # — how many token requests the latest mock logged
	_r=$(grep -c '^{"method":"POST","path":"/token"' "$GMOCK_LOG" 2>/dev/null)
	echo "${_r:-0}"
}
mark() { MARK=$(requests); }
new_requests() { # NAME N — the mock logged N token requests since mark; marks again
	_r=$(($(requests) - MARK))
	if [ "$_r" -eq "$2" ]; then ok "$1: $2 new token request(s)"; else
		not_ok "$1: $2 new token request(s)" "got $_r"; fi
	mark
}

# refused NAME ERROR DESCRIPTION HINT_REGEX [AUDIENCE [TOKEN_URL]] — the last grant was refused as
# jwtgrant documents it: nothing on stdout, the first line, error and error_description verbatim,
# the token URL and audience used, and one hint matching HINT_REGEX (NONE: no hint line at all)
refused() {
	is_empty "$T/out" "$1: nothing on stdout"
	line_is 1 "jwtgrant: the token request was refused (HTTP 400): $2: $3" "$1: the first line"
	has_line "$1: error verbatim" "error: $2"
	has_line "$1: error_description verbatim" "error_description: $3"
	has_line "$1: the token URL" "token URL: ${6:-$GMOCK_URL}"
	has_line "$1: the audience" "audience: ${5:-$GMOCK_URL}"
	if [ "$4" = NONE ]; then
		expect_no_grep '^hint:' "$T/err" "$1: no invented hint"
	else
		_h=$(grep -c '^hint: ' "$T/err")
		if [ "$_h" -eq 1 ]; then ok "$1: one hint line"; else
			not_ok "$1: one hint line" "$_h hint lines"; fi
		expect_grep "^hint: .*($4)" "$T/err" "$1: the hint fits"
	fi
}

# Google's descriptions (google_mock.py), the hints' key words
SIG='Invalid JWT Signature.'
CLOCK='Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.'
CLOCK="$CLOCK Check your iat and exp values in the JWT claim."
UNAUTH='Client is unauthorized to retrieve access tokens using this method, or client not'
UNAUTH="$UNAUTH authorized for any of the scopes requested."
H_SIG='new key|rotated'
H_CLOCK='clock'
H_SCOPE='--scope'

# =================================================================================================
# Usage: checked before the key file is read, so no mock is needed.
google_credentials "$SA" https://localhost:1/token
"$JG" grant --provider google --help > "$T/ghelp" 2>&1
expect_exit 0 "grant --provider google --help: exit 0" "$JG" grant --provider google --help
for o in --credentials --scope --jwt-subject --token-url; do
	expect_grep "^ +$o " "$T/ghelp" "grant --provider google --help lists $o"
done
for o in --username --client-id --jwt-key-file; do
	expect_no_grep "^ .*$o " "$T/ghelp" "grant --provider google --help does not list $o"
done
expect_grep "^ +--lifetime SECONDS +exp = now \\+ SECONDS, 1 to 3600 \\(default 3600\\)$" "$T/ghelp" \
	"grant --provider google --help: --lifetime's default is 3600"
expect_grep "^ +--audience URL +claim aud \\(default: the key file's token_uri\\)$" "$T/ghelp" \
	"grant --provider google --help: --audience's default is the key file's token_uri"
expect_no_grep 'SF_AUDIENCE_URL|default 180' "$T/ghelp" \
	"grant --provider google --help: no Salesforce default"
"$JG" grant --help > "$T/help" 2>&1
expect_no_grep '--credentials' "$T/help" "grant --help (salesforce) does not list --credentials"

gg 2 "no --scope: exit 2"
line_is 1 "jwtgrant: missing --scope: the scope the token is for, e.g. --scope $SCOPE (repeat it \
for more)" "no --scope: says so, with an example"
gx 2 "no --credentials nor GOOGLE_APPLICATION_CREDENTIALS: exit 2" JG_NONE= --scope "$SCOPE"
expect_grep 'credentials|GOOGLE_APPLICATION_CREDENTIALS' "$T/err" \
	"no key file: the error names --credentials or the variable"
for o in --client-id --username --jwt-key-file --jwt-key-env --passphrase-env; do
	gg 2 "$o with --provider google: exit 2" --scope "$SCOPE" "$o" x
	expect_grep "^jwtgrant: $o is not an option of grant --provider google" "$T/err" \
		"$o with --provider google: named as not an option of it"
done
for s in 'a b' 'a"b' ''; do
	gg 2 "--scope '$s': exit 2" --scope "$s"
done
gg 2 "--lifetime 3601: exit 2" --scope "$SCOPE" --lifetime 3601
expect_exit 2 "--provider other: exit 2" "$JG" grant --provider other --scope "$SCOPE" \
	--credentials "$SA"

# =================================================================================================
# The key file: its faults are exit 3 naming the file (or the kind of credentials), before any
# request; the token_uri here is a closed port, so a fault not seen would show as exit 4.
google_credentials "$T/base.json" https://localhost:1/token
variant() { # NAME PYTHON_STATEMENT — $T/NAME.json: the base key file changed by the statement
	"$JG_PY" -c 'import json, sys
d = json.load(open(sys.argv[1]))
exec(sys.argv[3])
json.dump(d, open(sys.argv[2], "w"), indent=2)' "$T/base.json" "$T/$1.json" "$2"
}
bad_file() { # FILE NAME [PATTERN] — exit 3, the error naming FILE (and matching PATTERN)
	gx 3 "$2: exit 3" JG_NONE= --credentials "$1" --scope "$SCOPE"
	expect_grep "^jwtgrant: .*$1" "$T/err" "$2: the error names the file"
	if [ -n "${3:-}" ]; then expect_grep "$3" "$T/err" "$2: the error says $3"; fi
}
bad_file "$T/no-such.json" "missing key file"
printf 'not json at all\n' > "$T/text.json"
bad_file "$T/text.json" "a file that is not JSON"
printf '[{"type":"service_account"}]\n' > "$T/array.json"
bad_file "$T/array.json" "a JSON array"
for m in private_key client_email private_key_id token_uri type; do
	variant "no-$m" "del d['$m']"
	bad_file "$T/no-$m.json" "no $m member"
done
variant http 'd["token_uri"] = "http://localhost:1/token"'
bad_file "$T/http.json" "an http:// token_uri"
for kind in authorized_user external_account; do
	google_credentials "$T/$kind.json" https://localhost:1/token "$PKI/app.key" "$kind"
	bad_file "$T/$kind.json" "type $kind" "$kind"
done
google_credentials "$T/ec.json" https://localhost:1/token "$PKI/ec.key"
bad_file "$T/ec.json" "an EC private_key"
expect_grep 'not an unencrypted RSA key.*IAM > Service accounts' "$T/err" \
	"an EC private_key: Google's advice (a new key), not Salesforce's"
expect_no_grep 'Salesforce|keygen' "$T/err" "an EC private_key: no Salesforce advice"
openssl pkcs8 -topk8 -in "$PKI/app.key" -v2 aes-256-cbc -passout pass:e2e-secret \
	-out "$T/enc.pem" 2>/dev/null
google_credentials "$T/enc.json" https://localhost:1/token "$T/enc.pem"
bad_file "$T/enc.json" "an encrypted private_key"
gx 3 "--json, missing key file: exit 3" JG_NONE= --credentials "$T/no-such.json" \
	--scope "$SCOPE" --json
py "--json, missing key file: the failure envelope, code input" \
	'dict(load(a[0]), message="") == {"status": 3, "name": "JwtGrantError", "message": "",
	"exitCode": 3, "code": "input", "commandName": "grant", "warnings": []}
	and a[1] in load(a[0])["message"]' "$T/out" "$T/no-such.json"

# =================================================================================================
# The assertion, byte for byte: the openssl CLI signs the documented header and claims with the
# same key, and RS256 (PKCS#1 v1.5) is deterministic, so the JWTs must be equal.
google_credentials "$SA" "$GOOGLE"
HDR="{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"$GKID\"}"
known() { # NAME CLAIMS [ARGS...] — assertion ARGS prints openssl's JWT of CLAIMS, and verifies
	_kn=$1 _kc=$2
	shift 2
	assertion 0 "$_kn: exit 0" "$@"
	make_jwt "$PKI/app.key" "$_kc" "$HDR" > "$T/want"
	same_file "$T/out" "$T/want" "$_kn: the JWT openssl makes of the documented claims"
}
C="{\"iss\":\"$GEMAIL\",\"scope\":\"$SCOPE $SCOPE2\",\"aud\":\"$GOOGLE\""
C="$C,\"exp\":$((T0 + 3600)),\"iat\":$T0}"
known "two --scope" "$C" --scope "$SCOPE" --scope "$SCOPE2"
JWT=$(cat "$T/out")
py "two --scope: header exactly alg, typ, kid" 'part(a[0], 0) == a[1].encode()' "$JWT" "$HDR"
py "two --scope: claims exactly iss, scope (one space), aud, exp, iat" \
	'part(a[0], 1) == a[1].encode()' "$JWT" "$C"
printf '%s' "${JWT%.*}" > "$T/signed"
printf '%s' "${JWT##*.}" | tr -- '-_' '+/' | awk '{ while (length($0) % 4) $0 = $0 "="; print }' |
	openssl base64 -d -A > "$T/sig"
if openssl dgst -sha256 -verify "$PKI/app-pub.pem" -signature "$T/sig" "$T/signed" \
	> /dev/null 2>&1; then
	ok "the assertion verifies with openssl against app-pub.pem"
else
	not_ok "the assertion verifies with openssl against app-pub.pem"
fi
expect_exit 0 "decode --cert app.crt verifies the assertion" "$JG" decode "$JWT" \
	--cert "$PKI/app.crt"
C="{\"iss\":\"$GEMAIL\",\"sub\":\"$DELEGATE\",\"scope\":\"$SCOPE\",\"aud\":\"$GOOGLE\""
known "--jwt-subject: sub after iss" "$C,\"exp\":$((T0 + 3600)),\"iat\":$T0}" \
	--jwt-subject "$DELEGATE" --scope "$SCOPE"
C="{\"iss\":\"$GEMAIL\",\"scope\":\"$SCOPE\",\"aud\":\"https://aud.example.com/t\""
known "--audience and --lifetime 600" "$C,\"exp\":$((T0 + 600)),\"iat\":$T0}" \
	--scope "$SCOPE" --audience https://aud.example.com/t --lifetime 600
expect_exit 0 "SF_AUDIENCE_URL is ignored with --provider google" env "JWTGRANT_NOW=$T0" \
	SF_AUDIENCE_URL=https://test.salesforce.com "$JG" assertion --provider google \
	--credentials "$SA" --scope "$SCOPE"
py "SF_AUDIENCE_URL: aud stays the key file's token_uri" \
	'json.loads(part(open(a[0]).read(), 1))["aud"] == a[1]' "$T/out" "$GOOGLE"
# A private_key whose lines end in \r\n (a key file edited on Windows): the same key, so the
# same JWT. In the JSON text, \n escapes are only in private_key.
assertion 0 "LF key file: assertion" --scope "$SCOPE"
cp "$T/out" "$T/lf.jwt"
sed 's/\\n/\\r\\n/g' "$SA" > "$T/crlf.json"
expect_grep '\\r\\n' "$T/crlf.json" "the CRLF key file has its CR LF as JSON escapes"
expect_exit 0 "CRLF key file: assertion" env "JWTGRANT_NOW=$T0" "$JG" assertion \
	--provider google --credentials "$T/crlf.json" --scope "$SCOPE"
same_file "$T/out" "$T/lf.jwt" "CRLF key file: the JWT of the LF one"

# =================================================================================================
# One mock with a fixed token and the pinned clock: every output is known exactly.
start_google_mock --now "$T0" --access-token "$TOKEN" --subjects "$DELEGATE" --max-life 300 ||
	exit 1
use_mock
mark
EXP=$(iso_at $((T0 + 3599))) # the mock's default expires_in
gg 0 "text: exit 0" --scope "$SCOPE" --scope "$SCOPE2"
want "Obtained an access token for $GEMAIL (google), expires $EXP"
same_file "$T/out" "$T/want" "text: exactly the documented line"
is_empty "$T/err" "text: nothing on stderr"
cp "$T/out" "$T/plain.text"
new_requests "one grant" 1
py "the mock got header alg, typ, kid" 'last()["jwt_header"] == json.loads(a[0])' "$HDR"
py "the mock got iss, scope (joined by a space), aud, exp = iat + 3600, iat, in that order" \
	'list(last()["jwt_claims"].items()) == [("iss", a[0]), ("scope", a[1] + " " + a[2]),
	("aud", a[3]), ("exp", int(a[4]) + 3600), ("iat", int(a[4]))] and last()["claim_order"]' \
	"$GEMAIL" "$SCOPE" "$SCOPE2" "$GMOCK_URL" "$T0"
py "the body is grant_type and assertion" \
	'last()["form_keys"] == ["grant_type", "assertion"] and last()["grant_type"] ==
	"urn:ietf:params:oauth:grant-type:jwt-bearer"'

gg 0 "json: exit 0" --scope "$SCOPE" --output json
py "json: exactly the documented object" 'load(a[0]) == {"status": 0, "result": {
	"provider": "google", "accessToken": a[1], "tokenType": "Bearer", "expiresIn": 3599,
	"expiresAt": a[2], "scope": None}, "warnings": []}' "$T/out" "$TOKEN" "$EXP"
cp "$T/out" "$T/plain.json"
gg 0 "--json: exit 0" --scope "$SCOPE" --json
same_file "$T/out" "$T/plain.json" "--json: the bytes of --output json"

gg 0 "env: exit 0" --scope "$SCOPE" --output env
want "ACCESS_TOKEN='$TOKEN'" "GOOGLE_OAUTH_ACCESS_TOKEN='$TOKEN'" \
	"CLOUDSDK_AUTH_ACCESS_TOKEN='$TOKEN'" "ACCESS_TOKEN_EXPIRES_AT='$EXP'"
same_file "$T/out" "$T/want" "env: four single-quoted assignments"
cp "$T/out" "$T/plain.env"
(
	eval "$(cat "$T/plain.env")"
	printf '%s\n' "$ACCESS_TOKEN" "$GOOGLE_OAUTH_ACCESS_TOKEN" "$CLOUDSDK_AUTH_ACCESS_TOKEN" \
		"$ACCESS_TOKEN_EXPIRES_AT"
) > "$T/vars" 2>&1
want "$TOKEN" "$TOKEN" "$TOKEN" "$EXP"
same_file "$T/vars" "$T/want" "env: eval in sh gives the token three times and the expiry"

gg 0 "github: exit 0" --scope "$SCOPE" --output github
want "ACCESS_TOKEN=$TOKEN" "GOOGLE_OAUTH_ACCESS_TOKEN=$TOKEN" "CLOUDSDK_AUTH_ACCESS_TOKEN=$TOKEN" \
	"ACCESS_TOKEN_EXPIRES_AT=$EXP"
same_file "$T/out" "$T/want" "github: four NAME=value lines"
cp "$T/out" "$T/plain.github"

gg 0 "azure: exit 0" --scope "$SCOPE" --output azure
V='##vso[task.setvariable variable'
want "$V=ACCESS_TOKEN;issecret=true]$TOKEN" "$V=GOOGLE_OAUTH_ACCESS_TOKEN;issecret=true]$TOKEN" \
	"$V=CLOUDSDK_AUTH_ACCESS_TOKEN;issecret=true]$TOKEN" "$V=ACCESS_TOKEN_EXPIRES_AT]$EXP"
same_file "$T/out" "$T/want" "azure: the token variables secret, the expiry not"
cp "$T/out" "$T/plain.azure"

gg 0 "token: exit 0" --scope "$SCOPE" --output token
want "$TOKEN"
same_file "$T/out" "$T/want" "token: the token and a newline"
cp "$T/out" "$T/plain.token"

# --output-file: 0600, the bytes stdout would have had, stdout empty
mkdir "$T/of"
for fmt in text json env github azure token; do
	gg 0 "--output-file ($fmt): exit 0" --scope "$SCOPE" --output "$fmt" \
		--output-file "$T/of/$fmt"
	is_empty "$T/out" "--output-file ($fmt): stdout is empty"
	mode_is_600 "$T/of/$fmt" "--output-file ($fmt): mode 0600"
	same_file "$T/of/$fmt" "$T/plain.$fmt" "--output-file ($fmt): what stdout had"
done

# GitHub Actions: the add-mask line on stderr before anything else, stdout unchanged
want "::add-mask::$TOKEN"
cp "$T/want" "$T/mask"
for fmt in token json env; do
	gx 0 "$fmt, GITHUB_ACTIONS=true: exit 0" GITHUB_ACTIONS=true --credentials "$SA" \
		--scope "$SCOPE" --output "$fmt"
	same_file "$T/out" "$T/plain.$fmt" "$fmt, GITHUB_ACTIONS=true: stdout unchanged"
	same_file "$T/err" "$T/mask" "$fmt, GITHUB_ACTIONS=true: stderr is ::add-mask::<token>"
done
timeout -k 5 "$JG_CMD_TIMEOUT" env JWTGRANT_NOW="$T0" GITHUB_ACTIONS=true "$JG" grant \
	--provider google --credentials "$SA" --scope "$SCOPE" --cacert "$PKI/ca.crt" \
	--max-time 10 --output text < /dev/null > "$T/both" 2>&1
cat "$T/mask" "$T/plain.text" > "$T/want"
same_file "$T/both" "$T/want" "GITHUB_ACTIONS=true, both streams in one: the mask comes first"

# Where the key file comes from
gx 0 "GOOGLE_APPLICATION_CREDENTIALS names the key file: exit 0" \
	"GOOGLE_APPLICATION_CREDENTIALS=$SA" --scope "$SCOPE"
same_file "$T/out" "$T/plain.text" "GOOGLE_APPLICATION_CREDENTIALS: the usual line"
gx 0 "--credentials wins over GOOGLE_APPLICATION_CREDENTIALS: exit 0" \
	"GOOGLE_APPLICATION_CREDENTIALS=$T/no-such.json" --credentials "$SA" --scope "$SCOPE"
gx 3 "GOOGLE_APPLICATION_CREDENTIALS naming a missing file: exit 3" \
	"GOOGLE_APPLICATION_CREDENTIALS=$T/no-such.json" --scope "$SCOPE"
expect_grep "$T/no-such.json" "$T/err" "GOOGLE_APPLICATION_CREDENTIALS: the error names the file"
expect_grep "^jwtgrant: GOOGLE_APPLICATION_CREDENTIALS: " "$T/err" \
	"GOOGLE_APPLICATION_CREDENTIALS naming a missing file: the error says where the path came from"
sed 's/\\n/\\r\\n/g' "$SA" > "$T/crlf-mock.json"
gx 0 "CRLF key file: grant exit 0" JG_NONE= --credentials "$T/crlf-mock.json" --scope "$SCOPE"
same_file "$T/out" "$T/plain.text" "CRLF key file: the usual line"

# Salesforce's settings are ignored
gg 0 "--instance-url: exit 0" --scope "$SCOPE" --instance-url https://x.my.salesforce.com
want 'jwtgrant: warning: --instance-url is ignored with --provider google'
same_file "$T/err" "$T/want" "--instance-url: exactly the warning on stderr"
same_file "$T/out" "$T/plain.text" "--instance-url: the usual line"
gx 0 "SF_AUDIENCE_URL set: exit 0 (not read)" SF_AUDIENCE_URL=https://test.salesforce.com \
	--credentials "$SA" --scope "$SCOPE"
py "SF_AUDIENCE_URL set: aud is still the token_uri" 'last()["jwt_claims"]["aud"] == a[0]' \
	"$GMOCK_URL"

# Domain-wide delegation: a subject the mock allows, one it does not
gg 0 "--jwt-subject allowed: exit 0" --scope "$SCOPE" --jwt-subject "$DELEGATE"
py "--jwt-subject: the mock got sub right after iss" \
	'list(last()["jwt_claims"])[:2] == ["iss", "sub"] and last()["jwt_claims"]["sub"] == a[0]
	and last()["claim_order"] and last()["verdict"] == "granted"' "$DELEGATE"
mark
gg 1 "--jwt-subject not allowed: exit 1" --scope "$SCOPE" --jwt-subject mallory@example.com
refused "unauthorized_client" unauthorized_client "$UNAUTH" 'delegation'
new_requests "a refusal is not retried" 1

# Refusals made by the mock's real checks
google_credentials "$T/key2.json" "$GMOCK_URL" "$PKI/app2.key"
gx 1 "another key (app2.key): exit 1" JG_NONE= --credentials "$T/key2.json" --scope "$SCOPE"
refused "another key" invalid_grant "$SIG" "$H_SIG"
gg 1 "--audience other: exit 1" --scope "$SCOPE" --audience other
refused "--audience other" invalid_grant \
	"Invalid JWT: Failed audience check. The right audience is $GMOCK_URL" '--audience' other
(GEMAIL=gone@jwtgrant-test.iam.gserviceaccount.com && google_credentials "$T/gone.json" \
	"$GMOCK_URL")
gx 1 "an unknown client_email: exit 1" JG_NONE= --credentials "$T/gone.json" --scope "$SCOPE"
refused "account not found" invalid_grant "Invalid grant: account not found" 'client_email'
gg 1 "--json refusal: exit 1" --scope "$SCOPE" --audience other --json
py "--json refusal: the failure envelope on stdout" 'load(a[0]) == {"status": 1,
	"name": "JwtGrantError", "message": "the token request was refused (HTTP 400): " + a[1],
	"exitCode": 1, "code": "invalid_grant", "commandName": "grant", "warnings": []}' "$T/out" \
	"invalid_grant: Invalid JWT: Failed audience check. The right audience is $GMOCK_URL"
# clock: jwtgrant's clock 2 h off the mock's; the refusal shows both clocks and the difference
for off in 7200 -7200; do
	AT=$((T0 + off))
	gg 1 "local clock $off s off: exit 1" --scope "$SCOPE"
	refused "local clock $off s off" invalid_grant "$CLOCK" "$H_CLOCK"
	if [ "$off" -gt 0 ]; then d="ahead by $off"; else d="behind by ${off#-}"; fi
	has_line "local clock $off s off: both clocks and the difference" \
		"local clock: $(iso_at "$AT"), server Date: $(http_date_at "$T0") (local clock $d s)"
done
AT=$T0

# No secret on stderr with -v: no line of the key, not the assertion (the same JWT as
# `assertion` makes at this clock), not the token (read from this run's --output-file)
grep -v -e '-----' "$PKI/app.key" > "$T/key.lines"
grep -v -e '-----' "$PKI/app2.key" >> "$T/key.lines"
no_secrets() { # NAME FILE... — none holds a key line, a part of the JWT $T/jwt, $T/tok or eyJ
	cut -d. -f2 "$T/jwt" > "$T/pat"
	cut -d. -f3 "$T/jwt" >> "$T/pat"
	[ -s "$T/tok" ] && cat "$T/tok" >> "$T/pat"
	_n=$1
	shift
	if grep -F -q -f "$T/key.lines" "$@"; then not_ok "$_n: no line of a private key"
	else ok "$_n: no line of a private key"; fi
	if grep -F -q -f "$T/pat" -e eyJ "$@"; then
		not_ok "$_n: no JWT, signature nor token" "$(grep -F -f "$T/pat" -e eyJ "$@" | head -c 300)"
	else
		ok "$_n: no JWT, signature nor token"
	fi
}
assertion 0 "the assertion grant will send" --scope "$SCOPE"
cp "$T/out" "$T/jwt"
gg 0 "-v --output token --output-file: exit 0" --scope "$SCOPE" -v --output token \
	--output-file "$T/of/v.token"
cp "$T/of/v.token" "$T/tok"
same_file "$T/tok" "$T/plain.token" "-v: the token in the output file"
expect_grep 'HTTP 200' "$T/err" "-v traces the exchange"
no_secrets "-v success, stderr" "$T/err"
gg 1 "-v --json refusal: exit 1" --scope "$SCOPE" -v --json --audience other
no_secrets "-v refusal, stdout and stderr" "$T/out" "$T/err"
gx 1 "-v another key: exit 1" JG_NONE= --credentials "$T/key2.json" --scope "$SCOPE" -v
no_secrets "-v another key, stderr" "$T/err"
stop_google_mock

# =================================================================================================
# Refusals the mock forces after its checks passed: each with its hint, the unknown one without.
forced() { # REFUSE ERROR DESCRIPTION HINT_REGEX|NONE
	start_google_mock --now "$T0" --refuse "$1" || return 0
	use_mock
	gg 1 "--refuse $1: exit 1" --scope "$SCOPE"
	refused "--refuse $1" "$2" "$3" "$4"
	stop_google_mock
}
forced bad_signature invalid_grant "$SIG" "$H_SIG"
forced clock invalid_grant "$CLOCK" "$H_CLOCK"
expect_grep "^local clock: $(iso_at "$T0"), server Date: " "$T/err" \
	"--refuse clock: the clock line"
forced invalid_scope invalid_scope 'Invalid OAuth scope or ID token audience provided.' \
	"$H_SCOPE"
forced disabled invalid_grant 'Robot is disabled.' 'disabled|enable'
forced unknown some_new_error 'something new' NONE

# =================================================================================================
# --token-url moves only the POST: aud stays the key file's token_uri (Google's own here).
if start_google_mock --now "$T0" --token-uri "$GOOGLE"; then
	google_credentials "$SA" "$GOOGLE"
	gg 0 "--token-url: exit 0" --scope "$SCOPE" --token-url "$GMOCK_URL"
	py "--token-url: aud is the key file's token_uri" 'last()["jwt_claims"]["aud"] == a[0]' \
		"$GOOGLE"
	gg 1 "--token-url, --audience other: exit 1" --scope "$SCOPE" --token-url "$GMOCK_URL" \
		--audience other
	refused "--token-url, --audience other" invalid_grant \
		"Invalid JWT: Failed audience check. The right audience is $GOOGLE" '--audience' \
		other "$GMOCK_URL"
	stop_google_mock
fi

# =================================================================================================
# --reuse: random tokens (so a reused one is recognisable), expires_in 100, the mock's
# certificate also valid for 127.0.0.1 (a second token URL to the same mock).
start_google_mock --now "$T0" --expires-in 100 --subjects "$DELEGATE" \
	--cert "$PKI/server-ip.crt" --max-life 300 || exit 1
use_mock
mark
CACHE="$T/cache"
rg() { # CODE NAME [ARGS...] — grant --reuse 600 in $CACHE with the key file ${KF:-$SA}, $SCOPE
	_rc=$1 _rn=$2
	shift 2
	gx "$_rc" "$_rn" JG_NONE= --credentials "${KF:-$SA}" --scope "$SCOPE" --reuse 600 \
		--cache-dir "$CACHE" "$@"
}
rg 0 "reuse: the first grant" --output json
new_requests "reuse: the first grant" 1
TOK=$("$JG_PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))["result"]["accessToken"])' \
	"$T/out")
for fmt in text json env github azure token; do
	rg 0 "reuse ($fmt): exit 0" --output "$fmt"
	cp "$T/out" "$T/reuse1"
	rg 0 "reuse ($fmt) again: exit 0" --output "$fmt"
	same_file "$T/out" "$T/reuse1" "reuse ($fmt): the same stdout twice"
done
want "$TOK"
same_file "$T/out" "$T/want" "reuse: the token the first grant obtained"
new_requests "reuse: 12 more grants in every format" 0
rg 0 "reuse -v: exit 0" -v
expect_grep 'reusing a token obtained 0 s ago' "$T/err" "reuse -v: says so"

# the cache entry: one file, 0600, Google's, no key material
E=$(find "$T/cache" -type f ! -name '*.lock' | head -n 1)
mode_is_600 "$E" "cache entry: mode 0600"
expect_grep '"provider":"google"' "$E" "cache entry: \"provider\":\"google\""
openssl pkey -in "$PKI/app.key" -outform DER 2>/dev/null | openssl base64 -A > "$T/der64"
tr '+/' '-_' < "$T/der64" | tr -d '=' > "$T/der64url"
{
	grep -v -e '-----' "$PKI/app.key"
	cut -c 200-263 "$T/der64" "$T/der64url"
} > "$T/secret.lines"
if grep -F -q -f "$T/secret.lines" "$E"; then not_ok "cache entry: no key material" "$(cat "$E")"
else ok "cache entry: no line of the private_key, no base64 of its DER"; fi

# each element of the request gives a new request
rg 0 "reuse, another --scope: exit 0" --scope "$SCOPE2"
new_requests "reuse, another --scope" 1
rg 0 "reuse, --jwt-subject: exit 0" --jwt-subject "$DELEGATE"
new_requests "reuse, --jwt-subject" 1
rg 0 "reuse, another token URL: exit 0" --token-url "https://127.0.0.1:$GMOCK_PORT/token"
new_requests "reuse, another --token-url" 1
(GKID=fedcba9876543210fedcba9876543210fedcba98 && google_credentials "$T/kid2.json" \
	"$GMOCK_URL")
KF="$T/kid2.json"
rg 1 "reuse, a key file with another private_key_id: refused (the mock knows one kid)"
new_requests "reuse, another private_key_id" 1
google_credentials "$T/key2.json" "$GMOCK_URL" "$PKI/app2.key"
KF="$T/key2.json"
rg 1 "reuse, another private key, the same kid: refused"
new_requests "reuse, another private key" 1
KF=
rg 0 "reuse, the first request again: exit 0" --output token
new_requests "reuse, the first request again" 0

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
stop_google_mock

# =================================================================================================
# --retry: a 503 is retried; one that never ends is exit 6 once the retries are spent.
if start_google_mock --now "$T0" --mode fail-then-ok --fail-count 1; then
	use_mock
	gg 0 "--retry 2, one 503 then a token: exit 0" --scope "$SCOPE" --retry 2 --output token
	MARK=0
	new_requests "--retry 2, one 503" 2
	stop_google_mock
fi
if start_google_mock --now "$T0" --mode always-503; then
	use_mock
	gg 6 "--retry 2, always 503: exit 6" --scope "$SCOPE" --retry 2
	MARK=0
	new_requests "--retry 2, always 503" 3
	is_empty "$T/out" "--retry 2, always 503: nothing on stdout"
	stop_google_mock
fi
