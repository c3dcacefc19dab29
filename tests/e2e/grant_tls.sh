#!/bin/sh
# grant's TLS and trust against the mock token endpoint: certificates for another host, expired,
# not yet valid, from an unknown CA, without their intermediate, a server that wants TLS 1.3 —
# a server with only suites we do not offer (static RSA, HMAC-SHA-1) — each exit 5 with a message
# saying why and no token request reaching the server; a chain with an intermediate, an ECDSA
# certificate and every suite we offer work; the trust set comes from --cacert/--capath, else
# SSL_CERT_FILE/SSL_CERT_DIR, else the embedded Mozilla set (which does not hold the test CA).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

grant_suite

# grant_env CODE NAME [ENV_ARGS...] -- [GRANT_ARGS...] — jwtgrant grant against $MOCK_URL run by
# env(1) with SSL_CERT_FILE and SSL_CERT_DIR unset, then ENV_ARGS; no trust option of its own
grant_env() {
	_c=$1 _n=$2
	shift 2
	_envs=
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		_envs="$_envs $1" # test paths only: no spaces
		shift
	done
	[ $# -gt 0 ] && shift
	# shellcheck disable=SC2086
	expect_exit "$_c" "$_n" env -u SSL_CERT_FILE -u SSL_CERT_DIR $_envs "$JG" grant -i "$CID" \
		-f "$PKI/app.key" -u "$USER" -r "$MOCK_URL" --max-time 10 "$@"
}
grant() { # CODE NAME [ARGS...] — trusting the test CA with --cacert
	_c=$1 _n=$2
	shift 2
	grant_env "$_c" "$_n" -- --cacert "$PKI/ca.crt" "$@"
}

succeeded() { # NAME — stdout is the success line
	if [ "$(cat "$T/out")" = "$SUCCESS" ]; then ok "$1"; else
		not_ok "$1" "stdout: $(head -c 200 "$T/out")"; fi
}

no_request() { # NAME — the mock (stopped) logged no token request
	if mock_saw_token_request; then
		not_ok "$1" "$(grep '"POST"' "$MOCK_LOG" | head -c 300)"
	else
		ok "$1"
	fi
}

# refused_cert CERT KEY CODE PATTERN NAME [GRANT_ARGS...] — a mock serving CERT/KEY makes grant fail
refused_cert() {
	_cert=$1 _key=$2 _code=$3 _pat=$4 _name=$5
	shift 5
	if start_mock --cert "$PKI/$_cert" --key "$PKI/$_key"; then
		grant "$_code" "$_name: exit $_code" "$@"
		expect_grep "$_pat" "$T/err" "$_name: the message says why"
		if [ -s "$T/out" ]; then not_ok "$_name: nothing on stdout"; else ok "$_name: nothing on stdout"; fi
		stop_mock
		no_request "$_name: no token request reached the server"
	fi
}

today=$(date -u +%Y-%m-%d)
refused_cert wronghost.crt server.key 5 'not for localhost' "certificate for another host"
refused_cert expired.crt server.key 5 'expired or not yet valid' "expired certificate"
expect_grep "local clock: ($today|$(date -u +%Y-%m-%d))T[0-9]{2}:[0-9]{2}:[0-9]{2}Z" "$T/err" \
	"expired certificate: the message shows the local clock"
refused_cert notyet.crt server.key 5 'expired or not yet valid' "not yet valid certificate"
expect_grep "local clock: [0-9]{4}-[0-9]{2}-[0-9]{2}T" "$T/err" \
	"not yet valid certificate: the message shows the local clock"
refused_cert unknown-ca.crt server.key 5 'not trusted' "certificate from an unknown CA"
refused_cert server-nochain.crt server.key 5 'not trusted' "certificate without its intermediate"

# A local clock before jwtgrant was built cannot check certificates: exit 5, before any request
# (JWTGRANT_NOW is the clock of the certificate checks; 2010 is inside expired.crt's validity).
if start_mock --cert "$PKI/expired.crt"; then
	grant_env 5 "local clock in 2010 (before the build): exit 5" JWTGRANT_NOW=1280000000 -- \
		--cacert "$PKI/ca.crt"
	expect_grep 'clock' "$T/err" "local clock in 2010: the message is about the clock"
	stop_mock
	no_request "local clock in 2010: no token request reached the server"
fi

if start_mock --cert "$PKI/server-chain.crt"; then
	grant 0 "chain with an intermediate, --cacert the root: exit 0"
	succeeded "chain with an intermediate: success line"
	stop_mock
fi

# Chains as real servers send them: out of order (leaf, root, intermediate) and with a certificate
# that is not on the path (another CA's root between leaf and intermediate). BearSSL alone wants
# the chain in order ("X.509 error 55"); jwtgrant orders it first and leaves out the stranger.
for chain in 'chain-misordered 1, 3, 2' 'chain-extra 1, 3'; do
	path=${chain#* } chain=${chain%% *}
	if start_mock --cert "$PKI/$chain.crt"; then
		grant 0 "$chain.crt (leaf, then not its issuer): exit 0" -v
		succeeded "$chain.crt: success line"
		expect_grep "^\* server sent 3 certificates; validating certificates $path of them, in that" \
			"$T/err" "$chain.crt: -v says which certificates were validated, in which order"
		stop_mock
	fi
done

# extendedKeyUsage: a leaf for client authentication only is not a TLS server's (curl refuses it
# too); one for both purposes is, as is one without the extension (app.crt-style leaves: the
# served certificates above all have serverAuth, so the no-EKU case is the unit test's).
refused_cert clientauth.crt server.key 5 'not for TLS servers' \
	"certificate with extendedKeyUsage clientAuth only"
if start_mock --cert "$PKI/server-clientauth.crt"; then
	grant 0 "certificate with extendedKeyUsage serverAuth, clientAuth: exit 0"
	succeeded "certificate with extendedKeyUsage serverAuth, clientAuth: success line"
	stop_mock
fi

# A host name with the final dot of a fully qualified name: the certificate says "localhost".
if start_mock; then
	expect_exit 0 "host name with a trailing dot (https://localhost.:PORT): exit 0" \
		env -u SSL_CERT_FILE -u SSL_CERT_DIR "$JG" grant -i "$CID" -f "$PKI/app.key" -u "$USER" \
		-r "https://localhost.:$MOCK_PORT" --max-time 10 --cacert "$PKI/ca.crt" -v
	succeeded "host name with a trailing dot: success line"
	expect_grep '^\* host localhost\.: the certificate name check and SNI use localhost$' "$T/err" \
		"host name with a trailing dot: -v says the name is checked without the dot"
	stop_mock
	expect_grep '"sni":"localhost"' "$MOCK_LOG" "host name with a trailing dot: SNI without the dot"
fi

# A server that demands a client certificate (mutual TLS): the same exit and message every time,
# whether its refusal reaches us as an alert or as a closed connection.
if start_mock --client-ca "$PKI/ca.crt"; then
	for i in 1 2 3 4 5; do
		grant 5 "server requiring a client certificate, run $i: exit 5"
		expect_grep 'requires a client certificate \(mutual TLS\), which jwtgrant does not send' \
			"$T/err" "server requiring a client certificate, run $i: the message says so"
	done
	stop_mock
	no_request "server requiring a client certificate: no token request reached the server"
fi

# A fatal alert from the server, named: a scripted server that answers the ClientHello with the
# TLS 1.2 alert record "fatal, unknown_ca" (15 03 03 00 02 02 30).
printf '\025\003\003\000\002\002\060' > "$T/alert-unknown-ca"
if start_raw "$T/alert-unknown-ca" --read-timeout 0.3; then
	expect_exit 5 "server sending the fatal alert unknown_ca: exit 5" env -u SSL_CERT_FILE \
		-u SSL_CERT_DIR "$JG" grant -i "$CID" -f "$PKI/app.key" -u "$USER" \
		-r "https://localhost:$RAW_PORT" --max-time 10 --cacert "$PKI/ca.crt"
	expect_grep 'the server sent the fatal alert unknown_ca \(48\)' "$T/err" \
		"server sending the fatal alert unknown_ca: the message names it"
fi

if start_mock --cert "$PKI/server-ec.crt" --key "$PKI/server-ec.key"; then
	grant 0 "ECDSA server certificate: exit 0" -v
	succeeded "ECDSA server certificate: success line"
	expect_grep 'ECDSA' "$T/err" "ECDSA server certificate: -v shows an ECDSA suite"
	stop_mock
fi

# --- cipher suites ------------------------------------------------------------------------------
# Every suite we offer, each from a TLS 1.2 server that has only that one: the grant succeeds, the
# mock negotiated it, and -v names it with the code that ran it. That code is BearSSL's choice for
# this CPU (/proc/cpuinfo): AES-NI (and PCLMUL for GCM) when the CPU has them, which fails if the
# release flags compiled BearSSL's x86 code out; SSE2 ChaCha20 on any x86-64.
cpu_has() { # FLAG — /proc/cpuinfo lists it
	grep -E -q "^flags.*[[:space:]]$1([[:space:]]|\$)" /proc/cpuinfo 2>/dev/null
}
gcm_code='portable constant-time AES and GHASH' cbc_code='portable constant-time AES'
chacha_code='portable ChaCha20'
cpu_has pclmulqdq && gcm_code='portable AES, PCLMUL'
if cpu_has aes; then
	cbc_code=AES-NI gcm_code='AES-NI, portable GHASH'
	cpu_has pclmulqdq && gcm_code='AES-NI and PCLMUL'
fi
cpu_has sse2 && chacha_code='SSE2 ChaCha20'

served_suite() { # SUITE — a grant against a mock offering only SUITE (an OpenSSL name)
	_suite=$1
	case $_suite in
	ECDHE-ECDSA-*) set -- --cert "$PKI/server-ec.crt" --key "$PKI/server-ec.key" ;;
	*) set -- ;;
	esac
	case $_suite in
	*CHACHA20*) _code=$chacha_code ;;
	*GCM*) _code=$gcm_code ;;
	*) _code=$cbc_code ;;
	esac
	if start_mock --ciphers "$_suite" "$@"; then
		grant 0 "server with only $_suite: exit 0" -v
		succeeded "server with only $_suite: success line"
		expect_grep "^\* TLS 1\.2 connection using $_suite \($_code\)\$" "$T/err" \
			"server with only $_suite: -v names it and its code ($_code)"
		stop_mock
		expect_grep "\"cipher\":\"$_suite\"" "$MOCK_LOG" "server with only $_suite: the mock negotiated it"
	fi
}
for suite in ECDHE-RSA-CHACHA20-POLY1305 ECDHE-ECDSA-CHACHA20-POLY1305 \
	ECDHE-RSA-AES128-GCM-SHA256 ECDHE-ECDSA-AES128-GCM-SHA256 \
	ECDHE-RSA-AES256-GCM-SHA384 ECDHE-ECDSA-AES256-GCM-SHA384 \
	ECDHE-RSA-AES128-SHA256 ECDHE-ECDSA-AES128-SHA256 \
	ECDHE-RSA-AES256-SHA384 ECDHE-ECDSA-AES256-SHA384; do
	served_suite "$suite"
done

# refused_suites CIPHERS NAME — a TLS 1.2 server with only suites we do not offer: exit 5, the
# message says there is no common suite, and no request reaches it.
refused_suites() {
	if start_mock --ciphers "$1"; then
		grant 5 "$2: exit 5"
		expect_grep 'no common TLS 1\.2 cipher suite' "$T/err" "$2: the message says no common suite"
		expect_grep '\(handshake_failure, alert 40\)' "$T/err" "$2: the message names the alert"
		stop_mock
		no_request "$2: no token request reached the server"
	fi
}
refused_suites AES128-GCM-SHA256:AES256-GCM-SHA384 "server with only static RSA key exchange"
refused_suites ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-SHA "server with only HMAC-SHA-1 CBC suites"

if start_mock --tls13-only; then
	grant 5 "server requiring TLS 1.3: exit 5"
	expect_grep 'TLS 1\.3' "$T/err" "server requiring TLS 1.3: the message names TLS 1.3"
	stop_mock
	no_request "server requiring TLS 1.3: no token request reached the server"
fi

# --- where the trust set comes from --------------------------------------------------------------
mkdir "$T/capath" "$T/caslink" "$T/empty"
cp "$PKI/ca.crt" "$T/capath/ca.pem"
ln -s "$PKI/ca.crt" "$T/caslink/ab12cd34.0"
if start_mock; then
	grant_env 5 "embedded trust set (no --cacert, SSL_CERT_* unset): exit 5" -- -v
	expect_grep 'not trusted' "$T/err" "embedded trust set: the test CA is not trusted"
	expect_grep '^\* trust: .*(embedded|Mozilla)' "$T/err" "embedded trust set: -v says which set"
	grant_env 0 "SSL_CERT_FILE=ca.crt without --cacert: exit 0" SSL_CERT_FILE="$PKI/ca.crt" --
	succeeded "SSL_CERT_FILE: success line"
	grant_env 0 "SSL_CERT_DIR holding ca.crt without --capath: exit 0" SSL_CERT_DIR="$T/capath" --
	grant_env 0 "--capath with a directory holding ca.crt: exit 0" -- --capath "$T/capath"
	succeeded "--capath: success line"
	grant_env 0 "--capath with a symlink to ca.crt: exit 0" -- --capath "$T/caslink"
	grant_env 0 "--cacert and --capath together: exit 0" -- --cacert "$PKI/other-ca.crt" \
		--capath "$T/capath"
	grant_env 5 "--cacert replaces SSL_CERT_FILE: exit 5" SSL_CERT_FILE="$PKI/ca.crt" -- \
		--cacert "$PKI/other-ca.crt"
	expect_grep 'not trusted' "$T/err" "--cacert replaces SSL_CERT_FILE: not trusted"
	grant_env 3 "--capath with no certificate in it: exit 3" SSL_CERT_FILE="$PKI/ca.crt" -- \
		--capath "$T/empty"
	grant 3 "missing --cacert file: exit 3" --cacert "$T/no-such-ca.crt"
	expect_grep 'no-such-ca\.crt' "$T/err" "missing --cacert file: the message names it"
	grant 3 "--cacert holding no certificate (a key): exit 3" --cacert "$PKI/server.key"
	grant_env 3 "missing --capath directory: exit 3" -- --capath "$T/no-such-dir"
	stop_mock
	_r=$(mock_token_requests)
	[ "$_r" -eq 5 ] && ok "only the 5 trusted connections sent a token request" ||
		not_ok "only the 5 trusted connections sent a token request" "$_r requests"
fi
