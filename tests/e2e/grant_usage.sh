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
	# An option's value never shows in an error, even when it is glued to an unknown option
	# (issue 12: "-xhttp://user:pw@host" was echoed whole).
	usage "an unknown short option with a value attached" 'unknown option -Q;' -i "$CID" -f "$KEY" \
		-u "$USER" -r "$U" --cacert "$CA" --max-time 10 -Qs3cret
	expect_no_grep "s3cret" "$T/err" "an unknown short option: its attached value is not shown"
	usage "an unknown long option with a value" 'unknown option --bogus;' -i "$CID" -f "$KEY" \
		-u "$USER" -r "$U" --cacert "$CA" --max-time 10 --bogus=s3cret
	expect_no_grep "s3cret" "$T/err" "an unknown long option: its value is not shown"
	expect_exit 2 "--json, then an unknown option with a value: exit 2" "$JG" grant --json -i "$CID" \
		-f "$KEY" -u "$USER" -r "$U" --cacert "$CA" --max-time 10 -Qs3cret
	expect_no_grep "s3cret" "$T/out" "--json: the envelope does not show the value"
	expect_no_grep "s3cret" "$T/err" "--json: stderr does not show the value"
	usage "short options with attached values are read" 'missing --username' -i"$CID" -f"$KEY" \
		-r"$U" --cacert "$CA" -m10
	usage "a short option with '=' and a value is read" 'missing --username' -i="$CID" -f="$KEY" \
		-r="$U" --cacert "$CA" -m=10
	usage "a flag with a value attached" '--verbose takes no value' -i "$CID" -f "$KEY" -u "$USER" \
		-r "$U" --cacert "$CA" --max-time 10 -vv
	usage "a username that is not UTF-8" '--username is not valid UTF-8' -i "$CID" -f "$KEY" \
		-u "$(printf 'ci\377@example.com')" -r "$U" --cacert "$CA" --max-time 10
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
