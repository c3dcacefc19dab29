#!/bin/sh
# No secret leaves grant except the token on its own output: with -v, on a success, a refusal, a TLS
# failure and protocol errors whose answer holds the token, stderr has no line of the key's base64,
# no JWT ("eyJ") and not the access token; the assertion never goes into the URL. -v shows the
# trust set, the connection, TLS version, the server's certificate and the HTTP status.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

grant_suite
TOKEN='00D5g000004ABCD!AR.e2eSecretAccessToken_9f8e7d6c5b4a39281706f5e4d3c2b1a0'

grant_as() { # CODE NAME CID KEY [ARGS...] — jwtgrant grant -v against $MOCK_URL, bounded
	_c=$1 _n=$2 _i=$3 _k=$4
	shift 4
	expect_exit "$_c" "$_n" "$JG" grant -i "$_i" -f "$_k" -u "$USER" -r "$MOCK_URL" \
		--cacert "$PKI/ca.crt" --max-time 10 -v "$@"
}

# The base64 lines of the key files (the PEM armour lines are not secret).
grep -v -e '-----' "$PKI/app.key" > "$T/app.key.lines"
grep -v -e '-----' "$PKI/app2.key" > "$T/app2.key.lines"
cat "$T/app.key.lines" "$T/app2.key.lines" > "$T/key.lines"

# no_secrets NAME FILE... — none of FILEs holds a key line, a JWT or the access token
no_secrets() {
	_n=$1
	shift
	if grep -F -q -f "$T/key.lines" "$@"; then
		not_ok "$_n: no line of the key's base64" "$(grep -F -f "$T/key.lines" "$@" | head -c 200)"
	else
		ok "$_n: no line of the key's base64"
	fi
	if grep -q 'eyJ' "$@"; then
		not_ok "$_n: no JWT (eyJ)" "$(grep 'eyJ' "$@" | head -c 300)"
	else
		ok "$_n: no JWT (eyJ)"
	fi
	if grep -F -q -e "$TOKEN" -e 'e2eSecretAccessToken' "$@"; then
		not_ok "$_n: not the access token" "$(grep -F -e 'e2eSecretAccessToken' "$@" | head -c 300)"
	else
		ok "$_n: not the access token"
	fi
}

# --- success, refusals ---------------------------------------------------------------------------
if start_mock --access-token "$TOKEN"; then
	grant_as 0 "-v success: exit 0" "$CID" "$PKI/app.key"
	no_secrets "-v success, stderr" "$T/err"
	expect_grep '^\* trust: ' "$T/err" "-v shows the trust set"
	expect_grep 'Connected' "$T/err" "-v shows the connection"
	expect_grep 'TLS 1\.2' "$T/err" "-v shows the TLS version"
	expect_grep 'server certificate subject' "$T/err" "-v shows the server certificate subject"
	expect_grep 'HTTP 200' "$T/err" "-v shows the HTTP status"
	expect_grep 'assertion redacted|redacted' "$T/err" "-v says the assertion is redacted"
	cp "$T/err" "$T/verbose.err"
	grant_as 0 "-v --output token: exit 0" "$CID" "$PKI/app.key" --output token
	no_secrets "-v --output token, stderr" "$T/err"
	grant_as 0 "-v --json: exit 0" "$CID" "$PKI/app.key" --json
	no_secrets "-v --json, stderr" "$T/err"

	# the key from a variable
	JG_TEST_KEY=$(cat "$PKI/app.key")
	export JG_TEST_KEY
	expect_exit 0 "-v with --jwt-key-env: exit 0" "$JG" grant -i "$CID" --jwt-key-env JG_TEST_KEY \
		-u "$USER" -r "$MOCK_URL" --cacert "$PKI/ca.crt" --max-time 10 -v
	no_secrets "-v with --jwt-key-env, stderr" "$T/err"
	unset JG_TEST_KEY

	grant_as 1 "-v refusal (bad signature): exit 1" "$CID" "$PKI/app2.key"
	no_secrets "-v refusal (bad signature), stderr" "$T/err"
	grant_as 1 "-v refusal (wrong client id): exit 1" 3MVG9SOMEOTHERAPP "$PKI/app.key"
	no_secrets "-v refusal (wrong client id), stderr" "$T/err"
	grant_as 1 "-v --json refusal: exit 1" 3MVG9SOMEOTHERAPP "$PKI/app.key" --json
	no_secrets "-v --json refusal, stdout and stderr" "$T/out" "$T/err"
	stop_mock
	# the mock's log: the assertion came in the body, never in a URL
	expect_no_grep '"query"|"assertion_in_url":true' "$MOCK_LOG" "the assertion is never in the URL"
	expect_grep '"form_keys":\["grant_type","assertion"\]' "$MOCK_LOG" \
		"the body is grant_type and assertion"
fi

# --- a TLS failure ---------------------------------------------------------------------------------
if start_mock --cert "$PKI/wronghost.crt"; then
	grant_as 5 "-v TLS failure: exit 5" "$CID" "$PKI/app.key"
	no_secrets "-v TLS failure, stderr" "$T/err"
	stop_mock
fi

# --- protocol failures on answers that carry the token ---------------------------------------------
for m in id-without-ids truncated chunk-cut; do
	if start_mock --mode "$m" --access-token "$TOKEN"; then
		grant_as 6 "-v mode $m: exit 6" "$CID" "$PKI/app.key"
		no_secrets "-v mode $m, stderr" "$T/err"
		grant_as 6 "-v --json mode $m: exit 6" "$CID" "$PKI/app.key" --json
		no_secrets "-v --json mode $m, stdout" "$T/out"
		stop_mock
	fi
done
