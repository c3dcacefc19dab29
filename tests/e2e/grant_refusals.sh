#!/bin/sh
# grant against refusals of the mock token endpoint: real ones (a key that does not match the
# uploaded certificate, a wrong consumer key, an unknown user, a wrong --audience, a server clock
# ahead or behind) and every forced one of docs/salesforce-jwt.md. Each: exit 1, nothing on
# stdout, the first stderr line "jwtgrant: the token request was refused (HTTP N): ERROR: DESC",
# error/error_description verbatim, instance URL, audience, and a hint for the known errors only.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

grant_suite
LOGIN=https://login.salesforce.com

# grant_as CODE NAME CID USER KEY [ARGS...] — jwtgrant grant against $MOCK_URL, bounded
grant_as() {
	_c=$1 _n=$2 _i=$3 _u=$4 _k=$5
	shift 5
	expect_exit "$_c" "$_n" "$JG" grant -i "$_i" -f "$_k" -u "$_u" -r "$MOCK_URL" \
		--cacert "$PKI/ca.crt" --max-time 10 "$@"
}

# line_is N TEXT NAME — line N of $T/err is exactly TEXT
line_is() {
	_got=$(sed -n "$1p" "$T/err")
	if [ "$_got" = "$2" ]; then
		ok "$3"
	else
		not_ok "$3" "got:  $_got" "want: $2"
	fi
}

# has_line TEXT NAME — some line of $T/err is exactly TEXT
has_line() {
	if grep -F -x -q -e "$2" "$T/err"; then
		ok "$1"
	else
		not_ok "$1" "no line is exactly: $2" "$(head -n 8 "$T/err")"
	fi
}

# refused NAME ERROR DESCRIPTION HINT_PATTERN [HTTP_STATUS] — checks the answer to the last grant:
# stdout empty, the stderr lines, a hint matching HINT_PATTERN (NONE: no hint line at all)
refused() {
	_n=$1 _e=$2 _d=$3 _h=$4 _s=${5:-400}
	if [ -s "$T/out" ]; then not_ok "$_n: nothing on stdout" "$(head -c 200 "$T/out")"; else
		ok "$_n: nothing on stdout"; fi
	line_is 1 "jwtgrant: the token request was refused (HTTP $_s): $_e: $_d" "$_n: the first line"
	has_line "$_n: error verbatim" "error: $_e"
	has_line "$_n: error_description verbatim" "error_description: $_d"
	has_line "$_n: the instance URL" "instance URL: $MOCK_URL"
	has_line "$_n: the audience" "audience: ${AUD:-$LOGIN}"
	if [ "$_h" = NONE ]; then
		expect_no_grep '^hint:' "$T/err" "$_n: no invented hint"
	else
		_hints=$(grep -c '^hint: ' "$T/err")
		[ "$_hints" -eq 1 ] && ok "$_n: one hint line" || not_ok "$_n: one hint line" "$_hints hint lines"
		expect_grep "^hint: .*($_h)" "$T/err" "$_n: the hint fits"
	fi
}

# one_request NAME — the mock logged exactly one token request (a refusal is not retried)
one_request() {
	_r=$(mock_token_requests)
	[ "$_r" -eq 1 ] && ok "$1: one token request" || not_ok "$1: one token request" "$_r requests"
}

# --- real refusals, made by the mock's checks ---------------------------------------------------
if start_mock; then
	grant_as 1 "bad signature (app2.key): exit 1" "$CID" "$USER" "$PKI/app2.key"
	refused "bad signature" invalid_grant "invalid assertion" "jwtgrant check|certificate"
	grant_as 1 "wrong consumer key: exit 1" 3MVG9SOMEOTHERAPP "$USER" "$PKI/app.key"
	refused "wrong consumer key" invalid_client_id "client identifier invalid" "consumer key"
	grant_as 1 "unknown user: exit 1" "$CID" nobody@example.com "$PKI/app.key"
	refused "unknown user" invalid_grant "user hasn't approved this consumer" "pre-authorized"
	AUD=https://test.salesforce.com
	grant_as 1 "wrong --audience: exit 1" "$CID" "$USER" "$PKI/app.key" --audience "$AUD"
	refused "wrong --audience" invalid_grant "audience is invalid" "--audience|test.salesforce.com"
	AUD=
	_r=$(mock_token_requests)
	[ "$_r" -eq 4 ] && ok "four refusals, four token requests" ||
		not_ok "four refusals, four token requests" "$_r requests"
	stop_mock
fi

# The server clock an hour ahead: exp (now + 180 s) is already past there.
if start_mock --now +3600; then
	grant_as 1 "server clock 1 h ahead: exit 1" "$CID" "$USER" "$PKI/app.key"
	refused "server clock 1 h ahead" invalid_grant "expired authorization code" "clock|NTP"
	expect_grep '^local clock: [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z.*server Date: [A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9:]{8} GMT' \
		"$T/err" "server clock 1 h ahead: the local clock and the server's Date"
	expect_grep '^local clock: .*[^0-9](3599|3600|3601) s' "$T/err" \
		"server clock 1 h ahead: the difference, about 3600 s"
	one_request "server clock 1 h ahead"
	stop_mock
fi
# The server clock two hours behind: exp is more than an hour ahead there.
if start_mock --now -7200; then
	grant_as 1 "server clock 2 h behind: exit 1" "$CID" "$USER" "$PKI/app.key"
	refused "server clock 2 h behind" invalid_grant "invalid assertion" "jwtgrant check|certificate"
	stop_mock
fi

# --- every forced refusal ---------------------------------------------------------------------------
# force NAME ERROR DESCRIPTION HINT_PATTERN [MOCK_ARGS...]
force() {
	_fn=$1 _fe=$2 _fd=$3 _fh=$4
	shift 4
	if start_mock --refuse "$_fn" "$@"; then
		grant_as 1 "--refuse $_fn: exit 1" "$CID" "$USER" "$PKI/app.key"
		refused "--refuse $_fn" "$_fe" "$_fd" "$_fh"
		one_request "--refuse $_fn"
		stop_mock
	fi
}
force invalid_client_id invalid_client_id "client identifier invalid" "consumer key"
force not_approved invalid_grant "user hasn't approved this consumer" "pre-authorized"
force invalid_app_access invalid_app_access "user is not admin approved to access this app" \
	"profile or permission set"
force audience invalid_grant "audience is invalid" "--audience|test.salesforce.com"
force invalid_assertion invalid_grant "invalid assertion" "jwtgrant check|certificate"
force expired invalid_grant "expired authorization code" "clock|NTP"
expect_grep '^local clock: .*server Date: ' "$T/err" "--refuse expired: the local clock and the server's Date"
force ip_restricted invalid_grant "ip restricted" "IP"
force ip_hours invalid_grant "IP restricted or invalid login hours" "IP|hours"
force inactive_user invalid_grant "inactive user" "reactivate|Login History"
force user_locked invalid_grant "user is locked" "unlock|Login History"
force authentication_failure invalid_grant "authentication failure" "Login History|active"
force inactive_org invalid_grant "inactive organization" "org"
force app_not_found app_not_found "External client app is not installed in this org" \
	"install|External Client App"
force unsupported_grant_type unsupported_grant_type "grant type not supported" "grant type|JWT"
force rate_limit rate_limit_exceeded "login rate exceeded" "reuse the token"
force unknown some_new_error "something new" NONE
force "invalid_grant:a brand-new description" invalid_grant "a brand-new description" NONE

# A 401 answer carrying an OAuth error is a refusal too.
if start_mock --refuse rate_limit --refuse-status 401; then
	grant_as 1 "401 refusal: exit 1" "$CID" "$USER" "$PKI/app.key"
	refused "401 refusal" rate_limit_exceeded "login rate exceeded" "reuse the token" 401
	stop_mock
fi

# So is a 403 (cli.md: any 4xx carrying the provider's error is exit 1); a 429 is retried instead.
if start_mock --refuse rate_limit --refuse-status 403; then
	grant_as 1 "403 refusal: exit 1" "$CID" "$USER" "$PKI/app.key"
	refused "403 refusal" rate_limit_exceeded "login rate exceeded" "reuse the token" 403
	stop_mock
fi
if start_mock --refuse rate_limit --refuse-status 429; then
	grant_as 6 "429 with an OAuth error: exit 6 (rate-limiting, for --retry)" "$CID" "$USER" \
		"$PKI/app.key"
	stop_mock
fi

# An OAuth error without error_description.
if start_mock --refuse no_description; then
	grant_as 1 "refusal without error_description: exit 1" "$CID" "$USER" "$PKI/app.key"
	expect_grep '^jwtgrant: the token request was refused \(HTTP 400\): invalid_grant' "$T/err" \
		"refusal without error_description: the first line names the error"
	has_line "refusal without error_description: error verbatim" "error: invalid_grant"
	stop_mock
fi

# A description holding ESC and a newline must not reach the terminal raw.
if start_mock --refuse control_chars; then
	grant_as 1 "control characters in the description: exit 1" "$CID" "$USER" "$PKI/app.key"
	if LC_ALL=C tr -d '\n\t' < "$T/err" | LC_ALL=C grep -q "$(printf '\033')"; then
		not_ok "control characters in the description: no ESC byte on stderr" \
			"$(LC_ALL=C od -c "$T/err" | head -n 8)"
	else
		ok "control characters in the description: no ESC byte on stderr"
	fi
	if LC_ALL=C grep -q "$(printf '\302\233')" "$T/err"; then
		not_ok "control characters in the description: no C1 control (U+009B) on stderr"
	else
		ok "control characters in the description: no C1 control (U+009B) on stderr"
	fi
	expect_grep '\\xc2\\x9b2J C1' "$T/err" "control characters in the description: C1 shown as \\xc2\\x9b"
	expect_no_grep '^second line' "$T/err" \
		"control characters in the description: its newline does not start a line of its own"
	expect_grep '^jwtgrant: the token request was refused \(HTTP 400\): invalid_grant: bad' "$T/err" \
		"control characters in the description: the first line still shows it"
	stop_mock
fi
