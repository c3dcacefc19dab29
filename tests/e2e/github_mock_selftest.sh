#!/bin/sh
# The GitHub App mock API is honest: without jwtgrant, App JWTs built with make_jwt and sent with
# curl get the answers api.github.com gives for the installation lookups and the installation
# token, every refusal comes from a real check (or --refuse / --mode), --prefix serves a GitHub
# Enterprise Server's paths, and the log holds what the C side's tests need and never a JWT, a
# signature or a token (only its SHA-256).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

pki || exit 1
HDR='{"alg":"RS256","typ":"JWT"}'
DOCS=https://docs.github.com/rest
APPS=https://docs.github.com/rest/apps/apps
GRANTED='{"contents":"write","issues":"write","metadata":"read"}' # installation 4242's
: > "$T/sigs"   # every signature made, one a line: none may reach a log
: > "$T/tokens" # every token issued, one a line: none may reach a log
# What req sends unless a test sets them (an empty value: the header is not sent at all)
UA=jwtgrant-selftest/1.0
VER=2022-11-28
CTYPE=application/json

# hclaims [ISS_JSON [IAT_OFFSET [EXP_OFFSET]]] — the claims jwtgrant sends (docs/providers.md):
# iat now-60, exp now+540, iss the App id as a JSON string; offsets are seconds from now
hclaims() {
	_n=$(now) _iss=${1:-}
	[ -n "$_iss" ] || _iss="\"$HAPPID\""
	printf '{"iat":%s,"exp":%s,"iss":%s}' "$((_n + ${2:--60}))" "$((_n + ${3:-540}))" "$_iss"
}

# hjwt [CLAIMS [KEY [HEADER]]] — an RS256 JWT (default: good claims, app.key, jwtgrant's
# header); its signature goes to $T/sigs
hjwt() {
	_j=$(make_jwt "${2:-$PKI/app.key}" "${1:-$(hclaims)}" "${3:-$HDR}")
	printf '%s\n' "${_j##*.}" >> "$T/sigs"
	echo "$_j"
}

# fetch URL [CURL_ARGS...] — any request; body in $T/body, headers in $T/hdr, sets STATUS (000
# when curl failed)
fetch() {
	_url=$1
	shift
	: > "$T/body"
	: > "$T/hdr"
	STATUS=$(curl -sS --max-time 10 --cacert "$PKI/ca.crt" -o "$T/body" -D "$T/hdr" \
		-w '%{http_code}' "$@" "$_url" 2> "$T/curl.err")
}

# req METHOD PATH [CURL_ARGS...] — a request to $HMOCK_URL$PATH as jwtgrant sends it: Bearer
# $JWT, GitHub's Accept, $VER and $UA
req() {
	_m=$1 _p=$2
	shift 2
	fetch "$HMOCK_URL$_p" -X "$_m" -H "Authorization: Bearer $JWT" \
		-H 'Accept: application/vnd.github+json' -H "X-GitHub-Api-Version: $VER" \
		-H "User-Agent: $UA" "$@"
}

# token N [BODY] — POST BODY (default {}) as $CTYPE to installation N's access_tokens
token() {
	_body=${2:-}
	[ -n "$_body" ] || _body='{}'
	req POST "/app/installations/$1/access_tokens" -H "Content-Type: $CTYPE" \
		--data-binary "$_body"
	if [ "$STATUS" = 201 ]; then
		"$JG_PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))["token"])' \
			"$T/body" >> "$T/tokens" 2> /dev/null
	fi
}

# expect NAME STATUS PYTHON_TEST [ARGS...] — the last answer's status, and a Python expression
# true of its JSON body b (now is time.time(); ARGS are sys.argv[3], sys.argv[4]...)
expect() {
	_name=$1 _want=$2 _test=$3
	shift 3
	if [ "$STATUS" = "$_want" ] && "$JG_PY" -c '
import calendar, json, re, sys, time
now = time.time()
with open(sys.argv[1], encoding="utf-8") as f:
    b = json.load(f)
sys.exit(0 if eval("(" + sys.argv[2] + "\n)") else 1)
' "$T/body" "$_test" "$@" 2> "$T/py.err"; then
		ok "$_name"
	else
		not_ok "$_name" "HTTP $STATUS (want $_want), body: $(head -c 400 "$T/body")" \
			"$(cat "$T/curl.err" "$T/py.err" | head -n 3)"
	fi
}

# expect_error NAME STATUS MESSAGE [DOC_URL] — GitHub's error JSON, exactly these three members
expect_error() {
	_doc=${4:-$DOCS}
	expect "$1" "$2" "b == {'message': sys.argv[3], 'documentation_url': sys.argv[4],
		'status': sys.argv[5]}" "$3" "$_doc" "$2"
}

# expect_401 NAME MESSAGE_REGEX — a 401 with GitHub's members, the message matching
expect_401() {
	expect "$1" 401 "sorted(b) == ['documentation_url', 'message', 'status']
		and b['status'] == '401' and re.fullmatch(sys.argv[3], b['message'])" "$2"
}

DECODED='A JSON web token could not be decoded'
IAT_TEXT="'Issued at' claim ('iat') must be an Integer representing a time in the past"
EXP_TEXT="'Expiration time' claim ('exp') must be a numeric value representing the future time"
EXP_TEXT="$EXP_TEXT at which the assertion expires"
FAR_TEXT="'Expiration time' claim ('exp') is too far in the future"
UA_TEXT='Request forbidden by administrative rules. Please make sure your request has a'
UA_TEXT="$UA_TEXT User-Agent header (https://docs.github.com/en/rest/overview/"
UA_TEXT="${UA_TEXT}resources-in-the-rest-api#user-agent-required). Check"
UA_TEXT="$UA_TEXT https://developer.github.com for other possible causes."
NO_REPO='There is at least one repository that does not exist or is not accessible to the'
NO_REPO="$NO_REPO parent installation."
NO_PERM='The permissions requested are not granted to this installation.'
TOKEN_DOC="$APPS#create-an-installation-access-token-for-an-app"
REPO_DOC="$APPS#get-a-repository-installation-for-the-authenticated-app"
ORG_DOC="$APPS#get-an-organization-installation-for-the-authenticated-app"
USER_DOC="$APPS#get-a-user-installation-for-the-authenticated-app"

# --- installation lookups ----------------------------------------------------------------------
check_lookups() {
	JWT=$(hjwt)
	req GET /repos/octo-org/app/installation
	expect "repo lookup: octo-org/app is installation 4242, GitHub's members" 200 "
		b['id'] == 4242 and b['account']['login'] == 'octo-org'
		and b['account']['type'] == 'Organization' and b['app_id'] == $HAPPID
		and b['target_type'] == 'Organization' and b['permissions'] == $GRANTED
		and b['repository_selection'] == 'selected' and b['client_id'] == '$HCLIENTID'
		and b['access_tokens_url'] == sys.argv[3] + '/app/installations/4242/access_tokens'
		and b['suspended_at'] is None" "$HMOCK_URL"
	expect_grep '^Content-Type: application/json; charset=utf-8' "$T/hdr" \
		"answers are GitHub's JSON type"
	expect_grep '^X-GitHub-Request-Id: [0-9A-F]+(:[0-9A-F]+){4}' "$T/hdr" \
		"answers have an X-GitHub-Request-Id"
	expect_grep '^Date: [A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} 20[0-9]{2} ' "$T/hdr" \
		"answers have a Date"
	expect_grep '^X-RateLimit-Remaining: [0-9]+' "$T/hdr" "answers have rate-limit headers"
	if grep -q '^  "id": 4242,' "$T/body"; then
		ok "the JSON is indented as GitHub's"
	else
		not_ok "the JSON is indented as GitHub's" "$(head -n 3 "$T/body")"
	fi
	req GET /repos/OCTO-ORG/Docs/installation
	expect "repo lookup ignores case (OCTO-ORG/Docs)" 200 "b['id'] == 4242"
	req GET /repos/octocat/anything/installation
	expect "repo lookup: any repository of an 'all' installation (octocat/anything is 5151)" \
		200 "b['id'] == 5151 and b['repository_selection'] == 'all'
		and b['target_type'] == 'User' and b['account']['type'] == 'User'"
	req GET /repos/octo-org/secret/installation
	expect_error "repo lookup: a repository not selected is a 404" 404 "Not Found" "$REPO_DOC"
	req GET /repos/someone/app/installation
	expect_error "repo lookup: another owner is a 404" 404 "Not Found" "$REPO_DOC"
	req GET /orgs/octo-org/installation
	expect "org lookup: octo-org is 4242" 200 "b['id'] == 4242
		and b['account']['login'] == 'octo-org' and b['permissions'] == $GRANTED"
	req GET /orgs/octocat/installation
	expect_error "org lookup: a user's login is a 404" 404 "Not Found" "$ORG_DOC"
	req GET /orgs/nobody/installation
	expect_error "org lookup: an unknown org is a 404" 404 "Not Found" "$ORG_DOC"
	req GET /users/octocat/installation
	expect "user lookup: octocat is 5151" 200 "b['id'] == 5151
		and b['permissions'] == {'contents': 'read', 'metadata': 'read'}"
	req GET /users/nobody/installation
	expect_error "user lookup: an unknown user is a 404" 404 "Not Found" "$USER_DOC"
}

# --- installation tokens -----------------------------------------------------------------------
check_tokens() {
	JWT=$(hjwt)
	token 4242
	expect "token {}: 201, ghs_ and 36 alphanumerics, expires in an hour, all permissions" 201 "
		sorted(b) == ['expires_at', 'permissions', 'repository_selection', 'token']
		and re.fullmatch('ghs_[A-Za-z0-9]{36}', b['token'])
		and re.fullmatch(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ', b['expires_at'])
		and abs(calendar.timegm(time.strptime(b['expires_at'], '%Y-%m-%dT%H:%M:%SZ'))
			- (now + 3600)) <= 5
		and b['permissions'] == $GRANTED and b['repository_selection'] == 'selected'"
	FIRST_TOKEN=$(tail -n 1 "$T/tokens")
	expect_grep '^HTTP/1.1 201 Created' "$T/hdr" "token: the status line is 201 Created"
	_narrow='{"repositories":["app","INFRA"],'
	_narrow="$_narrow"'"permissions":{"contents":"read","issues":"write"}}'
	token 4242 "$_narrow"
	expect "token narrowed: those permissions and repositories (GitHub's case)" 201 "
		b['permissions'] == {'contents': 'read', 'issues': 'write'}
		and [(r['name'], r['full_name']) for r in b['repositories']]
			== [('app', 'octo-org/app'), ('infra', 'octo-org/infra')]
		and b['repository_selection'] == 'selected'"
	token 4242 '{"permissions":{"metadata":"read"}}'
	expect "token narrowed by permission only: no repositories member" 201 "
		b['permissions'] == {'metadata': 'read'} and 'repositories' not in b"
	token 5151
	expect "token of the 'all' installation 5151" 201 "b['repository_selection'] == 'all'
		and b['permissions'] == {'contents': 'read', 'metadata': 'read'}"
	token 5151 '{"repositories":["anything"]}'
	expect "token of 5151 narrowed to any repository" 201 "
		b['repositories'][0]['full_name'] == 'octocat/anything'
		and b['repository_selection'] == 'selected'"
	token 4242 '{"repositories":["app","secret"]}'
	expect_error "token: a repository not in the installation is a 422" 422 "$NO_REPO" \
		"$TOKEN_DOC"
	token 4242 '{"permissions":{"administration":"read"}}'
	expect_error "token: a permission not granted is a 422" 422 "$NO_PERM" "$TOKEN_DOC"
	token 4242 '{"permissions":{"metadata":"write"}}'
	expect_error "token: write where read was granted is a 422" 422 "$NO_PERM" "$TOKEN_DOC"
	token 4242 '{"permissions":{"contents":"admin"}}'
	expect_error "token: a level other than read/write is a 422" 422 "$NO_PERM" "$TOKEN_DOC"
	token 4242 '{"repositories":"app"}'
	expect "token: repositories not an array is a 422" 422 "b['status'] == '422'
		and b['message'].startswith('Invalid request.')"
	token 9999
	expect_error "token: an unknown installation is a 404" 404 "Not Found" "$TOKEN_DOC"
	token abc
	expect_error "token: a non-numeric installation is a 404" 404 "Not Found" "$TOKEN_DOC"
	CTYPE=text/plain
	token 4242
	expect "token as text/plain: 415 naming the type" 415 "b['status'] == '415'
		and 'text/plain' in b['message']"
	CTYPE=application/x-www-form-urlencoded
	token 4242
	expect "token as a form: 415" 415 "b['status'] == '415'"
	CTYPE='application/json; charset=utf-8'
	token 4242
	expect "token as application/json; charset=utf-8: 201" 201 "b['token']"
	CTYPE=application/json
	token 4242 '{'
	expect_error "token: a body that is not JSON is a 400" 400 "Problems parsing JSON" \
		"$TOKEN_DOC"
	token 4242 '["app"]'
	expect_error "token: a JSON array is a 400" 400 "Problems parsing JSON" "$TOKEN_DOC"
	req POST /app/installations/4242/access_tokens -H "Content-Type: $CTYPE"
	expect "token POST without a body (no length) is a 411" 411 "b['status'] == '411'"
}

# --- the App's JWT and the request's headers ---------------------------------------------------
check_auth() {
	JWT=$(hjwt)
	_good=$JWT
	JWT=$(hjwt '' "$PKI/app2.key")
	req GET /repos/octo-org/app/installation
	expect_error "signed by another key: 401 not decoded" 401 "$DECODED"
	JWT=$(hjwt '' '' '{"alg":"RS384","typ":"JWT"}')
	token 4242
	expect_error "alg RS384 in the header: 401 not decoded" 401 "$DECODED"
	JWT=$(hjwt '' '' '{"alg":"RS256","typ":"JOSE+JSON"}')
	req GET /orgs/octo-org/installation
	expect_error "typ other than JWT: 401 not decoded" 401 "$DECODED"
	JWT=${_good%.*}
	req GET /orgs/octo-org/installation
	expect_error "a JWT of two parts: 401 not decoded" 401 "$DECODED"
	JWT="${_good%.*}.a*b"
	req GET /orgs/octo-org/installation
	expect_error "a signature not base64url: 401 not decoded" 401 "$DECODED"
	fetch "$HMOCK_URL/orgs/octo-org/installation" -A "$UA"
	expect_error "no Authorization: 401 not decoded" 401 "$DECODED"
	fetch "$HMOCK_URL/orgs/octo-org/installation" -A "$UA" -H "Authorization: token $_good"
	expect_error "Authorization: token JWT (not Bearer): 401 not decoded" 401 "$DECODED"
	JWT=$(hjwt '' '' '{"alg":"RS256"}')
	req GET /orgs/octo-org/installation
	expect "a header without typ is accepted" 200 "b['id'] == 4242"
	JWT=$(hjwt '' '' '{"typ":"JWT","kid":"x","alg":"RS256"}')
	req GET /orgs/octo-org/installation
	expect "a header in another order with a kid is accepted" 200 "b['id'] == 4242"
	JWT=$(hjwt "$(hclaims "$HAPPID")")
	token 4242
	expect "iss the App id as a JSON number is accepted" 201 "b['token']"
	JWT=$(hjwt "$(hclaims "\"$HCLIENTID\"")")
	token 4242
	expect "iss the client id is accepted" 201 "b['token']"
	JWT=$(hjwt "$(hclaims '"654321"')")
	req GET /orgs/octo-org/installation
	expect_401 "wrong iss (another App id): 401 naming it" '.*[Ii]ntegration.*654321.*'
	JWT=$(hjwt "$(hclaims '"Iv23liOTHERCLIENT999"')")
	req GET /orgs/octo-org/installation
	expect_401 "wrong iss (another client id): 401 naming it" '.*Iv23liOTHERCLIENT999.*'
	JWT=$(hjwt "$(hclaims 'true')")
	req GET /orgs/octo-org/installation
	expect_401 "iss true: 401" '.*[Ii]ntegration not found.*'
	JWT=$(hjwt "$(hclaims '' 120 300)")
	req GET /orgs/octo-org/installation
	expect_error "iat 2 minutes ahead: 401 iat" 401 "$IAT_TEXT"
	_n=$(now)
	JWT=$(hjwt "{\"iat\":\"$((_n - 60))\",\"exp\":$((_n + 540)),\"iss\":\"$HAPPID\"}")
	req GET /orgs/octo-org/installation
	expect_error "iat a string: 401 iat" 401 "$IAT_TEXT"
	JWT=$(hjwt "{\"exp\":$((_n + 540)),\"iss\":\"$HAPPID\"}")
	req GET /orgs/octo-org/installation
	expect_error "no iat: 401 iat" 401 "$IAT_TEXT"
	JWT=$(hjwt "$(hclaims '' -600 -10)")
	req GET /orgs/octo-org/installation
	expect_error "exp 10 s past: 401 exp" 401 "$EXP_TEXT"
	JWT=$(hjwt "{\"iat\":$((_n - 60)),\"iss\":\"$HAPPID\"}")
	req GET /orgs/octo-org/installation
	expect_error "no exp: 401 exp" 401 "$EXP_TEXT"
	JWT=$(hjwt "$(hclaims '' 0 660)")
	req GET /orgs/octo-org/installation
	expect_error "exp 11 minutes ahead: 401 too far" 401 "$FAR_TEXT"
	JWT=$(hjwt "$(hclaims '' -120 540)")
	req GET /orgs/octo-org/installation
	expect_error "exp - iat of 660 s (exp 9 minutes ahead): 401 too far" 401 "$FAR_TEXT"
	JWT=$(hjwt "$(hclaims '' -60 540)")
	token 4242
	expect "jwtgrant's iat now-60, exp now+540 (600 s) is accepted" 201 "b['token']"
	JWT=$_good
	UA=
	req GET /orgs/octo-org/installation
	expect "no User-Agent: 403 with GitHub's text" 403 "b == {'message': sys.argv[3]}" \
		"$UA_TEXT"
	UA=jwtgrant-selftest/1.0
	VER=2021-01-01
	req GET /orgs/octo-org/installation
	expect "X-GitHub-Api-Version 2021-01-01: 400 naming it" 400 "b['status'] == '400'
		and '2021-01-01' in b['message']"
	VER=
	req GET /orgs/octo-org/installation
	expect "no X-GitHub-Api-Version is accepted" 200 "b['id'] == 4242"
	VER=2022-11-28
	fetch "$HMOCK_URL/orgs/octo-org/installation" -A "$UA" -H "Authorization: Bearer $JWT"
	expect "no Accept header is accepted" 200 "b['id'] == 4242"
}

# --- routes --------------------------------------------------------------------------------------
check_routes() {
	JWT=$(hjwt)
	for p in /app /app/installations /repos/octo-org/app /user/installations /; do
		req GET "$p"
		expect_error "GET $p: 404" 404 "Not Found"
	done
	req GET /app/installations/4242/access_tokens
	expect_error "GET on access_tokens: 404" 404 "Not Found"
	req POST /orgs/octo-org/installation -H 'Content-Type: application/json' --data-binary '{}'
	expect_error "POST on a lookup: 404" 404 "Not Found"
	req DELETE /repos/octo-org/app/installation
	expect_error "DELETE on a lookup: 404" 404 "Not Found"
	req PATCH /repos/octo-org/app/installation
	expect_error "PATCH on a lookup: 404" 404 "Not Found"
	req GET /api/v3/orgs/octo-org/installation
	expect_error "without --prefix, /api/v3 paths are a 404" 404 "Not Found"
	# two requests on one connection
	_n0=$(grep -c . "$HMOCK_LOG")
	curl -sS --max-time 10 --cacert "$PKI/ca.crt" -A "$UA" -H "Authorization: Bearer $JWT" \
		-o /dev/null -o /dev/null "$HMOCK_URL/orgs/octo-org/installation" \
		"$HMOCK_URL/users/octocat/installation" 2> "$T/curl.err"
	if tail -n 1 "$HMOCK_LOG" | grep -q '"conn_request":2,' && \
		[ "$(grep -c . "$HMOCK_LOG")" = $((_n0 + 2)) ]; then
		ok "a kept-alive connection serves a second request (conn_request 2)"
	else
		not_ok "a kept-alive connection serves a second request (conn_request 2)" \
			"$(tail -n 2 "$HMOCK_LOG" | cut -c 1-200)"
	fi
}

# --- the log --------------------------------------------------------------------------------------
# log_check NAME PYTHON_TEST — a Python expression true of L, the list of the log's records
log_check() {
	if "$JG_PY" -c '
import json, sys
L = [json.loads(line) for line in open(sys.argv[1], encoding="ascii")]
sys.exit(0 if eval("(" + sys.argv[2] + "\n)") else 1)
' "$HMOCK_LOG" "$2" "${3:-}" 2> "$T/py.err"; then
		ok "$1"
	else
		not_ok "$1" "$(head -n 3 "$T/py.err")" "$(head -n 2 "$HMOCK_LOG" | cut -c 1-300)"
	fi
}

check_log() {
	log_check "log: the first line is the repo lookup, its fields in order" "
		list(L[0])[:12] == ['request_number', 'conn_request', 'method', 'path', 'version',
			'accept', 'api_version', 'user_agent', 'content_type', 'authorization',
			'route', 'body_len']
		and L[0]['request_number'] == 1 and L[0]['method'] == 'GET'
		and L[0]['path'] == '/repos/octo-org/app/installation' and L[0]['route'] == 'repo'
		and L[0]['accept'] == 'application/vnd.github+json'
		and L[0]['api_version'] == '2022-11-28'
		and L[0]['user_agent'] == 'jwtgrant-selftest/1.0'
		and L[0]['authorization'] is True and L[0]['authorization_scheme'] == 'Bearer'
		and L[0]['status'] == 200 and L[0]['installation_id'] == 4242"
	log_check "log: the decoded JWT header and claims, iss_type string" "
		L[0]['jwt_header'] == {'alg': 'RS256', 'typ': 'JWT'}
		and list(L[0]['jwt_claims']) == ['iat', 'exp', 'iss']
		and L[0]['jwt_claims']['iss'] == '$HAPPID' and L[0]['iss_type'] == 'string'"
	log_check "log: iss_type number for a numeric iss" \
		"any(r.get('iss_type') == 'number' and r['status'] == 201 for r in L)"
	log_check "log: request numbers run 1..N" \
		"[r['request_number'] for r in L] == list(range(1, len(L) + 1))"
	log_check "log: the narrowed token request's body and content type" "any(
		r.get('body') == {'repositories': ['app', 'INFRA'],
			'permissions': {'contents': 'read', 'issues': 'write'}}
		and r['content_type'] == 'application/json' and r['status'] == 201 for r in L)"
	log_check "log: authorization false without the header" \
		"any(r['authorization'] is False and r['status'] == 401 for r in L)"
	log_check "log: the token scheme is logged as 'token'" \
		"any(r.get('authorization_scheme') == 'token' for r in L)"
	log_check "log: no User-Agent logged as null with its 403" \
		"any(r['user_agent'] is None and r['status'] == 403 for r in L)"
	log_check "log: every status answered is there" \
		"{r['status'] for r in L} >= {200, 201, 400, 401, 403, 404, 411, 415, 422}"
	_sha=$(printf '%s' "$FIRST_TOKEN" | openssl dgst -sha256 -r | cut -d ' ' -f 1)
	log_check "log: a 201 has the token's SHA-256 ($(printf %.12s "$_sha")...)" "
		[r.get('token_sha256') for r in L if r['status'] == 201][0] == sys.argv[3]
		and all(('token_sha256' in r) == (r['status'] == 201) for r in L)" "$_sha"
	_n=$(grep -c . "$T/sigs")
	if [ "$_n" -gt 20 ] && ! grep -F -q -f "$T/sigs" "$HMOCK_LOG" "$HMOCK_ERR"; then
		ok "log and stderr never hold a JWT's signature ($_n signatures)"
	else
		not_ok "log and stderr never hold a JWT's signature ($_n signatures)"
	fi
	expect_no_grep "${JWT%.*}" "$HMOCK_LOG" "log never holds a JWT"
	_n=$(grep -c . "$T/tokens")
	if [ "$_n" -gt 5 ] && ! grep -F -q -f "$T/tokens" "$HMOCK_LOG" "$HMOCK_ERR"; then
		ok "log and stderr never hold a token issued ($_n tokens)"
	else
		not_ok "log and stderr never hold a token issued ($_n tokens)"
	fi
	if [ ! -s "$HMOCK_ERR" ]; then
		ok "stderr is empty"
	else
		not_ok "stderr is empty" "$(head -n 5 "$HMOCK_ERR")"
	fi
}

if start_github_mock; then
	check_lookups
	check_tokens
	check_auth
	check_routes
	stop_github_mock
	check_log
fi

# --- GitHub Enterprise Server ---------------------------------------------------------------------
if start_github_mock --prefix /api/v3; then
	case $HMOCK_URL in
	"https://localhost:$HMOCK_PORT/api/v3") ok "HMOCK_URL has the --prefix" ;;
	*) not_ok "HMOCK_URL has the --prefix" "$HMOCK_URL" ;;
	esac
	JWT=$(hjwt)
	req GET /repos/octo-org/app/installation
	expect "--prefix /api/v3: the lookup is served there, URLs under it" 200 "b['id'] == 4242
		and b['access_tokens_url']
			== sys.argv[3] + '/app/installations/4242/access_tokens'" "$HMOCK_URL"
	token 4242
	expect "--prefix /api/v3: the token is served there" 201 "b['token']"
	fetch "https://localhost:$HMOCK_PORT/repos/octo-org/app/installation" -A "$UA" \
		-H "Authorization: Bearer $JWT"
	expect_error "--prefix /api/v3: the lookup without the prefix is a 404" 404 "Not Found"
	fetch "https://localhost:$HMOCK_PORT/app/installations/4242/access_tokens" -A "$UA" \
		-H "Authorization: Bearer $JWT" -H 'Content-Type: application/json' \
		--data-binary '{}'
	expect_error "--prefix /api/v3: the token without the prefix is a 404" 404 "Not Found"
	req GET /api/v3/orgs/octo-org/installation
	expect_error "--prefix /api/v3: the prefix twice is a 404" 404 "Not Found"
	stop_github_mock
fi

# --- --refuse suspended ---------------------------------------------------------------------------
if start_github_mock --refuse suspended; then
	JWT=$(hjwt)
	token 4242
	expect_error "--refuse suspended: the token is a 403" 403 \
		"This installation has been suspended" "$TOKEN_DOC"
	req GET /repos/octo-org/app/installation
	expect "--refuse suspended: the lookup is a 200 with suspended_at" 200 "b['id'] == 4242
		and b['suspended_at'] is not None"
	JWT=$(hjwt '' "$PKI/app2.key")
	token 4242
	expect_error "--refuse suspended still checks the JWT first" 401 "$DECODED"
	JWT=$(hjwt)
	token 9999
	expect_error "--refuse suspended: an unknown installation is still a 404" 404 "Not Found" \
		"$TOKEN_DOC"
	stop_github_mock
fi

# --- modes ----------------------------------------------------------------------------------------
# expect_html NAME STATUS — the last answer is that status with an HTML body
expect_html() {
	if [ "$STATUS" = "$2" ] && grep -q '<html>' "$T/body"; then
		ok "$1"
	else
		not_ok "$1" "HTTP $STATUS (want $2): $(head -c 200 "$T/body")"
	fi
}
if start_github_mock --mode always-503; then
	JWT=$(hjwt)
	req GET /repos/octo-org/app/installation
	expect_html "always-503: the lookup is a 503 (HTML)" 503
	token 4242
	expect_html "always-503: the token is a 503 too" 503
	expect_grep '^Connection: close' "$T/hdr" "always-503: the 503 closes the connection"
	stop_github_mock
	log_check "always-503: the log says what it would have been, no token issued" "
		[(r['status'], r['would_have_been']) for r in L] == [(503, 200), (503, 201)]
		and not any('token_sha256' in r for r in L)"
fi
if start_github_mock --mode fail-then-ok; then
	JWT=$(hjwt)
	req GET /repos/octo-org/app/installation
	expect_html "fail-then-ok: the first request is a 503" 503
	req GET /repos/octo-org/app/installation
	expect "fail-then-ok: the second is answered" 200 "b['id'] == 4242"
	token 4242
	expect "fail-then-ok: the token after it is issued" 201 "b['token']"
	stop_github_mock
fi

# --- tokens of another shape, options -------------------------------------------------------------
if start_github_mock --token-style long; then
	JWT=$(hjwt)
	for i in 1 2 3; do
		token 4242
		expect "--token-style long ($i): 200+ base64url chars with - and _, not ghs_" 201 "
			len(b['token']) >= 200 and not b['token'].startswith('ghs_')
			and re.fullmatch('[A-Za-z0-9_-]+', b['token'])
			and '-' in b['token'] and '_' in b['token'].split('_', 1)[1]"
	done
	stop_github_mock
fi
cat > "$T/inst.json" << 'EOF'
[{"id": 777, "account": "acme", "type": "Organization", "repositories": ["site"],
  "permissions": {"pull_requests": "write"}, "repository_selection": "selected"}]
EOF
if start_github_mock --app-id 42 --client-id Iv23liOTHER --installations "$T/inst.json" \
	--access-token fixed-token-value --compact; then
	JWT=$(hjwt "$(hclaims '"42"')")
	req GET /repos/acme/site/installation
	expect "--installations: its installation is found, --app-id 42 as iss" 200 \
		"b['id'] == 777 and b['app_id'] == 42 and b['client_id'] == 'Iv23liOTHER'"
	if [ "$(head -c 9 "$T/body")" = '{"id":777' ]; then
		ok "--compact: one-line JSON"
	else
		not_ok "--compact: one-line JSON" "$(head -c 40 "$T/body")"
	fi
	req GET /repos/octo-org/app/installation
	expect_error "--installations replaces the built-in table" 404 "Not Found" "$REPO_DOC"
	token 777 '{"permissions":{"pull_requests":"read"}}'
	expect "--installations: its token, --access-token fixed" 201 "
		b['token'] == 'fixed-token-value' and b['permissions'] == {'pull_requests': 'read'}"
	JWT=$(hjwt)
	req GET /repos/acme/site/installation
	expect_401 "--app-id 42: the iss 123456 names no App" '.*123456.*'
	stop_github_mock
fi
then=1700000000
if JWTGRANT_MOCK_NOW=$then start_github_mock; then
	JWT=$(hjwt "{\"iat\":$((then - 60)),\"exp\":$((then + 540)),\"iss\":\"$HAPPID\"}")
	token 4242
	expect "JWTGRANT_MOCK_NOW: a JWT of that time is accepted, expires_at an hour later" 201 \
		"b['expires_at'] == '2023-11-14T23:13:20Z'"
	expect_grep '^Date: Tue, 14 Nov 2023 22:13:20 GMT' "$T/hdr" \
		"the Date header follows the mock clock"
	JWT=$(hjwt)
	token 4242
	expect_error "JWTGRANT_MOCK_NOW: a real-time JWT has iat ahead" 401 "$IAT_TEXT"
	stop_github_mock
fi
if start_github_mock --now +3600; then
	JWT=$(hjwt)
	token 4242
	expect_error "--now +3600: a real-time JWT has expired" 401 "$EXP_TEXT"
	stop_github_mock
fi

# usage NAME ARGS... — the mock refuses these arguments (exit 2, a message), and does not start
usage() {
	_name=$1
	shift
	if "$JG_PY" "$JG_TOP/tests/mock/github_mock.py" --cert "$PKI/server.crt" \
		--key "$PKI/server.key" --app-cert "$PKI/app.crt" --max-life 5 "$@" \
		> /dev/null 2> "$T/usage.err" < /dev/null; then
		not_ok "$_name"
	else
		expect_grep '(error|github_mock):' "$T/usage.err" "$_name"
	fi
}
usage "an unknown --token-style is a usage error" --token-style short
usage "an unknown --refuse is a usage error" --refuse nonsense
usage "--prefix without a leading / is a usage error" --prefix api/v3
echo '{"id": 1}' > "$T/bad.json"
usage "an --installations file that is not an array is refused" --installations "$T/bad.json"

# expect_ended NAME — ok when the latest GitHub mock has exited within ~2 s
expect_ended() {
	_n=0
	while jg_alive "$HMOCK_PID" && [ $_n -lt 20 ]; do
		sleep 0.1
		_n=$((_n + 1))
	done
	if jg_alive "$HMOCK_PID"; then not_ok "$1"; else ok "$1"; fi
	stop_github_mock
}
if start_github_mock --max-life 1; then
	expect_ended "--max-life ends the mock"
fi
if start_github_mock; then
	kill -TERM "$HMOCK_PID"
	expect_ended "SIGTERM ends the mock"
fi
