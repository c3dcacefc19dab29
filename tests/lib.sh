# tests/lib.sh — helpers for the end-to-end scripts in tests/e2e/ (POSIX sh; source it).
#
#   . "$(dirname "$0")/../lib.sh"
#
# Prints TAP lines "ok - NAME" / "not ok - NAME" (tests/run.sh counts them) with "# " detail
# lines. Variables it sets:
#   JG_TOP   the repository root (absolute)
#   JG       the jwtgrant binary: ${JWTGRANT_BIN:-./jwtgrant}, made absolute (relative to JG_TOP)
#   T        a private temporary directory, removed on exit
#   PKI      the test PKI directory (absolute; built by `pki`, shared by all scripts):
#            ${JWTGRANT_TEST_PKI:-build/test-pki}, relative to JG_TOP
#   MOCK_PORT MOCK_PID MOCK_LOG MOCK_URL MOCK_ERR   the mock most recently started
#   LAST_RC  exit code of the last expect_exit command
# On exit (normal, INT or TERM) every process started by start_mock (or given to track_pid) is
# stopped and $T removed; scripts should not set their own EXIT trap (use track_pid) nor `set -e`
# (the expect_* helpers return 1 on failure). Every wait is bounded.
# shellcheck disable=SC2034,SC2119,SC2120 # variables and options are for the sourcing scripts

# --- locations --------------------------------------------------------------------------------
jg_find_top() {
	_d=$(cd "$(dirname "$0")" 2>/dev/null && pwd) || _d=$(pwd)
	while [ "$_d" != / ]; do
		if [ -f "$_d/tests/lib.sh" ] && [ -f "$_d/tests/pki.sh" ]; then
			echo "$_d"
			return 0
		fi
		_d=$(dirname "$_d")
	done
	pwd
}
JG_TOP=${JG_TOP:-$(jg_find_top)}

jg_abs() { # PATH — absolute path, relative ones taken from JG_TOP
	case $1 in
	/*) echo "$1" ;;
	*) echo "$JG_TOP/${1#./}" ;;
	esac
}
JG=$(jg_abs "${JWTGRANT_BIN:-./jwtgrant}")
PKI=$(jg_abs "${JWTGRANT_TEST_PKI:-build/test-pki}")
JG_MOCK="$JG_TOP/tests/mock/sf_mock.py"
# The real interpreter behind a pyenv shim: saves the shim's start-up time at every start_mock.
JG_PY=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null) || JG_PY=python3
[ -n "$JG_PY" ] || JG_PY=python3
JG_CMD_TIMEOUT=${JG_CMD_TIMEOUT:-60}

T=$(mktemp -d "${TMPDIR:-/tmp}/jwtgrant-e2e.XXXXXX") || {
	echo "not ok - mktemp -d failed"
	exit 1
}
JG_PIDS=
JG_MOCKS=0
MOCK_PORT='' MOCK_PID='' MOCK_LOG='' MOCK_URL='' MOCK_ERR=''
LAST_RC=''

jg_cleanup() {
	for _p in $JG_PIDS; do
		jg_stop_pid "$_p"
	done
	JG_PIDS=
	rm -rf "$T"
}
trap 'jg_cleanup' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# --- TAP ----------------------------------------------------------------------------------------
ok() { # NAME
	echo "ok - $1"
}

not_ok() { # NAME [DETAIL...] — each detail line printed as a "# " comment
	echo "not ok - $1"
	shift
	for _l in "$@"; do
		printf '%s\n' "$_l" | sed 's/^/#   /'
	done
}

# --- processes ----------------------------------------------------------------------------------
jg_alive() { # PID — true while the process exists and is not a zombie
	_s=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
	case $_s in Z* | "") return 1 ;; esac
	return 0
}

jg_stop_pid() { # PID — TERM, wait up to ~5 s, then KILL; reaps it
	kill -TERM "$1" 2>/dev/null || { wait "$1" 2>/dev/null; return 0; }
	_n=0
	while jg_alive "$1" && [ $_n -lt 50 ]; do
		sleep 0.1
		_n=$((_n + 1))
	done
	jg_alive "$1" && kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 0
}

track_pid() { # PID — stop this background process on exit too (for helpers tests start)
	JG_PIDS="$JG_PIDS $1"
}

jg_forget_pid() { # PID — drop it from the cleanup list
	_keep=
	for _p in $JG_PIDS; do
		[ "$_p" = "$1" ] || _keep="$_keep $_p"
	done
	JG_PIDS=$_keep
}

# --- PKI ----------------------------------------------------------------------------------------
pki() { # — build the shared test PKI once (tests/pki.sh, which returns at once when it is
	# up to date), sets PKI
	if ! sh "$JG_TOP/tests/pki.sh" "$PKI" > "$T/pki.err" 2>&1 || [ ! -f "$PKI/.done" ]; then
		not_ok "build the test PKI in $PKI" "$(head -n 5 "$T/pki.err")"
		return 1
	fi
}

# --- the mock token endpoint --------------------------------------------------------------------
# start_mock [SF_MOCK_ARGS...] — starts tests/mock/sf_mock.py in the background with the PKI's
# server.crt/server.key and app.crt (any of them can be overridden by passing the option again),
# waits up to ~10 s for its port, and sets MOCK_PORT, MOCK_PID, MOCK_LOG, MOCK_ERR and
# MOCK_URL=https://localhost:$MOCK_PORT (https://[::1]:PORT with --ipv6, http:// with --plain).
# Several mocks can run at once; the MOCK_* variables describe the latest. Returns 1 (after
# printing a "not ok" line) when the mock does not come up.
start_mock() {
	pki || return 1
	JG_MOCKS=$((JG_MOCKS + 1))
	_pf="$T/mock$JG_MOCKS.port"
	rm -f "$_pf" # a subshell's start_mock may have used this number already
	MOCK_LOG="$T/mock$JG_MOCKS.log"
	MOCK_ERR="$T/mock$JG_MOCKS.err"
	: > "$MOCK_LOG"
	"$JG_PY" "$JG_MOCK" --cert "$PKI/server.crt" --key "$PKI/server.key" \
		--app-cert "$PKI/app.crt" --max-life "${JWTGRANT_MOCK_MAX_LIFE:-120}" \
		"$@" --port-file "$_pf" --log "$MOCK_LOG" < /dev/null > "$MOCK_ERR" 2>&1 &
	MOCK_PID=$!
	JG_PIDS="$JG_PIDS $MOCK_PID"
	_n=0
	while [ ! -s "$_pf" ] && [ $_n -lt 100 ]; do
		jg_alive "$MOCK_PID" || break
		sleep 0.1
		_n=$((_n + 1))
	done
	MOCK_PORT=$(cat "$_pf" 2>/dev/null)
	if [ -z "$MOCK_PORT" ]; then
		not_ok "start the mock token endpoint ($*)" "$(tail -n 5 "$MOCK_ERR")"
		stop_mock
		return 1
	fi
	_host=localhost _scheme=https
	for _a in "$@"; do
		case $_a in
		--ipv6) _host='[::1]' ;;
		--plain) _scheme=http ;;
		esac
	done
	MOCK_URL="$_scheme://$_host:$MOCK_PORT"
	return 0
}

stop_mock() { # [PID] — stops the latest mock (or that one); its log stays readable in $T
	_pid=${1:-$MOCK_PID}
	[ -n "$_pid" ] || return 0
	jg_stop_pid "$_pid"
	jg_forget_pid "$_pid"
	[ "$_pid" = "$MOCK_PID" ] && MOCK_PID=
	return 0
}

# start_raw ANSWER_FILE [RAW_SERVER_ARGS...] — starts tests/mock/raw_server.py, which answers every
# connection with the bytes of ANSWER_FILE (--tls-cert/--tls-key: inside TLS); sets RAW_PORT and
# RAW_PID, and stops it on exit. Returns 1 (after a "not ok" line) when it does not come up.
start_raw() {
	_answer=$1
	shift
	JG_MOCKS=$((JG_MOCKS + 1))
	_pf="$T/raw$JG_MOCKS.port"
	rm -f "$_pf"
	"$JG_PY" "$JG_TOP/tests/mock/raw_server.py" --answer "$_answer" --port-file "$_pf" \
		--max-life "${JWTGRANT_MOCK_MAX_LIFE:-120}" "$@" < /dev/null > "$T/raw$JG_MOCKS.err" 2>&1 &
	RAW_PID=$!
	track_pid "$RAW_PID"
	_n=0
	while [ ! -s "$_pf" ] && [ $_n -lt 100 ]; do
		jg_alive "$RAW_PID" || break
		sleep 0.1
		_n=$((_n + 1))
	done
	RAW_PORT=$(cat "$_pf" 2>/dev/null)
	if [ -z "$RAW_PORT" ]; then
		not_ok "start the raw server ($*)" "$(tail -n 5 "$T/raw$JG_MOCKS.err")"
		return 1
	fi
	return 0
}

mock_saw_token_request() { # [LOG] — true when the mock logged a POST to the token path
	grep -q '^{"method":"POST","path":"/services/oauth2/token"' "${1:-$MOCK_LOG}" 2>/dev/null
}

mock_token_requests() { # [LOG] — prints how many token requests the mock logged
	_c=$(grep -c '^{"method":"POST","path":"/services/oauth2/token"' "${1:-$MOCK_LOG}" 2>/dev/null)
	echo "${_c:-0}"
}

# --- running commands ---------------------------------------------------------------------------
# expect_exit CODE NAME CMD [ARGS...] — runs CMD with stdout in $T/out and stderr in $T/err (stdin
# from $EXPECT_STDIN if set, else /dev/null), at most $JG_CMD_TIMEOUT seconds (default 60) when
# CMD is a program; prints ok/not ok comparing its exit code with CODE. Sets LAST_RC.
expect_exit() {
	_want=$1 _name=$2
	shift 2
	_stdin=${EXPECT_STDIN:-/dev/null}
	_cmdpath=$(command -v "$1" 2>/dev/null)
	case $_cmdpath in
	/*)
		if command -v timeout > /dev/null 2>&1; then
			timeout -k 5 "$JG_CMD_TIMEOUT" "$@" < "$_stdin" > "$T/out" 2> "$T/err"
		else
			"$@" < "$_stdin" > "$T/out" 2> "$T/err"
		fi
		;;
	*) "$@" < "$_stdin" > "$T/out" 2> "$T/err" ;;
	esac
	LAST_RC=$?
	if [ "$LAST_RC" -eq "$_want" ]; then
		ok "$_name"
		return 0
	fi
	_why="exit $LAST_RC, expected $_want"
	[ "$LAST_RC" -eq 124 ] && _why="$_why (timed out after ${JG_CMD_TIMEOUT}s)"
	not_ok "$_name" "$_why" "stderr: $(head -n 5 "$T/err")" "stdout: $(head -n 3 "$T/out")"
	return 1
}

expect_grep() { # PATTERN FILE NAME — ok when the extended regex PATTERN matches a line of FILE
	if grep -E -q -e "$1" "$2" 2>/dev/null; then
		ok "$3"
		return 0
	fi
	not_ok "$3" "no line of $(basename "$2") matches: $1" "$(head -n 5 "$2" 2>/dev/null)"
	return 1
}

expect_no_grep() { # PATTERN FILE NAME — ok when the extended regex PATTERN matches no line
	if [ -f "$2" ] && ! grep -E -q -e "$1" "$2"; then
		ok "$3"
		return 0
	fi
	[ -f "$2" ] || { not_ok "$3" "$2 does not exist"; return 1; }
	not_ok "$3" "$(basename "$2") matches $1:" "$(grep -E -e "$1" "$2" | head -n 3)"
	return 1
}

# --- JWTs without jwtgrant ----------------------------------------------------------------------
b64url() { # < DATA — base64url without padding or newlines
	openssl base64 -A | tr '+/' '-_' | tr -d '='
}

# make_jwt KEY CLAIMS_JSON [HEADER_JSON] — prints an RS256 JWT signed by KEY with the openssl CLI
make_jwt() {
	_hj='{"alg":"RS256","typ":"JWT"}'
	[ $# -ge 3 ] && _hj=$3
	_h=$(printf '%s' "$_hj" | b64url)
	_c=$(printf '%s' "$2" | b64url)
	_s=$(printf '%s.%s' "$_h" "$_c" | openssl dgst -sha256 -sign "$1" -binary | b64url) || return 1
	printf '%s.%s.%s\n' "$_h" "$_c" "$_s"
}

# claims_json ISS SUB AUD EXP — the compact claims jwtgrant sends (no escaping: test values only)
claims_json() {
	printf '{"iss":"%s","sub":"%s","aud":"%s","exp":%s}' "$1" "$2" "$3" "$4"
}

ms_now() { # milliseconds since the epoch
	_t=$(date +%s%3N 2>/dev/null)
	case $_t in
	'' | *[!0-9]*) _t=$("$JG_PY" -c 'import time; print(int(time.time() * 1000))') ;;
	esac
	echo "$_t"
}

# grant_suite [TIMEOUT] — the common start of the grant_*.sh suites: commands bounded by TIMEOUT
# seconds (default 20), the test PKI built, no audience override from the environment, and the
# test app the mock knows: CID (its consumer key), USER (its approved user), SUCCESS (the text
# output of a grant for them).
grant_suite() {
	JG_CMD_TIMEOUT=${1:-20}
	pki || exit 1
	unset SF_AUDIENCE_URL SFDX_AUDIENCE_URL
	# a CI's own settings must not change what the suites expect: no masking line, no reuse
	unset GITHUB_ACTIONS JWTGRANT_REUSE JWTGRANT_CACHE_DIR
	CID=3MVG9TESTCLIENTID
	USER=ci@example.com
	SUCCESS="Successfully authorized $USER with org ID 00D5g000004ABCDEAA"
}

now() { # epoch seconds
	date +%s
}

# --- the other providers' token endpoints -----------------------------------------------------
# jg_spawn_mock NAME SCRIPT DEFAULT_PATH [ARGS...] — starts tests/mock/SCRIPT in the background
# with the PKI's server.crt/server.key and app.crt, --max-life, ARGS (which may override them),
# a port file and a log under $T/NAME<n>.*, waits up to ~10 s for its port and sets
# JG_SPAWN_PORT, JG_SPAWN_PID, JG_SPAWN_LOG, JG_SPAWN_ERR and JG_SPAWN_URL
# (https://localhost:PORT and the --path among ARGS, else DEFAULT_PATH). Returns 1 (after a
# "not ok" line, the process stopped) when it does not come up.
jg_spawn_mock() {
	_name=$1 _script=$2 _path=$3
	shift 3
	pki || return 1
	JG_MOCKS=$((JG_MOCKS + 1))
	_pf="$T/$_name$JG_MOCKS.port"
	rm -f "$_pf" # a subshell's start may have used this number already
	JG_SPAWN_LOG="$T/$_name$JG_MOCKS.log"
	JG_SPAWN_ERR="$T/$_name$JG_MOCKS.err"
	: > "$JG_SPAWN_LOG"
	"$JG_PY" "$JG_TOP/tests/mock/$_script" --cert "$PKI/server.crt" --key "$PKI/server.key" \
		--app-cert "$PKI/app.crt" --max-life "${JWTGRANT_MOCK_MAX_LIFE:-120}" \
		"$@" --port-file "$_pf" --log "$JG_SPAWN_LOG" < /dev/null > "$JG_SPAWN_ERR" 2>&1 &
	JG_SPAWN_PID=$!
	track_pid "$JG_SPAWN_PID"
	_n=0
	while [ ! -s "$_pf" ] && [ $_n -lt 100 ]; do
		jg_alive "$JG_SPAWN_PID" || break
		sleep 0.1
		_n=$((_n + 1))
	done
	JG_SPAWN_PORT=$(cat "$_pf" 2>/dev/null)
	if [ -z "$JG_SPAWN_PORT" ]; then
		not_ok "start $_script ($*)" "$(tail -n 5 "$JG_SPAWN_ERR")"
		stop_mock "$JG_SPAWN_PID"
		return 1
	fi
	_prev=
	for _a in "$@"; do
		case $_prev,$_a in
		--path,*) _path=$_a ;;
		*,--path=*) _path=${_a#--path=} ;;
		esac
		_prev=$_a
	done
	JG_SPAWN_URL="https://localhost:$JG_SPAWN_PORT$_path"
	return 0
}

# --- the Google token endpoint -----------------------------------------------------------------
# The test service account that google_mock.py expects and google_credentials writes: its key's
# id (the JWT header's kid) and its e-mail (iss). A script may set its own before sourcing.
GKID=${GKID:-0123456789abcdef0123456789abcdef01234567}
GEMAIL=${GEMAIL:-ci-bot@jwtgrant-test.iam.gserviceaccount.com}
GMOCK_PORT='' GMOCK_PID='' GMOCK_LOG='' GMOCK_URL='' GMOCK_ERR=''

# start_google_mock [GOOGLE_MOCK_ARGS...] — starts tests/mock/google_mock.py in the background as
# start_mock does sf_mock.py: the PKI's server.crt/server.key and app.crt, --key-id $GKID,
# --client-email $GEMAIL and --token-uri auto (the aud is https://localhost:PORT/token, a port
# not known before the start); any of them can be overridden by passing the option again. Sets
# GMOCK_PORT, GMOCK_PID, GMOCK_LOG, GMOCK_ERR and GMOCK_URL=https://localhost:$GMOCK_PORT/token
# (the --path given instead of /token). Returns 1 (after a "not ok" line) when it does not come up.
start_google_mock() {
	jg_spawn_mock gmock google_mock.py /token --key-id "$GKID" --client-email "$GEMAIL" \
		--token-uri auto "$@" || return 1
	GMOCK_PORT=$JG_SPAWN_PORT GMOCK_PID=$JG_SPAWN_PID GMOCK_LOG=$JG_SPAWN_LOG
	GMOCK_ERR=$JG_SPAWN_ERR GMOCK_URL=$JG_SPAWN_URL
}

stop_google_mock() { # [PID] — stops the latest Google mock (or that one); its log stays in $T
	_pid=${1:-$GMOCK_PID}
	[ -n "$_pid" ] || return 0
	stop_mock "$_pid"
	[ "$_pid" = "$GMOCK_PID" ] && GMOCK_PID=
	return 0
}

# google_credentials OUT TOKEN_URI [KEY_PEM] [TYPE] — writes OUT (mode 0600) as the JSON key file
# Google issues for a service account: type TYPE (default service_account), private_key_id
# $GKID, private_key the PEM text of KEY_PEM (default $PKI/app.key, PKCS#8) with its newlines as
# \n escapes, client_email $GEMAIL, token_uri TOKEN_URI, and Google's other members. python3's
# json module does the escaping, so any key text comes out as valid JSON.
google_credentials() {
	"$JG_PY" -c '
import json, os, sys
from urllib.parse import quote
out, token_uri, key_pem, kind, kid, email = sys.argv[1:7]
with open(key_pem, encoding="ascii") as f:
    pem = f.read()
key = {  # the members and order of a key file from the Cloud console
    "type": kind,
    "project_id": email.split("@")[1].split(".")[0],
    "private_key_id": kid,
    "private_key": pem,
    "client_email": email,
    "client_id": "104629830153386000117",
    "auth_uri": "https://accounts.google.com/o/oauth2/auth",
    "token_uri": token_uri,
    "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
    "client_x509_cert_url": "https://www.googleapis.com/robot/v1/metadata/x509/" + quote(email),
    "universe_domain": "googleapis.com",
}
fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
os.fchmod(fd, 0o600)  # an existing file keeps its old mode through O_CREAT
with os.fdopen(fd, "w", encoding="ascii") as f:
    json.dump(key, f, indent=2)
    f.write("\n")
' "$1" "$2" "${3:-$PKI/app.key}" "${4:-service_account}" "$GKID" "$GEMAIL"
}

# --- the generic RFC 7523 token endpoint -------------------------------------------------------
XMOCK_PORT='' XMOCK_PID='' XMOCK_LOG='' XMOCK_URL='' XMOCK_ERR=''

# start_generic_mock [GENERIC_MOCK_ARGS...] — starts tests/mock/generic_mock.py in the background
# as start_google_mock does google_mock.py: the PKI's server.crt/server.key, --app-cert app.crt
# and --audience auto (the aud is https://localhost:PORT/oauth2/token, a port not known before the
# start); any of them can be overridden by passing the option again. Sets XMOCK_PORT, XMOCK_PID,
# XMOCK_LOG, XMOCK_ERR and XMOCK_URL=https://localhost:$XMOCK_PORT/oauth2/token (the --path given
# instead of /oauth2/token). Returns 1 (after a "not ok" line) when it does not come up.
start_generic_mock() {
	jg_spawn_mock xmock generic_mock.py /oauth2/token --audience auto "$@" || return 1
	XMOCK_PORT=$JG_SPAWN_PORT XMOCK_PID=$JG_SPAWN_PID XMOCK_LOG=$JG_SPAWN_LOG
	XMOCK_ERR=$JG_SPAWN_ERR XMOCK_URL=$JG_SPAWN_URL
}

stop_generic_mock() { # [PID] — stops the latest generic mock (or that one); its log stays in $T
	_pid=${1:-$XMOCK_PID}
	[ -n "$_pid" ] || return 0
	stop_mock "$_pid"
	[ "$_pid" = "$XMOCK_PID" ] && XMOCK_PID=
	return 0
}

# --- the GitHub App REST API -------------------------------------------------------------------
# The test App that github_mock.py expects: its id and its client id (either is a valid iss). A
# script may set its own before sourcing.
HAPPID=${HAPPID:-123456}
HCLIENTID=${HCLIENTID:-Iv23liTESTCLIENT0001}
HMOCK_PORT='' HMOCK_PID='' HMOCK_LOG='' HMOCK_URL='' HMOCK_ERR=''

# start_github_mock [GITHUB_MOCK_ARGS...] — starts tests/mock/github_mock.py in the background as
# start_google_mock does google_mock.py: the PKI's server.crt/server.key, --app-cert app.crt,
# --app-id $HAPPID and --client-id $HCLIENTID; any of them can be overridden by passing the
# option again. Sets HMOCK_PORT, HMOCK_PID, HMOCK_LOG, HMOCK_ERR and the API's base URL
# HMOCK_URL=https://localhost:$HMOCK_PORT (no path: what --api-url takes); with --prefix P
# (GitHub Enterprise Server) the prefix is appended, e.g. https://localhost:$HMOCK_PORT/api/v3.
# Returns 1 (after a "not ok" line) when it does not come up.
start_github_mock() {
	jg_spawn_mock hmock github_mock.py '' --app-id "$HAPPID" --client-id "$HCLIENTID" \
		"$@" || return 1
	HMOCK_PORT=$JG_SPAWN_PORT HMOCK_PID=$JG_SPAWN_PID HMOCK_LOG=$JG_SPAWN_LOG
	HMOCK_ERR=$JG_SPAWN_ERR
	_hprefix='' _hprev=''
	for _ha in "$@"; do
		case $_hprev,$_ha in
		--prefix,*) _hprefix=$_ha ;;
		*,--prefix=*) _hprefix=${_ha#--prefix=} ;;
		esac
		_hprev=$_ha
	done
	HMOCK_URL="https://localhost:$HMOCK_PORT$_hprefix"
}

stop_github_mock() { # [PID] — stops the latest GitHub mock (or that one); its log stays in $T
	_pid=${1:-$HMOCK_PID}
	[ -n "$_pid" ] || return 0
	stop_mock "$_pid"
	[ "$_pid" = "$HMOCK_PID" ] && HMOCK_PID=
	return 0
}
