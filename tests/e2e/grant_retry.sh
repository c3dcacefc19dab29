#!/bin/sh
# grant --retry: HTTP 503 and 429 answers and network failures are retried up to N times, each
# time with a fresh assertion; refusals never are; without --retry one request is all; --max-time
# bounds the whole command, backoff included. Backoff is 1 s, 2 s, ... plus jitter: counts stay small.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

grant_suite 30

grant() { # CODE NAME [ARGS...] — jwtgrant grant against $MOCK_URL, bounded
	_c=$1 _n=$2
	shift 2
	expect_exit "$_c" "$_n" "$JG" grant -i "$CID" -f "$PKI/app.key" -u "$USER" -r "$MOCK_URL" \
		--cacert "$PKI/ca.crt" "$@"
}

requests() { # NAME WANT — the (stopped) mock logged WANT token requests
	_r=$(mock_token_requests)
	[ "$_r" -eq "$2" ] && ok "$1: $2 token request(s)" || not_ok "$1: $2 token request(s)" "got $_r"
}

# fresh NAME — every logged token request carried its own assertion: distinct iat values (the
# backoff is at least 1 s) and none of the claims missing
fresh() {
	if "$JG_PY" -c 'import json, sys
reqs = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{\"method\":\"POST\"")]
iats = [r["jwt_claims"]["iat"] for r in reqs]
exps = [r["jwt_claims"]["exp"] for r in reqs]
sys.exit(0 if len(reqs) > 1 and len(set(iats)) == len(reqs) and len(set(exps)) == len(reqs) else 1)' \
		"$MOCK_LOG" > "$T/py.err" 2>&1; then
		ok "$1: each request carried a fresh assertion (distinct iat and exp)"
	else
		not_ok "$1: each request carried a fresh assertion (distinct iat and exp)" \
			"$(grep -o '"jwt_claims":{[^}]*}' "$MOCK_LOG")" "$(tail -n 2 "$T/py.err")"
	fi
}

succeeded() { # NAME
	[ "$(cat "$T/out")" = "$SUCCESS" ] && ok "$1: success line" ||
		not_ok "$1: success line" "stdout: $(head -c 200 "$T/out")"
}

stdout_empty() { # NAME
	if [ -s "$T/out" ]; then not_ok "$1" "stdout: $(head -c 200 "$T/out")"; else ok "$1"; fi
}

# --- 503 -------------------------------------------------------------------------------------------
if start_mock --mode fail-then-ok --fail-count 2; then
	grant 0 "two 503s, --retry 2: exit 0" --retry 2 --max-time 20
	succeeded "two 503s, --retry 2"
	_w=$(grep -c 'retry' "$T/err")
	[ "$_w" -eq 2 ] && ok "two 503s, --retry 2: one retry warning per retry on stderr" ||
		not_ok "two 503s, --retry 2: one retry warning per retry on stderr" "$_w lines" \
		"$(cat "$T/err")"
	stop_mock
	requests "two 503s, --retry 2" 3
	fresh "two 503s, --retry 2"
fi
if start_mock --mode fail-then-ok --fail-count 2; then
	grant 6 "two 503s, --retry 1: exit 6" --retry 1 --max-time 20
	expect_grep '^jwtgrant: .*503' "$T/err" "two 503s, --retry 1: the last error names the 503"
	expect_grep '^jwtgrant: .*503.*\(after 1 retry\)$' "$T/err" \
		"two 503s, --retry 1: the last error says the retry was made"
	expect_no_grep 'try --retry' "$T/err" "two 503s, --retry 1: no suggestion to use --retry"
	stdout_empty "two 503s, --retry 1: nothing on stdout"
	stop_mock
	requests "two 503s, --retry 1" 2
fi
if start_mock --mode always-503; then
	grant 6 "503, --retry 0: exit 6" --retry 0 --max-time 10
	grant 6 "503, no --retry: exit 6" --max-time 10
	expect_grep '^jwtgrant: .*503.*\(try --retry\)$' "$T/err" "503, no --retry: the error suggests --retry"
	stop_mock
	requests "503 with --retry 0 and without --retry" 2
fi

# --- 429 -------------------------------------------------------------------------------------------
if start_mock --mode status-429 --fail-count 2; then
	grant 0 "two 429s, --retry 2: exit 0" --retry 2 --max-time 20
	succeeded "two 429s, --retry 2"
	stop_mock
	requests "two 429s, --retry 2" 3
	fresh "two 429s, --retry 2"
fi
if start_mock --mode status-429 --fail-count 2; then
	grant 6 "two 429s, --retry 1: exit 6" --retry 1 --max-time 20
	expect_grep '^jwtgrant: .*429' "$T/err" "two 429s, --retry 1: the last error names the 429"
	stop_mock
	requests "two 429s, --retry 1" 2
fi

# --- refusals are final ----------------------------------------------------------------------------
if start_mock --refuse invalid_client_id; then
	grant 1 "refusal, --retry 3: exit 1 at once" --retry 3 --max-time 20
	expect_no_grep 'retrying' "$T/err" "refusal, --retry 3: no retry warning"
	stop_mock
	requests "refusal, --retry 3" 1
fi
if start_mock --refuse rate_limit; then
	grant 1 "rate_limit_exceeded refusal, --retry 2: exit 1" --retry 2 --max-time 20
	stop_mock
	requests "rate_limit_exceeded refusal, --retry 2" 1
fi

# --- network failures are retried too --------------------------------------------------------------
if start_mock; then
	closed=$MOCK_PORT
	stop_mock
	MOCK_URL="https://localhost:$closed"
	grant 4 "closed port, --retry 1: exit 4" --retry 1 --max-time 20
	expect_grep 'retry' "$T/err" "closed port, --retry 1: a retry warning"
	expect_grep '^jwtgrant: .*\(after 1 retry\)$' "$T/err" \
		"closed port, --retry 1: the last error says the retry was made"
fi

# --- --max-time bounds the retries -----------------------------------------------------------------
if start_mock --mode always-503; then
	t0=$(ms_now)
	timeout -k 5 "$JG_CMD_TIMEOUT" "$JG" grant -i "$CID" -f "$PKI/app.key" -u "$USER" \
		-r "$MOCK_URL" --cacert "$PKI/ca.crt" --retry 5 --max-time 3 < /dev/null > "$T/out" 2> "$T/err"
	LAST_RC=$?
	# the last 503 (6) or the timeout (4): either is a truthful end
	case $LAST_RC in
	4 | 6) ok "503 forever, --retry 5 --max-time 3: exit $LAST_RC" ;;
	*) not_ok "503 forever, --retry 5 --max-time 3: exit 4 or 6" "exit $LAST_RC" "$(head -n 3 "$T/err")" ;;
	esac
	_ms=$(($(ms_now) - t0))
	[ "$_ms" -lt 4500 ] && ok "503 forever, --retry 5 --max-time 3: within --max-time (${_ms} ms)" ||
		not_ok "503 forever, --retry 5 --max-time 3: within --max-time" "${_ms} ms"
	stop_mock
fi
