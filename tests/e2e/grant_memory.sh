#!/bin/sh
# Secrets are wiped after use: when a grant exits, its writable memory (data, bss, heap, stack:
# every touched page, read under ptrace at the exit by memory_at_exit.c) holds no line of the
# key's base64, none of the key's secret numbers in binary, no JWT and not the access token;
# for each provider, each output format, the masking line, a token cache written and read, a
# refusal and a TLS failure. Each dump is first shown to hold what it should (the username from
# argv, a page count), so that an empty or unreadable dump cannot pass.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

grant_suite
if grep -a -q -F __asan_init "$JG"; then
	# AddressSanitizer reserves terabytes of shadow and heap address space: walking its pagemap
	# page by page takes hours, and LeakSanitizer cannot run under ptrace at all.
	ok "secrets wiped at exit # SKIP a sanitizer build (make test runs this suite on the release binary)"
	exit 0
fi
TOKEN='00D5g000004ABCD!AR.e2eWipedAccessToken_5c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f'
HELPER=$T/memory_at_exit
if ! cc -O1 -o "$HELPER" "$JG_TOP/tests/e2e/memory_at_exit.c" 2> "$T/cc.err"; then
	not_ok "memory_at_exit.c compiles" "$(head -n 5 "$T/cc.err")"
	exit 1
fi
ok "memory_at_exit.c compiles"

# The secrets to look for: the key file's base64 lines, and its private exponent and primes as
# big-endian bytes (what the decoded key holds), from openssl.
grep -v -e '-----' "$PKI/app.key" > "$T/key.lines"
openssl pkey -in "$PKI/app.key" -noout -text > "$T/key.txt" 2> /dev/null ||
	{ not_ok "openssl prints the key's numbers"; exit 1; }
"$JG_PY" - "$T/key.txt" "$T/key.numbers" << 'EOF'
import sys
text = open(sys.argv[1]).read().split("\n")
numbers, name, digits = [], None, ""
for line in text + ["end:"]:
    if line.endswith(":") and not line.startswith(" "):
        if name in ("privateExponent", "prime1", "prime2", "exponent1", "exponent2", "coefficient"):
            numbers.append(bytes.fromhex(digits).lstrip(b"\0"))
        name, digits = line[:-1], ""
    elif line.startswith(" ") and name:
        digits += line.strip().replace(":", "")
with open(sys.argv[2], "w") as f:
    for n in numbers:
        f.write(n.hex() + "\n")
EOF
if [ "$(wc -l < "$T/key.numbers")" -eq 6 ]; then
	ok "the key's secret numbers, from openssl (d, p, q, dp, dq, qinv)"
else
	not_ok "the key's secret numbers, from openssl" "$(wc -l < "$T/key.numbers") found"
	exit 1
fi

# clean DUMP NAME MARKER [TOKEN [JWT]] — the dump holds MARKER (so it is the process's memory)
# and none of the secrets: a key line, a key number (each as 32 bytes of its middle, as a limb
# array would hold them whole), a JWT's start ("eyJhbGci", the base64url of '{"alg'), TOKEN
# (default $TOKEN), and when the file JWT (default $T/jwt) exists, any 24 characters in a row of
# that JWT's claims and signature.
clean() {
	_d=$1 _n=$2 _m=$3 _tok=${4:-$TOKEN} _jwt=${5:-$T/jwt}
	_pages=$(($(wc -c < "$_d" 2> /dev/null || echo 0) / 4096))
	if [ "$_pages" -ge 8 ] && grep -a -F -q -e "$_m" "$_d"; then
		ok "$_n: the dump is its memory ($_pages pages, argv's $_m among them)"
	else
		not_ok "$_n: the dump is its memory" "$_pages pages; $_m found: $(grep -a -F -c -e "$_m" "$_d" 2> /dev/null)"
		return
	fi
	"$JG_PY" - "$_d" "$T/key.lines" "$T/key.numbers" "$_tok" "$_jwt" > "$T/found" << 'EOF'
import os, sys
dump = open(sys.argv[1], "rb").read()
lines = [l.strip().encode() for l in open(sys.argv[2]) if l.strip()]
numbers = [bytes.fromhex(l.strip()) for l in open(sys.argv[3]) if l.strip()]
token = sys.argv[4].encode()
found = []
if os.path.exists(sys.argv[5]):
    jwt = open(sys.argv[5], "rb").read().strip()
    tail = jwt[jwt.index(b".") + 1:]
    for i in range(len(tail) - 23):
        if tail[i:i + 24] in dump:
            found.append("24 characters of the JWT at %d: %s" % (i, tail[i:i + 24].decode()))
            break
found += ["key base64 line %d" % i for i, l in enumerate(lines) if l in dump]
for i, n in enumerate(numbers):
    middle = n[len(n) // 2 - 16:len(n) // 2 + 16]
    if middle in dump or middle[::-1] in dump:
        found.append("key number %d" % i)
if b"eyJhbGci" in dump:
    at = dump.index(b"eyJhbGci")
    found.append("a JWT: " + dump[at:at + 40].decode("ascii", "replace"))
if token in dump:
    found.append("the access token")
for f in found:
    print(f)
EOF
	if [ -s "$T/found" ]; then
		not_ok "$_n: no key, JWT or token left in memory" "$(head -n 5 "$T/found")"
	else
		ok "$_n: no key, JWT or token left in memory"
	fi
}

# at_exit CODE NAME CMD [ARGS...] — runs CMD under memory_at_exit (dump in $T/dump), as
# expect_exit does
at_exit() {
	_c=$1 _n=$2
	shift 2
	expect_exit "$_c" "$_n: exit $_c" "$HELPER" "$T/dump" "$@"
}

# The Salesforce grants run at one pinned time, so that each signs the same JWT (Salesforce's
# has no jti) and `assertion` can make it again to be searched for.
PIN=$(date +%s)
sf() { # CODE NAME [ARGS...] — a Salesforce grant against the latest mock
	_sc=$1 _sn=$2
	shift 2
	at_exit "$_sc" "$_sn" env JWTGRANT_NOW="$PIN" "$JG" grant --client-id "$CID" \
		--jwt-key-file "$PKI/app.key" --username "$USER" --instance-url "$MOCK_URL" \
		--cacert "$PKI/ca.crt" --max-time 10 "$@"
}

# --- Salesforce ------------------------------------------------------------------------------------
if start_mock --access-token "$TOKEN"; then
	sf 0 "the JWT to look for (first grant)"
	JWTGRANT_NOW=$PIN "$JG" assertion --client-id "$CID" --jwt-key-file "$PKI/app.key" \
		--username "$USER" --instance-url "$MOCK_URL" > "$T/jwt.made" 2> "$T/jwt.err"
	sent=$("$JG_PY" -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline()).get("assertion_sha256", "-"))' "$MOCK_LOG")
	made=$(tr -d '\n' < "$T/jwt.made" | sha256sum | cut -c1-16)
	if [ "$made" = "$sent" ]; then
		mv "$T/jwt.made" "$T/jwt"
		ok "assertion at the pinned time makes the very JWT the grant sent (SHA-256 $sent...)"
	else
		not_ok "assertion makes the JWT the grant sent" "sent $sent, made $made: $(head -c 200 "$T/jwt.err")"
	fi
	clean "$T/dump" "the first grant" "$USER"
	for fmt in text json token env; do
		sf 0 "--output $fmt" --output "$fmt" && clean "$T/dump" "--output $fmt" "$USER"
	done
	sf 0 "-v" -v && clean "$T/dump" "-v" "$USER"
	sf 0 "--output token" --output token && expect_grep "^$TOKEN\$" "$T/out" \
		"--output token prints the very token the dump is searched for"
	at_exit 0 "under GitHub Actions (the masking line)" env GITHUB_ACTIONS=true \
		JWTGRANT_NOW="$PIN" "$JG" grant --client-id "$CID" --jwt-key-file "$PKI/app.key" \
		--username "$USER" --instance-url "$MOCK_URL" --cacert "$PKI/ca.crt" --max-time 10 &&
		clean "$T/dump" "under GitHub Actions" "$USER"
	expect_grep "^::add-mask::" "$T/err" "under GitHub Actions: the masking line was written"
	sf 0 "--reuse, a token cached" --reuse 600 --cache-dir "$T/cache" &&
		clean "$T/dump" "--reuse, a token cached" "$USER"
	sf 0 "--reuse, the cached token read" --reuse 600 --cache-dir "$T/cache" &&
		clean "$T/dump" "--reuse, the cached token read" "$USER"
	sf 1 "a refusal (another user)" --username nobody@example.com &&
		clean "$T/dump" "a refusal" "nobody@example.com"
	sf 5 "a TLS failure (no trust in the server)" --cacert "$PKI/other-ca.crt" &&
		clean "$T/dump" "a TLS failure" "$USER"
	stop_mock
fi
rm -f "$T/jwt" # the other providers sign other JWTs

# --- Google, GitHub, generic ------------------------------------------------------------------------
GTOKEN='ya29.c.e2e-wiped_0123456789-abcdefghij....'
if start_google_mock --access-token "$GTOKEN"; then
	google_credentials "$T/sa.json" "$GMOCK_URL" || not_ok "the service account's key file"
	at_exit 0 "Google" "$JG" grant --provider google --credentials "$T/sa.json" \
		--scope https://www.googleapis.com/auth/cloud-platform --cacert "$PKI/ca.crt" \
		--max-time 10 --output json && clean "$T/dump" "Google" "sa.json" "$GTOKEN"
	stop_google_mock
fi
HTOKEN='ghs_e2eWipedInstallationToken0123456789ab'
if start_github_mock --access-token "$HTOKEN"; then
	at_exit 0 "GitHub (lookup and token)" "$JG" grant --provider github --client-id "$HCLIENTID" \
		--jwt-key-file "$PKI/app.key" --api-url "$HMOCK_URL" --repo octo-org/app \
		--cacert "$PKI/ca.crt" --max-time 10 --output json &&
		clean "$T/dump" "GitHub" "octo-org/app" "$HTOKEN"
	stop_github_mock
fi
XTOKEN='gen.e2e-wiped_0123456789-abcdefghij'
if start_generic_mock --access-token "$XTOKEN" --client-id ci-client; then
	at_exit 0 "generic (client assertion)" "$JG" grant --provider generic \
		--token-url "$XMOCK_URL" --client-assertion --client-id ci-client \
		--jwt-key-file "$PKI/app.key" --cacert "$PKI/ca.crt" --max-time 10 --output json &&
		clean "$T/dump" "generic" "ci-client" "$XTOKEN"
	stop_generic_mock
fi
