#!/bin/sh
# The mock token endpoint is honest: without jwtgrant, JWTs built with printf, openssl and curl
# get the answers Salesforce would give, every refusal comes from a real check, the hostile modes
# break curl the way they are meant to, and the PKI's certificates fail the ways they are named.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

pki || exit 1
CID=3MVG9TESTCLIENTID
USER=ci@example.com
LOGIN=https://login.salesforce.com
GRANT='urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer'
NOW=$(now)

# post JWT [CURL_ARGS...] — POST the grant to $MOCK_URL; body in $T/body, headers in $T/hdr,
# curl's stderr in $T/curl.err; sets STATUS (000 when curl failed) and CURL_RC.
post() {
	_jwt=$1
	shift
	: > "$T/body"
	: > "$T/hdr"
	curl -sS --max-time 10 --cacert "$PKI/ca.crt" -o "$T/body" -D "$T/hdr" -w '%{http_code}' \
		-H 'Content-Type: application/x-www-form-urlencoded' \
		--data-binary "grant_type=$GRANT&assertion=$_jwt" "$@" \
		"$MOCK_URL/services/oauth2/token" > "$T/status" 2> "$T/curl.err"
	CURL_RC=$?
	STATUS=$(cat "$T/status")
}

# expect_answer NAME STATUS PATTERN JWT [CURL_ARGS...] — status and a body matching PATTERN
# (PATTERN "EMPTY": an empty body)
expect_answer() {
	_name=$1 _want=$2 _pat=$3
	shift 3
	post "$@"
	if [ "$_pat" = EMPTY ]; then
		[ -s "$T/body" ] && _body=no || _body=yes
	else
		grep -E -q -e "$_pat" "$T/body" && _body=yes || _body=no
	fi
	if [ "$STATUS" = "$_want" ] && [ "$_body" = yes ]; then
		ok "$_name"
	else
		not_ok "$_name" "HTTP $STATUS (want $_want), curl exit $CURL_RC, body: $(head -c 300 "$T/body")" \
			"$(head -n 3 "$T/curl.err")"
	fi
}

# expect_curl_fails NAME CODES JWT [CURL_ARGS...] — curl must exit with one of CODES ("18|56")
expect_curl_fails() {
	_name=$1 _codes=$2
	shift 2
	post "$@" > /dev/null
	if echo "$CURL_RC" | grep -E -q -x -e "$_codes"; then
		ok "$_name"
	else
		not_ok "$_name" "curl exit $CURL_RC, want $_codes" "$(head -n 3 "$T/curl.err")"
	fi
}

good=$(make_jwt "$PKI/app.key" "$(claims_json $CID $USER $LOGIN $((NOW + 300)))")
badsig=$(make_jwt "$PKI/app2.key" "$(claims_json $CID $USER $LOGIN $((NOW + 300)))")
wrongiss=$(make_jwt "$PKI/app.key" "$(claims_json 3MVG9SOMEOTHERAPP $USER $LOGIN $((NOW + 300)))")
wrongaud=$(make_jwt "$PKI/app.key" "$(claims_json $CID $USER https://test.salesforce.com \
	$((NOW + 300)))")
expired=$(make_jwt "$PKI/app.key" "$(claims_json $CID $USER $LOGIN $((NOW - 60)))")
ahead=$(make_jwt "$PKI/app.key" "$(claims_json $CID $USER $LOGIN $((NOW + 7200)))")
stranger=$(make_jwt "$PKI/app.key" "$(claims_json $CID nobody@example.com $LOGIN $((NOW + 300)))")
noexp=$(make_jwt "$PKI/app.key" "{\"iss\":\"$CID\",\"sub\":\"$USER\",\"aud\":\"$LOGIN\"}")
hs256=$(make_jwt "$PKI/app.key" "$(claims_json $CID $USER $LOGIN $((NOW + 300)))" \
	'{"alg":"HS256","typ":"JWT"}')
minimal=$(make_jwt "$PKI/app.key" "$(claims_json $CID $USER $LOGIN $((NOW + 300)))" \
	'{"alg":"RS256"}')

# --- the checks, on one default mock ----------------------------------------------------------
if start_mock; then
	expect_answer "good JWT is granted" 200 \
		'"access_token":"00D5g000004ABCD!AR[A-Za-z0-9._]{100}"' "$good"
	expect_grep '"instance_url":"https://example.my.salesforce.com"' "$T/body" \
		"grant has instance_url"
	expect_grep '"id":"https://login.salesforce.com/id/00D[A-Za-z0-9]{15}/005[A-Za-z0-9]{15}"' \
		"$T/body" "grant has an id with 18-char org and user ids"
	expect_grep '"token_type":"Bearer"' "$T/body" "grant has token_type Bearer"
	expect_grep '"issued_at":"[0-9]{13}"' "$T/body" "grant has issued_at in milliseconds"
	expect_answer "header without typ is granted" 200 '"access_token"' "$minimal"
	expect_answer "bad signature is an invalid assertion" 400 \
		'^\{"error":"invalid_grant","error_description":"invalid assertion"\}$' "$badsig"
	expect_grep '^Date: [A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} ' "$T/hdr" \
		"refusal carries a Date header"
	expect_grep '^Content-Type: application/json' "$T/hdr" "refusal is JSON"
	expect_answer "wrong iss is invalid_client_id" 400 \
		'"error":"invalid_client_id","error_description":"client identifier invalid"' "$wrongiss"
	expect_answer "wrong aud is refused" 400 \
		'"error":"invalid_grant","error_description":"audience is invalid"' "$wrongaud"
	expect_answer "past exp is expired" 400 '"error_description":"expired authorization code"' \
		"$expired"
	expect_answer "exp two hours ahead is an invalid assertion" 400 \
		'"error_description":"invalid assertion"' "$ahead"
	expect_answer "exp missing is an invalid assertion" 400 \
		'"error_description":"invalid assertion"' "$noexp"
	expect_answer "unknown sub is not approved" 400 \
		'"error":"invalid_grant","error_description":"user hasn'"'"'t approved this consumer"' \
		"$stranger"
	expect_answer "alg HS256 is an invalid assertion" 400 '"error_description":"invalid assertion"' \
		"$hs256"
	expect_answer "malformed assertion is an invalid assertion" 400 \
		'"error_description":"invalid assertion"' "not.a-jwt"
	expect_answer "two-part assertion is an invalid assertion" 400 \
		'"error_description":"invalid assertion"' "${good%.*}"
	_got=$(curl -sS --max-time 10 --cacert "$PKI/ca.crt" -o "$T/body" -w '%{http_code}' \
		--data-binary "grant_type=password&assertion=$good" "$MOCK_URL/services/oauth2/token")
	if [ "$_got" = 400 ] && grep -q '"error":"unsupported_grant_type"' "$T/body"; then
		ok "other grant types are unsupported_grant_type"
	else
		not_ok "other grant types are unsupported_grant_type" "HTTP $_got $(head -c 200 "$T/body")"
	fi
	for m in GET PUT BREW; do
		_got=$(curl -sS --max-time 10 --cacert "$PKI/ca.crt" -o "$T/body" -w '%{http_code}' \
			-X $m "$MOCK_URL/services/oauth2/token")
		if [ "$_got" = 404 ] && grep -q '<html>' "$T/body"; then
			ok "$m is a 404 HTML page"
		else
			not_ok "$m is a 404 HTML page" "HTTP $_got"
		fi
	done
	curl -sS --max-time 10 --cacert "$PKI/ca.crt" -o "$T/body" -w '%{http_code}' \
		--data-binary "grant_type=$GRANT&assertion=$good" "$MOCK_URL/services/other" > "$T/code"
	expect_grep '^404$' "$T/code" "POST to another path is a 404"

	stop_mock
	if mock_saw_token_request; then ok "log shows the token request"; else
		not_ok "log shows the token request" "$(head -c 300 "$MOCK_LOG")"; fi
	expect_grep '"assertion_present":true,"assertion_len":[1-9][0-9]*' "$MOCK_LOG" \
		"log has the assertion's presence and length"
	expect_grep '"verdict":"refused:invalid_grant:invalid assertion","status":400' "$MOCK_LOG" \
		"log has verdicts"
	expect_grep '"sni":"localhost"' "$MOCK_LOG" "log has the SNI"
	sigs=
	for j in "$good" "$badsig" "$wrongiss" "$wrongaud" "$expired" "$ahead" "$stranger"; do
		sigs="$sigs|${j##*.}"
	done
	expect_no_grep "${sigs#|}" "$MOCK_LOG" "log never holds an assertion's signature"
	expect_no_grep "${good%.*}" "$MOCK_LOG" "log never holds an assertion"
	n=$(mock_token_requests)
	if [ "$n" -eq 13 ]; then ok "mock_token_requests counts ($n)"; else
		not_ok "mock_token_requests counts" "got $n"; fi
fi

# --- forced refusals, a list of audiences, the mock's clock --------------------------------------
testaud=$(make_jwt "$PKI/app.key" "$(claims_json $CID other@example.com \
	https://test.salesforce.com $((NOW + 300)))")
if start_mock --refuse ip_restricted --users "$USER,other@example.com" \
	--audience "$LOGIN,https://test.salesforce.com"; then
	expect_answer "--refuse ip_restricted gives its description" 400 \
		'^\{"error":"invalid_grant","error_description":"ip restricted"\}$' "$testaud"
	expect_answer "--refuse still checks the signature first" 400 \
		'"error_description":"invalid assertion"' "$badsig"
	stop_mock
fi
if start_mock --refuse app_not_found --refuse-status 401; then
	expect_answer "--refuse app_not_found with --refuse-status 401" 401 \
		'"error":"app_not_found","error_description":"External client app is not installed in this org"' \
		"$good"
	stop_mock
fi
then=1700000000
old=$(make_jwt "$PKI/app.key" "$(claims_json $CID $USER $LOGIN $((then + 120)))")
if JWTGRANT_MOCK_NOW=$then start_mock --mode chunked; then
	expect_answer "chunked answer parses with curl (and JWTGRANT_MOCK_NOW is the clock)" 200 \
		'^\{"access_token":"00D5g000004ABCD!AR[^"]+",.*"token_type":"Bearer"' "$old"
	expect_grep '^Transfer-Encoding: chunked' "$T/hdr" "chunked answer is chunked"
	expect_grep '^Date: Tue, 14 Nov 2023 22:13:20 GMT' "$T/hdr" "Date header follows the mock clock"
	expect_answer "JWTGRANT_MOCK_NOW: a real-time exp is too far ahead" 400 \
		'"error_description":"invalid assertion"' "$good"
	stop_mock
fi

# --- fail-then-ok and friends ------------------------------------------------------------------
if start_mock --mode fail-then-ok --fail-count 1; then
	expect_answer "fail-then-ok: first request gets 503 HTML" 503 '<html>' "$good"
	expect_answer "fail-then-ok: second request is granted" 200 '"access_token"' "$good"
	stop_mock
fi
if start_mock --mode status-429 --fail-count 1; then
	expect_answer "status-429: first request gets 429" 429 '' "$good"
	expect_grep '^Retry-After: 1' "$T/hdr" "status-429 sends Retry-After"
	expect_answer "status-429: then granted" 200 '"access_token"' "$good"
	stop_mock
fi
if start_mock --mode always-503; then
	expect_answer "always-503: 503" 503 '<html>' "$good"
	expect_answer "always-503: 503 again" 503 '<html>' "$good"
	stop_mock
fi

# --- hostile and odd framings, as curl sees them ----------------------------------------------
mode_answer() { # MODE STATUS PATTERN [MOCK_ARGS...]
	_m=$1 _st=$2 _p=$3
	shift 3
	if start_mock --mode "$_m" "$@"; then
		expect_answer "mode $_m: HTTP $_st" "$_st" "$_p" "$good"
		stop_mock
	fi
}
mode_curl_fails() { # MODE CODES [CURL_ARGS...]
	_m=$1 _c=$2
	shift 2
	if start_mock --mode "$_m"; then
		expect_curl_fails "mode $_m: curl fails ($_c)" "$_c" "$good" "$@"
		stop_mock
	fi
}
mode_answer close 200 '"access_token"'
mode_answer chunked-ext 200 '"access_token"'
mode_answer slow 200 '"access_token"' --delay 1
mode_answer html 200 '<html>'
mode_answer empty 200 EMPTY
mode_answer token-not-string 200 '"access_token":123,'
mode_answer id-without-ids 200 '"id":"https://login.salesforce.com/id/"'
mode_answer nested-json 200 '\[\[\[\[\[\[\[\[\[\[\[\[\[\[\[\['
mode_answer nul-json 200 'hidden'
mode_answer redirect 302 '<html>'
mode_curl_fails truncated '18'
mode_curl_fails chunk-cut '18|56'
mode_curl_fails endless-headers '[1-9][0-9]*'
mode_curl_fails big-header '[1-9][0-9]*' # curl caps a header line at 100 KB
mode_curl_fails huge-body '63' --max-filesize 1000000
mode_curl_fails drip '28' --max-time 2

# --- TLS versions and the PKI -------------------------------------------------------------------
if start_mock --tls13-only; then
	expect_curl_fails "--tls13-only refuses a TLS 1.2 client" '35' "$good" --tls-max 1.2
	expect_answer "--tls13-only serves TLS 1.3" 200 '"access_token"' "$good"
	stop_mock
fi
if start_mock --tls12-only; then
	expect_answer "--tls12-only serves TLS 1.2" 200 '"access_token"' "$good"
	expect_grep '"tls":"TLSv1.2"' "$MOCK_LOG" "--tls12-only negotiates TLS 1.2"
	stop_mock
fi
if start_mock --ciphers ECDHE-RSA-CHACHA20-POLY1305; then
	expect_curl_fails "--ciphers refuses a client without that suite" '35' "$good" \
		--ciphers ECDHE-RSA-AES128-GCM-SHA256
	expect_answer "--ciphers serves a client with that suite" 200 '"access_token"' "$good"
	expect_grep '"tls":"TLSv1.2","cipher":"ECDHE-RSA-CHACHA20-POLY1305"' "$MOCK_LOG" \
		"--ciphers: TLS 1.2 with the one suite offered"
	stop_mock
fi
for c in expired notyet wronghost unknown-ca server-nochain; do
	if start_mock --cert "$PKI/$c.crt"; then
		expect_curl_fails "curl refuses the $c certificate" '60' "$good"
		stop_mock
		if mock_saw_token_request; then
			not_ok "no token request reaches the mock through the $c certificate"
		else
			expect_grep '"event":"(tls-handshake-failed|closed-without-request)"' "$MOCK_LOG" \
				"the mock logs the refused connection ($c)"
		fi
	fi
done
if start_mock --cert "$PKI/server-ec.crt" --key "$PKI/server-ec.key"; then
	expect_answer "ECDSA server certificate works" 200 '"access_token"' "$good" --tls-max 1.2
	expect_grep '"cipher":"ECDHE-ECDSA-' "$MOCK_LOG" "ECDSA server certificate is used"
	stop_mock
fi
if start_mock --cert "$PKI/server-chain.crt"; then
	expect_answer "certificate chain with an intermediate works" 200 '"access_token"' "$good"
	stop_mock
fi
if start_mock --ipv6 --cert "$PKI/server-ip.crt"; then
	expect_answer "IPv6 ::1 with an IP SAN works" 200 '"access_token"' "$good"
	stop_mock
fi
if start_mock --plain; then
	expect_answer "--plain serves HTTP" 200 '"access_token"' "$good"
	stop_mock
fi
if start_mock --close-notify; then
	expect_answer "--close-notify still answers" 200 '"access_token"' "$good"
	stop_mock
fi
if start_mock --max-life 1; then
	sleep 2
	if jg_alive "$MOCK_PID"; then not_ok "--max-life ends the mock"; else
		ok "--max-life ends the mock"; fi
	stop_mock
fi

# /services/oauth2/revoke as Salesforce answers it: 200 and no body for a token it issued, then
# 400 unsupported_token_type for the same token again and for one it never issued; the log holds
# a hash of the token, never the token.
revoke() { # TOKEN — POST token=TOKEN; body in $T/body, sets STATUS
	curl -sS --max-time 10 --cacert "$PKI/ca.crt" -o "$T/body" -w '%{http_code}' \
		--data-urlencode "token=$1" "$MOCK_URL/services/oauth2/revoke" > "$T/status" 2> "$T/curl.err"
	STATUS=$(cat "$T/status")
}
if start_mock; then
	post "$good"
	issued=$("$JG_PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))["access_token"])' "$T/body")
	revoke "$issued"
	[ "$STATUS" = 200 ] && [ ! -s "$T/body" ] && ok "revoke: an issued token, 200 and no body" ||
		not_ok "revoke: an issued token, 200 and no body" "HTTP $STATUS: $(head -c 200 "$T/body")"
	revoke "$issued"
	[ "$STATUS" = 400 ] && grep -q '"error":"unsupported_token_type"' "$T/body" &&
		ok "revoke: the same token again, 400 unsupported_token_type" ||
		not_ok "revoke: the same token again, 400 unsupported_token_type" "HTTP $STATUS: $(head -c 200 "$T/body")"
	revoke "00D5g000004ABCD!ARneverissued"
	[ "$STATUS" = 400 ] && ok "revoke: a token never issued, 400" || not_ok "revoke: a token never issued, 400" "HTTP $STATUS"
	[ "$(grep -c '"path":"/services/oauth2/revoke"' "$MOCK_LOG")" = 3 ] &&
		grep -q '"verdict":"revoked"' "$MOCK_LOG" && ok "revoke: the log records each revocation and its verdict" ||
		not_ok "revoke: the log records each revocation and its verdict" "$(grep revoke "$MOCK_LOG" | head -c 400)"
	expect_no_grep "$(printf '%s' "$issued" | sed 's/[.!]/\\&/g')" "$MOCK_LOG" "revoke: the token itself is not in the log"
	[ "$(mock_token_requests)" = 1 ] && ok "revoke: not counted as a token request" ||
		not_ok "revoke: not counted as a token request" "$(mock_token_requests)"
	stop_mock
fi
