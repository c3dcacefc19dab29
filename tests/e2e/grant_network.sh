#!/bin/sh
# grant's network failures on loopback: a closed port (exit 4 at once), a server that accepts the
# connection and says nothing, a token endpoint slower than --max-time (exit 4 at --max-time, the
# message naming it); --connect-timeout and --max-time take seconds, anything else is a usage error.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

grant_suite

# grant_to CODE NAME URL [ARGS...] — jwtgrant grant against URL, bounded by JG_CMD_TIMEOUT only
grant_to() {
	_c=$1 _n=$2 _url=$3
	shift 3
	expect_exit "$_c" "$_n" "$JG" grant -i "$CID" -f "$PKI/app.key" -u "$USER" -r "$_url" \
		--cacert "$PKI/ca.crt" "$@"
}

# took NAME MIN_MS MAX_MS — the time since $t0 is within [MIN_MS, MAX_MS)
took() {
	_ms=$(($(ms_now) - t0))
	if [ "$_ms" -ge "$2" ] && [ "$_ms" -lt "$3" ]; then
		ok "$1 (${_ms} ms)"
	else
		not_ok "$1" "${_ms} ms, want $2 to $3"
	fi
}

stdout_empty() { # NAME
	if [ -s "$T/out" ]; then not_ok "$1" "stdout: $(head -c 200 "$T/out")"; else ok "$1"; fi
}

# --- a closed port: a port the mock had, now closed ---------------------------------------------
if start_mock; then
	closed=$MOCK_PORT
	stop_mock
	t0=$(ms_now)
	grant_to 4 "closed port: exit 4" "https://localhost:$closed" --max-time 10
	took "closed port: fails in well under 2 s" 0 2000
	expect_grep '^jwtgrant: .*refused' "$T/err" "closed port: the message says refused"
	expect_grep "$closed" "$T/err" "closed port: the message names the port"
	stdout_empty "closed port: nothing on stdout"
	grant_to 4 "closed port on 127.0.0.1: exit 4" "https://127.0.0.1:$closed" --max-time 10
fi

# --- a server that accepts and never speaks ------------------------------------------------------
"$JG_PY" -c 'import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(8)
open(sys.argv[1], "w").write("%d\n" % s.getsockname()[1])
time.sleep(30)' "$T/silent.port" < /dev/null > /dev/null 2>&1 &
silent_pid=$!
track_pid "$silent_pid"
n=0
while [ ! -s "$T/silent.port" ] && [ $n -lt 100 ]; do
	sleep 0.1
	n=$((n + 1))
done
if [ -s "$T/silent.port" ]; then
	t0=$(ms_now)
	grant_to 4 "silent server: exit 4 at --max-time 2" "https://localhost:$(cat "$T/silent.port")" \
		--max-time 2
	took "silent server: ends at --max-time 2, within 3.5 s" 1500 3500
	expect_grep 'max-time|timed out' "$T/err" "silent server: the message says it timed out"
	stdout_empty "silent server: nothing on stdout"
else
	not_ok "start a silent listener"
fi
jg_stop_pid "$silent_pid"
jg_forget_pid "$silent_pid"

# --- a token endpoint slower than --max-time ------------------------------------------------------
if start_mock --mode slow --delay 20; then
	t0=$(ms_now)
	grant_to 4 "slow server: exit 4 at --max-time 2" "$MOCK_URL" --max-time 2
	took "slow server: ends at --max-time 2, within ~3 s" 1500 3500
	expect_grep '--max-time' "$T/err" "slow server: the message mentions --max-time"
	stdout_empty "slow server: nothing on stdout"
	stop_mock
	if mock_saw_token_request; then ok "slow server: the request had been sent"; else
		not_ok "slow server: the request had been sent"; fi
fi

# --- the timeout options --------------------------------------------------------------------------
if start_mock; then
	grant_to 0 "--connect-timeout 3 is accepted" "$MOCK_URL" --connect-timeout 3 --max-time 10
	[ "$(cat "$T/out")" = "$SUCCESS" ] && ok "--connect-timeout 3: success line" ||
		not_ok "--connect-timeout 3: success line" "$(head -c 200 "$T/out")"
	grant_to 0 "-m 10 is --max-time" "$MOCK_URL" -m 10
	grant_to 2 "--connect-timeout abc: exit 2" "$MOCK_URL" --connect-timeout abc --max-time 10
	grant_to 2 "--max-time abc: exit 2" "$MOCK_URL" --max-time abc
	grant_to 2 "--max-time -1: exit 2" "$MOCK_URL" --max-time -1
	grant_to 2 "--max-time without a value: exit 2" "$MOCK_URL" --max-time
	stop_mock
	_r=$(mock_token_requests)
	[ "$_r" -eq 2 ] && ok "usage errors sent no token request" ||
		not_ok "usage errors sent no token request" "$_r requests, want 2"
fi

# --- a "proxy" that is not an HTTP proxy ------------------------------------------------------------
# An SSH server answers CONNECT with its banner: exit 4, and one intact message that names the
# proxy once and shows the start of the answer (the message used to be formatted into itself).
printf 'SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n' > "$T/ssh-banner"
if start_raw "$T/ssh-banner"; then
	grant_to 4 "an SSH server as the proxy: exit 4" "https://sf.test" -x "http://127.0.0.1:$RAW_PORT" \
		--max-time 10
	expect_grep "^jwtgrant: the proxy 127\.0\.0\.1:$RAW_PORT gave no usable answer to CONNECT: .*SSH-2\.0-OpenSSH" \
		"$T/err" "an SSH server as the proxy: the message shows its banner"
	[ "$(grep -o 'gave no usable answer' "$T/err" | wc -l)" -eq 1 ] &&
		ok "an SSH server as the proxy: the message says it once" ||
		not_ok "an SSH server as the proxy: the message says it once" "$(cat "$T/err")"
	stdout_empty "an SSH server as the proxy: nothing on stdout"
fi

# --- a DNS server that never answers ------------------------------------------------------------------
# --max-time bounds name resolution too (the lookup runs in a thread that grant stops waiting
# for): with resolv.conf pointing at a loopback UDP port that reads and never answers, grant
# --max-time 2 ends within 3 s, exit 4. A private mount namespace (unshare -m, root) bind-mounts
# that resolv.conf over /etc/resolv.conf for jwtgrant alone. Not under valgrind, whose slowness
# would blur the bound. (issue 12, item 8)
if [ -n "${JWTGRANT_VALGRIND_BIN:-}" ]; then
	echo "# skipped: the DNS deadline is not measured under valgrind"
elif [ "$(id -u)" -ne 0 ] || ! command -v unshare > /dev/null 2>&1 ||
	! unshare -m true 2> /dev/null; then
	echo "# skipped: the DNS deadline test needs root and unshare -m (CI has both)"
else
	"$JG_PY" -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.83.83.83", 53))
open(sys.argv[1], "w").write("ready")
s.settimeout(0.5)
end = time.time() + 30
while time.time() < end:
    try:
        s.recvfrom(4096)
    except socket.timeout:
        pass
' "$T/dns.ready" > "$T/dns.err" 2>&1 &
	dns_pid=$!
	track_pid "$dns_pid"
	_n=0
	while [ ! -s "$T/dns.ready" ] && [ $_n -lt 50 ] && jg_alive "$dns_pid"; do
		sleep 0.1
		_n=$((_n + 1))
	done
	if [ ! -s "$T/dns.ready" ]; then
		not_ok "a silent DNS server on 127.83.83.83:53 started" "$(cat "$T/dns.err")"
	else
		printf 'nameserver 127.83.83.83\noptions timeout:30 attempts:5\n' > "$T/resolv.conf"
		t0=$(ms_now)
		expect_exit 4 "a DNS server that never answers: exit 4" unshare -m sh -c \
			'mount --bind "$1" /etc/resolv.conf && shift && exec "$@"' sh "$T/resolv.conf" \
			"$JG" grant -i "$CID" -f "$PKI/app.key" -u "$USER" -r "https://never-answered.example.test" \
			--max-time 2
		took "a DNS server that never answers: ends within --max-time + 1 s" 1900 3000
		expect_grep "timed out \(--max-time\) resolving never-answered\.example\.test" "$T/err" \
			"a DNS server that never answers: the message says so"
		stdout_empty "a DNS server that never answers: nothing on stdout"
	fi
	jg_stop_pid "$dns_pid"
fi
