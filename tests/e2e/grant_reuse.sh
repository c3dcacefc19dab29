#!/bin/sh
# grant --reuse SECONDS (and JWTGRANT_REUSE, --no-reuse) against the mock token endpoint: the
# cache's location (--cache-dir, JWTGRANT_CACHE_DIR, XDG_CACHE_HOME, HOME) and modes (0700 dir,
# entries and <hash>.lock 0600, named by 64 hex digits, no key material inside); a reused grant
# prints what the first one did in every output format and makes no token request; expiry at
# obtained + SECONDS (JWTGRANT_NOW); each element of the request tuple gives a new request;
# `-v` says so; an unsafe cache (open modes, symlinks, another owner) is warned about once, not
# read nor written; a corrupt entry is warned about and replaced; the lock (`flock`) serializes
# 20 parallel grants into one request and its wait counts against --max-time.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

grant_suite 30
unset GITHUB_ACTIONS TF_BUILD JWTGRANT_REUSE JWTGRANT_CACHE_DIR XDG_CACHE_HOME JWTGRANT_NOW \
	JWTGRANT_MOCK_NOW
umask 022 # so that the modes checked below are jwtgrant's doing
HOME="$T/home"
export HOME
mkdir -p "$HOME/.cache"
USER2=other@example.com
LOGIN=https://login.salesforce.com
AUD2=https://test.salesforce.com

# gx CODE NAME CID KEY USER URL [ARGS...] — jwtgrant grant, bounded, stdout/stderr in $T/out, $T/err
gx() {
	_c=$1 _n=$2 _i=$3 _k=$4 _u=$5 _r=$6
	shift 6
	expect_exit "$_c" "$_n" "$JG" grant -i "$_i" -f "$_k" -u "$_u" -r "$_r" \
		--cacert "$PKI/ca.crt" --max-time 10 "$@"
}
g() { # CODE NAME [ARGS...] — the test app, app.key, the approved user, $MOCK_URL
	_c=$1 _n=$2
	shift 2
	gx "$_c" "$_n" "$CID" "$PKI/app.key" "$USER" "$MOCK_URL" "$@"
}

mark() { # remember the mock's token request count
	MARK=$(mock_token_requests)
}
new_requests() { # NAME WANT — the mock logged WANT token requests since mark; marks again
	_r=$(($(mock_token_requests) - MARK))
	if [ "$_r" -eq "$2" ]; then
		ok "$1: $2 new token request(s)"
	else
		not_ok "$1: $2 new token request(s)" "got $_r"
	fi
	mark
}

same_file() { # A B NAME — byte for byte equal
	if cmp -s "$1" "$2"; then
		ok "$3"
	else
		not_ok "$3" "got:  $(head -c 300 "$1" 2>&1)" "want: $(head -c 300 "$2" 2>&1)"
	fi
}
differ() { # A B NAME — not equal (both present and non-empty)
	if [ -s "$1" ] && [ -s "$2" ] && ! cmp -s "$1" "$2"; then
		ok "$3"
	else
		not_ok "$3" "A: $(head -c 200 "$1" 2>&1)" "B: $(head -c 200 "$2" 2>&1)"
	fi
}
stderr_empty() { # NAME
	if [ -s "$T/err" ]; then not_ok "$1" "stderr: $(head -n 3 "$T/err")"; else ok "$1"; fi
}
stdout_empty() { # NAME
	if [ -s "$T/out" ]; then not_ok "$1" "stdout: $(head -c 300 "$T/out")"; else ok "$1"; fi
}
succeeded() { # NAME — stdout is the text success line
	[ "$(cat "$T/out")" = "$SUCCESS" ] && ok "$1: the usual success line on stdout" ||
		not_ok "$1: the usual success line on stdout" "stdout: $(head -c 200 "$T/out")"
}
nonempty_token() { # NAME — stdout is one non-empty line (--output token)
	if [ "$(wc -l < "$T/out")" -eq 1 ] && [ -n "$(head -n 1 "$T/out")" ]; then
		ok "$1: a token on stdout"
	else
		not_ok "$1: a token on stdout" "stdout: $(head -c 200 "$T/out")"
	fi
}

mode_of() { # PATH — e.g. drwx------ (a symlink is not followed)
	ls -ld "$1" 2>/dev/null | cut -c1-10
}
has_mode() { # PATH WANT NAME
	_m=$(mode_of "$1")
	[ "$_m" = "$2" ] && ok "$3" || not_ok "$3" "mode ${_m:-(missing)}, want $2"
}
entries() { # DIR — the names in DIR that are 64 lowercase hex digits
	find "$1" -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | grep -E '^[0-9a-f]{64}$'
}
entry_of() { # DIR — the path of the only entry in DIR (empty when there is not exactly one)
	_e=$(entries "$1")
	[ "$(printf '%s' "$_e" | grep -c .)" -eq 1 ] && echo "$1/$_e"
}
entry_count() { # DIR WANT NAME — DIR holds WANT entries
	_k=$(entries "$1" | grep -c .)
	[ "$_k" -eq "$2" ] && ok "$3" || not_ok "$3" "$_k entries: $(ls -A "$1" 2>&1 | tr '\n' ' ')"
}

# snapshot PATH... — type, mode, owner, size, mtime, link target and content sum of everything
# under each PATH, symlinks not followed: two equal snapshots mean nothing was changed
snapshot() {
	find "$@" -printf '%y %m %U:%G %s %T@ %p -> %l\n' 2>&1 | sort
	find "$@" -type f -exec cksum {} + 2>&1 | sort
}

# json_check FILE NAME PYEXPR [ARG...] — ok when PYEXPR holds for d = json.load(FILE), a = ARGs;
# find(d, key) lists the values of KEY at any depth, nums(d) every number or numeric string
json_check() {
	_jf=$1 _jn=$2 _je=$3
	shift 3
	if "$JG_PY" -c 'import json, sys
def find(o, key):
    r = []
    if isinstance(o, dict):
        for k, v in o.items():
            if k == key:
                r.append(v)
            r += find(v, key)
    elif isinstance(o, list):
        for v in o:
            r += find(v, key)
    return r
def nums(o):
    r = []
    if isinstance(o, dict):
        for v in o.values():
            r += nums(v)
    elif isinstance(o, list):
        for v in o:
            r += nums(v)
    elif isinstance(o, bool):
        pass
    elif isinstance(o, (int, float)):
        r.append(o)
    elif isinstance(o, str):
        try:
            r.append(float(o))
        except ValueError:
            from datetime import datetime
            try:
                r.append(datetime.fromisoformat(o.replace("Z", "+00:00")).timestamp())
            except ValueError:
                pass
    return r
d = json.load(open(sys.argv[1], encoding="utf-8"))
a = sys.argv[3:]
sys.exit(0 if eval(sys.argv[2]) else 1)' "$_jf" "$_je" "$@" > "$T/py.err" 2>&1; then
		ok "$_jn"
	else
		not_ok "$_jn" "$(head -c 600 "$_jf" 2>&1)" "$(tail -n 2 "$T/py.err")"
	fi
}

# one_warning NAME [PATH] — stderr is exactly one line, "jwtgrant: warning: ...", naming PATH
one_warning() {
	_l=$(grep -c '' "$T/err")
	_w=$(head -n 1 "$T/err")
	case $_w in
	"jwtgrant: warning:"*) [ "$_l" -eq 1 ] && ok "$1: exactly one warning line on stderr" ||
		not_ok "$1: exactly one warning line on stderr" "$_l lines:" "$(head -n 5 "$T/err")" ;;
	*) not_ok "$1: exactly one warning line on stderr" "$_l lines:" "$(head -n 5 "$T/err")" ;;
	esac
	if [ $# -ge 2 ]; then
		grep -F -q -e "$2" "$T/err" && ok "$1: the warning names $2" ||
			not_ok "$1: the warning names the path" "want: $2" "got:  $_w"
	fi
}

# ---------------------------------------------------------------------------------------------
start_mock --cert "$PKI/server-ip.crt" --users "$USER,$USER2" --audience "$LOGIN,$AUD2" \
	--max-life 600 || exit 1
URL2="https://127.0.0.1:$MOCK_PORT" # the same mock under another token URL
mark

"$JG" grant --help > "$T/help" 2>&1
for _o in --reuse --no-reuse --cache-dir; do
	expect_grep "$_o" "$T/help" "grant --help lists $_o"
done

# --- argument checks --------------------------------------------------------------------------
for _v in 0 86401 abc -1 ''; do
	g 2 "--reuse '$_v': exit 2" --reuse "$_v" --cache-dir "$T/bad"
	stdout_empty "--reuse '$_v': nothing on stdout"
done
expect_exit 2 "--reuse without a value: exit 2" "$JG" grant -i "$CID" -f "$PKI/app.key" -u "$USER" \
	-r "$MOCK_URL" --cacert "$PKI/ca.crt" --max-time 10 --cache-dir "$T/bad" --reuse
for _v in 0 86401 abc; do
	expect_exit 2 "JWTGRANT_REUSE=$_v: exit 2" env JWTGRANT_REUSE="$_v" "$JG" grant -i "$CID" \
		-f "$PKI/app.key" -u "$USER" -r "$MOCK_URL" --cacert "$PKI/ca.crt" --max-time 10 \
		--cache-dir "$T/bad"
done
new_requests "out-of-range or malformed --reuse / JWTGRANT_REUSE" 0
for _v in 1 86400; do
	g 0 "--reuse $_v: accepted" --reuse "$_v" --cache-dir "$T/bounds$_v"
	succeeded "--reuse $_v"
done
mark

# --- without --reuse every grant asks -----------------------------------------------------------
g 0 "no --reuse: first grant" --output token
cp "$T/out" "$T/noreuse.1"
g 0 "no --reuse: second grant" --output token
differ "$T/out" "$T/noreuse.1" "no --reuse: two grants, two different tokens"
new_requests "no --reuse, two grants" 2

# --- where the cache is -------------------------------------------------------------------------
HC="$HOME/.cache/jwtgrant"
g 0 "HOME default: grant --reuse 600" --reuse 600 --output token
cp "$T/out" "$T/home.token"
nonempty_token "HOME default"
new_requests "HOME default, first grant" 1
has_mode "$HC" drwx------ "HOME default: \$HOME/.cache/jwtgrant created, mode 0700"
entry_count "$HC" 1 "HOME default: one entry named by 64 lowercase hex digits"
_e=$(entry_of "$HC")
has_mode "$_e" -rw------- "HOME default: the entry is mode 0600"
has_mode "$_e.lock" -rw------- "HOME default: <hash>.lock beside it, mode 0600"
_left=$(find "$HC" -mindepth 1 -maxdepth 1 -printf '%f\n' | grep -v -E '^[0-9a-f]{64}(\.lock)?$')
[ -z "$_left" ] && ok "HOME default: nothing else in the directory (no temporary file)" ||
	not_ok "HOME default: nothing else in the directory (no temporary file)" "$_left"
json_check "$_e" "HOME default: the entry is JSON holding the access token" \
	'a[0] in find(d, "access_token")' "$(cat "$T/home.token")"
json_check "$_e" "HOME default: the entry holds the answer's instance_url and id" \
	'"https://example.my.salesforce.com" in find(d, "instance_url") and any(str(v).endswith("/00D5g000004ABCDEAA/0055g00000ABCDEAA2") for v in find(d, "id"))'
g 0 "HOME default: second grant" --reuse 600 --output token
same_file "$T/out" "$T/home.token" "HOME default: the second grant prints the same token"
stderr_empty "HOME default: nothing on stderr for a reused grant"
new_requests "HOME default, second grant" 0

mkdir "$T/xdg"
XDG_CACHE_HOME="$T/xdg"
export XDG_CACHE_HOME
snapshot "$HC" > "$T/snap.home"
g 0 "XDG_CACHE_HOME: grant --reuse 600" --reuse 600 --output token
cp "$T/out" "$T/xdg.token"
new_requests "XDG_CACHE_HOME, first grant (an empty cache)" 1
has_mode "$T/xdg/jwtgrant" drwx------ "XDG_CACHE_HOME: \$XDG_CACHE_HOME/jwtgrant created, mode 0700"
entry_count "$T/xdg/jwtgrant" 1 "XDG_CACHE_HOME: one entry there"
snapshot "$HC" > "$T/snap.home2"
same_file "$T/snap.home2" "$T/snap.home" "XDG_CACHE_HOME: \$HOME/.cache/jwtgrant untouched"
g 0 "XDG_CACHE_HOME: second grant" --reuse 600 --output token
same_file "$T/out" "$T/xdg.token" "XDG_CACHE_HOME: the second grant prints the same token"
new_requests "XDG_CACHE_HOME, second grant" 0

JWTGRANT_CACHE_DIR="$T/jcd"
export JWTGRANT_CACHE_DIR
snapshot "$T/xdg" > "$T/snap.xdg"
g 0 "JWTGRANT_CACHE_DIR (XDG_CACHE_HOME set too): grant --reuse 600" --reuse 600 --output token
cp "$T/out" "$T/jcd.token"
new_requests "JWTGRANT_CACHE_DIR, first grant" 1
has_mode "$T/jcd" drwx------ "JWTGRANT_CACHE_DIR: created, mode 0700"
entry_count "$T/jcd" 1 "JWTGRANT_CACHE_DIR: one entry there"
snapshot "$T/xdg" > "$T/snap.xdg2"
same_file "$T/snap.xdg2" "$T/snap.xdg" "JWTGRANT_CACHE_DIR: the XDG cache untouched"

snapshot "$T/jcd" > "$T/snap.jcd"
g 0 "--cache-dir (JWTGRANT_CACHE_DIR set too): grant --reuse 600" --reuse 600 --output token \
	--cache-dir "$T/opt"
cp "$T/out" "$T/opt.token"
new_requests "--cache-dir, first grant" 1
has_mode "$T/opt" drwx------ "--cache-dir: created, mode 0700"
entry_count "$T/opt" 1 "--cache-dir: one entry there"
snapshot "$T/jcd" > "$T/snap.jcd2"
same_file "$T/snap.jcd2" "$T/snap.jcd" "--cache-dir: the JWTGRANT_CACHE_DIR cache untouched"
g 0 "--cache-dir: second grant" --reuse 600 --output token --cache-dir "$T/opt"
same_file "$T/out" "$T/opt.token" "--cache-dir: the second grant prints the same token"
new_requests "--cache-dir, second grant" 0
g 0 "JWTGRANT_CACHE_DIR: second grant" --reuse 600 --output token
same_file "$T/out" "$T/jcd.token" "JWTGRANT_CACHE_DIR: the second grant prints its own token"
new_requests "JWTGRANT_CACHE_DIR, second grant" 0
unset JWTGRANT_CACHE_DIR XDG_CACHE_HOME
_e=$(entry_of "$HC")
[ "$(basename "$_e")" = "$(entries "$T/opt")" ] &&
	ok "the same request is the same entry name in every cache directory" ||
	not_ok "the same request is the same entry name in every cache directory" \
	"$(basename "$_e") vs $(entries "$T/opt")"

# --- JWTGRANT_REUSE and --no-reuse ----------------------------------------------------------------
JWTGRANT_REUSE=600
export JWTGRANT_REUSE
g 0 "JWTGRANT_REUSE=600: first grant" --cache-dir "$T/envr" --output token
cp "$T/out" "$T/envr.token"
new_requests "JWTGRANT_REUSE=600, first grant" 1
entry_count "$T/envr" 1 "JWTGRANT_REUSE=600: an entry is written"
g 0 "JWTGRANT_REUSE=600: second grant" --cache-dir "$T/envr" --output token
same_file "$T/out" "$T/envr.token" "JWTGRANT_REUSE=600: the second grant prints the same token"
new_requests "JWTGRANT_REUSE=600, second grant" 0
g 0 "JWTGRANT_REUSE=600 --no-reuse: grant" --cache-dir "$T/envr" --output token --no-reuse
nonempty_token "JWTGRANT_REUSE=600 --no-reuse"
differ "$T/out" "$T/envr.token" "--no-reuse: a new token, not the cached one"
new_requests "JWTGRANT_REUSE=600 --no-reuse" 1
unset JWTGRANT_REUSE

# --- every output format: the second grant prints the same bytes, no request -----------------
for fmt in text json env github token azure; do
	g 0 "$fmt: first grant --reuse 600" --reuse 600 --cache-dir "$T/f-$fmt" --output "$fmt"
	cp "$T/out" "$T/f1.$fmt"
	[ -s "$T/out" ] && ok "$fmt: first grant prints something" ||
		not_ok "$fmt: first grant prints something"
	new_requests "$fmt, first grant" 1
	g 0 "$fmt: second grant --reuse 600" --reuse 600 --cache-dir "$T/f-$fmt" --output "$fmt"
	same_file "$T/out" "$T/f1.$fmt" "$fmt: the second grant prints exactly the same stdout"
	stderr_empty "$fmt: nothing on stderr for the reused grant"
	new_requests "$fmt, second grant" 0
done
g 0 "--json: reused grant" --reuse 600 --cache-dir "$T/f-json" --json
same_file "$T/out" "$T/f1.json" "--json: the reused grant prints the --output json bytes"
new_requests "--json, reused grant" 0

# the cache holds the token, not the output: another format is filled from the same entry
g 0 "token after json: reused grant" --reuse 600 --cache-dir "$T/f-json" --output token
cp "$T/out" "$T/fx.token"
json_check "$T/f1.json" "token after json: the token the json output held" \
	'd["result"]["accessToken"] + "\n" == open(a[0]).read()' "$T/fx.token"
g 0 "env after json: reused grant" --reuse 600 --cache-dir "$T/f-json" --output env
(
	eval "$(cat "$T/out")"
	printf '%s\n' "$SF_ACCESS_TOKEN"
) > "$T/fx.env" 2>&1
same_file "$T/fx.env" "$T/fx.token" "env after json: SF_ACCESS_TOKEN is the cached token"
new_requests "token and env after json" 0

# the json result is this invocation's: another path to the same key, the same entry
cp "$PKI/app.key" "$T/copy.key"
gx 0 "json, a copy of the key elsewhere: grant" "$CID" "$T/copy.key" "$USER" "$MOCK_URL" \
	--reuse 600 --cache-dir "$T/f-json" --output json
json_check "$T/out" "json, a copy of the key elsewhere: the cached token, privateKey the new path" \
	'd["result"]["accessToken"] == json.load(open(a[0]))["result"]["accessToken"] and d["result"]["privateKey"] == a[1]' \
	"$T/f1.json" "$T/copy.key"
gx 0 "json, the same key as PKCS#1: grant" "$CID" "$PKI/app-rsa.key" "$USER" "$MOCK_URL" \
	--reuse 600 --cache-dir "$T/f-json" --output json
json_check "$T/out" "json, the same key as PKCS#1: the cached token (the public key is the tuple's)" \
	'd["result"]["accessToken"] == json.load(open(a[0]))["result"]["accessToken"] and d["result"]["privateKey"] == a[1]' \
	"$T/f1.json" "$PKI/app-rsa.key"
new_requests "json with another path to the same key" 0

# --output-file
g 0 "--output-file: first grant" --reuse 600 --cache-dir "$T/f-file" --output env \
	--output-file "$T/file1.env"
new_requests "--output-file, first grant" 1
g 0 "--output-file: second grant" --reuse 600 --cache-dir "$T/f-file" --output env \
	--output-file "$T/file2.env"
stdout_empty "--output-file: nothing on stdout for the reused grant"
same_file "$T/file2.env" "$T/file1.env" "--output-file: the reused grant writes the same content"
has_mode "$T/file2.env" -rw------- "--output-file: the reused grant's file is 0600"
new_requests "--output-file, second grant" 0

# --- no key material in the cache -------------------------------------------------------------
: > "$T/pats"
for _k in "$PKI/app.key" "$PKI/app-rsa.key"; do
	grep -v -e '^-----' "$_k" >> "$T/pats"
	_der=$(openssl pkey -in "$_k" -outform DER 2>/dev/null | base64 -w0)
	for _off in 0 21 43; do
		_i=$_off
		while [ $((_i + 64)) -le ${#_der} ]; do
			printf '%s\n' "$_der" | cut -c$((_i + 1))-$((_i + 64)) >> "$T/pats"
			_i=$((_i + 64))
		done
	done
done
# the private exponent and the primes, their first 32 hex digits
openssl pkey -in "$PKI/app.key" -text -noout 2>/dev/null | awk '/^[a-zA-Z]/ { sec = $1; next }
	sec == "privateExponent:" || sec == "prime1:" || sec == "prime2:" { gsub(/[ :]/, ""); h[sec] = h[sec] $0 }
	END { for (s in h) { sub(/^00/, "", h[s]); print substr(h[s], 1, 32) } }' > "$T/pats.d"
[ "$(grep -c -E '^[0-9a-f]{32}$' "$T/pats.d")" -eq 3 ] &&
	ok "key material patterns: the private exponent and both primes read from the key" ||
	not_ok "key material patterns: the private exponent and both primes read from the key" "$(cat "$T/pats.d")"
cat "$T/pats.d" >> "$T/pats"
sed -i '/^.\{0,31\}$/d' "$T/pats"
_np=$(grep -c . "$T/pats")
if [ "$_np" -ge 60 ] && grep -F -q -f "$T/pats" "$PKI/app.key"; then
	ok "key material patterns: $_np, and they match the key file itself"
else
	not_ok "key material patterns: at least 60, matching the key file itself" "$_np patterns"
fi
_hits=$(grep -r -i -l -F -f "$T/pats" "$HC" "$T/xdg" "$T/jcd" "$T/opt" "$T/envr" "$T"/f-* 2>/dev/null)
[ -z "$_hits" ] && ok "no cache file holds a PEM line, base64 of the DER, or the private exponent or primes" ||
	not_ok "no cache file holds key material" "$_hits"

# --- the time obtained, expiry at obtained + SECONDS, -v ------------------------------------------
T0=$(($(now) + 100)) # not the mock's clock (its issued_at is real time), and after the build time
JWTGRANT_NOW=$T0
export JWTGRANT_NOW
g 0 "expiry: grant at T0 --reuse 300" --reuse 300 --cache-dir "$T/exp" --output token
cp "$T/out" "$T/exp.1"
new_requests "expiry, grant at T0" 1
json_check "$(entry_of "$T/exp")" "expiry: the entry holds the time obtained (JWTGRANT_NOW)" \
	'any(v == int(a[0]) or int(a[0]) * 1000 <= v < int(a[0]) * 1000 + 1000 for v in nums(d))' "$T0"
JWTGRANT_NOW=$((T0 + 299))
g 0 "expiry: grant at T0+299" --reuse 300 --cache-dir "$T/exp" --output token -v
same_file "$T/out" "$T/exp.1" "expiry: at T0+299 the token is reused"
new_requests "expiry, grant at T0+299" 0
expect_grep 'reusing a token obtained.*s ago' "$T/err" "-v: says 'reusing a token obtained N s ago'"
expect_grep 'reusing a token obtained 299 s ago' "$T/err" "-v: N is the age by JWTGRANT_NOW (299)"
_ino=$(ls -i "$(entry_of "$T/exp")" 2>/dev/null | awk '{print $1}')
JWTGRANT_NOW=$((T0 + 300))
g 0 "expiry: grant at T0+300" --reuse 300 --cache-dir "$T/exp" --output token -v
_ino2=$(ls -i "$(entry_of "$T/exp")" 2>/dev/null | awk '{print $1}')
[ -n "$_ino" ] && [ -n "$_ino2" ] && [ "$_ino" != "$_ino2" ] &&
	ok "expiry: the entry was replaced by a rename (a new inode)" ||
	not_ok "expiry: the entry was replaced by a rename (a new inode)" "inode $_ino -> $_ino2"
cp "$T/out" "$T/exp.2"
nonempty_token "expiry, grant at T0+300"
differ "$T/out" "$T/exp.1" "expiry: at T0+300 a new token"
new_requests "expiry, grant at T0+300" 1
expect_no_grep 'reusing a token' "$T/err" "-v: no 'reusing' line for a fresh grant"
JWTGRANT_NOW=$((T0 + 599))
g 0 "expiry: grant at T0+599" --reuse 300 --cache-dir "$T/exp" --output token
same_file "$T/out" "$T/exp.2" "expiry: the new entry replaced the old one (reused at T0+599)"
new_requests "expiry, grant at T0+599" 0
entry_count "$T/exp" 1 "expiry: still one entry"
has_mode "$(entry_of "$T/exp").lock" -rw------- "expiry: the <hash>.lock is still there, 0600"
JWTGRANT_NOW=$((T0 + 600))
g 0 "expiry: --reuse 600 at T0+600 (entry of T0+300)" --reuse 600 --cache-dir "$T/exp" --output token
same_file "$T/out" "$T/exp.2" "expiry: SECONDS is this invocation's (--reuse 600 reuses a 300 s old token)"
new_requests "expiry, --reuse 600 at T0+600" 0
unset JWTGRANT_NOW

# --- each element of the tuple ---------------------------------------------------------------------
TD="$T/tuple"
tuple_first() { # NAME FILE CODE GRANT_NAME CID KEY USER URL [ARGS...] — a grant that must make a
	# new request
	_tn=$1 _tf=$2
	shift 2
	gx "$@" --reuse 600 --cache-dir "$TD" --output token
	cp "$T/out" "$_tf"
	new_requests "$_tn" 1
}
tuple_again() { # NAME FILE CID KEY USER URL [ARGS...] — a grant that must reuse FILE's token
	_tn=$1 _tf=$2
	shift 2
	gx 0 "$_tn: grant" "$@" --reuse 600 --cache-dir "$TD" --output token
	same_file "$T/out" "$_tf" "$_tn: the cached token"
	new_requests "$_tn" 0
}
tuple_first "tuple: base" "$T/tu.base" 0 "tuple: base grant" "$CID" "$PKI/app.key" "$USER" "$MOCK_URL"
tuple_first "tuple: another username" "$T/tu.user" 0 "tuple: another --username: grant" \
	"$CID" "$PKI/app.key" "$USER2" "$MOCK_URL"
differ "$T/tu.user" "$T/tu.base" "tuple: another --username gets its own token"
tuple_first "tuple: another audience" "$T/tu.aud" 0 "tuple: another --audience: grant" \
	"$CID" "$PKI/app.key" "$USER" "$MOCK_URL" --audience "$AUD2"
differ "$T/tu.aud" "$T/tu.base" "tuple: another --audience gets its own token"
tuple_first "tuple: another instance URL" "$T/tu.url" 0 "tuple: another --instance-url: grant" \
	"$CID" "$PKI/app.key" "$USER" "$URL2"
differ "$T/tu.url" "$T/tu.base" "tuple: another --instance-url gets its own token"
entry_count "$TD" 4 "tuple: four requests, four entries"
# the mock knows one client id and one key: a new request is refused (a reuse would exit 0)
tuple_first "tuple: another client id" "$T/tu.cid" 1 "tuple: another --client-id: a new request (refused)" \
	3MVG9OTHERAPP "$PKI/app.key" "$USER" "$MOCK_URL"
stdout_empty "tuple: another --client-id: nothing on stdout"
tuple_first "tuple: another key" "$T/tu.key" 1 "tuple: another key: a new request (refused)" \
	"$CID" "$PKI/app2.key" "$USER" "$MOCK_URL"
stdout_empty "tuple: another key: nothing on stdout"
tuple_first "tuple: another key again (a refusal is not cached)" "$T/tu.key2" 1 \
	"tuple: another key again: a new request (refused)" "$CID" "$PKI/app2.key" "$USER" "$MOCK_URL"
entry_count "$TD" 4 "tuple: refusals write no entry"
tuple_again "tuple: base again" "$T/tu.base" "$CID" "$PKI/app.key" "$USER" "$MOCK_URL"
tuple_again "tuple: another username again" "$T/tu.user" "$CID" "$PKI/app.key" "$USER2" "$MOCK_URL"
tuple_again "tuple: another audience again" "$T/tu.aud" "$CID" "$PKI/app.key" "$USER" "$MOCK_URL" \
	--audience "$AUD2"
tuple_again "tuple: another instance URL again" "$T/tu.url" "$CID" "$PKI/app.key" "$USER" "$URL2"
tuple_again "tuple: --audience equal to the default aud (the same claims)" "$T/tu.base" \
	"$CID" "$PKI/app.key" "$USER" "$MOCK_URL" --audience "$LOGIN"

# --- the lock: its wait counts against --max-time -----------------------------------------------
# the base tuple's lock: the entry whose token is tu.base
_lock=
for _x in $(entries "$TD"); do
	if grep -F -q -e "$(cat "$T/tu.base")" "$TD/$_x"; then _lock="$TD/$_x.lock"; fi
done
if [ -n "$_lock" ] && [ -f "$_lock" ]; then
	ok "lock: the base entry has its <hash>.lock"
	rm -f "$T/held"
	"$JG_PY" -c 'import fcntl, sys, time
f = open(sys.argv[1], "a")
fcntl.flock(f, fcntl.LOCK_EX)
open(sys.argv[2], "w").close()
time.sleep(60)' "$_lock" "$T/held" > "$T/holder.err" 2>&1 &
	HOLDER=$!
	track_pid "$HOLDER"
	_n=0
	while [ ! -e "$T/held" ] && [ $_n -lt 100 ]; do
		sleep 0.1
		_n=$((_n + 1))
	done
	if [ -e "$T/held" ]; then
		_t0=$(ms_now)
		expect_exit 4 "lock held elsewhere, --max-time 2: exit 4" "$JG" grant -i "$CID" \
			-f "$PKI/app.key" -u "$USER" -r "$MOCK_URL" --cacert "$PKI/ca.crt" --max-time 2 \
			--reuse 600 --cache-dir "$TD" --output token
		_ms=$(($(ms_now) - _t0))
		[ "$_ms" -ge 1500 ] && [ "$_ms" -lt 4500 ] && ok "lock held elsewhere: waited about --max-time (${_ms} ms)" ||
			not_ok "lock held elsewhere: waited about --max-time (2 s)" "${_ms} ms"
		stdout_empty "lock held elsewhere: nothing on stdout"
		new_requests "lock held elsewhere" 0
	else
		not_ok "lock: a helper holds the lock" "$(tail -n 3 "$T/holder.err")"
	fi
	jg_stop_pid "$HOLDER"
	jg_forget_pid "$HOLDER"
	tuple_again "lock released: base again" "$T/tu.base" "$CID" "$PKI/app.key" "$USER" "$MOCK_URL"
else
	not_ok "lock: the base entry has its <hash>.lock" "$(ls -A "$TD" | tr '\n' ' ')"
fi

# --- 20 parallel grants, one request --------------------------------------------------------------
# against a mock that answers after 1 s, so that the other 19 start while the first one waits
P="$T/par"
mkdir "$P"
_main_url=$MOCK_URL _main_log=$MOCK_LOG _main_pid=$MOCK_PID
if start_mock --mode slow --delay 1 --max-life 600; then
	mark
	_pids=
	_i=1
	while [ $_i -le 20 ]; do
		(
			_n=0
			while [ ! -e "$P/go" ] && [ $_n -lt 300 ]; do
				sleep 0.05
				_n=$((_n + 1))
			done
			timeout -k 5 40 "$JG" grant -i "$CID" -f "$PKI/app.key" -u "$USER" -r "$MOCK_URL" \
				--cacert "$PKI/ca.crt" --max-time 30 --reuse 600 --cache-dir "$P/cache" --output token \
				< /dev/null > "$P/out.$_i" 2> "$P/err.$_i"
			echo $? > "$P/rc.$_i"
		) &
		track_pid $!
		_pids="$_pids $!"
		_i=$((_i + 1))
	done
	sleep 0.3
	: > "$P/go"
	for _pp in $_pids; do
		wait "$_pp"
		jg_forget_pid "$_pp"
	done
	_bad='' _diff='' _err=''
	_i=1
	while [ $_i -le 20 ]; do
		[ "$(cat "$P/rc.$_i" 2>/dev/null)" = 0 ] || _bad="$_bad job$_i:$(cat "$P/rc.$_i" 2>/dev/null)"
		cmp -s "$P/out.$_i" "$P/out.1" || _diff="$_diff job$_i"
		[ -s "$P/err.$_i" ] && _err="$_err job$_i:$(head -n 1 "$P/err.$_i")"
		_i=$((_i + 1))
	done
	[ -z "$_bad" ] && ok "20 parallel grants: every job exits 0" ||
		not_ok "20 parallel grants: every job exits 0" "$_bad" "$(cat "$P"/err.* | sort | uniq -c | head -n 5)"
	[ -s "$P/out.1" ] && [ -z "$_diff" ] && ok "20 parallel grants: 20 identical non-empty tokens" ||
		not_ok "20 parallel grants: 20 identical non-empty tokens" "differ from job1:$_diff" \
		"$(sort "$P"/out.* | uniq -c | head -n 5)"
	[ -z "$_err" ] && ok "20 parallel grants: nothing on stderr" ||
		not_ok "20 parallel grants: nothing on stderr" "$_err"
	new_requests "20 parallel grants, an empty cache" 1
	entry_count "$P/cache" 1 "20 parallel grants: one entry"
	stop_mock
fi
MOCK_URL=$_main_url MOCK_LOG=$_main_log MOCK_PID=$_main_pid
mark

# --- an unsafe cache: one warning, a normal grant, nothing read or written -----------------------
# valid_cache DIR — DIR holds a fresh valid entry of the base tuple (one request)
valid_cache() {
	g 0 "setup: a grant fills $(basename "$1")" --reuse 600 --cache-dir "$1"
	entry_count "$1" 1 "setup: $(basename "$1") holds one entry"
	mark
}
# unsafe NAME CACHE_DIR WARN_PATH SNAPSHOT_PATH... — a grant --reuse 600 with CACHE_DIR
unsafe() {
	_un=$1 _ud=$2 _uw=$3
	shift 3
	snapshot "$@" > "$T/snap.before"
	g 0 "$_un: exit 0" --reuse 600 --cache-dir "$_ud"
	one_warning "$_un" "$_uw"
	succeeded "$_un"
	new_requests "$_un: a normal grant" 1
	snapshot "$@" > "$T/snap.after"
	same_file "$T/snap.after" "$T/snap.before" "$_un: nothing in the cache changed"
}
for _dm in 777 750 755 705; do
	valid_cache "$T/u-d$_dm"
	chmod "$_dm" "$T/u-d$_dm"
	unsafe "cache dir mode $_dm" "$T/u-d$_dm" "$T/u-d$_dm" "$T/u-d$_dm"
done
valid_cache "$T/u-target"
ln -s "$T/u-target" "$T/u-link"
unsafe "cache dir is a symlink" "$T/u-link" "$T/u-link" "$T/u-link" "$T/u-target"
for _em in 644 640 604; do
	valid_cache "$T/u-e$_em"
	_e=$(entry_of "$T/u-e$_em")
	chmod "$_em" "$_e"
	unsafe "entry mode $_em" "$T/u-e$_em" "$_e" "$T/u-e$_em"
done
valid_cache "$T/u-es"
_e=$(entry_of "$T/u-es")
mkdir "$T/u-elsewhere"
chmod 700 "$T/u-elsewhere"
mv "$_e" "$T/u-elsewhere/target"
ln -s "$T/u-elsewhere/target" "$_e"
unsafe "entry is a symlink" "$T/u-es" "$_e" "$T/u-es" "$T/u-elsewhere"
if [ "$(id -u)" -eq 0 ]; then
	valid_cache "$T/u-owner"
	chown 65534 "$T/u-owner"
	unsafe "cache dir owned by uid 65534" "$T/u-owner" "$T/u-owner" "$T/u-owner"
	valid_cache "$T/u-eowner"
	_e=$(entry_of "$T/u-eowner")
	chown 65534 "$_e"
	unsafe "entry owned by uid 65534" "$T/u-eowner" "$_e" "$T/u-eowner"
else
	ok "cache dir owned by another user # SKIP not running as root"
	ok "entry owned by another user # SKIP not running as root"
fi

# --- a corrupt entry: a warning, a normal grant, the entry replaced ---------------------------------
for _kind in garbage empty truncated no-token; do
	D="$T/c-$_kind"
	valid_cache "$D"
	_e=$(entry_of "$D")
	case $_kind in
	garbage) head -c 300 /dev/urandom > "$_e" ;;
	empty) : > "$_e" ;;
	truncated)
		_sz=$(wc -c < "$_e")
		head -c $((_sz / 2)) "$_e" > "$T/half" && cat "$T/half" > "$_e"
		;;
	no-token)
		"$JG_PY" -c 'import json, sys
def strip(o):
    if isinstance(o, dict):
        return {k: strip(v) for k, v in o.items() if k != "access_token"}
    if isinstance(o, list):
        return [strip(v) for v in o]
    return o
d = strip(json.load(open(sys.argv[1])))
open(sys.argv[1], "w").write(json.dumps(d))' "$_e"
		;;
	esac
	has_mode "$_e" -rw------- "corrupt ($_kind): the damaged entry is still 0600 (setup)"
	g 0 "corrupt ($_kind): exit 0" --reuse 600 --cache-dir "$D" --output token
	cp "$T/out" "$T/c.token"
	one_warning "corrupt ($_kind)"
	nonempty_token "corrupt ($_kind)"
	new_requests "corrupt ($_kind): a normal grant" 1
	_e2=$(entry_of "$D")
	[ "$_e2" = "$_e" ] && ok "corrupt ($_kind): the same entry name" ||
		not_ok "corrupt ($_kind): the same entry name" "$_e2 vs $_e"
	has_mode "$_e" -rw------- "corrupt ($_kind): the replaced entry is 0600"
	json_check "$_e" "corrupt ($_kind): the entry was replaced by one holding the new token" \
		'a[0] in find(d, "access_token")' "$(cat "$T/c.token")"
	g 0 "corrupt ($_kind): third grant" --reuse 600 --cache-dir "$D" --output token
	same_file "$T/out" "$T/c.token" "corrupt ($_kind): the third grant reuses the new entry"
	stderr_empty "corrupt ($_kind): no warning the third time"
	new_requests "corrupt ($_kind): third grant" 0
done

stop_mock
