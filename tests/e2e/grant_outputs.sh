#!/bin/sh
# grant's outputs against the mock token endpoint: text, json (and --json), env (eval'd by sh,
# with a username holding a single quote), github and token, byte for byte; --output-file (0600,
# the same bytes stdout would have had, replaced atomically, never created on failure); and the
# failure envelope of --json with the code of each kind of failure.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

grant_suite
QUSER="o'brien@example.com"
NLUSER=$(printf 'new\nline@example.com')
TOKEN='00D000000000E2EAAA!AR.e2e_output_token-0123456789'
INST=https://e2e-outputs.my.salesforce.com
ORG=00D000000000E2EAAA
UID18=005000000000E2EAAA
IDURL="https://login.salesforce.com/id/$ORG/$UID18"

# grant_as CODE NAME USER KEY [ARGS...] — jwtgrant grant against $MOCK_URL, bounded
grant_as() {
	_c=$1 _n=$2 _u=$3 _k=$4
	shift 4
	expect_exit "$_c" "$_n" "$JG" grant -i "$CID" -f "$_k" -u "$_u" -r "$MOCK_URL" \
		--cacert "$PKI/ca.crt" --max-time 10 "$@"
}
grant() { # CODE NAME [ARGS...]
	_c=$1 _n=$2
	shift 2
	grant_as "$_c" "$_n" "$USER" "$PKI/app.key" "$@"
}

# json_check FILE NAME PYEXPR [ARG...] — ok when PYEXPR holds for d = json.load(FILE), a = ARGs
json_check() {
	_f=$1 _n=$2 _e=$3
	shift 3
	if "$JG_PY" -c 'import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
a = sys.argv[3:]
sys.exit(0 if eval(sys.argv[2]) else 1)' "$_f" "$_e" "$@" > "$T/py.err" 2>&1; then
		ok "$_n"
	else
		not_ok "$_n" "$(head -c 600 "$_f")" "$(tail -n 2 "$T/py.err")"
	fi
}

# same_file A B NAME — ok when A and B are byte for byte equal
same_file() {
	if cmp -s "$1" "$2"; then
		ok "$3"
	else
		not_ok "$3" "got:  $(head -c 300 "$1")" "want: $(head -c 300 "$2")"
	fi
}

empty_stdout() { # NAME
	if [ -s "$T/out" ]; then not_ok "$1" "stdout: $(head -c 300 "$T/out")"; else ok "$1"; fi
}

mode_of() { # FILE — the permission string of FILE, e.g. -rw-------
	ls -ln "$1" 2>/dev/null | cut -c1-10
}

inode_of() { # FILE
	ls -i "$1" 2>/dev/null | awk '{print $1}'
}

# envelope NAME EXIT CODE — stdout is the envelope of a failure with that exit and code
envelope() {
	json_check "$T/out" "$1: the failure envelope" \
		'd["status"] == int(a[0]) and d["exitCode"] == int(a[0]) and d["code"] == a[1] and d["name"] == "JwtGrantError" and d["commandName"] == "grant" and d["warnings"] == [] and isinstance(d["message"], str) and d["message"] != ""' \
		"$2" "$3"
	json_check "$T/out" "$1: the envelope's message is the error on stderr" \
		'd["message"] in open(a[0], encoding="utf-8", errors="replace").read()' "$T/err"
	expect_grep '^jwtgrant: ' "$T/err" "$1: the error lines still go to stderr"
}

# --- success, every output --------------------------------------------------------------------
if start_mock --access-token "$TOKEN" --instance-url "$INST" --org-id "$ORG" --user-id "$UID18" \
	--users "$USER,$QUSER,$NLUSER"; then

	grant 0 "text: grant succeeds"
	printf 'Successfully authorized %s with org ID %s\n' "$USER" "$ORG" > "$T/want"
	same_file "$T/out" "$T/want" "text: exactly the sf success line"
	cp "$T/out" "$T/stdout.text"

	grant 0 "--output text: grant succeeds" --output text
	same_file "$T/out" "$T/want" "--output text: the same line"

	grant 0 "json: grant succeeds" --output json
	cp "$T/out" "$T/stdout.json"
	json_check "$T/out" "json: status 0, warnings [], nothing else at the top" \
		'd["status"] == 0 and d["warnings"] == [] and set(d) == {"status", "result", "warnings"}'
	json_check "$T/out" "json: result has exactly the documented fields" \
		'set(d["result"]) == set(a)' accessToken instanceUrl orgId userId username loginUrl clientId \
		privateKey tokenType scope id
	json_check "$T/out" "json: accessToken is the token the mock issued" \
		'd["result"]["accessToken"] == a[0]' "$TOKEN"
	json_check "$T/out" "json: instanceUrl, orgId, userId, id from the answer" \
		'[d["result"][k] for k in ("instanceUrl", "orgId", "userId", "id")] == a' \
		"$INST" "$ORG" "$UID18" "$IDURL"
	json_check "$T/out" "json: username, loginUrl, clientId, privateKey from the request" \
		'[d["result"][k] for k in ("username", "loginUrl", "clientId", "privateKey")] == a' \
		"$USER" "$MOCK_URL" "$CID" "$PKI/app.key"
	json_check "$T/out" "json: tokenType Bearer, scope from the answer" \
		'd["result"]["tokenType"] == "Bearer" and d["result"]["scope"] == "api web"'

	grant 0 "--json: grant succeeds" --json
	same_file "$T/out" "$T/stdout.json" "--json gives the same bytes as --output json"

	grant 0 "env: grant succeeds" --output env
	cp "$T/out" "$T/stdout.env"
	printf "SF_ACCESS_TOKEN='%s'\nSF_ORG_INSTANCE_URL='%s'\nSF_ORG_ID='%s'\nSF_USER_ID='%s'\nSF_USERNAME='%s'\n" \
		"$TOKEN" "$INST" "$ORG" "$UID18" "$USER" > "$T/want"
	same_file "$T/out" "$T/want" "env: five single-quoted assignments"

	# eval'd by sh, with a username holding a single quote
	grant_as 0 "env: a username with a single quote succeeds" "$QUSER" "$PKI/app.key" --output env
	(
		eval "$(cat "$T/out")"
		printf '%s\n' "$SF_ACCESS_TOKEN" "$SF_ORG_INSTANCE_URL" "$SF_ORG_ID" "$SF_USER_ID" "$SF_USERNAME"
	) > "$T/vars" 2> "$T/eval.err"
	printf '%s\n' "$TOKEN" "$INST" "$ORG" "$UID18" "$QUSER" > "$T/want"
	same_file "$T/vars" "$T/want" "env: eval in sh gives the five values, the quote intact"
	expect_grep "^SF_USERNAME='o'\\\\''brien@example.com'\$" "$T/out" "env: the quote is written as '\\''"

	grant 0 "github: grant succeeds" --output github
	cp "$T/out" "$T/stdout.github"
	printf 'SF_ACCESS_TOKEN=%s\nSF_ORG_INSTANCE_URL=%s\nSF_ORG_ID=%s\nSF_USER_ID=%s\nSF_USERNAME=%s\n' \
		"$TOKEN" "$INST" "$ORG" "$UID18" "$USER" > "$T/want"
	same_file "$T/out" "$T/want" "github: five NAME=value lines"

	grant_as 0 "github: a username with a single quote succeeds" "$QUSER" "$PKI/app.key" --output github
	expect_grep "^SF_USERNAME=o'brien@example.com\$" "$T/out" "github: the value is not quoted"

	# the contract names no exit code for this one: any failure but a timeout
	timeout -k 5 "$JG_CMD_TIMEOUT" "$JG" grant -i "$CID" -f "$PKI/app.key" -u "$NLUSER" \
		-r "$MOCK_URL" --cacert "$PKI/ca.crt" --max-time 10 --output github \
		--output-file "$T/nl.github" < /dev/null > "$T/out" 2> "$T/err"
	LAST_RC=$?
	[ "$LAST_RC" -ne 0 ] && [ "$LAST_RC" -ne 124 ] &&
		ok "github: a username holding a newline is refused (exit $LAST_RC)" ||
		not_ok "github: a username holding a newline is refused" "exit $LAST_RC"
	expect_grep 'line break|newline' "$T/err" "github: the refusal says why"
	empty_stdout "github: newline value prints nothing on stdout"
	[ ! -e "$T/nl.github" ] && ok "github: newline value creates no output file" ||
		not_ok "github: newline value creates no output file" "$(head -c 200 "$T/nl.github")"

	grant 0 "token: grant succeeds" --output token
	cp "$T/out" "$T/stdout.token"
	printf '%s\n' "$TOKEN" > "$T/want"
	same_file "$T/out" "$T/want" "token: the token alone and a newline"

	# --- --output-file: 0600, the bytes stdout had, stdout empty ---------------------------------
	mkdir "$T/of"
	for fmt in text json env github token; do
		grant 0 "--output-file ($fmt): grant succeeds" --output "$fmt" --output-file "$T/of/file.$fmt"
		empty_stdout "--output-file ($fmt): stdout is empty"
		_m=$(mode_of "$T/of/file.$fmt")
		[ "$_m" = "-rw-------" ] && ok "--output-file ($fmt): mode 0600" ||
			not_ok "--output-file ($fmt): mode 0600" "mode $_m"
		same_file "$T/of/file.$fmt" "$T/stdout.$fmt" "--output-file ($fmt): the bytes stdout would have had"
	done
	_left=$(ls -A "$T/of" | tr '\n' ' ')
	[ "$_left" = "file.env file.github file.json file.text file.token " ] &&
		ok "--output-file leaves no temporary file beside it" ||
		not_ok "--output-file leaves no temporary file beside it" "$_left"

	# an existing file is replaced by rename (a new inode, 0600), not rewritten in place
	printf 'old content\n' > "$T/existing"
	chmod 644 "$T/existing"
	ln "$T/existing" "$T/existing.hardlink"
	_ino=$(inode_of "$T/existing")
	grant 0 "--output-file over an existing file succeeds" --output token --output-file "$T/existing"
	same_file "$T/existing" "$T/stdout.token" "the existing file now holds the new output"
	[ "$(inode_of "$T/existing")" != "$_ino" ] && ok "the existing file was replaced atomically (new inode)" ||
		not_ok "the existing file was replaced atomically (new inode)" "same inode $_ino: written in place"
	printf 'old content\n' > "$T/want"
	same_file "$T/existing.hardlink" "$T/want" "the old inode was never written to"
	_m=$(mode_of "$T/existing")
	[ "$_m" = "-rw-------" ] && ok "the replaced file is mode 0600" ||
		not_ok "the replaced file is mode 0600" "mode $_m"

	# --- failures: nothing on stdout, no file, an existing file untouched ----------------------
	mkdir "$T/ff"
	for fmt in text env github token; do
		grant_as 1 "refusal ($fmt): exit 1" "$USER" "$PKI/app2.key" --output "$fmt"
		empty_stdout "refusal ($fmt): nothing on stdout"
		grant_as 1 "refusal ($fmt) with --output-file: exit 1" "$USER" "$PKI/app2.key" \
			--output "$fmt" --output-file "$T/ff/fail.$fmt"
		empty_stdout "refusal ($fmt) with --output-file: nothing on stdout"
		[ ! -e "$T/ff/fail.$fmt" ] && ok "refusal ($fmt): the output file is not created" ||
			not_ok "refusal ($fmt): the output file is not created" "$(head -c 200 "$T/ff/fail.$fmt")"
	done
	_left=$(ls -A "$T/ff")
	[ -z "$_left" ] && ok "refusals leave no file at all in the output directory" ||
		not_ok "refusals leave no file at all in the output directory" "$_left"
	printf 'keep me\n' > "$T/keep"
	cp "$T/keep" "$T/keep.want"
	grant_as 1 "refusal over an existing output file: exit 1" "$USER" "$PKI/app2.key" \
		--output token --output-file "$T/keep"
	same_file "$T/keep" "$T/keep.want" "refusal: an existing output file is left as it was"

	# --- the failure envelope of --json -----------------------------------------------------------
	grant_as 1 "--json refusal: exit 1" "$USER" "$PKI/app2.key" --json
	envelope "--json refusal" 1 invalid_grant
	grant_as 1 "--json refusal with --output-file: exit 1" "$USER" "$PKI/app2.key" --json \
		--output-file "$T/fail.json"
	envelope "--json refusal with --output-file" 1 invalid_grant
	[ ! -e "$T/fail.json" ] && ok "--json refusal: the output file is not created" ||
		not_ok "--json refusal: the output file is not created"
	expect_exit 1 "--json wrong client id: exit 1" "$JG" grant -i 3MVG9OTHERAPP -f "$PKI/app.key" \
		-u "$USER" -r "$MOCK_URL" --cacert "$PKI/ca.crt" --max-time 10 --json
	envelope "--json invalid_client_id" 1 invalid_client_id
	grant 3 "--json missing --cacert file: exit 3" --cacert "$T/no-such-ca.crt" --json
	envelope "--json input error" 3 input
	expect_exit 2 "--json http:// instance URL: exit 2" "$JG" grant -i "$CID" -f "$PKI/app.key" \
		-u "$USER" -r "http://localhost:$MOCK_PORT" --max-time 10 --json
	envelope "--json usage error" 2 usage
	expect_exit 2 "--json missing --username: exit 2" "$JG" grant -i "$CID" -f "$PKI/app.key" \
		-r "$MOCK_URL" --max-time 10 --json
	envelope "--json missing --username" 2 usage
	stop_mock
fi

# network: a port nobody listens on (taken from a mock that is then stopped)
if start_mock; then
	_port=$MOCK_PORT
	stop_mock
	expect_exit 4 "--json closed port: exit 4" "$JG" grant -i "$CID" -f "$PKI/app.key" -u "$USER" \
		-r "https://localhost:$_port" --cacert "$PKI/ca.crt" --max-time 10 --json \
		--output-file "$T/net.json"
	envelope "--json network error" 4 network
	[ ! -e "$T/net.json" ] && ok "--json network error: the output file is not created" ||
		not_ok "--json network error: the output file is not created"
fi
# tls: a certificate for another host
if start_mock --cert "$PKI/wronghost.crt"; then
	grant 5 "--json wrong-host certificate: exit 5" --json
	envelope "--json TLS error" 5 tls
	stop_mock
fi
# protocol: an HTML page instead of JSON
if start_mock --mode html; then
	grant 6 "--json HTML answer: exit 6" --json --output-file "$T/proto.json"
	envelope "--json protocol error" 6 protocol
	[ ! -e "$T/proto.json" ] && ok "--json protocol error: the output file is not created" ||
		not_ok "--json protocol error: the output file is not created"
	stop_mock
fi
