#!/bin/sh
# grant's HTTP and JSON handling against every framing mode of the mock token endpoint: chunked
# (with extensions and a trailer) and read-to-close answers work; truncated, cut, HTML, empty,
# oversized, endless or giant headers, hostile JSON, a token answer without ids: exit 6; a redirect
# (shown with the --instance-url to try, never followed) and a Content-Encoding nobody asked for:
# exit 6; folded header lines are unfolded; an answer dripping one byte a second: exit 4 at
# --max-time. Nothing on stdout when it fails.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

grant_suite

grant() { # CODE NAME [ARGS...] — jwtgrant grant against $MOCK_URL, bounded
	_c=$1 _n=$2
	shift 2
	expect_exit "$_c" "$_n" "$JG" grant -i "$CID" -f "$PKI/app.key" -u "$USER" -r "$MOCK_URL" \
		--cacert "$PKI/ca.crt" --max-time "${MAXT:-10}" "$@"
}

stdout_empty() { # NAME
	if [ -s "$T/out" ]; then not_ok "$1" "stdout: $(head -c 200 "$T/out")"; else ok "$1"; fi
}

# works MODE — the mode's framing still gives the grant
works() {
	if start_mock --mode "$1"; then
		grant 0 "mode $1: exit 0"
		if [ "$(cat "$T/out")" = "$SUCCESS" ]; then ok "mode $1: success line"; else
			not_ok "mode $1: success line" "stdout: $(head -c 200 "$T/out")"; fi
		stop_mock
	fi
}

# broken MODE CODE PATTERN [MOCK_ARGS...] — the mode fails with CODE, a message matching PATTERN
# (an extended regex; "" for any), nothing on stdout
broken() {
	_m=$1 _c=$2 _p=$3
	shift 3
	if start_mock --mode "$_m" "$@"; then
		grant "$_c" "mode $_m: exit $_c"
		stdout_empty "mode $_m: nothing on stdout"
		expect_grep "^jwtgrant: .*${_p}" "$T/err" "mode $_m: an error line${_p:+ matching /$_p/}"
		stop_mock
	fi
}

works chunked
works chunked-ext
works close
broken truncated 6 'truncated'
broken chunk-cut 6 'truncated|chunk'
broken html 6 '<!DOCTYPE html>'
# the start of the page is shown, printable characters only
if LC_ALL=C tr -d '\n' < "$T/err" | LC_ALL=C grep -q '[^ -~]'; then
	not_ok "mode html: the message holds printable ASCII only" "$(LC_ALL=C od -c "$T/err" | head -n 6)"
else
	ok "mode html: the message holds printable ASCII only"
fi
broken empty 6 ''
broken huge-body 6 'too large'
broken endless-headers 6 ''
broken big-header 6 ''
broken nested-json 6 ''
broken token-not-string 6 'access_token'
broken id-without-ids 6 'id'
broken nul-json 6 ''
broken redirect 6 '302'
broken always-503 6 '503'

# One byte a second: --max-time 3 ends it with a timeout, exit 4, in well under 6 s.
if start_mock --mode drip; then
	_t0=$(ms_now)
	MAXT=3
	grant 4 "mode drip: exit 4 at --max-time 3"
	MAXT=10
	_ms=$(($(ms_now) - _t0))
	[ "$_ms" -lt 6000 ] && ok "mode drip: ends in under 6 s (${_ms} ms)" ||
		not_ok "mode drip: ends in under 6 s" "${_ms} ms"
	[ "$_ms" -ge 2500 ] && ok "mode drip: not before --max-time (${_ms} ms)" ||
		not_ok "mode drip: not before --max-time" "${_ms} ms"
	expect_grep 'max-time|timed out' "$T/err" "mode drip: the message says it timed out"
	stdout_empty "mode drip: nothing on stdout"
	stop_mock
fi

# --- a folded header line (obs-fold, RFC 9112 section 5.2) --------------------------------------
# A client replaces each fold with spaces: a token answer whose Content-Type and a custom field
# are folded over several lines is read as usual (issue 12, item 12).
raw_answer() { # STATUS_LINE HEADER_LINES BODY — an answer with Content-Length, CR LF line ends
	printf '%s\r\n%sContent-Length: %s\r\n\r\n%s' "$1" "$2" "${#3}" "$3"
}
token_json='{"access_token":"00D5g000004ABCD!ARfoldedtokenvalue","instance_url":"https://example.my.salesforce.com","id":"https://login.salesforce.com/id/00D5g000004ABCDEAA/0055g000001AbCdEAA","token_type":"Bearer","scope":"api","issued_at":"1700000000000"}'
raw_answer 'HTTP/1.1 200 OK' "$(printf 'Content-Type:\r\n application/json;\r\n\tcharset=UTF-8\r\nX-Note: one\r\n  two\r\n')
" "$token_json" > "$T/folded"
if start_raw "$T/folded" --tls-cert "$PKI/server.crt" --tls-key "$PKI/server.key"; then
	MOCK_URL=https://localhost:$RAW_PORT
	grant 0 "a folded header line in the token answer: exit 0" --output token
	[ "$(cat "$T/out")" = "00D5g000004ABCD!ARfoldedtokenvalue" ] && ok "folded header: the token is read" ||
		not_ok "folded header: the token is read" "$(head -c 300 "$T/out" "$T/err")"
	jg_stop_pid "$RAW_PID"
fi

# --- a redirect, and an encoding nobody asked for (issue 12, item 15) -------------------------------
# A redirect is shown (the Location, safe for the terminal) with its scheme://host[:port] as the
# --instance-url to try, and never followed with the assertion: exit 6. The mock's redirect
# points at login.salesforce.com: the one token request is the only one.
if start_mock --mode redirect; then
	grant 6 "a redirect: exit 6"
	expect_grep 'HTTP 302, a redirect to "https://login\.salesforce\.com/services/oauth2/token"' \
		"$T/err" "a redirect: the message shows the Location"
	expect_grep 'use --instance-url https://login\.salesforce\.com$' "$T/err" \
		"a redirect: the message suggests its host as --instance-url"
	[ "$(mock_token_requests)" -eq 1 ] && ok "a redirect: not followed (one token request)" ||
		not_ok "a redirect: not followed (one token request)" "$(mock_token_requests) requests"
	stop_mock
fi
# A Location on another port, with a C1 control (CSI, U+009B) and a query: the C1 is escaped,
# the suggestion keeps the port and drops path and query.
raw_answer 'HTTP/1.1 307 Temporary Redirect' "$(printf 'Location: https://Other.Example:8443/services/oauth2/token?x=\302\2332J\r')
" '' > "$T/redirect"
if start_raw "$T/redirect" --tls-cert "$PKI/server.crt" --tls-key "$PKI/server.key"; then
	MOCK_URL=https://localhost:$RAW_PORT
	grant 6 "a 307 to another port: exit 6"
	expect_grep 'a redirect to "https://Other\.Example:8443/services/oauth2/token\?x=\\xc2\\x9b2J"' \
		"$T/err" "a 307: the C1 control in the Location is escaped"
	expect_grep 'use --instance-url https://other\.example:8443$' "$T/err" \
		"a 307: the suggestion is scheme, host and port"
	if LC_ALL=C grep -q "$(printf '\302\233')" "$T/err"; then
		not_ok "a 307: no raw C1 byte reaches stderr"
	else ok "a 307: no raw C1 byte reaches stderr"; fi
	jg_stop_pid "$RAW_PID"
fi
for enc in gzip br; do
	raw_answer 'HTTP/1.1 200 OK' "$(printf 'Content-Type: application/json\r\nContent-Encoding: %s\r' "$enc")
" "$(printf '\037\213\010\000compressed')" > "$T/encoded"
	if start_raw "$T/encoded" --tls-cert "$PKI/server.crt" --tls-key "$PKI/server.key"; then
		MOCK_URL=https://localhost:$RAW_PORT
		grant 6 "Content-Encoding $enc: exit 6"
		expect_grep "with Content-Encoding \"$enc\", which jwtgrant did not ask for" "$T/err" \
			"Content-Encoding $enc: the message names it"
		stdout_empty "Content-Encoding $enc: nothing on stdout"
		jg_stop_pid "$RAW_PID"
	fi
done
