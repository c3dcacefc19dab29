#!/bin/sh
# The Google mock token endpoint is honest: without jwtgrant, JWTs built with make_jwt and sent
# with curl get the answers Google's token endpoint gives, every refusal comes from a real check
# (or a named --refuse), the log holds what the C side's tests need and never a signature, and
# google_credentials writes a key file as Google issues it.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

pki || exit 1
GRANT='urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer'
HDR="{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"$GKID\"}"
SCOPE=https://www.googleapis.com/auth/cloud-platform
GOOGLE=https://oauth2.googleapis.com/token
# Google's descriptions as extended regular expressions
SIG_TEXT='Invalid JWT Signature\.'
CLOCK_TEXT='Invalid JWT: Token must be a short-lived token \(60 minutes\) and in a reasonable'
CLOCK_TEXT="$CLOCK_TEXT timeframe\\. Check your iat and exp values in the JWT claim\\."
UNAUTH_TEXT='Client is unauthorized to retrieve access tokens using this method, or client not'
UNAUTH_TEXT="$UNAUTH_TEXT authorized for any of the scopes requested\\."
AUD_TEXT='Invalid JWT: Failed audience check\. The right audience is'
SCOPE_TEXT='Empty or missing scope not allowed\.'
NOW=$(now)
CTYPE=application/x-www-form-urlencoded # what post sends
: > "$T/sigs" # every signature made, one a line: none may reach a log

# gclaims AUD [EXP [IAT [SUB [ISS [SCOPE]]]]] — the claims jwtgrant sends, in its order (no
# escaping: test values only); EXP defaults to NOW+3600, IAT to NOW, no SUB
gclaims() {
	_exp=${2:-$((NOW + 3600))} _iat=${3:-$NOW}
	_sub=
	[ -n "${4:-}" ] && _sub=",\"sub\":\"$4\""
	printf '{"iss":"%s"%s,"scope":"%s","aud":"%s","exp":%s,"iat":%s}' \
		"${5:-$GEMAIL}" "$_sub" "${6:-$SCOPE}" "$1" "$_exp" "$_iat"
}

# gjwt CLAIMS [KEY [HEADER]] — an RS256 JWT (default app.key, the header jwtgrant sends); its
# signature goes to $T/sigs (a file: gjwt runs in command substitutions)
gjwt() {
	_j=$(make_jwt "${2:-$PKI/app.key}" "$1" "${3:-$HDR}")
	printf '%s\n' "${_j##*.}" >> "$T/sigs"
	echo "$_j"
}

# hjwt HEADER — a JWT of good claims under another header
hjwt() {
	gjwt "$(gclaims "$GMOCK_URL")" "$PKI/app.key" "$1"
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

# post JWT — POST the grant to $GMOCK_URL as $CTYPE (see fetch)
post() {
	fetch "$GMOCK_URL" -H "Content-Type: $CTYPE" --data-binary "grant_type=$GRANT&assertion=$1"
}

# expect_status NAME STATUS [BODY_PATTERN] — the last answer's status (and body)
expect_status() {
	if [ "$STATUS" = "$2" ] && grep -E -q -e "${3:-}" "$T/body"; then
		ok "$1"
	else
		not_ok "$1" "HTTP $STATUS (want $2), body: $(head -c 300 "$T/body")" \
			"$(head -n 3 "$T/curl.err")"
	fi
}

# expect_answer NAME STATUS PATTERN JWT — post JWT: the status, and a body matching PATTERN
expect_answer() {
	post "$4"
	expect_status "$1" "$2" "$3"
}

# expect_refusal NAME ERROR DESCRIPTION_REGEX JWT — Google's 400 with exactly that JSON
expect_refusal() {
	expect_answer "$1" 400 "^\\{\"error\":\"$2\",\"error_description\":\"$3\"\\}\$" "$4"
}

# expect_empty NAME TEXT — ok when TEXT (what is wrong) is empty
expect_empty() {
	if [ -z "$2" ]; then ok "$1"; else not_ok "$1" "$2"; fi
}

# --- every check, on one default mock ----------------------------------------------------------
check_all() {
	AUD=$GMOCK_URL
	good=$(gjwt "$(gclaims "$AUD")")
	_grant='^\{"access_token":"ya29\.[A-Za-z0-9_.-]+","expires_in":3599,'
	expect_answer "good JWT is granted" 200 "$_grant\"token_type\":\"Bearer\"\\}\$" "$good"
	expect_grep '^Content-Type: application/json; charset=utf-8' "$T/hdr" \
		"grant is Google's JSON type"
	expect_grep '^Date: ' "$T/hdr" "grant has a Date header"
	expect_refusal "app2.key: Invalid JWT Signature." invalid_grant "$SIG_TEXT" \
		"$(gjwt "$(gclaims "$AUD")" "$PKI/app2.key")"
	expect_grep '^Content-Type: application/json; charset=utf-8' "$T/hdr" \
		"refusal is Google's JSON type"
	expect_refusal "wrong kid: Invalid JWT Signature." invalid_grant "$SIG_TEXT" \
		"$(hjwt '{"alg":"RS256","typ":"JWT","kid":"ffff"}')"
	expect_refusal "no kid: Invalid JWT Signature." invalid_grant "$SIG_TEXT" \
		"$(hjwt '{"alg":"RS256","typ":"JWT"}')"
	expect_refusal "header without typ: Invalid JWT Signature." invalid_grant "$SIG_TEXT" \
		"$(hjwt "{\"alg\":\"RS256\",\"kid\":\"$GKID\"}")"
	expect_answer "header members in another order are granted" 200 '"access_token"' \
		"$(hjwt "{\"kid\":\"$GKID\",\"typ\":\"JWT\",\"alg\":\"RS256\"}")"
	expect_refusal "wrong iss: account not found" invalid_grant \
		'Invalid grant: account not found' \
		"$(gjwt "$(gclaims "$AUD" '' '' '' other@jwtgrant-test.iam.gserviceaccount.com)")"
	expect_refusal "wrong aud: failed audience check, naming the right one" invalid_grant \
		"$AUD_TEXT https://localhost:$GMOCK_PORT/token" "$(gjwt "$(gclaims "$GOOGLE")")"
	expect_refusal "no scope: invalid_scope" invalid_scope "$SCOPE_TEXT" "$(gjwt \
		"{\"iss\":\"$GEMAIL\",\"aud\":\"$AUD\",\"exp\":$((NOW + 3600)),\"iat\":$NOW}")"
	expect_refusal "empty scope: invalid_scope" invalid_scope "$SCOPE_TEXT" \
		"$(gjwt "$(gclaims "$AUD" '' '' '' '' ' ')")"
	expect_refusal "lifetime 3601: the clock refusal" invalid_grant "$CLOCK_TEXT" \
		"$(gjwt "$(gclaims "$AUD" $((NOW + 3601)))")"
	expect_refusal "exp in the past: the clock refusal" invalid_grant "$CLOCK_TEXT" \
		"$(gjwt "$(gclaims "$AUD" $((NOW - 10)) $((NOW - 600)))")"
	expect_refusal "iat 5 minutes ahead: the clock refusal" invalid_grant "$CLOCK_TEXT" \
		"$(gjwt "$(gclaims "$AUD" $((NOW + 900)) $((NOW + 300)))")"
	expect_refusal "exp a string: the clock refusal" invalid_grant "$CLOCK_TEXT" \
		"$(gjwt "$(gclaims "$AUD" "\"$((NOW + 3600))\"")")"
	expect_answer "iat 30 s ahead (clock skew) is granted" 200 '"access_token"' \
		"$(gjwt "$(gclaims "$AUD" $((NOW + 3630)) $((NOW + 30)))")"
	expect_refusal "sub without --subjects: unauthorized_client" unauthorized_client \
		"$UNAUTH_TEXT" "$(gjwt "$(gclaims "$AUD" '' '' alice@example.com)")"
	_c="{\"aud\":\"$AUD\",\"iss\":\"$GEMAIL\",\"scope\":\"$SCOPE\","
	expect_answer "claims in another order are granted" 200 '"access_token"' \
		"$(gjwt "$_c\"iat\":$NOW,\"exp\":$((NOW + 3600))}")"
	check_form
}

# the form and the HTTP request around the JWT
check_form() {
	fetch "$GMOCK_URL" --data-binary "grant_type=password&assertion=$good"
	_want='{"error":"unsupported_grant_type","error_description":'
	_want="$_want\"Invalid grant_type: password\"}"
	if [ "$STATUS" = 400 ] && [ "$(cat "$T/body")" = "$_want" ]; then
		ok "grant_type=password: unsupported_grant_type, naming it"
	else
		not_ok "grant_type=password: unsupported_grant_type, naming it" \
			"HTTP $STATUS: $(head -c 300 "$T/body")"
	fi
	CTYPE=text/plain # Google reads no grant_type from another body
	expect_refusal "text/plain body: unsupported_grant_type" unsupported_grant_type \
		'Invalid grant_type: ' "$good"
	CTYPE=application/x-www-form-urlencoded
	expect_refusal "two-part assertion: invalid_request" invalid_request 'Invalid JWT: [^"]+' \
		"${good%.*}"
	expect_refusal "assertion not base64url: invalid_request" invalid_request \
		'Invalid JWT: [^"]+' 'a*b.c.d'
	fetch "$GMOCK_URL" --data-binary "grant_type=$GRANT"
	expect_status "no assertion: invalid_request" 400 '"error":"invalid_request"'
	for m in GET PUT; do
		fetch "$GMOCK_URL" -X $m
		expect_status "$m on the token path is a 404" 404
	done
	fetch "https://localhost:$GMOCK_PORT/o/oauth2/token" \
		--data-binary "grant_type=$GRANT&assertion=$good"
	expect_status "POST to another path is a 404" 404
}

# The log: one line per token request, the first the good grant in jwtgrant's claim order.
check_log() {
	head -n 1 "$GMOCK_LOG" > "$T/first"
	expect_grep '^\{"method":"POST","path":"/token",' "$T/first" \
		"log line starts with method and path"
	expect_grep '"form_keys":\["grant_type","assertion"\]' "$T/first" "log has the form's keys"
	expect_grep '"assertion_present":true,"assertion_len":[1-9][0-9]*,' "$T/first" \
		"log has the assertion's length"
	expect_grep "\"jwt_header\":\\{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"$GKID\"\\}" \
		"$T/first" "log has the decoded header"
	expect_grep "\"jwt_claims\":\\{\"iss\":\"$GEMAIL\",\"scope\":" "$T/first" \
		"log has the decoded claims"
	expect_grep '"claim_order":true,.*"request_number":1,"verdict":"granted","status":200' \
		"$T/first" "log: the good grant has claim_order true, number, verdict and status"
	expect_grep '"claim_order":false,.*"verdict":"granted"' "$GMOCK_LOG" \
		"log: claims in another order have claim_order false (and are granted)"
	expect_grep '"verdict":"refused:invalid_grant:Invalid JWT Signature\.","status":400' \
		"$GMOCK_LOG" "log has refusal verdicts"
	n=$(grep -c '^{"method":"POST","path":"/token"' "$GMOCK_LOG")
	expect_grep "\"request_number\":$n," "$GMOCK_LOG" "log counts token requests ($n)"
	n=$(grep -c . "$T/sigs")
	if [ "$n" -gt 10 ] && ! grep -F -q -f "$T/sigs" "$GMOCK_LOG"; then
		ok "log never holds an assertion's signature ($n signatures)"
	else
		not_ok "log never holds an assertion's signature ($n signatures)"
	fi
	expect_no_grep "${good%.*}" "$GMOCK_LOG" "log never holds an assertion"
}

if start_google_mock; then
	check_all
	stop_google_mock
	check_log
fi

# --- domain-wide delegation --------------------------------------------------------------------
if start_google_mock --subjects alice@example.com,bob@example.com; then
	expect_answer "sub in --subjects is granted" 200 '"access_token"' \
		"$(gjwt "$(gclaims "$GMOCK_URL" '' '' bob@example.com)")"
	expect_grep '"jwt_claims":\{"iss":"[^"]+","sub":"bob@example.com",.*"claim_order":true' \
		"$GMOCK_LOG" "claim_order true with sub after iss"
	expect_refusal "sub not in --subjects: unauthorized_client" unauthorized_client \
		"$UNAUTH_TEXT" "$(gjwt "$(gclaims "$GMOCK_URL" '' '' mallory@example.com)")"
	expect_answer "no sub with --subjects is granted" 200 '"access_token"' \
		"$(gjwt "$(gclaims "$GMOCK_URL")")"
	stop_google_mock
fi

# --- forced refusals ---------------------------------------------------------------------------
# refused NAME ERROR DESCRIPTION_REGEX — a good JWT to a mock with --refuse NAME
refused() {
	if start_google_mock --refuse "$1"; then
		expect_refusal "--refuse $1" "$2" "$3" "$(gjwt "$(gclaims "$GMOCK_URL")")"
		stop_google_mock
	fi
}
refused bad_signature invalid_grant "$SIG_TEXT"
refused clock invalid_grant "$CLOCK_TEXT"
refused invalid_scope invalid_scope 'Invalid OAuth scope or ID token audience provided\.'
refused unauthorized_client unauthorized_client "$UNAUTH_TEXT"
refused account_not_found invalid_grant 'Invalid grant: account not found'
refused audience invalid_grant "$AUD_TEXT https://localhost:[0-9]+/token"
refused disabled invalid_grant 'Robot is disabled\.'
refused unknown some_new_error 'something new'
refused 'temporarily_unavailable:try later' temporarily_unavailable 'try later'
if start_google_mock --refuse disabled; then
	expect_refusal "--refuse still checks the signature first" invalid_grant "$SIG_TEXT" \
		"$(gjwt "$(gclaims "$GMOCK_URL")" "$PKI/app2.key")"
	stop_google_mock
fi
if "$JG_PY" "$JG_TOP/tests/mock/google_mock.py" --cert "$PKI/server.crt" \
	--key "$PKI/server.key" --app-cert "$PKI/app.crt" --refuse nonsense \
	> /dev/null 2> "$T/usage.err" < /dev/null; then
	not_ok "an unknown --refuse name is a usage error"
else
	expect_grep 'unknown --refuse' "$T/usage.err" "an unknown --refuse name is a usage error"
fi

# --- modes -------------------------------------------------------------------------------------
if start_google_mock --mode always-503; then
	g=$(gjwt "$(gclaims "$GMOCK_URL")")
	expect_answer "always-503: 503 HTML" 503 '<html>' "$g"
	expect_answer "always-503: 503 again" 503 '<html>' "$g"
	stop_google_mock
	expect_grep '"verdict":"mode:503 \(would have been granted\)","status":503' "$GMOCK_LOG" \
		"always-503: the log says what the answer would have been"
fi
if start_google_mock --mode fail-then-ok --fail-count 2; then
	g=$(gjwt "$(gclaims "$GMOCK_URL")")
	expect_answer "fail-then-ok: first request 503" 503 '<html>' "$g"
	expect_answer "fail-then-ok: second request 503" 503 '<html>' "$g"
	expect_answer "fail-then-ok: third request granted" 200 '"access_token"' "$g"
	stop_google_mock
fi

# --- options -----------------------------------------------------------------------------------
if start_google_mock --expires-in 120 --pretty --access-token ya29.fixed....; then
	post "$(gjwt "$(gclaims "$GMOCK_URL")")"
	if [ "$STATUS" = 200 ] && [ "$(cat "$T/body")" = '{
  "access_token": "ya29.fixed....",
  "expires_in": 120,
  "token_type": "Bearer"
}' ]; then
		ok "--pretty --expires-in --access-token: Google's indented answer"
	else
		not_ok "--pretty --expires-in --access-token: Google's indented answer" \
			"HTTP $STATUS: $(head -c 300 "$T/body")"
	fi
	stop_google_mock
fi
if start_google_mock --token-uri "$GOOGLE" --path /o/token; then
	expect_answer "--token-uri: Google's own aud is granted (posted to --path)" 200 \
		'"access_token"' "$(gjwt "$(gclaims "$GOOGLE")")"
	expect_refusal "--token-uri: the local URL as aud fails the audience check" invalid_grant \
		"$AUD_TEXT https://oauth2\\.googleapis\\.com/token" \
		"$(gjwt "$(gclaims "$GMOCK_URL")")"
	case $GMOCK_URL in
	*/o/token) ok "GMOCK_URL follows --path" ;;
	*) not_ok "GMOCK_URL follows --path" "$GMOCK_URL" ;;
	esac
	stop_google_mock
fi
then=1700000000
if JWTGRANT_MOCK_NOW=$then start_google_mock; then
	expect_answer "JWTGRANT_MOCK_NOW is the clock: a JWT of that time is granted" 200 \
		'"access_token"' "$(gjwt "$(gclaims "$GMOCK_URL" $((then + 3600)) $then)")"
	expect_grep '^Date: Tue, 14 Nov 2023 22:13:20 GMT' "$T/hdr" \
		"the Date header follows the mock clock"
	expect_refusal "JWTGRANT_MOCK_NOW: a real-time JWT has iat ahead" invalid_grant \
		"$CLOCK_TEXT" "$(gjwt "$(gclaims "$GMOCK_URL")")"
	stop_google_mock
fi
if start_google_mock --now -7200; then
	expect_refusal "--now -7200: a real-time JWT has iat ahead of the mock" invalid_grant \
		"$CLOCK_TEXT" "$(gjwt "$(gclaims "$GMOCK_URL")")"
	stop_google_mock
fi

# expect_ended NAME — ok when the latest Google mock has exited within ~2 s
expect_ended() {
	_n=0
	while jg_alive "$GMOCK_PID" && [ $_n -lt 20 ]; do
		sleep 0.1
		_n=$((_n + 1))
	done
	if jg_alive "$GMOCK_PID"; then not_ok "$1"; else ok "$1"; fi
	stop_google_mock
}
if start_google_mock --max-life 1; then
	expect_ended "--max-life ends the mock"
fi
if start_google_mock; then
	kill -TERM "$GMOCK_PID"
	expect_ended "SIGTERM ends the mock"
fi

# --- google_credentials ------------------------------------------------------------------------
# check_credentials FILE KEY TYPE TOKEN_URI — prints what is wrong with FILE, nothing when right
check_credentials() {
	"$JG_PY" -c '
import json, sys
path, key_pem, kind, token_uri, kid, email = sys.argv[1:7]
with open(path, encoding="ascii") as f:
    key = json.load(f)
with open(key_pem, encoding="ascii") as f:
    pem = f.read()
members = ["type", "project_id", "private_key_id", "private_key", "client_email", "client_id",
           "auth_uri", "token_uri", "auth_provider_x509_cert_url", "client_x509_cert_url",
           "universe_domain"]
want = {"type": kind, "private_key_id": kid, "private_key": pem, "client_email": email,
        "token_uri": token_uri}
if list(key) != members:
    print("members: %s" % list(key))
for name, value in want.items():
    if key.get(name) != value:
        print("%s: %r" % (name, key.get(name)))
' "$@" "$GKID" "$GEMAIL" 2>&1
}
google_credentials "$T/sa.json" "$GOOGLE"
expect_empty "google_credentials: valid JSON, Google's members, private_key is app.key" \
	"$(check_credentials "$T/sa.json" "$PKI/app.key" service_account "$GOOGLE")"
expect_grep '"private_key": "-----BEGIN PRIVATE KEY-----\\n[A-Za-z0-9+/]+\\n' "$T/sa.json" \
	"google_credentials: the PEM's newlines are \\n escapes"
"$JG_PY" -c 'import json, sys; sys.stdout.write(json.load(open(sys.argv[1]))["private_key"])' \
	"$T/sa.json" > "$T/sa.pem"
if cmp -s "$T/sa.pem" "$PKI/app.key"; then
	ok "google_credentials: private_key un-escaped is byte-identical to app.key"
else
	not_ok "google_credentials: private_key un-escaped is byte-identical to app.key"
fi
chmod 0644 "$T/sa.json"
other=https://localhost:1/token
google_credentials "$T/sa.json" "$other" "$PKI/app2.key" authorized_user
mode=$("$JG_PY" -c 'import os, sys; print(oct(os.stat(sys.argv[1]).st_mode & 0o7777))' \
	"$T/sa.json")
if [ "$mode" = 0o600 ]; then
	ok "google_credentials: mode 0600 (even over a 0644 file)"
else
	not_ok "google_credentials: mode 0600 (even over a 0644 file)" "mode $mode"
fi
expect_empty "google_credentials: KEY_PEM, TYPE and TOKEN_URI arguments" \
	"$(check_credentials "$T/sa.json" "$PKI/app2.key" authorized_user "$other")"
