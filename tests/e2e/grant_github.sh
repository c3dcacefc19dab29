#!/bin/sh
# grant --provider github (providers.md) against tests/mock/github_mock.py, both clocks pinned
# (JWTGRANT_NOW for jwtgrant, --now for the mock) so that every output is known exactly: usage
# errors; the App's JWT byte for byte (openssl's own, its signature); the installation found by
# repository, organisation and user, or given; the requests' method, path and headers; the
# narrowing body; GitHub Enterprise Server's /api/v3; every output format, --output-file and
# masking; GitHub's refusals (404, 422, 403, 401 for the key, the App and the clock) with their
# hints; --retry on 503; --reuse keyed by the installation, the narrowing and the App, bounded
# 60 s before expires_at; a token of another length and prefix; no secret in -v traces.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

grant_suite 20
unset GITHUB_ACTIONS TF_BUILD JWTGRANT_REUSE JWTGRANT_CACHE_DIR XDG_CACHE_HOME JWTGRANT_NOW \
	JWTGRANT_MOCK_NOW
HOME="$T/home" # a default cache must never be one of the user's
export HOME
mkdir -p "$HOME"
T0=1900000000 # both clocks (2030-03-17T17:46:40Z)
AT=$T0        # jwtgrant's clock for the next command
KEY=$PKI/app-rsa.key # the App's key in GitHub's form: PKCS#1 PEM
VERSION=$("$JG" --version | sed -n '1s/^jwtgrant \([^ ]*\).*/\1/p')

# --- running jwtgrant ---------------------------------------------------------------------------
# hx CODE NAME VAR=VALUE [ARGS...] — grant --provider github with one more environment variable
# (JG_NONE= when none), its clock at $AT, the test CA trusted, the mock's API, the App's key
hx() {
	_c=$1 _n=$2 _e=$3
	shift 3
	expect_exit "$_c" "$_n" env "JWTGRANT_NOW=$AT" "$_e" "$JG" grant --provider github \
		--cacert "$PKI/ca.crt" --max-time 10 --api-url "$HMOCK_URL" --jwt-key-file "$KEY" "$@"
}
hg() { # CODE NAME [ARGS...] — hx as the App (its client ID)
	_hc=$1 _hn=$2
	shift 2
	hx "$_hc" "$_hn" JG_NONE= --client-id "$HCLIENTID" "$@"
}
usage() { # NAME [ARGS...] — exit 2, before any request (the API URL is a closed port)
	_un=$1
	shift
	expect_exit 2 "$_un: exit 2" env "JWTGRANT_NOW=$AT" "$JG" grant --provider github \
		--api-url https://localhost:1 --max-time 5 "$@"
}

# --- checking results ---------------------------------------------------------------------------
line_is() { # N TEXT NAME — line N of $T/err is exactly TEXT
	_got=$(sed -n "$1p" "$T/err")
	if [ "$_got" = "$2" ]; then ok "$3"; else not_ok "$3" "got:  $_got" "want: $2"; fi
}
out_is() { # TEXT NAME — stdout is exactly TEXT and a newline
	printf '%s\n' "$1" > "$T/want"
	if cmp -s "$T/out" "$T/want"; then ok "$2"; else
		not_ok "$2" "got:  $(head -c 400 "$T/out")" "want: $1"; fi
}
is_empty() { # FILE NAME
	if [ -s "$1" ]; then not_ok "$2" "$(head -c 300 "$1")"; else ok "$2"; fi
}
iso_at() { # EPOCH — as jwtgrant writes times
	"$JG_PY" -c 'import sys, time
print(time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(sys.argv[1]))))' "$1"
}

# py NAME EXPR [ARG...] — ok when the python3 expression EXPR holds; in it: a (the ARGs), log()
# (the mock's log, a list of dicts), since(n) (its entries after the first n), out() (stdout),
# sha(text), part(JWT, I) (a JWT's part I, decoded)
PY_LIB='import base64, hashlib, json, os, sys
a = sys.argv[1:]
def log():
    with open(os.environ["HMOCK_LOG"], encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]
def since(n):
    return log()[int(n):]
def out():
    with open(os.environ["OUT"], encoding="utf-8") as f:
        return f.read()
def sha(text):
    return hashlib.sha256(text.encode()).hexdigest()
def part(jwt, i):
    s = jwt.strip().split(".")[i]
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
'
py() {
	_pn=$1 _pe=$2
	shift 2
	if HMOCK_LOG=$HMOCK_LOG OUT=$T/out "$JG_PY" -c "$PY_LIB
sys.exit(0 if ($_pe) else 1)" "$@" > "$T/py.err" 2>&1; then
		ok "$_pn"
	else
		not_ok "$_pn" "$(tail -n 2 "$T/py.err")" "$(head -c 300 "$T/out")"
	fi
}
logged() { # — how many requests the latest mock logged
	_l=$(grep -c . "$HMOCK_LOG" 2>/dev/null)
	echo "${_l:-0}"
}
mark() { MARK=$(logged); }
new_requests() { # NAME N — the mock logged N requests since mark; marks again
	_r=$(($(logged) - MARK))
	if [ "$_r" -eq "$2" ]; then ok "$1: $2 new request(s)"; else
		not_ok "$1: $2 new request(s)" "got $_r"; fi
	mark
}

# refused NAME REQUEST STATUS MESSAGE HINT_REGEX — the last grant was refused as jwtgrant documents
# it: exit 1, nothing on stdout, the first line, GitHub's message verbatim, the API URL, one hint
refused() {
	is_empty "$T/out" "$1: nothing on stdout"
	line_is 1 "jwtgrant: GitHub refused the $2 (HTTP $3): $4" "$1: the first line"
	line_is 2 "message: $4" "$1: the message verbatim"
	expect_grep "^API URL: $HMOCK_URL\$" "$T/err" "$1: the API URL"
	_h=$(grep -c '^hint: ' "$T/err")
	if [ "$_h" -eq 1 ]; then ok "$1: one hint line"; else not_ok "$1: one hint line" "$_h"; fi
	expect_grep "^hint: .*($5)" "$T/err" "$1: the hint fits"
}

# =================================================================================================
# Usage, before any request
"$JG" grant --provider github --help > "$T/hhelp" 2>&1
expect_exit 0 "grant --provider github --help: exit 0" "$JG" grant --provider github --help
for o in --client-id --app-id --installation-id --repo --org --installation-user --api-url \
	--repositories --permission --jwt-key-file; do
	expect_grep "^ +(-., )?$o " "$T/hhelp" "grant --provider github --help lists $o"
done
for o in --username --audience --lifetime --scope --credentials --instance-url; do
	expect_no_grep "^ .*$o " "$T/hhelp" "grant --provider github --help does not list $o"
done
expect_grep "^Usage: jwtgrant grant --provider github" "$T/hhelp" "the synopsis is github's"
usage "no --client-id nor --app-id" --jwt-key-file "$KEY" --repo octo-org/app
line_is 1 "jwtgrant: missing --client-id (or --app-id): the App's client ID, shown in the App's \
settings > General > About" "no App: says where to find it"
usage "--client-id and --app-id" --client-id "$HCLIENTID" --app-id 1 --jwt-key-file "$KEY" \
	--repo octo-org/app
expect_grep "not both" "$T/err" "--client-id and --app-id: not both"
usage "--app-id abc" --app-id abc --jwt-key-file "$KEY" --repo octo-org/app
usage "no installation" --client-id "$HCLIENTID" --jwt-key-file "$KEY"
expect_grep "^jwtgrant: missing the installation: give --installation-id N" "$T/err" \
	"no installation: names the four ways"
usage "--repo and --org" --client-id "$HCLIENTID" --jwt-key-file "$KEY" --repo a/b --org a
for r in octo-org 'octo-org/app/x' '/app' 'octo-org/' 'octo-org/..' 'octo org/app' 'a/b%2f'; do
	usage "--repo '$r'" --client-id "$HCLIENTID" --jwt-key-file "$KEY" --repo "$r"
done
expect_grep "^jwtgrant: --repo takes OWNER/NAME" "$T/err" "a bad --repo: says the form"
for i in 0 -1 abc 9007199254740993 ''; do
	usage "--installation-id '$i'" --client-id "$HCLIENTID" --jwt-key-file "$KEY" \
		--installation-id "$i"
done
for p in contents contents=admin Contents=read =read 'contents=read ' ; do
	usage "--permission '$p'" --client-id "$HCLIENTID" --jwt-key-file "$KEY" --org a \
		--permission "$p"
done
usage "--permission twice" --client-id "$HCLIENTID" --jwt-key-file "$KEY" --org a \
	--permission contents=read --permission contents=write
expect_grep "gives contents twice" "$T/err" "--permission twice: named"
for r in 'app,app' 'app,' 'a/b' 'app,,docs'; do
	usage "--repositories '$r'" --client-id "$HCLIENTID" --jwt-key-file "$KEY" --org a \
		--repositories "$r"
done
for o in --username --audience --lifetime --scope --credentials --issuer --token-url; do
	usage "$o with --provider github" --client-id "$HCLIENTID" --jwt-key-file "$KEY" --org a \
		"$o" 100
	expect_grep "^jwtgrant: $o is not an option of grant --provider github" "$T/err" \
		"$o with --provider github: named as not an option of it"
done
usage "--api-url http://..." --client-id "$HCLIENTID" --jwt-key-file "$KEY" --org a \
	--api-url http://api.example.com
usage "no key" --client-id "$HCLIENTID" --org a

# =================================================================================================
# The App's JWT: assertion --provider github, against one openssl makes
expect_exit 0 "assertion --provider github: exit 0" env "JWTGRANT_NOW=$T0" "$JG" assertion \
	--provider github --client-id "$HCLIENTID" --jwt-key-file "$KEY"
JWT=$(cat "$T/out")
WANT=$(make_jwt "$KEY" "{\"iat\":$((T0 - 60)),\"exp\":$((T0 + 540)),\"iss\":\"$HCLIENTID\"}")
if [ "$JWT" = "$WANT" ]; then ok "the App's JWT is openssl's, byte for byte (iat now-60, exp \
now+540, iss the client ID)"; else not_ok "the App's JWT is openssl's, byte for byte" \
	"got:  $JWT" "want: $WANT"; fi
py "the header is alg RS256, typ JWT, nothing more" \
	'part(a[0], 0) == b"{\"alg\":\"RS256\",\"typ\":\"JWT\"}"' "$JWT"
printf '%s' "$JWT" > "$T/jwt"
EXPECT_STDIN=$T/jwt expect_exit 0 "decode --cert verifies the App's JWT" "$JG" decode \
	--cert "$PKI/app.crt"
expect_exit 0 "assertion --provider github --app-id: exit 0" env "JWTGRANT_NOW=$T0" "$JG" \
	assertion --provider github --app-id "$HAPPID" --jwt-key-file "$KEY"
py "--app-id: iss is the App ID as a JSON string" \
	'json.loads(part(a[0], 1)) == {"iat": int(a[1]) - 60, "exp": int(a[1]) + 540, "iss": a[2]}' \
	"$(cat "$T/out")" "$T0" "$HAPPID"

# =================================================================================================
# Grants: the installation found or given, the requests, the token
start_github_mock --now "$T0" || exit 1
EXPIRES=$(iso_at $((T0 + 3600)))
mark
hg 0 "--repo: exit 0" --repo octo-org/app
out_is "Obtained an access token for octo-org/app (github), expires $EXPIRES" \
	"--repo: the text output names the repository and the expiry"
is_empty "$T/err" "--repo: nothing on stderr"
new_requests "--repo" 2
py "--repo: GET /repos/octo-org/app/installation, then POST /app/installations/4242/access_tokens" \
	'[(e["method"], e["path"], e["status"]) for e in log()[-2:]] == [("GET", \
"/repos/octo-org/app/installation", 200), ("POST", "/app/installations/4242/access_tokens", 201)]'
py "both requests: Accept, X-GitHub-Api-Version, User-Agent, a Bearer JWT" \
	'all(e["accept"] == "application/vnd.github+json" and e["api_version"] == "2022-11-28" and \
e["user_agent"] == "jwtgrant/" + a[0] and e["authorization_scheme"] == "Bearer" for e in log()[-2:])' \
	"$VERSION"
py "the POST is application/json with the body {}, the GET has no body" \
	'log()[-1]["content_type"] == "application/json" and log()[-1]["body"] == {} and \
log()[-2]["body_len"] == 0 and log()[-2]["content_type"] is None'
py "the JWT the mock saw: iat now-60, exp now+540, iss the client ID (a string)" \
	'all(e["jwt_claims"] == {"iat": int(a[0]) - 60, "exp": int(a[0]) + 540, "iss": a[1]} and \
e["iss_type"] == "string" for e in log()[-2:])' "$T0" "$HCLIENTID"
hg 0 "--output token: exit 0" --repo octo-org/app --output token
py "--output token: the token the mock issued" \
	'sha(out().rstrip("\n")) == log()[-1]["token_sha256"] and out().count("\n") == 1'
hg 0 "--org: exit 0" --org octo-org
out_is "Obtained an access token for octo-org (github), expires $EXPIRES" "--org: the text output"
py "--org: GET /orgs/octo-org/installation" 'log()[-2]["path"] == "/orgs/octo-org/installation"'
hg 0 "--installation-user: exit 0" --installation-user octocat --output json
py "--installation-user: GET /users/octocat/installation, installation 5151" \
	'log()[-2]["path"] == "/users/octocat/installation" and \
json.loads(out())["result"]["installationId"] == 5151'
mark
hg 0 "--installation-id: exit 0" --installation-id 4242
out_is "Obtained an access token for installation 4242 (github), expires $EXPIRES" \
	"--installation-id: the text output names the installation"
new_requests "--installation-id: no lookup" 1
hx 0 "--app-id: exit 0" JG_NONE= --app-id "$HAPPID" --repo octo-org/app
py "--app-id: iss is the App ID, as a string" \
	'log()[-1]["jwt_claims"]["iss"] == a[0] and log()[-1]["iss_type"] == "string"' "$HAPPID"
hx 0 "-i (sf's short name) is --client-id: exit 0" JG_NONE= -i "$HCLIENTID" --org octo-org
hx 0 "--instance-url is ignored, with a warning" JG_NONE= --client-id "$HCLIENTID" --org octo-org \
	--instance-url https://example.com
expect_grep "warning: --instance-url is ignored with --provider github" "$T/err" \
	"--instance-url: the warning"
"$JG_PY" -c 'import sys
with open(sys.argv[1]) as f, open(sys.argv[2], "w") as o:
    o.write(f.read().replace("\n", "\r\n"))' "$KEY" "$T/crlf.key"
expect_exit 0 "a key with CRLF line ends (from --jwt-key-env): exit 0" env "JWTGRANT_NOW=$AT" \
	"KEYVAR=$(cat "$T/crlf.key")" "$JG" grant --provider github --cacert "$PKI/ca.crt" \
	--api-url "$HMOCK_URL" --client-id "$HCLIENTID" --jwt-key-env KEYVAR --org octo-org

# --- narrowing -----------------------------------------------------------------------------------
hg 0 "--repositories and --permission: exit 0" --repo octo-org/app --repositories app,docs \
	--permission contents=read --permission issues=write --output json
py "the body names the repositories and permissions, in order" \
	'log()[-1]["body"] == {"repositories": ["app", "docs"], "permissions": {"contents": "read", \
"issues": "write"}}'
py "--output json: the narrowed permissions and the selection" \
	'json.loads(out())["result"]["permissions"] == {"contents": "read", "issues": "write"} and \
json.loads(out())["result"]["repositorySelection"] == "selected"'
hg 0 "--repositories alone: exit 0" --org octo-org --repositories docs
py "--repositories alone: the body has no permissions" \
	'log()[-1]["body"] == {"repositories": ["docs"]}'

# --- outputs -------------------------------------------------------------------------------------
hg 0 "--output json: exit 0" --repo octo-org/app --output json
py "--output json: provider, token, expiry, installation, permissions, selection, nothing else" \
	'(lambda j: j["status"] == 0 and j["warnings"] == [] and list(j["result"]) == ["provider", \
"accessToken", "tokenType", "expiresIn", "expiresAt", "scope", "installationId", "permissions", \
"repositorySelection"] and j["result"]["provider"] == "github" and \
sha(j["result"]["accessToken"]) == log()[-1]["token_sha256"] and j["result"]["expiresIn"] == 3600 \
and j["result"]["expiresAt"] == a[0] and j["result"]["installationId"] == 4242 and \
j["result"]["permissions"] == {"contents": "write", "issues": "write", "metadata": "read"} and \
j["result"]["scope"] is None)(json.loads(out()))' "$EXPIRES"
hg 0 "--output env: exit 0" --repo octo-org/app --output env
cp "$T/out" "$T/env"
# shellcheck disable=SC2016
expect_exit 0 "--output env: a shell reads it" sh -c '. "$1" && [ "$GH_TOKEN" = "$ACCESS_TOKEN" ] \
	&& [ "$ACCESS_TOKEN_EXPIRES_AT" = "$2" ] && printf %s "$ACCESS_TOKEN"' sh "$T/env" "$EXPIRES"
py "--output env: ACCESS_TOKEN is the token issued" 'sha(out()) == log()[-1]["token_sha256"]'
hg 0 "--output env: exit 0 (again)" --repo octo-org/app --output env
py "--output env: ACCESS_TOKEN, GH_TOKEN, ACCESS_TOKEN_EXPIRES_AT and nothing else" \
	'[l.split("=")[0] for l in out().splitlines()] == ["ACCESS_TOKEN", "GH_TOKEN", \
"ACCESS_TOKEN_EXPIRES_AT"]'
hg 0 "--output github: exit 0" --repo octo-org/app --output github
py "--output github: GH_TOKEN, never GITHUB_TOKEN" \
	'[l.split("=")[0] for l in out().splitlines()] == ["ACCESS_TOKEN", "GH_TOKEN", \
"ACCESS_TOKEN_EXPIRES_AT"] and "GITHUB_" not in out()'
hg 0 "--output azure: exit 0" --repo octo-org/app --output azure
py "--output azure: the two token lines are secret, the expiry is not" \
	'out().splitlines()[0].startswith("##vso[task.setvariable variable=ACCESS_TOKEN;issecret=true]") \
and out().splitlines()[1].startswith("##vso[task.setvariable variable=GH_TOKEN;issecret=true]") \
and out().splitlines()[2] == "##vso[task.setvariable variable=ACCESS_TOKEN_EXPIRES_AT]" + a[0]' \
	"$EXPIRES"
hg 0 "--output-file: exit 0" --repo octo-org/app --output token --output-file "$T/tok"
is_empty "$T/out" "--output-file: nothing on stdout"
_m=$(find "$T/tok" -maxdepth 0 -type f -printf '%m' 2>/dev/null)
if [ "$_m" = 600 ]; then ok "--output-file: mode 0600"; else not_ok "--output-file: mode 0600" "$_m"; fi
cp "$T/tok" "$T/out"
py "--output-file: the token issued" 'sha(out().rstrip("\n")) == log()[-1]["token_sha256"]'
hx 0 "GITHUB_ACTIONS=true: exit 0" GITHUB_ACTIONS=true --client-id "$HCLIENTID" --repo octo-org/app
TOKEN_NOW=$("$JG_PY" -c 'import sys; print(open(sys.argv[1]).readline().strip()[len("::add-mask::"):])' "$T/err")
py "GITHUB_ACTIONS=true: the first stderr line masks the token issued" \
	'sha(a[0]) == log()[-1]["token_sha256"]' "$TOKEN_NOW"

# --- no secret in the trace ------------------------------------------------------------------------
hg 0 "-v: exit 0" --repo octo-org/app -v --output token
expect_grep '^\* GET /repos/octo-org/app/installation HTTP/1.1 \(Authorization redacted\)$' "$T/err" \
	"-v: the GET, its Authorization redacted"
expect_grep '^\* POST /app/installations/4242/access_tokens HTTP/1.1 \(2-byte body: \{\}; Authorization redacted\)$' \
	"$T/err" "-v: the POST and its body, its Authorization redacted"
expect_no_grep 'eyJ|Bearer [^r]|BEGIN|ghs_' "$T/err" "-v: no JWT, key or token in the trace"
tr -d '\n' < "$T/out" > "$T/token"
if grep -F -q -f "$T/token" "$T/err"; then not_ok "-v: the token is not in the trace"; else
	ok "-v: the token is not in the trace"; fi

# =================================================================================================
# GitHub's refusals
hg 1 "not installed on the repository: exit 1" --repo octo-org/nope
refused "not installed" "installation lookup for octo-org/nope" 404 "Not Found" "not installed"
hg 1 "--json: exit 1" --repo octo-org/nope --json
py "--json: code github_404" '(lambda j: j["code"] == "github_404" and j["exitCode"] == 1 and \
j["status"] == 1)(json.loads(out()))'
hg 1 "an unknown --installation-id: exit 1" --installation-id 999
refused "unknown installation" "token request for installation 999" 404 "Not Found" \
	"--installation-id"
hg 1 "a repository the installation lacks: exit 1" --org octo-org --repositories secret
refused "repository not accessible" "token request for installation 4242" 422 \
	"There is at least one repository that does not exist or is not accessible to the parent installation." \
	"--repositories"
hg 1 "a permission above the granted one: exit 1" --org octo-org --permission metadata=write
refused "permission not granted" "token request for installation 4242" 422 \
	"The permissions requested are not granted to this installation." "--permission"
KEY_SAVED=$KEY
KEY=$PKI/app2.key
hg 1 "another key: exit 1" --repo octo-org/app
refused "another key" "installation lookup for octo-org/app" 401 \
	"A JSON web token could not be decoded" "private key"
KEY=$KEY_SAVED
hx 1 "another App's client ID: exit 1" JG_NONE= --client-id Iv23liSOMEOTHERAPP00 --repo octo-org/app
expect_grep "^hint: .*--client-id or --app-id" "$T/err" "another App: the hint names the options"
hx 1 "--app-id of another App: exit 1" JG_NONE= --app-id 999 --repo octo-org/app
expect_grep '^jwtgrant: GitHub refused the installation lookup for octo-org/app \(HTTP 401\)' \
	"$T/err" "--app-id of another App: GitHub's 401"
AT=$((T0 + 700))
hg 1 "a clock 700 s ahead: exit 1" --repo octo-org/app
expect_grep "^jwtgrant: GitHub refused the installation lookup for octo-org/app \(HTTP 401\): .*\('iat'\)" \
	"$T/err" "a clock ahead: GitHub's words on iat"
expect_grep "^local clock: $(iso_at $((T0 + 700))), server Date: .* \(local clock ahead by 700 s\)$" \
	"$T/err" "a clock ahead: the local clock against the server's Date"
expect_grep "^hint: .*clock" "$T/err" "a clock ahead: the clock hint"
AT=$((T0 - 700))
hg 1 "a clock 700 s behind: exit 1" --repo octo-org/app
expect_grep "\('exp'\)" "$T/err" "a clock behind: GitHub's words on exp"
expect_grep "\(local clock behind by 700 s\)$" "$T/err" "a clock behind: by how much"
AT=$T0
stop_github_mock

start_github_mock --now "$T0" --refuse suspended || exit 1
hg 1 "a suspended installation: exit 1" --repo octo-org/app
refused "suspended" "token request for installation 4242" 403 "This installation has been suspended" \
	"suspended"
stop_github_mock

# --- GitHub Enterprise Server ----------------------------------------------------------------------
start_github_mock --now "$T0" --prefix /api/v3 || exit 1
hg 0 "GitHub Enterprise Server (--api-url https://HOST/api/v3): exit 0" --repo octo-org/app
py "Enterprise Server: both paths under /api/v3" \
	'[e["path"] for e in log()[-2:]] == ["/api/v3/repos/octo-org/app/installation", \
"/api/v3/app/installations/4242/access_tokens"]'
hg 0 "Enterprise Server with a trailing / in --api-url: exit 0" --installation-id 4242 \
	--api-url "$HMOCK_URL/"
py "a trailing /: one slash in the path" \
	'log()[-1]["path"] == "/api/v3/app/installations/4242/access_tokens"'
HMOCK_URL_SAVED=$HMOCK_URL
HMOCK_URL=https://localhost:$HMOCK_PORT
hg 1 "Enterprise Server without /api/v3: exit 1 (404)" --repo octo-org/app
expect_grep "\(HTTP 404\)" "$T/err" "without /api/v3: GitHub's 404"
HMOCK_URL=$HMOCK_URL_SAVED
stop_github_mock

# --- a token of another shape ----------------------------------------------------------------------
start_github_mock --now "$T0" --token-style long || exit 1
hg 0 "a long token of another prefix: exit 0" --repo octo-org/app --output token
py "the long token, whole" 'len(out()) > 200 and sha(out().rstrip("\n")) == log()[-1]["token_sha256"]'
stop_github_mock

# --- retries ---------------------------------------------------------------------------------------
start_github_mock --now "$T0" --mode fail-then-ok || exit 1
hg 6 "a 503 without --retry: exit 6" --repo octo-org/app
expect_grep "503" "$T/err" "a 503: named"
stop_github_mock
start_github_mock --now "$T0" --mode fail-then-ok || exit 1
mark
hg 0 "a 503, then --retry 1: exit 0" --repo octo-org/app --retry 1
new_requests "--retry 1 after a 503 lookup" 3
stop_github_mock
start_github_mock --now "$T0" --mode always-503 || exit 1
hg 6 "always 503, --retry 1: exit 6" --repo octo-org/app --retry 1
stop_github_mock

# =================================================================================================
# --reuse: keyed by the App, the installation and the narrowing; bounded by expires_at
start_github_mock --now "$T0" || exit 1
CACHE=$T/cache
mark
hg 0 "--reuse: the first grant" --repo octo-org/app --reuse 3600 --cache-dir "$CACHE" --output token
cp "$T/out" "$T/first"
new_requests "--reuse: the first grant" 2
hg 0 "--reuse: the same request" --repo octo-org/app --reuse 3600 --cache-dir "$CACHE" --output token
new_requests "--reuse: the same request, from the cache" 0
if cmp -s "$T/out" "$T/first"; then ok "--reuse: the same token"; else not_ok "--reuse: the same token"; fi
hg 0 "--reuse --output json from the cache" --repo octo-org/app --reuse 3600 --cache-dir "$CACHE" \
	--output json
py "--reuse: json from the cache keeps the installation, permissions and selection" \
	'(lambda r: r["installationId"] == 4242 and r["permissions"] == {"contents": "write", \
"issues": "write", "metadata": "read"} and r["repositorySelection"] == "selected" and \
r["expiresIn"] == 3600)(json.loads(out())["result"])'
new_requests "--reuse --output json" 0
for v in "--org octo-org" "--repo octo-org/docs" "--installation-id 4242" \
	"--repo octo-org/app --repositories app" "--repo octo-org/app --permission contents=read"; do
	# shellcheck disable=SC2086
	hg 0 "--reuse: $v is another request" $v --reuse 3600 --cache-dir "$CACHE"
	_n=2
	case $v in --installation-id*) _n=1 ;; esac
	new_requests "--reuse: $v" "$_n"
done
hx 0 "--reuse: --app-id is another request" JG_NONE= --app-id "$HAPPID" --repo octo-org/app \
	--reuse 3600 --cache-dir "$CACHE"
new_requests "--reuse: --app-id" 2
AT=$((T0 + 3600 - 61))
hg 0 "--reuse: 61 s before expires_at" --repo octo-org/app --reuse 86400 --cache-dir "$CACHE"
new_requests "--reuse: 61 s before expires_at, still reused" 0
# 59 s before: GitHub is asked again (the mock's clock stays at T0, so it refuses this JWT)
AT=$((T0 + 3600 - 59))
hg 1 "--reuse: 59 s before expires_at, not reused" --repo octo-org/app --reuse 86400 \
	--cache-dir "$CACHE"
new_requests "--reuse: 59 s before expires_at, GitHub asked" 1
AT=$T0
if grep -r -q -F -f "$T/first" "$CACHE" 2>/dev/null; then ok "--reuse: the cache holds the token"
else not_ok "--reuse: the cache holds the token"; fi
stop_github_mock
