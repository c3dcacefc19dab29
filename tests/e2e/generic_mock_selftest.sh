#!/bin/sh
# The generic RFC 7523 mock token endpoint is honest: without jwtgrant, JWTs built with make_jwt
# and sent with curl are granted in both shapes (bearer grant, client assertion), every refusal
# comes from a real check (or --refuse) as RFC 6749 5.2 JSON, and the log holds what the C
# side's tests need (form values, decoded header and claims) and never an assertion or signature.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

pki || exit 1
BEARER='urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer'
CA_TYPE='urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer'
ISS=ci-issuer
CLIENT=ci-client
NOW=$(now)
HDR='{"alg":"RS256","typ":"JWT"}'
X5T=$(openssl x509 -in "$PKI/app.crt" -outform DER | openssl dgst -sha1 -binary | b64url)
CTYPE=application/x-www-form-urlencoded # what the posts send
: > "$T/sigs" # every signature made, one a line: none may reach a log

# claims AUD [EXP [IAT [MORE]]] — a bearer claims set: iss $ISS, sub, aud AUD (a JSON value when
# it starts with [ or "), exp (default NOW+300), iat (default NOW; "-" for none), then MORE (JSON
# members, no leading comma)
claims() {
	case $1 in
	\[* | \"*) _aud=$1 ;;
	*) _aud="\"$1\"" ;;
	esac
	_exp=${2:-$((NOW + 300))} _iat=${3:-$NOW}
	_more=
	[ "$_iat" = - ] || _more=",\"iat\":$_iat"
	[ -n "${4:-}" ] && _more="$_more,$4"
	printf '{"iss":"%s","sub":"ci@example.com","aud":%s,"exp":%s%s}' "$ISS" "$_aud" "$_exp" \
		"$_more"
}

# cclaims AUD [ISS [SUB [JTI]]] — a client-assertion claims set (iss = sub = $CLIENT, a fresh
# random jti unless JTI is "-")
cclaims() {
	_jti=",\"jti\":\"$(openssl rand -hex 12)\""
	[ "${4:-}" = - ] && _jti=
	[ -n "${4:-}" ] && [ "$4" != - ] && _jti=",\"jti\":\"$4\""
	printf '{"iss":"%s","sub":"%s","aud":"%s","exp":%s,"iat":%s%s}' "${2:-$CLIENT}" \
		"${3:-${2:-$CLIENT}}" "$1" $((NOW + 300)) "$NOW" "$_jti"
}

# xjwt CLAIMS [KEY [HEADER]] — an RS256 JWT (default app.key, header alg+typ); its signature goes
# to $T/sigs (a file: xjwt runs in command substitutions)
xjwt() {
	_j=$(make_jwt "${2:-$PKI/app.key}" "$1" "${3:-$HDR}")
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

# bearer JWT [MORE_FORM] — the RFC 7523 2.1 grant to $XMOCK_URL (MORE_FORM: "&name=value...")
bearer() {
	fetch "$XMOCK_URL" -H "Content-Type: $CTYPE" \
		--data-binary "grant_type=$BEARER&assertion=$1${2:-}"
}

# client JWT [MORE_FORM] — RFC 7523 2.2 client authentication to $XMOCK_URL
client() {
	fetch "$XMOCK_URL" -H "Content-Type: $CTYPE" --data-binary \
		"grant_type=client_credentials&client_assertion_type=$CA_TYPE&client_assertion=$1${2:-}"
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

# expect_body NAME STATUS BODY — the last answer: exactly that status and body
expect_body() {
	if [ "$STATUS" = "$2" ] && [ "$(cat "$T/body")" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1" "HTTP $STATUS (want $2), body: $(head -c 300 "$T/body")" "want: $3" \
			"$(head -n 3 "$T/curl.err")"
	fi
}

# refused NAME ERROR DESCRIPTION — the last answer is exactly that RFC 6749 5.2 refusal (401 for
# invalid_client, else 400)
refused() {
	_st=400
	[ "$2" = invalid_client ] && _st=401
	expect_body "$1" "$_st" "{\"error\":\"$2\",\"error_description\":\"$3\"}"
}

GRANTED='^\{"access_token":"gen\.[A-Za-z0-9_-]{20,}","token_type":"Bearer","expires_in":3600'

# --- the default mock: both shapes, and every check that needs no option ------------------------
check_default() {
	AUD=$XMOCK_URL
	good=$(xjwt "$(claims "$AUD")")
	bearer "$good" '&scope=read+write'
	expect_status "bearer grant with scope is granted, scope echoed" 200 \
		"$GRANTED,\"scope\":\"read write\"\\}\$"
	expect_grep '^Content-Type: application/json;charset=UTF-8' "$T/hdr" "grant is JSON"
	expect_grep '^Cache-Control: no-store' "$T/hdr" "grant has Cache-Control: no-store"
	bearer "$good"
	expect_status "bearer grant without scope: no scope in the answer" 200 "$GRANTED\\}\$"
	bearer "$good" '&client_id=box-app&box_subject_type=enterprise'
	expect_status "unknown extra form fields are granted" 200 "$GRANTED\\}\$"
	client "$(xjwt "$(cclaims "$AUD")")" '&scope=api'
	expect_status "client assertion is granted, scope echoed" 200 \
		"$GRANTED,\"scope\":\"api\"\\}\$"

	bearer "$(xjwt "$(claims "$AUD")" "$PKI/app2.key")"
	refused "bearer, wrong key: invalid_grant" invalid_grant 'JWT signature does not verify'
	client "$(xjwt "$(cclaims "$AUD")" "$PKI/app2.key")"
	refused "client assertion, wrong key: invalid_client (401)" invalid_client \
		'JWT signature does not verify'
	bearer "$(xjwt "$(claims https://example.com/oauth2/token)")"
	refused "wrong aud: invalid_grant, naming the right one" invalid_grant "JWT aud must be $AUD"
	client "$(xjwt "$(cclaims https://example.com/oauth2/token)")"
	refused "client assertion, wrong aud: invalid_client" invalid_client "JWT aud must be $AUD"
	bearer "$(xjwt "$(claims "[\"https://other.example\",\"$AUD\"]")")"
	expect_status "aud array holding the endpoint is granted" 200 "$GRANTED"
	bearer "$(xjwt "$(claims '["https://other.example"]')")"
	refused "aud array without the endpoint: refused" invalid_grant "JWT aud must be $AUD"
	bearer "$(xjwt "$(claims "$AUD" $((NOW + 3601)))")"
	refused "lifetime 3601 s (exp - iat): refused" invalid_grant \
		'JWT lifetime exceeds 3600 seconds'
	bearer "$(xjwt "$(claims "$AUD" $((NOW + 3600)))")"
	expect_status "lifetime 3600 s is granted" 200 "$GRANTED"
	bearer "$(xjwt "$(claims "$AUD" $((NOW + 4000)) -)")"
	refused "no iat, exp 4000 s ahead: refused" invalid_grant 'JWT lifetime exceeds 3600 seconds'
	bearer "$(xjwt "$(claims "$AUD" $((NOW - 10)) $((NOW - 310)))")"
	refused "exp in the past: refused" invalid_grant 'JWT expired'
	bearer "$(xjwt "$(claims "$AUD" "\"$((NOW + 300))\"")")"
	refused "exp a string: refused" invalid_grant 'JWT exp must be an integer'
	bearer "$(xjwt "$(claims "$AUD" $((NOW + 900)) $((NOW + 600)))")"
	refused "iat 10 minutes ahead: refused" invalid_grant 'JWT iat is in the future'
	bearer "$(xjwt '{"sub":"x","aud":"'"$AUD"'","exp":'$((NOW + 300))'}')"
	refused "bearer without iss: refused" invalid_grant 'JWT iss is required'
	bearer "$(xjwt "$(claims "$AUD")" "$PKI/app.key" '{"alg":"RS512","typ":"JWT"}')"
	refused "alg RS512: refused" invalid_grant 'JWT alg must be RS256'
	bearer "$(xjwt "$(claims "$AUD")" "$PKI/app.key" '{"alg":"RS256","typ":"JOSE+JSON"}')"
	refused "typ other than JWT: refused" invalid_grant 'JWT typ must be JWT'
	bearer "$(xjwt "$(claims "$AUD")" "$PKI/app.key" '{"alg":"RS256","kid":"k1"}')"
	expect_status "header without typ (and with a kid) is granted" 200 "$GRANTED"
	bearer "$(xjwt "$(claims "$AUD")" "$PKI/app.key" "{\"alg\":\"RS256\",\"x5t\":\"$X5T\"}")"
	expect_status "the right x5t without --require-x5t is granted" 200 "$GRANTED"
	bearer "$(xjwt "$(claims "$AUD")" "$PKI/app.key" '{"alg":"RS256","x5t":"AAAA"}')"
	refused "a wrong x5t without --require-x5t: refused" invalid_grant \
		'JWT header x5t names no known certificate'

	client "$(xjwt "$(cclaims "$AUD" "$CLIENT" someone-else)")"
	refused "client assertion, iss != sub: invalid_client" invalid_client \
		'JWT iss and sub must both be the client id'
	client "$(xjwt "$(cclaims "$AUD" '' '' -)")"
	refused "client assertion without jti: invalid_client" invalid_client 'JWT jti is required'
	once=$(xjwt "$(cclaims "$AUD" '' '' once-$$)")
	client "$once"
	expect_status "client assertion with a jti: first use granted" 200 "$GRANTED"
	client "$once"
	refused "client assertion, same jti again: jti already used" invalid_client 'jti already used'
	j2=$(xjwt "$(claims "$AUD" '' '' "\"jti\":\"bearer-$$\"")")
	bearer "$j2"
	expect_status "bearer with a jti: first use granted" 200 "$GRANTED"
	bearer "$j2"
	refused "bearer, same jti again: jti already used" invalid_grant 'jti already used'
	check_form
}

# the form around the JWT
check_form() {
	fetch "$XMOCK_URL" --data-binary "grant_type=password&assertion=$good"
	refused "grant_type=password: unsupported_grant_type" unsupported_grant_type \
		'grant_type password is not supported'
	fetch "$XMOCK_URL" --data-binary "assertion=$good"
	refused "no grant_type: unsupported_grant_type" unsupported_grant_type \
		'grant_type (none) is not supported'
	fetch "$XMOCK_URL" --data-binary "grant_type=$BEARER"
	refused "bearer without assertion: invalid_request" invalid_request \
		'missing parameter: assertion'
	fetch "$XMOCK_URL" --data-binary "grant_type=client_credentials&client_assertion=$good"
	refused "client assertion without its type: invalid_request" invalid_request \
		"client_assertion_type must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
	bearer "$good" '&scope=a&scope=b'
	refused "a repeated parameter: invalid_request" invalid_request 'parameter scope is repeated'
	bearer "${good%.*}"
	refused "two-part assertion: malformed" invalid_grant \
		'malformed JWT: not three base64url parts'
	CTYPE=text/plain
	bearer "$good"
	refused "text/plain body: invalid_request" invalid_request \
		'the body must be application/x-www-form-urlencoded'
	CTYPE=application/x-www-form-urlencoded
	fetch "$XMOCK_URL"
	expect_status "GET on the token path is a 404" 404
	fetch "https://localhost:$XMOCK_PORT/token" --data-binary "grant_type=$BEARER&assertion=$good"
	expect_status "POST to another path is a 404" 404
}

# The log: one line per token request; form values but never an assertion nor a signature.
check_log() {
	head -n 1 "$XMOCK_LOG" > "$T/first"
	expect_grep '^\{"method":"POST","path":"/oauth2/token",' "$T/first" \
		"log line starts with method and path"
	expect_grep '"form_keys":\["grant_type","assertion","scope"\]' "$T/first" \
		"log has the form's keys"
	_g='"grant_type":"urn:ietf:params:oauth:grant-type:jwt-bearer"'
	expect_grep "\"form\":\\{$_g,\"scope\":\"read write\"\\}" "$T/first" \
		"log has the form's values, without the assertion"
	expect_grep '"shape":"bearer","assertion_present":true,"assertion_len":[1-9]' "$T/first" \
		"log has the shape and the assertion's length"
	expect_grep '"jwt_header":\{"alg":"RS256","typ":"JWT"\}' "$T/first" \
		"log has the decoded header"
	expect_grep "\"jwt_claims\":\\{\"iss\":\"$ISS\",\"sub\":\"ci@example.com\",\"aud\":" \
		"$T/first" "log has the decoded claims"
	expect_grep '"request_number":1,"verdict":"granted","status":200' "$T/first" \
		"log: number, verdict and status"
	expect_grep '"form":\{[^}]*"client_id":"box-app","box_subject_type":"enterprise"\}' \
		"$XMOCK_LOG" "log has unknown extra fields and their values"
	_g='"grant_type":"client_credentials","client_assertion_type":"[^"]+"'
	expect_grep "\"form\":\\{$_g,\"scope\":\"api\"\\}" "$XMOCK_LOG" \
		"log has a client assertion's form, without the assertion"
	expect_grep '"verdict":"refused:invalid_client:jti already used","status":401' \
		"$XMOCK_LOG" "log has refusal verdicts"
	n=$(grep -c '^{"method":"POST","path":"/oauth2/token"' "$XMOCK_LOG")
	expect_grep "\"request_number\":$n," "$XMOCK_LOG" "log counts token requests ($n)"
	n=$(grep -c . "$T/sigs")
	if [ "$n" -gt 10 ] && ! grep -F -q -f "$T/sigs" "$XMOCK_LOG"; then
		ok "log never holds an assertion's signature ($n signatures)"
	else
		not_ok "log never holds an assertion's signature ($n signatures)"
	fi
	expect_no_grep "${good%.*}" "$XMOCK_LOG" "log never holds an assertion"
	expect_no_grep "${once%.*}" "$XMOCK_LOG" "log never holds a client assertion"
}

if start_generic_mock; then
	check_default
	stop_generic_mock
	check_log
fi

# --- --issuer, --subject, --client-id -------------------------------------------------------------
if start_generic_mock --issuer "$ISS" --subject ci@example.com --client-id "$CLIENT"; then
	bearer "$(xjwt "$(claims "$XMOCK_URL")")"
	expect_status "--issuer/--subject: the right ones are granted" 200 "$GRANTED"
	ISS=someone-else
	bearer "$(xjwt "$(claims "$XMOCK_URL")")"
	refused "--issuer: another iss is refused" invalid_grant 'unknown issuer someone-else'
	ISS=ci-issuer
	bearer "$(xjwt "{\"iss\":\"$ISS\",\"aud\":\"$XMOCK_URL\",\"exp\":$((NOW + 300))}")"
	refused "--subject: no sub is refused" invalid_grant 'JWT sub must be ci@example.com'
	client "$(xjwt "$(cclaims "$XMOCK_URL")")"
	expect_status "--client-id: the right client is granted" 200 "$GRANTED"
	client "$(xjwt "$(cclaims "$XMOCK_URL" other-client)")"
	refused "--client-id: another client (iss = sub) is refused" invalid_client \
		'unknown client other-client'
	stop_generic_mock
fi

# --- the --require-* options ----------------------------------------------------------------------
SX='"x-tenant":42,"ctx":{"org":"acme","tier":[1,2]}'
if start_generic_mock --require-jti --require-x5t --require-scope api --require-form \
	client_id=box-app --require-claim x-tenant=42 \
	--require-claim 'ctx={"tier":[1,2.0],"org":"acme"}'; then
	XH="{\"alg\":\"RS256\",\"typ\":\"JWT\",\"x5t\":\"$X5T\"}"
	FORM='&scope=read+api&client_id=box-app'
	# sjwt [MORE_CLAIMS [HEADER]] — a JWT that meets every requirement but what is changed
	sjwt() {
		xjwt "$(claims "$XMOCK_URL" '' '' "\"jti\":\"$(openssl rand -hex 12)\",${1:-$SX}")" \
			"$PKI/app.key" "${2:-$XH}"
	}
	bearer "$(sjwt)" "$FORM"
	expect_status "every requirement met: granted" 200 "$GRANTED,\"scope\":\"read api\"\\}\$"
	bearer "$(sjwt "$SX" '{"alg":"RS256","typ":"JWT"}')" "$FORM"
	refused "--require-x5t: no x5t is refused" invalid_grant 'JWT header x5t is required'
	bearer "$(sjwt "$SX" '{"alg":"RS256","typ":"JWT","x5t":"3q2-7wAAAAAAAAAAAAAAAAAAAAA"}')" \
		"$FORM"
	refused "--require-x5t: a wrong x5t is refused" invalid_grant \
		'JWT header x5t names no known certificate'
	bearer "$(xjwt "$(claims "$XMOCK_URL" '' '' "$SX")" "$PKI/app.key" "$XH")" "$FORM"
	refused "--require-jti: no jti is refused" invalid_grant 'JWT jti is required'
	bearer "$(sjwt)" '&scope=read&client_id=box-app'
	refused "--require-scope: a scope without it is refused" invalid_scope 'scope api is required'
	bearer "$(sjwt)" '&client_id=box-app'
	refused "--require-scope: no scope is refused" invalid_scope 'scope api is required'
	bearer "$(sjwt)" '&scope=api'
	refused "--require-form: a missing field is refused" invalid_request \
		'form parameter client_id must be box-app'
	bearer "$(sjwt)" '&scope=api&client_id=other'
	refused "--require-form: another value is refused" invalid_request \
		'form parameter client_id must be box-app'
	bearer "$(sjwt '"ctx":{"org":"acme","tier":[1,2]}')" "$FORM"
	refused "--require-claim: a missing claim is refused" invalid_grant \
		'JWT claim x-tenant is required'
	bearer "$(sjwt '"x-tenant":"42","ctx":{"org":"acme","tier":[1,2]}')" "$FORM"
	refused "--require-claim: a string for a number is refused" invalid_grant \
		'JWT claim x-tenant must be 42'
	bearer "$(sjwt '"x-tenant":42.0,"ctx":{"tier":[1,2],"org":"acme"}')" "$FORM"
	expect_status "--require-claim: compared parsed (42.0, members in another order)" 200 \
		"$GRANTED"
	bearer "$(sjwt '"x-tenant":42,"ctx":{"org":"acme","tier":[2,1]}')" "$FORM"
	refused "--require-claim: another object is refused" invalid_grant \
		'JWT claim ctx must be {\"tier\":[1,2.0],\"org\":\"acme\"}'
	bearer "$(sjwt '"x-tenant":42,"ctx":{"org":"acme","tier":[1,2],"x":true}')" "$FORM"
	refused "--require-claim: an object with one more member is refused" invalid_grant \
		'JWT claim ctx must be {\"tier\":[1,2.0],\"org\":\"acme\"}'
	stop_generic_mock
fi

# --- --refuse -----------------------------------------------------------------------------------
if start_generic_mock --refuse 'temporarily_unavailable:try later'; then
	bearer "$(xjwt "$(claims "$XMOCK_URL")")"
	refused "--refuse ERROR:DESCRIPTION after the checks" temporarily_unavailable 'try later'
	bearer "$(xjwt "$(claims "$XMOCK_URL")" "$PKI/app2.key")"
	refused "--refuse still checks the signature first" invalid_grant \
		'JWT signature does not verify'
	stop_generic_mock
	expect_grep '"reason":"forced by --refuse",.*"status":400' "$XMOCK_LOG" \
		"--refuse: the log says it was forced"
fi
if start_generic_mock --refuse 'invalid_client:client disabled'; then
	j=$(xjwt "$(cclaims "$XMOCK_URL")")
	client "$j"
	refused "--refuse invalid_client: 401" invalid_client 'client disabled'
	client "$j"
	refused "--refuse does not use up the jti" invalid_client 'client disabled'
	stop_generic_mock
fi
if "$JG_PY" "$JG_TOP/tests/mock/generic_mock.py" --cert "$PKI/server.crt" \
	--key "$PKI/server.key" --app-cert "$PKI/app.crt" --refuse nonsense \
	> /dev/null 2> "$T/usage.err" < /dev/null; then
	not_ok "--refuse without ERROR:DESCRIPTION is a usage error"
else
	expect_grep 'ERROR:DESCRIPTION' "$T/usage.err" \
		"--refuse without ERROR:DESCRIPTION is a usage error"
fi

# --- modes --------------------------------------------------------------------------------------
if start_generic_mock --mode always-503; then
	g=$(xjwt "$(claims "$XMOCK_URL")")
	bearer "$g"
	expect_status "always-503: 503 HTML" 503 '<html>'
	bearer "$g"
	expect_status "always-503: 503 again" 503 '<html>'
	stop_generic_mock
	expect_grep '"verdict":"mode:503 \(would have been granted\)","status":503' "$XMOCK_LOG" \
		"always-503: the log says what the answer would have been"
fi
if start_generic_mock --mode fail-then-ok --fail-count 2; then
	j=$(xjwt "$(cclaims "$XMOCK_URL")")
	client "$j"
	expect_status "fail-then-ok: first request 503" 503 '<html>'
	client "$j"
	expect_status "fail-then-ok: second request 503" 503 '<html>'
	client "$j"
	expect_status "fail-then-ok: third request granted (a 503 does not use up the jti)" 200 \
		"$GRANTED"
	stop_generic_mock
fi

# --- options ------------------------------------------------------------------------------------
if start_generic_mock --expires-in 0 --access-token gen.fixed --path /connect/token; then
	case $XMOCK_URL in
	https://localhost:"$XMOCK_PORT"/connect/token) ok "XMOCK_URL follows --path" ;;
	*) not_ok "XMOCK_URL follows --path" "$XMOCK_URL" ;;
	esac
	bearer "$(xjwt "$(claims "$XMOCK_URL")")" '&scope=x'
	expect_body "--expires-in 0 --access-token: no expires_in, the fixed token" 200 \
		'{"access_token":"gen.fixed","token_type":"Bearer","scope":"x"}'
	stop_generic_mock
fi
if start_generic_mock --audience https://idp.example/token --max-lifetime 60 --expires-in 120; then
	bearer "$(xjwt "$(claims https://idp.example/token $((NOW + 60)))")"
	expect_status "--audience: that aud is granted; --expires-in 120" 200 '"expires_in":120\}$'
	bearer "$(xjwt "$(claims "$XMOCK_URL" $((NOW + 60)))")"
	refused "--audience: the local URL is refused" invalid_grant \
		'JWT aud must be https://idp.example/token'
	bearer "$(xjwt "$(claims https://idp.example/token $((NOW + 61)))")"
	refused "--max-lifetime 60: 61 s is refused" invalid_grant 'JWT lifetime exceeds 60 seconds'
	stop_generic_mock
fi
then=1700000000
if JWTGRANT_MOCK_NOW=$then start_generic_mock; then
	bearer "$(xjwt "$(claims "$XMOCK_URL" $((then + 300)) $then)")"
	expect_status "JWTGRANT_MOCK_NOW is the clock: a JWT of that time is granted" 200 \
		"$GRANTED"
	expect_grep '^Date: Tue, 14 Nov 2023 22:13:20 GMT' "$T/hdr" \
		"the Date header follows the mock clock"
	bearer "$(xjwt "$(claims "$XMOCK_URL")")"
	refused "JWTGRANT_MOCK_NOW: a real-time JWT has iat ahead" invalid_grant \
		'JWT iat is in the future'
	stop_generic_mock
fi
if start_generic_mock --now +7200; then
	bearer "$(xjwt "$(claims "$XMOCK_URL")")"
	refused "--now +7200: a real-time JWT has expired" invalid_grant 'JWT expired'
	stop_generic_mock
fi

# expect_ended NAME — ok when the latest generic mock has exited within ~2 s
expect_ended() {
	_n=0
	while jg_alive "$XMOCK_PID" && [ $_n -lt 20 ]; do
		sleep 0.1
		_n=$((_n + 1))
	done
	if jg_alive "$XMOCK_PID"; then not_ok "$1"; else ok "$1"; fi
	stop_generic_mock
}
if start_generic_mock --max-life 1; then
	expect_ended "--max-life ends the mock"
fi
if start_generic_mock; then
	kill -TERM "$XMOCK_PID"
	expect_ended "SIGTERM ends the mock"
fi
