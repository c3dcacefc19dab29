#!/bin/sh
# grant's usage errors: exit 2 with one line saying what is wrong, nothing on stdout, no request
# sent (a listening mock checks that): missing --client-id, --username or key, an unknown option,
# a bad --output, an http:// instance URL, bad numbers; a missing key file is local input (3).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

grant_suite
KEY=$PKI/app.key

# usage NAME PATTERN ARGS... — `jwtgrant grant ARGS` exits 2, the error matches PATTERN, stdout empty
usage() {
	_n=$1 _p=$2
	shift 2
	expect_exit 2 "$_n: exit 2" "$JG" grant "$@"
	expect_grep "^jwtgrant: .*$_p" "$T/err" "$_n: the error says what is wrong"
	if [ -s "$T/out" ]; then not_ok "$_n: nothing on stdout" "$(head -c 200 "$T/out")"; else
		ok "$_n: nothing on stdout"; fi
}

if start_mock; then
	U=$MOCK_URL CA=$PKI/ca.crt
	usage "missing --client-id" 'client-id' -f "$KEY" -u "$USER" -r "$U" --cacert "$CA" --max-time 10
	usage "missing --username" 'username' -i "$CID" -f "$KEY" -r "$U" --cacert "$CA" --max-time 10
	usage "missing key" 'jwt-key-file|key' -i "$CID" -u "$USER" -r "$U" --cacert "$CA" --max-time 10
	usage "both key sources" 'jwt-key' -i "$CID" -f "$KEY" --jwt-key-env HOME -u "$USER" -r "$U" \
		--cacert "$CA" --max-time 10
	usage "unknown option" '--bogus' -i "$CID" -f "$KEY" -u "$USER" -r "$U" --cacert "$CA" \
		--max-time 10 --bogus
	usage "--output bogus" 'bogus' -i "$CID" -f "$KEY" -u "$USER" -r "$U" --cacert "$CA" \
		--max-time 10 --output bogus
	usage "--output without a value" 'output' -i "$CID" -f "$KEY" -u "$USER" -r "$U" --cacert "$CA" \
		--max-time 10 --output
	usage "an http:// instance URL" 'https' -i "$CID" -f "$KEY" -u "$USER" \
		-r "http://localhost:$MOCK_PORT" --max-time 10
	usage "--retry abc" 'retry' -i "$CID" -f "$KEY" -u "$USER" -r "$U" --cacert "$CA" --max-time 10 \
		--retry abc
	usage "--lifetime 3601" 'lifetime' -i "$CID" -f "$KEY" -u "$USER" -r "$U" --cacert "$CA" \
		--max-time 10 --lifetime 3601
	usage "a stray argument" 'extra' -i "$CID" -f "$KEY" -u "$USER" -r "$U" --cacert "$CA" \
		--max-time 10 extra
	expect_exit 3 "missing key file: exit 3" "$JG" grant -i "$CID" -f "$T/no-such.key" -u "$USER" \
		-r "$U" --cacert "$CA" --max-time 10
	expect_grep 'no-such\.key' "$T/err" "missing key file: the message names it"
	expect_exit 0 "grant --help: exit 0" "$JG" grant --help
	expect_grep '^Usage: jwtgrant grant' "$T/out" "grant --help: usage on stdout"
	stop_mock
	if mock_saw_token_request; then
		not_ok "no usage error sent a token request" "$(grep -c POST "$MOCK_LOG") requests"
	else
		ok "no usage error sent a token request"
	fi
fi
