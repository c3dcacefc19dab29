#!/bin/sh
# CI log masking of grant against the mock token endpoint: with GITHUB_ACTIONS=true, stderr holds
# exactly one `::add-mask::<token>` line (a `%` written `%25`), written before anything reaches
# stdout, and stdout (or --output-file) is what it is outside GitHub Actions, in every format;
# a reused token is masked too; a failed grant masks nothing; GITHUB_ACTIONS unset, empty or
# false, and TF_BUILD=True, add nothing. `--output azure` (any environment): five
# ##vso[task.setvariable] lines, the token's marked issecret=true.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

grant_suite 30
unset GITHUB_ACTIONS TF_BUILD JWTGRANT_REUSE JWTGRANT_CACHE_DIR XDG_CACHE_HOME JWTGRANT_NOW \
	JWTGRANT_MOCK_NOW KEY
HOME="$T/home"
export HOME
mkdir -p "$HOME"
TOKEN='00D000000000MSKAAA!AR.mask_token-0123456789'
PTOKEN='00D000000000MSKAAA!AR%mask%0Atoken%25-9876'    # what the mock issues on the 2nd mock
PMASKED='00D000000000MSKAAA!AR%25mask%250Atoken%2525-9876' # as add-mask must write it
INST=https://e2e-masking.my.salesforce.com
ORG=00D000000000MSKAAA
UID18=005000000000MSKAAA

# g CODE NAME [VAR=VALUE...] -- [ARGS...] — jwtgrant grant against $MOCK_URL with that environment
g() {
	_c=$1 _n=$2
	shift 2
	_envs=
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		_envs="$_envs $1"
		shift
	done
	[ $# -gt 0 ] && shift
	# shellcheck disable=SC2086 # the VAR=VALUE words (no blanks in them) are split on purpose
	expect_exit "$_c" "$_n" env $_envs "$JG" grant -i "$CID" -f "${KEY:-$PKI/app.key}" -u "$USER" \
		-r "$MOCK_URL" --cacert "$PKI/ca.crt" --max-time 10 "$@"
}

same_file() { # A B NAME
	if cmp -s "$1" "$2"; then
		ok "$3"
	else
		not_ok "$3" "got:  $(head -c 400 "$1" 2>&1)" "want: $(head -c 400 "$2" 2>&1)"
	fi
}
stderr_empty() { # NAME
	if [ -s "$T/err" ]; then not_ok "$1" "stderr: $(head -n 3 "$T/err")"; else ok "$1"; fi
}
stdout_empty() { # NAME
	if [ -s "$T/out" ]; then not_ok "$1" "stdout: $(head -c 300 "$T/out")"; else ok "$1"; fi
}
no_mask() { # NAME — no add-mask line on either stream
	if grep -q 'add-mask' "$T/out" "$T/err"; then
		not_ok "$1" "$(grep 'add-mask' "$T/out" "$T/err" | head -n 2)"
	else
		ok "$1"
	fi
}
mode_of() { # FILE
	ls -ln "$1" 2>/dev/null | cut -c1-10
}

if start_mock --access-token "$TOKEN" --instance-url "$INST" --org-id "$ORG" --user-id "$UID18" \
	--max-life 600; then
	printf '::add-mask::%s\n' "$TOKEN" > "$T/mask.want"

	# --- outside any CI: the reference outputs, nothing on stderr ---------------------------------
	for fmt in text json env github token azure; do
		g 0 "$fmt, no CI: grant succeeds" -- --output "$fmt"
		cp "$T/out" "$T/plain.$fmt"
		[ -s "$T/out" ] && ok "$fmt, no CI: something on stdout" || not_ok "$fmt, no CI: something on stdout"
		stderr_empty "$fmt, no CI: nothing on stderr"
	done
	printf '%s\n' "$TOKEN" > "$T/want"
	same_file "$T/plain.token" "$T/want" "token, no CI: the token alone"

	# --- azure: five setvariable lines, from the values env gives -----------------------------
	(
		eval "$(cat "$T/plain.env")"
		printf '##vso[task.setvariable variable=SF_ACCESS_TOKEN;issecret=true]%s\n' "$SF_ACCESS_TOKEN"
		printf '##vso[task.setvariable variable=SF_ORG_INSTANCE_URL]%s\n' "$SF_ORG_INSTANCE_URL"
		printf '##vso[task.setvariable variable=SF_ORG_ID]%s\n' "$SF_ORG_ID"
		printf '##vso[task.setvariable variable=SF_USER_ID]%s\n' "$SF_USER_ID"
		printf '##vso[task.setvariable variable=SF_USERNAME]%s\n' "$SF_USERNAME"
	) > "$T/azure.want" 2> "$T/eval.err"
	same_file "$T/plain.azure" "$T/azure.want" "azure: exactly the five lines, the values of --output env"
	printf '##vso[task.setvariable variable=SF_ACCESS_TOKEN;issecret=true]%s\n##vso[task.setvariable variable=SF_ORG_INSTANCE_URL]%s\n##vso[task.setvariable variable=SF_ORG_ID]%s\n##vso[task.setvariable variable=SF_USER_ID]%s\n##vso[task.setvariable variable=SF_USERNAME]%s\n' \
		"$TOKEN" "$INST" "$ORG" "$UID18" "$USER" > "$T/want"
	same_file "$T/plain.azure" "$T/want" "azure: the token, instance URL, org id, user id and username the mock gave"
	mkdir "$T/of"
	g 0 "azure --output-file: grant succeeds" -- --output azure --output-file "$T/of/azure"
	stdout_empty "azure --output-file: nothing on stdout"
	same_file "$T/of/azure" "$T/plain.azure" "azure --output-file: the five lines in the file"
	_m=$(mode_of "$T/of/azure")
	[ "$_m" = "-rw-------" ] && ok "azure --output-file: mode 0600" ||
		not_ok "azure --output-file: mode 0600" "mode $_m"
	g 0 "azure, TF_BUILD=True: grant succeeds" TF_BUILD=True -- --output azure
	same_file "$T/out" "$T/plain.azure" "azure, TF_BUILD=True: the same five lines"
	stderr_empty "azure, TF_BUILD=True: nothing on stderr"

	# --- GITHUB_ACTIONS=true: one add-mask line on stderr, stdout unchanged ----------------------
	for fmt in text json env github token azure; do
		g 0 "$fmt, GITHUB_ACTIONS=true: grant succeeds" GITHUB_ACTIONS=true -- --output "$fmt"
		same_file "$T/out" "$T/plain.$fmt" "$fmt, GITHUB_ACTIONS=true: stdout as without it"
		same_file "$T/err" "$T/mask.want" "$fmt, GITHUB_ACTIONS=true: stderr is exactly ::add-mask::<token>"
	done
	g 0 "--json, GITHUB_ACTIONS=true: grant succeeds" GITHUB_ACTIONS=true -- --json
	same_file "$T/out" "$T/plain.json" "--json, GITHUB_ACTIONS=true: stdout as without it"
	same_file "$T/err" "$T/mask.want" "--json, GITHUB_ACTIONS=true: stderr is exactly the add-mask line"

	# the mask comes first: both streams into one file
	for fmt in token text; do
		timeout -k 5 "$JG_CMD_TIMEOUT" env GITHUB_ACTIONS=true "$JG" grant -i "$CID" -f "$PKI/app.key" \
			-u "$USER" -r "$MOCK_URL" --cacert "$PKI/ca.crt" --max-time 10 --output "$fmt" \
			< /dev/null > "$T/both" 2>&1
		cat "$T/mask.want" "$T/plain.$fmt" > "$T/want"
		same_file "$T/both" "$T/want" "$fmt, GITHUB_ACTIONS=true, one stream: the add-mask line, then the output"
	done

	# --output-file: the usual content, the add-mask line still on stderr
	for fmt in token env json azure; do
		g 0 "$fmt --output-file, GITHUB_ACTIONS=true: grant succeeds" GITHUB_ACTIONS=true -- \
			--output "$fmt" --output-file "$T/of/ga.$fmt"
		stdout_empty "$fmt --output-file, GITHUB_ACTIONS=true: nothing on stdout"
		same_file "$T/of/ga.$fmt" "$T/plain.$fmt" "$fmt --output-file, GITHUB_ACTIONS=true: the usual content"
		same_file "$T/err" "$T/mask.want" "$fmt --output-file, GITHUB_ACTIONS=true: stderr is the add-mask line"
	done

	# --- not GitHub Actions: nothing extra ---------------------------------------------------------
	for _ga in false ''; do
		g 0 "token, GITHUB_ACTIONS='$_ga': grant succeeds" "GITHUB_ACTIONS=$_ga" -- --output token
		same_file "$T/out" "$T/plain.token" "token, GITHUB_ACTIONS='$_ga': stdout unchanged"
		stderr_empty "token, GITHUB_ACTIONS='$_ga': nothing on stderr"
	done
	for fmt in text token env; do
		g 0 "$fmt, TF_BUILD=True: grant succeeds" TF_BUILD=True -- --output "$fmt"
		same_file "$T/out" "$T/plain.$fmt" "$fmt, TF_BUILD=True: stdout unchanged"
		stderr_empty "$fmt, TF_BUILD=True: nothing on stderr"
	done
	g 0 "azure, GITHUB_ACTIONS=true and TF_BUILD=True: grant succeeds" GITHUB_ACTIONS=true TF_BUILD=True \
		-- --output azure
	same_file "$T/out" "$T/plain.azure" "azure, GITHUB_ACTIONS=true and TF_BUILD=True: the five lines"
	same_file "$T/err" "$T/mask.want" "azure, GITHUB_ACTIONS=true and TF_BUILD=True: the add-mask line"

	# --- a reused token is masked too --------------------------------------------------------------
	g 0 "reuse, GITHUB_ACTIONS=true: first grant" GITHUB_ACTIONS=true -- --output token --reuse 600 \
		--cache-dir "$T/cache"
	_r1=$(mock_token_requests)
	g 0 "reuse, GITHUB_ACTIONS=true: second grant" GITHUB_ACTIONS=true -- --output token --reuse 600 \
		--cache-dir "$T/cache"
	_r2=$(mock_token_requests)
	[ "$_r2" -eq "$_r1" ] && ok "reuse, GITHUB_ACTIONS=true: the second grant made no request" ||
		not_ok "reuse, GITHUB_ACTIONS=true: the second grant made no request" "$_r1 -> $_r2"
	same_file "$T/out" "$T/plain.token" "reuse, GITHUB_ACTIONS=true: the token on stdout"
	same_file "$T/err" "$T/mask.want" "reuse, GITHUB_ACTIONS=true: the reused token is masked"

	# --- failures: no add-mask line -------------------------------------------------------------
	KEY="$PKI/app2.key" # a key the mock's app does not know: refused
	for fmt in token text azure json; do
		g 1 "$fmt refusal, GITHUB_ACTIONS=true: exit 1" GITHUB_ACTIONS=true -- \
			--output "$fmt"
		no_mask "$fmt refusal, GITHUB_ACTIONS=true: no add-mask line"
		[ "$fmt" = json ] || stdout_empty "$fmt refusal, GITHUB_ACTIONS=true: nothing on stdout"
		expect_grep '^jwtgrant: ' "$T/err" "$fmt refusal, GITHUB_ACTIONS=true: the error on stderr"
	done
	g 1 "azure refusal, no CI: exit 1" -- --output azure
	stdout_empty "azure refusal: nothing on stdout"
	unset KEY
	stop_mock
fi

# --- a % in the token is written %25 in the add-mask line -------------------------------------
if start_mock --access-token "$PTOKEN" --instance-url "$INST" --org-id "$ORG" --user-id "$UID18" \
	--max-life 600; then
	g 0 "token with %, GITHUB_ACTIONS=true: grant succeeds" GITHUB_ACTIONS=true -- --output token
	printf '%s\n' "$PTOKEN" > "$T/want"
	same_file "$T/out" "$T/want" "token with %: stdout has the token as issued"
	printf '::add-mask::%s\n' "$PMASKED" > "$T/want"
	same_file "$T/err" "$T/want" "token with %: the add-mask line writes each % as %25"
	stop_mock
fi
