#!/bin/sh
# Copy-pasted sf/sfdx commands work: the command aliases (force:auth:jwt:grant, auth:jwt:grant,
# org login jwt, login), the sfdx and sf spellings of the options, and the org-store flags, each
# of which is accepted with exactly one warning line on stderr and no other effect.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

grant_suite
KEY=$PKI/app.key

succeeded() { # NAME
	[ "$(cat "$T/out")" = "$SUCCESS" ] && ok "$1: success line" ||
		not_ok "$1: success line" "stdout: $(head -c 200 "$T/out")"
}

warnings() { # NAME WANT — stderr has exactly WANT lines, all of them warnings
	_all=$(grep -c '' "$T/err")
	_w=$(grep -c '^jwtgrant: warning: ' "$T/err")
	if [ "$_w" -eq "$2" ] && [ "$_all" -eq "$2" ]; then
		ok "$1: $2 warning line(s) on stderr, nothing else"
	else
		not_ok "$1: $2 warning line(s) on stderr, nothing else" "$_w warnings in $_all lines" \
			"$(head -n 5 "$T/err")"
	fi
}

if start_mock; then
	U=$MOCK_URL CA=$PKI/ca.crt

	expect_exit 0 "sfdx force:auth:jwt:grant spelling: exit 0" "$JG" force:auth:jwt:grant \
		--clientid "$CID" --jwtkeyfile "$KEY" --username "$USER" --instanceurl "$U" \
		--cacert "$CA" --max-time 10
	succeeded "force:auth:jwt:grant"
	warnings "force:auth:jwt:grant without org-store flags" 0

	expect_exit 0 "sf org login jwt spelling with --alias and --set-default: exit 0" "$JG" org login jwt \
		--client-id "$CID" --jwt-key-file "$KEY" --username "$USER" --instance-url "$U" \
		--alias x --set-default --cacert "$CA" --max-time 10
	succeeded "org login jwt"
	warnings "org login jwt --alias x --set-default" 2
	expect_grep '^jwtgrant: warning: .*--alias' "$T/err" "org login jwt: the --alias warning names it"
	expect_grep '^jwtgrant: warning: .*--set-default' "$T/err" \
		"org login jwt: the --set-default warning names it"

	expect_exit 0 "auth:jwt:grant with short sfdx options: exit 0" "$JG" auth:jwt:grant \
		-i "$CID" -f "$KEY" -u "$USER" -r "$U" --cacert "$CA" --max-time 10
	succeeded "auth:jwt:grant"
	expect_exit 0 "login with -o and -l: exit 0" "$JG" login -i "$CID" --keyfile "$KEY" -o "$USER" \
		-l "$U" --cacert "$CA" --max-time 10
	succeeded "login"
	expect_exit 0 "grant with --key-file and --login-url: exit 0" "$JG" grant -i "$CID" \
		--key-file "$KEY" -u "$USER" --login-url "$U" --cacert "$CA" --max-time 10
	succeeded "--key-file --login-url"

	expect_exit 0 "sfdx with -d -a foo -s -p --loglevel debug: exit 0" "$JG" force:auth:jwt:grant \
		--clientid "$CID" --jwtkeyfile "$KEY" --username "$USER" --instanceurl "$U" \
		-d -a foo -s -p --loglevel debug --cacert "$CA" --max-time 10
	succeeded "five sfdx org-store flags"
	warnings "five sfdx org-store flags" 5

	# each ignored flag alone: one warning, no other effect
	for f in --set-default-dev-hub -d --setdefaultdevhubusername --setdefaultdevhub --set-default \
		-s --setdefaultusername "--alias A" "-a A" "--setalias A" --no-prompt --noprompt -p \
		"--loglevel L"; do
		# shellcheck disable=SC2086 # "FLAG VALUE" splits into two arguments
		expect_exit 0 "ignored $f: exit 0" "$JG" grant -i "$CID" -f "$KEY" -u "$USER" -r "$U" \
			--cacert "$CA" --max-time 10 $f
		succeeded "ignored $f"
		warnings "ignored $f" 1
	done

	# --json still prints a clean envelope on stdout
	expect_exit 0 "org login jwt --alias x --json: exit 0" "$JG" org login jwt --client-id "$CID" \
		--jwt-key-file "$KEY" --username "$USER" --instance-url "$U" --alias x --json \
		--cacert "$CA" --max-time 10
	if "$JG_PY" -c 'import json, sys; d = json.load(open(sys.argv[1])); sys.exit(d["status"] != 0)' \
		"$T/out" 2> /dev/null; then
		ok "org login jwt --alias x --json: stdout is the JSON envelope"
	else
		not_ok "org login jwt --alias x --json: stdout is the JSON envelope" "$(head -c 300 "$T/out")"
	fi
	stop_mock
fi
