#!/bin/sh
# Enterprise networks: a real HTTP proxy (Debian's tinyproxy) chosen by --proxy or by each
# environment variable, NO_PROXY bypass, proxy credentials, IP-literal URLs, the clock check.
. "$(dirname "$0")/../lib.sh"

unset https_proxy HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY SSL_CERT_FILE SSL_CERT_DIR
JG_CMD_TIMEOUT=20
pki
start_mock || exit 0
K="$PKI/app.key"
grant() { "$JG" grant -i 3MVG9TESTCLIENTID -f "$K" -u ci@example.com --cacert "$PKI/ca.crt" \
	--max-time 10 "$@"; }

free_port() { "$JG_PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_proxy NAME [tinyproxy config lines...] — sets PROXY_PORT and PROXY_LOG
start_proxy() {
	_name=$1; shift
	PROXY_PORT=$(free_port)
	PROXY_LOG="$T/$_name.log"
	{
		echo "Port $PROXY_PORT"
		echo "Listen 127.0.0.1"
		echo "Timeout 10"
		echo "MaxClients 20"
		echo "Allow 127.0.0.1"
		echo "LogFile \"$PROXY_LOG\""
		echo "LogLevel Connect"
		for _l in "$@"; do echo "$_l"; done
	} > "$T/$_name.conf"
	: > "$PROXY_LOG"
	tinyproxy -d -c "$T/$_name.conf" > "$T/$_name.out" 2>&1 &
	PROXY_PID=$!
	track_pid "$PROXY_PID"
	_n=0
	while ! "$JG_PY" -c "import socket,sys; socket.create_connection(('127.0.0.1',$PROXY_PORT),1)" 2>/dev/null; do
		_n=$((_n + 1))
		[ $_n -lt 50 ] || { not_ok "start tinyproxy ($_name)" "$(tail -n 3 "$T/$_name.out")"; return 1; }
		sleep 0.1
	done
}
connects() { grep -c "CONNECT localhost:$MOCK_PORT" "$PROXY_LOG"; }

if ! command -v tinyproxy > /dev/null 2>&1; then
	"$JG_TOP/vendor/need.sh" tinyproxy tinyproxy > /dev/null 2>&1
fi
if ! command -v tinyproxy > /dev/null 2>&1; then
	not_ok "tinyproxy is installed (vendor/need.sh tinyproxy tinyproxy)"
else
	start_proxy open
	P="http://127.0.0.1:$PROXY_PORT"
	expect_exit 0 "grant through --proxy" grant -r "$MOCK_URL" --proxy "$P"
	[ "$(connects)" -eq 1 ] && ok "the proxy saw one CONNECT to the token host" || not_ok "the proxy saw one CONNECT to the token host" "$(cat "$PROXY_LOG")"
	expect_exit 0 "grant through -x with -v" grant -r "$MOCK_URL" -x "127.0.0.1:$PROXY_PORT" -v
	expect_grep "^\* proxy http://127.0.0.1:$PROXY_PORT \(from --proxy\)" "$T/err" "-v names the proxy and where it came from"
	n=2
	for var in https_proxy HTTPS_PROXY all_proxy ALL_PROXY; do
		env "$var=$P" "$JG" grant -i 3MVG9TESTCLIENTID -f "$K" -u ci@example.com --cacert "$PKI/ca.crt" \
			--max-time 10 -r "$MOCK_URL" -v > "$T/out" 2> "$T/err"
		rc=$?
		n=$((n + 1))
		[ $rc -eq 0 ] && [ "$(connects)" -eq $n ] && grep -q "(from $var)" "$T/err" &&
			ok "grant through \$$var" || not_ok "grant through \$$var" "exit $rc, $(connects) CONNECTs" "$(head -3 "$T/err")"
	done
	https_proxy="http://127.0.0.1:1" HTTPS_PROXY="$P" expect_exit 4 "https_proxy is read before HTTPS_PROXY" grant -r "$MOCK_URL"
	for np in localhost .localhost "example.com, localhost" "*"; do
		before=$(connects)
		https_proxy=$P NO_PROXY=$np expect_exit 0 "NO_PROXY='$np' bypasses the proxy: grant works" grant -r "$MOCK_URL" -v
		[ "$(connects)" -eq "$before" ] && ok "NO_PROXY='$np': the proxy saw no CONNECT" || not_ok "NO_PROXY='$np': the proxy saw no CONNECT"
	done
	expect_grep "bypassed by NO_PROXY entry" "$T/err" "-v says which NO_PROXY entry bypassed the proxy"
	before=$(connects)
	https_proxy=$P no_proxy=localhost expect_exit 0 "--noproxy '' overrides no_proxy" grant -r "$MOCK_URL" --noproxy ""
	[ "$(connects)" -eq $((before + 1)) ] && ok "--noproxy '' sends through the proxy again" || not_ok "--noproxy '' sends through the proxy again"
	https_proxy=$P expect_exit 0 "--proxy '' disables an environment proxy" grant -r "$MOCK_URL" --proxy ""
	before=$(connects)
	https_proxy=$P NO_PROXY=example.com expect_exit 0 "an unrelated NO_PROXY entry keeps the proxy" grant -r "$MOCK_URL"
	[ "$(connects)" -eq $((before + 1)) ] && ok "the proxy saw that CONNECT" || not_ok "the proxy saw that CONNECT"
	stop_mock

	# Credentials: a proxy that demands them.
	start_mock || exit 0
	start_proxy auth "BasicAuth jguser s3cret"
	AP=$PROXY_PORT
	expect_exit 0 "grant through a proxy with credentials" grant -r "$MOCK_URL" -v --proxy "http://jguser:s3%63ret@127.0.0.1:$AP"
	expect_no_grep "s3cr" "$T/err" "the proxy password is not in the trace"
	expect_grep "jguser:\*\*\*@" "$T/err" "the trace shows the user and hides the password"
	expect_exit 0 "-xURL (the value attached, as curl takes it)" grant -r "$MOCK_URL" "-xhttp://jguser:s3%63ret@127.0.0.1:$AP"
	expect_exit 0 "-x=URL" grant -r "$MOCK_URL" "-x=http://jguser:s3%63ret@127.0.0.1:$AP"
	expect_exit 4 "-xURL with wrong credentials exits 4" grant -r "$MOCK_URL" "-xhttp://jguser:wrong@127.0.0.1:$AP"
	expect_no_grep "wrong" "$T/err" "-xURL with wrong credentials: the password is not printed"
	expect_exit 4 "wrong proxy credentials exit 4" grant -r "$MOCK_URL" --proxy "http://jguser:wrong@127.0.0.1:$AP"
	# tinyproxy answers wrong credentials with 401 (and missing ones with 407).
	expect_grep "answered 40[17] .*credentials are refused" "$T/err" "wrong credentials: the message names the status and says they were refused"
	expect_no_grep "wrong" "$T/err" "wrong credentials: the password is not printed"
	expect_exit 4 "no credentials for a proxy that wants them exits 4" grant -r "$MOCK_URL" --proxy "http://127.0.0.1:$AP"
	expect_grep "answered 407 Proxy Authentication Required: proxy credentials are needed" "$T/err" "no credentials: the message says they are needed"
	HTTPS_PROXY="http://jguser:s3%63ret@127.0.0.1:$AP" expect_exit 0 "credentials from HTTPS_PROXY" grant -r "$MOCK_URL"
	# argv scrubbing: while a grant waits on a slow server, its command line shows no password.
	stop_mock
	start_mock --mode slow --delay 5 || exit 0
	"$JG" grant -i 3MVG9TESTCLIENTID -f "$K" -u ci@example.com --cacert "$PKI/ca.crt" --max-time 10 \
		-r "$MOCK_URL" --proxy "http://jguser:s3%63ret@127.0.0.1:$AP" > /dev/null 2>&1 &
	gpid=$!
	track_pid "$gpid"
	sleep 1
	tr '\0' ' ' < "/proc/$gpid/cmdline" > "$T/cmdline" 2>/dev/null
	expect_grep "jwtgrant" "$T/cmdline" "the running grant's command line was read"
	expect_no_grep "s3cr" "$T/cmdline" "the proxy password is scrubbed from argv"
	jg_stop_pid "$gpid"
	# The same with the value attached to -x, as curl takes it.
	"$JG" grant -i 3MVG9TESTCLIENTID -f "$K" -u ci@example.com --cacert "$PKI/ca.crt" --max-time 10 \
		-r "$MOCK_URL" "-xhttp://jguser:s3%63ret@127.0.0.1:$AP" > /dev/null 2>&1 &
	gpid=$!
	track_pid "$gpid"
	sleep 1
	tr '\0' ' ' < "/proc/$gpid/cmdline" > "$T/cmdline" 2>/dev/null
	expect_grep "jwtgrant.*-xhttp://" "$T/cmdline" "-xURL: the running grant's command line was read"
	expect_no_grep "s3cr" "$T/cmdline" "-xURL: the proxy password is scrubbed from argv"
	jg_stop_pid "$gpid"
	stop_mock
	start_mock || exit 0

	free=$(free_port)
	expect_exit 4 "a closed proxy port exits 4" grant -r "$MOCK_URL" --proxy "http://127.0.0.1:$free"
	expect_grep "proxy" "$T/err" "a closed proxy port: the message names the proxy"
fi

for bad in socks5://127.0.0.1:1080 https://127.0.0.1:3128 socks4a://h:1; do
	expect_exit 2 "proxy scheme ${bad%%:*} exits 2" grant -r "$MOCK_URL" --proxy "$bad"
	expect_grep "use an http:// proxy" "$T/err" "proxy scheme ${bad%%:*}: the message says which schemes work"
done
https_proxy=socks5://127.0.0.1:1 expect_exit 2 "a socks proxy in https_proxy exits 2" grant -r "$MOCK_URL"
expect_grep "https_proxy" "$T/err" "the message names the variable"
mock_saw_token_request && not_ok "no token request was sent for bad proxies" || ok "no token request was sent for bad proxies"
stop_mock

# --- IP-literal URLs ----------------------------------------------------------------------------
start_mock --cert "$PKI/server-ip.crt" || exit 0
expect_exit 0 "https://127.0.0.1:PORT with an iPAddress SAN" grant -r "https://127.0.0.1:$MOCK_PORT" -v
expect_grep "no SNI" "$T/err" "-v says no SNI is sent for an IP address"
sni=$(grep -o '"sni": *[^,}]*' "$MOCK_LOG" | tail -1)
case $sni in *null*|*'""'*) ok "the server saw no SNI ($sni)" ;; *) not_ok "the server saw no SNI" "$sni" ;; esac
stop_mock
start_mock --cert "$PKI/server.crt" || exit 0
expect_exit 5 "https://127.0.0.1:PORT without an iPAddress SAN exits 5" grant -r "https://127.0.0.1:$MOCK_PORT"
expect_grep "does not name the address 127.0.0.1" "$T/err" "the message names the address"
mock_saw_token_request && not_ok "no token request without the SAN" || ok "no token request without the SAN"
stop_mock
if "$JG_PY" -c 'import socket; s=socket.socket(socket.AF_INET6); s.bind(("::1",0))' 2>/dev/null; then
	start_mock --ipv6 --cert "$PKI/server-ip.crt" || exit 0
	expect_exit 0 "https://[::1]:PORT with an iPAddress SAN" grant -r "$MOCK_URL"
	stop_mock
	start_mock --ipv6 --cert "$PKI/server.crt" || exit 0
	expect_exit 5 "https://[::1]:PORT without an iPAddress SAN exits 5" grant -r "$MOCK_URL"
	expect_grep "does not name the address ::1" "$T/err" "the message names ::1"
	stop_mock
else
	echo "# skipped: IPv6 — this machine has no ::1"
fi

# --- the clock ----------------------------------------------------------------------------------
start_mock || exit 0
JWTGRANT_NOW=0 expect_exit 5 "a clock in 1970 exits 5" grant -r "$MOCK_URL"
expect_grep "1970-01-01T00:00:00Z.*before this jwtgrant was built" "$T/err" "the message names the clock's time"
mock_saw_token_request && not_ok "no traffic with a clock in 1970" || ok "no traffic with a clock in 1970"
[ "$(wc -c < "$MOCK_LOG")" -eq 0 ] && ok "the server saw no connection at all" || ok "the server saw no token request"
stop_mock
