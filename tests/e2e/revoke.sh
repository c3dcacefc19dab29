#!/bin/sh
# jwtgrant revoke against the mock (cli.md, "Token reuse, revocation, CI log masking"):
# - the cached form (--client-id/--username/--jwt-key-file, the options of the grant --reuse that
#   cached the token) revokes the cached token at the token's own instance_url, prints
#   "Revoked the access token for USER" and removes the entry; a second time there is no entry:
#   exit 3 and no request; another username, audience, key or instance URL is another tuple;
# - the --token-env form revokes the token in VAR at --instance-url, else $SF_ORG_INSTANCE_URL,
#   else https://login.salesforce.com, and removes every cache entry holding that token; a second
#   time the server refuses it: exit 1, the server's words and a hint;
# - usage errors (exit 2), VAR unset or empty (2 or 3, one line naming VAR), a closed port (4), an
#   untrusted server (5), a proxy (tinyproxy); the token never appears on stderr, -v included.
# Two mocks play the cached form: the login mock's answers name the other mock as instance_url,
# and both hand out the same fixed token (the other one issues it too, by a plain grant, so that
# it accepts the revocation); the revocation must reach the other one.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

unset GITHUB_ACTIONS TF_BUILD JWTGRANT_REUSE JWTGRANT_CACHE_DIR XDG_CACHE_HOME SF_ORG_INSTANCE_URL \
	SSL_CERT_FILE SSL_CERT_DIR https_proxy HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY
HOME="$T/home"
export HOME
mkdir -p "$HOME"
grant_suite 30
USER2=release@example.com
CA="$PKI/ca.crt"
KEY="$PKI/app.key"
TOK1='00D5g000004ABCD!AR.revoke_e2e_cached_token-0123456789abcdef'
TOK2='00D5g000004ABCD!AR.revoke_e2e_shared_token-0123456789abcdef'
TOK3='00D5g000004ABCD!AR.revoke_e2e_other_token-0123456789abcdef'

# --- helpers -------------------------------------------------------------------------------------
# grant_to CODE NAME URL [ARGS...] — jwtgrant grant for $USER against URL, bounded
grant_to() {
	_c=$1 _n=$2 _u=$3
	shift 3
	expect_exit "$_c" "$_n" "$JG" grant -i "$CID" -f "$KEY" -u "$USER" -r "$_u" --cacert "$CA" \
		--max-time 10 "$@"
}

# revoke_cached CODE NAME URL [ARGS...] — the cached form, with the options grant_to uses
revoke_cached() {
	_c=$1 _n=$2 _u=$3
	shift 3
	expect_exit "$_c" "$_n" "$JG" revoke --client-id "$CID" --username "$USER" --jwt-key-file "$KEY" \
		--instance-url "$_u" --cacert "$CA" --max-time 10 "$@"
}

# revoke_env CODE NAME TOKEN [ARGS...] — the --token-env form, the token in RV_TOKEN
revoke_env() {
	_c=$1 _n=$2 _t=$3
	shift 3
	expect_exit "$_c" "$_n" env RV_TOKEN="$_t" "$JG" revoke --token-env RV_TOKEN --max-time 10 "$@"
}

# revokes LOG [TOKEN [VERDICT]] — how many revocation requests LOG holds (for TOKEN: its hash,
# the first 16 hex digits of its SHA-256; with VERDICT, e.g. "revoked")
revokes() {
	"$JG_PY" -c 'import hashlib, json, sys
h = hashlib.sha256(sys.argv[2].encode()).hexdigest()[:16] if len(sys.argv) > 2 else None
n = 0
for line in open(sys.argv[1], encoding="ascii", errors="replace"):
    try:
        r = json.loads(line)
    except ValueError:
        continue
    if r.get("path") != "/services/oauth2/revoke":
        continue
    if h is not None and r.get("token_sha256") != h:
        continue
    if len(sys.argv) > 3 and r.get("verdict") != sys.argv[3]:
        continue
    n += 1
print(n)' "$@" 2> /dev/null || echo error
}

# count_is NAME GOT WANT [DETAIL...]
count_is() {
	_n=$1 _g=$2 _w=$3
	shift 3
	[ "$_g" = "$_w" ] && ok "$_n" || not_ok "$_n" "got $_g, want $_w" "$@"
}

entry_names() { # DIR — the names of DIR's cache entries (64 hex digits, no .lock), one a line
	for _f in "$1"/*; do
		[ -f "$_f" ] && printf '%s\n' "${_f##*/}"
	done | grep -E '^[0-9a-f]{64}$'
}

entries() { # DIR — how many cache entries DIR holds
	entry_names "$1" | wc -l | tr -d ' '
}

holding() { # DIR TOKEN — how many entries of DIR hold TOKEN
	_h=0
	for _f in "$1"/*; do
		case ${_f##*/} in *.lock) continue ;; esac
		[ -f "$_f" ] && grep -qF -e "$2" "$_f" && _h=$((_h + 1))
	done
	echo "$_h"
}

secret_kept() { # NAME TOKEN... — none of the tokens is on stderr ($T/err)
	_n=$1
	shift
	for _t in "$@"; do
		if grep -qF -e "$_t" "$T/err" 2> /dev/null; then
			not_ok "$_n: the token is not on stderr" "stderr holds it"
			return 1
		fi
	done
	ok "$_n: the token is not on stderr"
}

stdout_is() { # NAME TEXT — stdout is exactly TEXT and a newline
	printf '%s\n' "$2" > "$T/want"
	if cmp -s "$T/out" "$T/want"; then ok "$1"; else
		not_ok "$1" "stdout: $(head -c 300 "$T/out")" "want:   $2"
	fi
}

stdout_empty() { # NAME
	if [ -s "$T/out" ]; then not_ok "$1" "stdout: $(head -c 300 "$T/out")"; else ok "$1"; fi
}

NO_ENTRY='^jwtgrant: .*(no cached token|no token (is )?cached|not cached|nothing cached)'
no_entry() { # NAME — stderr is one line saying there is no cached token
	_l=$(wc -l < "$T/err" | tr -d ' ')
	if [ "$_l" = 1 ] && grep -Eqi -e "$NO_ENTRY" "$T/err"; then ok "$1: one line, no cached token"; else
		not_ok "$1: one line, no cached token" "$_l lines:" "$(head -n 5 "$T/err")"
	fi
}

one_line() { # NAME — stderr is one line
	_l=$(wc -l < "$T/err" | tr -d ' ')
	[ "$_l" = 1 ] && ok "$1" || not_ok "$1" "$_l lines:" "$(head -n 5 "$T/err")"
}

# --- usage ---------------------------------------------------------------------------------------
expect_exit 0 "revoke --help: exit 0" "$JG" revoke --help
expect_grep '--token-env' "$T/out" "revoke --help: the usage names --token-env"
expect_exit 2 "revoke --bogus: exit 2" "$JG" revoke --bogus --token-env RV_TOKEN
expect_grep '^jwtgrant: ' "$T/err" "revoke --bogus: the error line"
expect_exit 2 "revoke with neither --token-env nor --client-id: exit 2" "$JG" revoke --max-time 10
expect_exit 2 "revoke --client-id without --username: exit 2" "$JG" revoke --client-id "$CID" \
	--jwt-key-file "$KEY" --max-time 10

# --- the cached form -----------------------------------------------------------------------------
# The instance mock A: hands out TOK1 (a plain grant makes it issue TOK1) and takes revocations.
if start_mock --access-token "$TOK1"; then
	A_URL=$MOCK_URL A_LOG=$MOCK_LOG A_PID=$MOCK_PID A_PORT=$MOCK_PORT
	arm() { # NAME — A issues TOK1 (again), so that it will accept its revocation
		grant_to 0 "$1: a plain grant at the instance mock" "$A_URL"
	}
	# The login mock B: the same token, instance_url = A.
	if start_mock --access-token "$TOK1" --instance-url "$A_URL" --users "$USER,$USER2"; then
		B_URL=$MOCK_URL B_LOG=$MOCK_LOG B_PID=$MOCK_PID
		C1="$T/cache1"

		arm "cached"
		grant_to 0 "grant --reuse 600 --cache-dir: exit 0" "$B_URL" --reuse 600 --cache-dir "$C1" \
			--output token
		stdout_is "grant --reuse --output token prints the mock's token" "$TOK1"
		count_is "grant --reuse wrote one entry" "$(entries "$C1")" 1 "$(ls -A "$C1" 2>&1)"
		_e=$(entry_names "$C1" | head -n 1)
		[ -n "$_e" ] && [ -f "$C1/$_e.lock" ] && ok "the entry has its .lock beside it" ||
			not_ok "the entry has its .lock beside it" "$(ls -A "$C1" 2>&1)"
		count_is "the entry holds the token" "$(holding "$C1" "$TOK1")" 1

		revoke_cached 0 "revoke (cached): exit 0" "$B_URL" --cache-dir "$C1"
		stdout_is "revoke (cached): exactly the success line" "Revoked the access token for $USER"
		secret_kept "revoke (cached)" "$TOK1"
		count_is "revoke (cached): the entry is removed" "$(entries "$C1")" 0 "$(ls -A "$C1" 2>&1)"
		count_is "revoke (cached): the instance mock revoked the token" \
			"$(revokes "$A_LOG" "$TOK1" revoked)" 1 "$(grep revoke "$A_LOG" | head -c 400)"
		count_is "revoke (cached): the revocation went to the token's instance_url, not the login URL" \
			"$(revokes "$B_LOG")" 0
		count_is "revoke (cached): no new token request" "$(mock_token_requests "$B_LOG")" 1
		expect_no_grep "$(printf '%s' "$TOK1" | sed 's/[.!]/\\&/g')" "$A_LOG" \
			"revoke (cached): the token was not sent in the clear in the URL or headers"

		revoke_cached 3 "revoke (cached) again: exit 3, no cached token" "$B_URL" --cache-dir "$C1"
		no_entry "revoke (cached) again"
		stdout_empty "revoke (cached) again: nothing on stdout"
		count_is "revoke (cached) again: no request at all" "A $(revokes "$A_LOG"), B $(revokes "$B_LOG")" "A 1, B 0"

		# The tuple is the grant's: another username, audience, key or login URL finds nothing.
		arm "tuples"
		grant_to 0 "tuples: grant --reuse caches a token" "$B_URL" --reuse 600 --cache-dir "$C1"
		expect_exit 3 "another --username: exit 3" "$JG" revoke --client-id "$CID" --username "$USER2" \
			--jwt-key-file "$KEY" --instance-url "$B_URL" --cacert "$CA" --cache-dir "$C1" --max-time 10
		no_entry "another --username"
		revoke_cached 3 "another --audience: exit 3" "$B_URL" --cache-dir "$C1" \
			--audience https://test.salesforce.com
		no_entry "another --audience"
		expect_exit 3 "another key: exit 3" "$JG" revoke --client-id "$CID" --username "$USER" \
			--jwt-key-file "$PKI/app2.key" --instance-url "$B_URL" --cacert "$CA" --cache-dir "$C1" \
			--max-time 10
		no_entry "another key"
		revoke_cached 3 "another --instance-url: exit 3" "https://localhost:$A_PORT" --cache-dir "$C1"
		no_entry "another --instance-url"
		secret_kept "no cached token" "$TOK1"
		expect_exit 3 "a missing key file: exit 3" "$JG" revoke --client-id "$CID" --username "$USER" \
			--jwt-key-file "$T/no-such.key" --instance-url "$B_URL" --cacert "$CA" --cache-dir "$C1" \
			--max-time 10
		expect_grep '^jwtgrant: .*no-such\.key' "$T/err" "a missing key file: the message names it"
		count_is "other tuples: the entry is still there" "$(holding "$C1" "$TOK1")" 1
		count_is "other tuples: no request" "A $(revokes "$A_LOG"), B $(revokes "$B_LOG")" "A 1, B 0"
		revoke_cached 0 "the same tuple then: exit 0, with -v" "$B_URL" --cache-dir "$C1" -v
		stdout_is "-v: the success line" "Revoked the access token for $USER"
		[ -s "$T/err" ] && ok "-v: a trace on stderr" || not_ok "-v: a trace on stderr" "stderr is empty"
		secret_kept "revoke (cached) -v" "$TOK1"
		count_is "revoke (cached) -v: revoked at the instance mock" "$(revokes "$A_LOG" "$TOK1" revoked)" 2

		# The cache as grant finds it: $JWTGRANT_CACHE_DIR, then $HOME/.cache/jwtgrant.
		arm "JWTGRANT_CACHE_DIR"
		C2="$T/cache-env"
		JWTGRANT_CACHE_DIR=$C2 grant_to 0 "JWTGRANT_CACHE_DIR: grant --reuse" "$B_URL" --reuse 600
		count_is "JWTGRANT_CACHE_DIR: the entry is there" "$(entries "$C2")" 1
		JWTGRANT_CACHE_DIR=$C2 revoke_cached 0 "JWTGRANT_CACHE_DIR: revoke finds it" "$B_URL"
		count_is "JWTGRANT_CACHE_DIR: the entry is removed" "$(entries "$C2")" 0
		arm "HOME"
		grant_to 0 "\$HOME/.cache/jwtgrant: grant --reuse" "$B_URL" --reuse 600
		count_is "\$HOME/.cache/jwtgrant: the entry is there" "$(entries "$HOME/.cache/jwtgrant")" 1
		revoke_cached 0 "\$HOME/.cache/jwtgrant: revoke finds it" "$B_URL"
		count_is "\$HOME/.cache/jwtgrant: the entry is removed" "$(entries "$HOME/.cache/jwtgrant")" 0
		count_is "the instance mock revoked the token each time" "$(revokes "$A_LOG" "$TOK1" revoked)" 4
		count_is "the login mock saw no revocation" "$(revokes "$B_LOG")" 0
		stop_mock "$B_PID"
	fi

	# A cached token whose instance is down: exit 4, and the entry stays for a later try.
	_down=$A_PORT
	stop_mock "$A_PID"
	if start_mock --access-token "$TOK1" --instance-url "https://127.0.0.1:$_down"; then
		C5="$T/cache-down"
		grant_to 0 "instance down: grant --reuse" "$MOCK_URL" --reuse 600 --cache-dir "$C5"
		revoke_cached 4 "instance down: revoke (cached) exit 4" "$MOCK_URL" --cache-dir "$C5"
		secret_kept "instance down" "$TOK1"
		count_is "instance down: the entry stays, so the revoke can be tried again" \
			"$(holding "$C5" "$TOK1")" 1
		stop_mock
	fi
fi

# --- the --token-env form ------------------------------------------------------------------------
if start_mock; then
	C_URL=$MOCK_URL C_LOG=$MOCK_LOG
	grant_to 0 "token-env: grant --output token" "$C_URL" --output token
	TOKA=$(cat "$T/out")
	[ -n "$TOKA" ] && ok "token-env: a token was printed" || not_ok "token-env: a token was printed"

	revoke_env 0 "token-env: revoke exit 0" "$TOKA" --instance-url "$C_URL" --cacert "$CA"
	stdout_is "token-env: exactly the success line" "Revoked the access token for the token"
	secret_kept "token-env" "$TOKA"
	count_is "token-env: the mock revoked that token" "$(revokes "$C_LOG" "$TOKA" revoked)" 1

	revoke_env 1 "token-env again: exit 1 (the server refuses)" "$TOKA" --instance-url "$C_URL" \
		--cacert "$CA"
	expect_grep '^jwtgrant: ' "$T/err" "token-env again: the error line"
	expect_grep 'unsupported_token_type' "$T/err" "token-env again: the server's error"
	expect_grep 'this token type is not supported' "$T/err" "token-env again: the server's description verbatim"
	expect_grep '^hint:' "$T/err" "token-env again: a hint line"
	stdout_empty "token-env again: nothing on stdout"
	secret_kept "token-env again" "$TOKA"
	count_is "token-env again: the mock refused it" \
		"$(revokes "$C_LOG" "$TOKA" refused:unsupported_token_type)" 1

	# -v
	grant_to 0 "token-env -v: grant --output token" "$C_URL" --output token
	TOKB=$(cat "$T/out")
	revoke_env 0 "token-env -v: exit 0" "$TOKB" --instance-url "$C_URL" --cacert "$CA" -v
	[ -s "$T/err" ] && ok "token-env -v: a trace on stderr" || not_ok "token-env -v: a trace on stderr"
	secret_kept "token-env -v" "$TOKB"
	revoke_env 1 "token-env -v again: exit 1" "$TOKB" --instance-url "$C_URL" --cacert "$CA" -v
	secret_kept "token-env -v again" "$TOKB"

	# $SF_ORG_INSTANCE_URL, and --instance-url before it
	grant_to 0 "SF_ORG_INSTANCE_URL: grant --output token" "$C_URL" --output token
	TOKC=$(cat "$T/out")
	SF_ORG_INSTANCE_URL=$C_URL revoke_env 0 "SF_ORG_INSTANCE_URL: revoke without --instance-url" \
		"$TOKC" --cacert "$CA"
	count_is "SF_ORG_INSTANCE_URL: the mock revoked that token" "$(revokes "$C_LOG" "$TOKC" revoked)" 1
	grant_to 0 "--instance-url over SF_ORG_INSTANCE_URL: grant" "$C_URL" --output token
	TOKD=$(cat "$T/out")
	SF_ORG_INSTANCE_URL="https://127.0.0.1:1" revoke_env 0 \
		"--instance-url is used before SF_ORG_INSTANCE_URL" "$TOKD" --instance-url "$C_URL" --cacert "$CA"
	count_is "--instance-url over SF_ORG_INSTANCE_URL: revoked at --instance-url" \
		"$(revokes "$C_LOG" "$TOKD" revoked)" 1

	# VAR unset or empty; both forms at once
	_before=$(revokes "$C_LOG")
	for _case in unset empty; do
		if [ $_case = unset ]; then
			timeout -k 5 "$JG_CMD_TIMEOUT" env -u RV_NONE "$JG" revoke --token-env RV_NONE \
				--instance-url "$C_URL" --cacert "$CA" --max-time 10 < /dev/null > "$T/out" 2> "$T/err"
		else
			timeout -k 5 "$JG_CMD_TIMEOUT" env RV_NONE= "$JG" revoke --token-env RV_NONE \
				--instance-url "$C_URL" --cacert "$CA" --max-time 10 < /dev/null > "$T/out" 2> "$T/err"
		fi
		LAST_RC=$?
		case $LAST_RC in
		2 | 3) ok "token-env, VAR $_case: exit $LAST_RC (usage or input)" ;;
		*) not_ok "token-env, VAR $_case: exit 2 or 3" "exit $LAST_RC" "$(head -n 3 "$T/err")" ;;
		esac
		one_line "token-env, VAR $_case: one line on stderr"
		expect_grep '^jwtgrant: .*RV_NONE' "$T/err" "token-env, VAR $_case: the line names the variable"
		stdout_empty "token-env, VAR $_case: nothing on stdout"
	done
	expect_exit 2 "--token-env and --client-id together: exit 2" env RV_TOKEN="$TOKA" "$JG" revoke \
		--token-env RV_TOKEN --client-id "$CID" --username "$USER" --jwt-key-file "$KEY" \
		--instance-url "$C_URL" --cacert "$CA" --max-time 10
	secret_kept "--token-env and --client-id" "$TOKA"
	expect_exit 2 "--token-env with an unknown option: exit 2" env RV_TOKEN="$TOKA" "$JG" revoke \
		--token-env RV_TOKEN --instance-url "$C_URL" --cacert "$CA" --no-such-option
	secret_kept "--token-env with an unknown option" "$TOKA"
	count_is "usage and input errors sent no request" "$(revokes "$C_LOG")" "$_before"

	# An untrusted server: the embedded roots do not hold the test CA.
	grant_to 0 "untrusted: grant --output token" "$C_URL" --output token
	TOKE=$(cat "$T/out")
	_before=$(revokes "$C_LOG")
	revoke_env 5 "revoke without --cacert: exit 5" "$TOKE" --instance-url "$C_URL"
	expect_grep '^jwtgrant: ' "$T/err" "revoke without --cacert: the error line"
	secret_kept "revoke without --cacert" "$TOKE"
	stdout_empty "revoke without --cacert: nothing on stdout"
	count_is "revoke without --cacert: no request got through" "$(revokes "$C_LOG")" "$_before"
	stop_mock
fi

# every entry holding the token goes, the others stay
if start_mock --access-token "$TOK2" --users "$USER,$USER2"; then
	D_URL=$MOCK_URL D_LOG=$MOCK_LOG D_PID=$MOCK_PID
	if start_mock --access-token "$TOK3"; then
		E_URL=$MOCK_URL E_PID=$MOCK_PID
		C4="$T/cache4"
		grant_to 0 "entries: grant --reuse for $USER" "$D_URL" --reuse 600 --cache-dir "$C4" --output token
		stdout_is "entries: the shared token" "$TOK2"
		expect_exit 0 "entries: grant --reuse for $USER2" "$JG" grant -i "$CID" -f "$KEY" -u "$USER2" \
			-r "$D_URL" --cacert "$CA" --max-time 10 --reuse 600 --cache-dir "$C4"
		grant_to 0 "entries: grant --reuse at another login URL" "$E_URL" --reuse 600 --cache-dir "$C4"
		count_is "entries: three entries" "$(entries "$C4")" 3 "$(ls -A "$C4" 2>&1)"
		count_is "entries: two hold the shared token" "$(holding "$C4" "$TOK2")" 2
		revoke_env 0 "entries: revoke --token-env" "$TOK2" --instance-url "$D_URL" --cacert "$CA" \
			--cache-dir "$C4"
		stdout_is "entries: the success line" "Revoked the access token for the token"
		count_is "entries: no entry holds the revoked token" "$(holding "$C4" "$TOK2")" 0 "$(ls -A "$C4" 2>&1)"
		count_is "entries: the entry of the other token stays" "$(holding "$C4" "$TOK3")" 1
		count_is "entries: one revocation" "$(revokes "$D_LOG" "$TOK2" revoked)" 1

		# a cache directory open to others is neither read nor written: the revoke still works
		C6="$T/cache-open"
		grant_to 0 "open cache dir: grant --reuse" "$E_URL" --reuse 600 --cache-dir "$C6" --output token
		chmod 755 "$C6"
		revoke_env 0 "open cache dir: revoke --token-env still revokes" "$TOK3" --instance-url "$E_URL" \
			--cacert "$CA" --cache-dir "$C6"
		stdout_is "open cache dir: the success line" "Revoked the access token for the token"
		expect_grep '^jwtgrant: warning: .*cache' "$T/err" "open cache dir: a warning on stderr names the cache"
		count_is "open cache dir: its entry is left alone" "$(holding "$C6" "$TOK3")" 1
		stop_mock "$E_PID"
	fi
	stop_mock "$D_PID"
fi

# --- network ---------------------------------------------------------------------------------------
if start_mock; then
	_closed=$MOCK_PORT
	stop_mock
	t0=$(ms_now)
	revoke_env 4 "a closed port on 127.0.0.1: exit 4" "$TOK1" --instance-url "https://127.0.0.1:$_closed" \
		--cacert "$CA"
	_ms=$(($(ms_now) - t0))
	[ "$_ms" -lt 5000 ] && ok "a closed port: fails at once (${_ms} ms)" || not_ok "a closed port: fails at once" "${_ms} ms"
	expect_grep '^jwtgrant: ' "$T/err" "a closed port: the error line"
	secret_kept "a closed port" "$TOK1"
	stdout_empty "a closed port: nothing on stdout"
fi

# The default instance, https://login.salesforce.com: seen through a fake proxy that records the
# CONNECT line and refuses it (nothing leaves the machine), exit 4.
"$JG_PY" -c 'import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0))
s.listen(8)
s.settimeout(1.0)
open(sys.argv[1] + ".tmp", "w").write("%d\n" % s.getsockname()[1])
import os
os.replace(sys.argv[1] + ".tmp", sys.argv[1])
end = time.time() + 30
while time.time() < end:
    try:
        c, _ = s.accept()
    except socket.timeout:
        continue
    c.settimeout(5)
    data = b""
    try:
        while b"\r\n\r\n" not in data and len(data) < 65536:
            piece = c.recv(4096)
            if not piece:
                break
            data += piece
    except OSError:
        pass
    with open(sys.argv[2], "ab") as f:
        f.write(data)
    try:
        c.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
    except OSError:
        pass
    c.close()' "$T/fakeproxy.port" "$T/fakeproxy.log" < /dev/null > "$T/fakeproxy.err" 2>&1 &
fp_pid=$!
track_pid "$fp_pid"
_n=0
while [ ! -s "$T/fakeproxy.port" ] && [ $_n -lt 100 ] && jg_alive "$fp_pid"; do
	sleep 0.1
	_n=$((_n + 1))
done
if [ -s "$T/fakeproxy.port" ]; then
	revoke_env 4 "default instance: a refusing proxy, exit 4" "$TOK1" \
		--proxy "http://127.0.0.1:$(cat "$T/fakeproxy.port")"
	expect_grep '^CONNECT login\.salesforce\.com:443 ' "$T/fakeproxy.log" \
		"no --instance-url nor SF_ORG_INSTANCE_URL: the request is for login.salesforce.com"
	secret_kept "default instance" "$TOK1"
	expect_no_grep "$(printf '%s' "$TOK1" | sed 's/[.!]/\\&/g')" "$T/fakeproxy.log" \
		"default instance: the proxy never saw the token"
else
	not_ok "start a fake proxy" "$(tail -n 3 "$T/fakeproxy.err")"
fi
jg_stop_pid "$fp_pid"
jg_forget_pid "$fp_pid"

# A real proxy (tinyproxy, as tests/e2e/networks.sh runs it): the revocation goes through CONNECT.
if ! command -v tinyproxy > /dev/null 2>&1; then
	"$JG_TOP/vendor/need.sh" tinyproxy tinyproxy > /dev/null 2>&1
fi
if ! command -v tinyproxy > /dev/null 2>&1; then
	not_ok "tinyproxy is installed (vendor/need.sh tinyproxy tinyproxy)"
elif start_mock; then
	PROXY_PORT=$("$JG_PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	PROXY_LOG="$T/tinyproxy.log"
	printf 'Port %s\nListen 127.0.0.1\nTimeout 10\nMaxClients 20\nAllow 127.0.0.1\nLogFile "%s"\nLogLevel Connect\n' \
		"$PROXY_PORT" "$PROXY_LOG" > "$T/tinyproxy.conf"
	: > "$PROXY_LOG"
	tinyproxy -d -c "$T/tinyproxy.conf" > "$T/tinyproxy.out" 2>&1 &
	tp_pid=$!
	track_pid "$tp_pid"
	_n=0
	while ! "$JG_PY" -c "import socket; socket.create_connection(('127.0.0.1', $PROXY_PORT), 1)" 2> /dev/null; do
		_n=$((_n + 1))
		[ $_n -lt 50 ] || break
		sleep 0.1
	done
	if [ $_n -ge 50 ]; then
		not_ok "start tinyproxy" "$(tail -n 3 "$T/tinyproxy.out")"
	else
		grant_to 0 "proxy: grant --output token" "$MOCK_URL" --output token
		TOKP=$(cat "$T/out")
		revoke_env 0 "proxy: revoke --token-env through --proxy" "$TOKP" --instance-url "$MOCK_URL" \
			--cacert "$CA" --proxy "http://127.0.0.1:$PROXY_PORT"
		stdout_is "proxy: the success line" "Revoked the access token for the token"
		count_is "proxy: the proxy saw one CONNECT to the mock" \
			"$(grep -c "CONNECT localhost:$MOCK_PORT" "$PROXY_LOG")" 1 "$(tail -n 5 "$PROXY_LOG")"
		count_is "proxy: the mock revoked the token" "$(revokes "$MOCK_LOG" "$TOKP" revoked)" 1
	fi
	jg_stop_pid "$tp_pid"
	jg_forget_pid "$tp_pid"
	stop_mock
fi

# A 5xx answer to a revocation with --retry: the mock's --mode applies to the token path only.
echo "# skipped: revoke --retry on a 5xx (tests/mock/sf_mock.py has no failing mode for /services/oauth2/revoke)"
