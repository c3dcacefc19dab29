#!/bin/sh
# Write the seed corpora of the fuzz targets into fuzz/corpus/<name>/ (run from the top of the
# tree; existing seeds are replaced, regression seeds in files named crash-* are kept). Keys and
# certificates are made fresh with the openssl CLI: they are test material, never used anywhere.
# The JWTs are signed with fuzz/jwt-seed-key.pem, a fixed test key whose public half
# fuzz/fuzz_jwt.c holds.
# fuzz/corpus/cache_entry/ holds hand-written token cache entries (no key or certificate in
# them), and fuzz/corpus/google_account/ service account key files made by hand from a copy of
# the test PKI's app.key: this script leaves both as they are.
# The HTTP-reader and chunked seeds start with the split-control bytes of fuzz/fuzz_util.h.
set -eu
c=fuzz/corpus
tmp=$(mktemp -d "${TMPDIR:-/tmp}/jwtgrant-seeds.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
for d in key encrypted http http_head http_chunked http_connect oauth github jwt base64 trust cert issuer url noproxy; do
	mkdir -p "$c/$d"
	find "$c/$d" -type f ! -name 'crash-*' -exec rm -f {} +
done
q() { openssl "$@" 2>/dev/null; }
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

# --- keys: every form jg_key_load_bytes reads, and some it refuses --------------------------
q genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$tmp/k2048.pem"
q genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$tmp/k3072.pem"
q genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "$tmp/k1024.pem"
q genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$tmp/ec.pem"
k=$c/key
cp "$tmp/k2048.pem" "$k/pkcs8.pem"
q pkey -in "$tmp/k3072.pem" -traditional -out "$k/pkcs1-3072.pem"
q pkcs8 -topk8 -nocrypt -in "$tmp/k2048.pem" -outform DER -out "$k/pkcs8.der"
# Keys past BearSSL's 4,096-bit limit, whose decoder overflowed on them (issue 12): they must be
# refused before decoding. smoke.sh's -max_len for this target covers the biggest form here.
q genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:5000 -out "$k/rsa5000.pem"
q genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:8192 -out "$tmp/k8192.pem"
cp "$tmp/k8192.pem" "$k/rsa8192.pem"
q rsa -in "$tmp/k8192.pem" -traditional -outform DER -out "$k/rsa8192-pkcs1.der"
openssl base64 -A < "$tmp/k8192.pem" > "$k/rsa8192-pem.b64"
q genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:4096 -out "$k/rsa4096.pem"
# A 2,048-bit modulus with a 1,550-byte private exponent: a small key with one oversized part.
python3 -c 'import sys
def tlv(t, b):
    n = len(b)
    return bytes([t] + ([n] if n < 128 else [0x81, n] if n < 256 else [0x82, n >> 8, n & 255])) + b
ints = [b"\0", b"\0\xc1" + b"\x11" * 255, b"\1\0\1", b"\x7f" * 1550] + [b"\x5a" * 128] * 5
sys.stdout.buffer.write(tlv(0x30, b"".join(tlv(2, v) for v in ints)))' > "$k/huge-d.der"
q rsa -in "$tmp/k2048.pem" -traditional -outform DER -out "$k/pkcs1.der"
openssl base64 -A < "$tmp/k2048.pem" > "$k/pem.b64"
openssl base64 < "$k/pkcs1.der" > "$k/der.b64"
awk '{ printf "%s\\n", $0 }' "$tmp/k2048.pem" > "$k/escaped-newlines.txt"
sed 's/$/\r/' "$tmp/k2048.pem" > "$k/crlf.pem"
q req -new -x509 -key "$tmp/k2048.pem" -subj /CN=seed -days 30 -out "$tmp/c2048.pem"
cat "$tmp/c2048.pem" "$tmp/k2048.pem" > "$k/cert-then-key.pem"
cp "$tmp/ec.pem" "$k/ec.pem"
cp "$tmp/k1024.pem" "$k/rsa1024.pem"
q pkey -in "$tmp/k2048.pem" -pubout -out "$k/public.pem"
q pkey -in "$tmp/k1024.pem" -aes128 -passout pass:seed -out "$k/encrypted.pem"
cp "$tmp/c2048.pem" "$k/certificate-only.pem"

# --- encrypted keys (fuzz/fuzz_encrypted.c) ---------------------------------------------------
# Each seed starts with the target's options byte (0: the defaults); the passphrase "seed" and the
# raw key and IV below are the target's own, test material only. PBKDF2 runs once (-iter 1, and
# the target passes --enc-iter 1) so that the seeds open quickly; the 2000-iteration one is there
# for the target's "parse only" path.
e=$c/encrypted
rawk=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
rawiv=f0e0d0c0b0a090807060504030201000
seed_enc() { # NAME OPTIONS-BYTE(octal) FILE
	{ printf "\\$2"; cat "$3"; } > "$e/$1"
}
p8() { # NAME OPTIONS-BYTE openssl-pkcs8-arguments...
	name=$1 byte=$2; shift 2
	q pkcs8 -topk8 -in "$tmp/k1024.pem" -passout pass:seed "$@" -out "$tmp/e"
	seed_enc "$name" "$byte" "$tmp/e"
}
enc() { # NAME OPTIONS-BYTE openssl-enc-arguments...
	name=$1 byte=$2; shift 2
	q enc -pass pass:seed -in "$tmp/k1024.pem" "$@" -out "$tmp/e"
	seed_enc "$name" "$byte" "$tmp/e"
}
p8 pkcs8-aes256.pem 000 -v2 aes-256-cbc -v2prf hmacWithSHA256 -iter 1
p8 pkcs8-des3.der 000 -v2 des3 -iter 1 -outform DER
p8 pkcs8-aes256-sha1.der 000 -v2 aes-256-cbc -v2prf hmacWithSHA1 -iter 1 -outform DER
p8 pkcs8-aes128-sha512.pem 000 -v2 aes-128-cbc -v2prf hmacWithSHA512 -iter 1
p8 pkcs8-2000-iterations.der 000 -v2 aes-192-cbc -v2prf hmacWithSHA224 -iter 2000 -outform DER
p8 pkcs12-3des.der 000 -v1 PBE-SHA1-3DES -outform DER
p8 scrypt.der 000 -scrypt -scrypt_N 1024 -scrypt_r 8 -scrypt_p 1 -outform DER
p8 camellia.der 000 -v2 camellia-128-cbc -iter 1 -outform DER
# PBES1 (pbeWithMD5AndDES-CBC) by hand: OpenSSL 3 writes it only with its legacy provider.
python3 -c 'import sys
def tlv(t, b):
    n = len(b)
    return bytes([t] + ([n] if n < 128 else [0x82, n >> 8, n & 255])) + b
params = tlv(0x30, tlv(4, b"saltsalt") + tlv(2, b"\x08\x00"))
alg = tlv(6, bytes.fromhex("2a864886f70d010503")) + params
sys.stdout.buffer.write(b"\0" + tlv(0x30, tlv(0x30, alg) + tlv(4, bytes(64))))' > "$e/pbes1.der"
q rsa -in "$tmp/k1024.pem" -traditional -aes256 -passout pass:seed -out "$tmp/t.pem"
seed_enc traditional-aes256.pem 000 "$tmp/t.pem"
q rsa -in "$tmp/k1024.pem" -traditional -des3 -passout pass:seed -out "$tmp/t.pem"
sed 's/$/\r/' "$tmp/t.pem" > "$tmp/t-crlf.pem"
seed_enc traditional-des3-crlf.pem 000 "$tmp/t-crlf.pem"
enc salted-pbkdf2.bin 000 -aes-256-cbc -pbkdf2 -iter 1
enc salted-pbkdf2.b64 000 -aes-256-cbc -pbkdf2 -iter 1 -a
enc salted-md5-one-line.b64 000 -aes-256-cbc -md md5 -a -A
enc salted-aes128-sha256.bin 002 -aes-128-cbc -md sha256
enc salted-des3-sha512.bin 036 -des-ede3-cbc -pbkdf2 -iter 1 -md sha512
enc raw.bin 001 -aes-256-cbc -nosalt -K $rawk -iv $rawiv
enc raw-aes128.b64 003 -aes-128-cbc -nosalt -K ${rawk%????????????????????????????????} -iv $rawiv -base64
seed_enc plain-pkcs8.der 000 "$k/pkcs8.der"
seed_enc plain.pem 000 "$k/pkcs8.pem"

# --- certificates and CA bundles -------------------------------------------------------------
q req -new -x509 -key "$tmp/k2048.pem" -sha256 -days 365 \
	-subj '/C=FR/O=Seed, Inc./OU=Fuzz+UID=multi/CN=seed.example.com/emailAddress=a@example.com' \
	-addext 'subjectAltName=DNS:seed.example.com,IP:127.0.0.1' \
	-addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign' \
	-out "$tmp/ca-rsa.pem"
q req -new -x509 -key "$tmp/ec.pem" -sha256 -days 365 -subj '/CN=Seed EC Root/O=Seed' \
	-out "$tmp/ca-ec.pem"
q req -new -x509 -key "$tmp/k3072.pem" -sha256 -days 365 -subj "/CN=Escapes \\\"<>;\\\\#/L=Zürich" \
	-utf8 -out "$tmp/odd.pem"
q req -new -key "$tmp/k2048.pem" -subj /CN=v1 -out "$tmp/v1.csr"
q x509 -req -in "$tmp/v1.csr" -key "$tmp/k2048.pem" -days 10 -out "$tmp/v1.pem"
q x509 -in "$tmp/ca-rsa.pem" -outform DER -out "$c/cert/rsa.der"
cp "$tmp/ca-rsa.pem" "$c/cert/rsa.pem"
cp "$tmp/ca-ec.pem" "$c/cert/ec.pem"
cp "$tmp/odd.pem" "$c/cert/escapes.pem"
cp "$tmp/v1.pem" "$c/cert/v1.pem"
printf -- '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n' > "$c/cert/empty-object"
{ echo "Bag Attributes"; echo "subject=/CN=x"; sed 's/$/\r/' "$tmp/c2048.pem"; } > "$c/cert/text-crlf.pem"
q x509 -in "$tmp/ca-rsa.pem" -outform DER -out "$c/issuer/rsa.der"
q x509 -in "$tmp/ca-ec.pem" -outform DER -out "$c/issuer/ec.der"
q x509 -in "$tmp/v1.pem" -outform DER -out "$c/issuer/v1.der"
head -c 40 "$c/issuer/rsa.der" > "$c/issuer/truncated.der"
cp "$tmp/ca-rsa.pem" "$c/trust/one-rsa.pem"
cat "$tmp/ca-rsa.pem" "$tmp/ca-ec.pem" > "$c/trust/bundle.pem"
{ echo "# a comment"; sed 's/$/\r/' "$tmp/ca-ec.pem"; printf 'trailing text'; } > "$c/trust/crlf-text.pem"
q x509 -in "$tmp/ca-rsa.pem" -trustout -addtrust serverAuth -out "$c/trust/trusted.pem"
head -c -1 "$tmp/odd.pem" > "$c/trust/no-final-newline.pem"
cat "$tmp/ca-rsa.pem" "$tmp/ca-rsa.pem" "$tmp/k1024.pem" "$tmp/v1.pem" > "$c/trust/dup-and-key.pem"

# --- JWTs ------------------------------------------------------------------------------------
# Signed with fuzz/jwt-seed-key.pem, whose public key fuzz/fuzz_jwt.c holds.
jwt() { # HEADER CLAIMS -> header.claims.signature
	h=$(printf '%s' "$1" | b64url); p=$(printf '%s' "$2" | b64url)
	s=$(printf '%s.%s' "$h" "$p" | openssl dgst -sha256 -sign fuzz/jwt-seed-key.pem -binary | b64url)
	printf '%s.%s.%s' "$h" "$p" "$s"
}
jwt '{"alg":"RS256","typ":"JWT"}' \
	'{"iss":"3MVG9seed","sub":"user@example.com","aud":"https://login.salesforce.com","exp":1700000300,"iat":1700000000}' \
	> "$c/jwt/assertion.jwt"
jwt '{"alg":"RS256","typ":"JWT","kid":"k1"}' '{"iss":"a\u00e9\"b","sub":"x","aud":["a","b"],"exp":1.5e3,"nested":{"a":[null,true,false]}}' \
	> "$c/jwt/odd-claims.jwt"
printf '%s.%s.' "$(printf '{"alg":"none"}' | b64url)" "$(printf '{"sub":"x"}' | b64url)" > "$c/jwt/unsigned.jwt"
printf 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln' > "$c/jwt/short.jwt"

# --- base64 (first byte: bit 0 url alphabet, bit 1 skip spaces) --------------------------------
printf '\000TWFu' > "$c/base64/std"
printf '\000TWE=' > "$c/base64/std-pad"
printf '\001TWE' > "$c/base64/url"
printf '\001-_-_' > "$c/base64/url-chars"
printf '\002TW\r\nF u\tTWE=\n' > "$c/base64/spaces"
printf '\003' > "$c/base64/empty"
{ printf '\002'; openssl base64 < "$k/pkcs1.der"; } > "$c/base64/der-lines"

# --- URLs and NO_PROXY -----------------------------------------------------------------------
printf 'https://example.my.salesforce.com' > "$c/url/instance"
printf 'https://EXAMPLE.example.com:8443/path/sub/' > "$c/url/instance-port-path"
printf 'https://[2001:db8::1]:443' > "$c/url/ipv6"
printf 'https://127.0.0.1/' > "$c/url/ipv4"
printf 'http://user:p%%40ss@proxy.example.com:3128/' > "$c/url/proxy-auth"
printf 'proxy.local:8080' > "$c/url/proxy-bare"
printf 'socks5h://proxy:1080' > "$c/url/socks"
printf 'HTTP://[::ffff:192.0.2.1]' > "$c/url/proxy-ipv6"
printf 'localhost,.example.com\000a.example.com' > "$c/noproxy/suffix"
printf ' * \000anything' > "$c/noproxy/star"
printf '10.0.0.0/8, 192.0.2.7\00010.1.2.3' > "$c/noproxy/cidr4"
printf '[::1]:8443,fe80::/10\000fe80::1' > "$c/noproxy/cidr6"
printf 'example.com.\t*.x.org\000EXAMPLE.COM.' > "$c/noproxy/dots"

# --- HTTP: answers (first byte: split control; 0 means whole) ---------------------------------
body='{"access_token":"00Dxx0000001gPL!AR8AQJXg5oj8jXSgxJfA0lBog","instance_url":"https://example.my.salesforce.com","id":"https://login.salesforce.com/id/00Dxx0000001gPLEAY/005xx000001SwiUAAS","token_type":"Bearer","scope":"api web","issued_at":"1700000000000","signature":"c2ln"}'
crlf() { printf '%s\r\n' "$@"; }
crlf 'HTTP/1.1 200 OK' 'Content-Type: application/json;charset=UTF-8' "Content-Length: ${#body}" \
	'Date: Tue, 14 Nov 2023 22:13:20 GMT' '' > "$tmp/ok"
printf '%s' "$body" >> "$tmp/ok"
crlf 'HTTP/1.1 100 Continue' '' 'HTTP/1.1 200 OK' 'Transfer-Encoding: chunked' '' '5;ext=1' \
	'{"a":' '3' '"b"' '1' '}' '0' 'X-Trailer: yes' '' > "$tmp/chunked"
printf 'HTTP/1.0 400 Bad Request\nContent-Type: application/json\n\n{"error":"invalid_grant","error_description":"audience is invalid"}' > "$tmp/close"
crlf 'HTTP/1.1 204 No Content' 'Content-Length: 5' '' > "$tmp/nobody"
crlf 'HTTP/1.1 503 Service Unavailable' 'Content-Type: text/html' 'content-length: 20' '' \
	'<html>down</html>' > "$tmp/html"
crlf 'HTTP/1.1 200 OK' 'Transfer-Encoding: gzip, chunked' '' > "$tmp/bad-te"
for f in ok chunked close nobody html bad-te; do
	{ printf '\000'; cat "$tmp/$f"; } > "$c/http/$f"
done
{ printf '\003\001\007\000'; cat "$tmp/ok"; } > "$c/http/ok-pieces"
{ printf '\011\040'; cat "$tmp/chunked"; } > "$c/http/chunked-small-cap"
{ printf '\022\000'; crlf 'HTTP/1.1 200 OK' 'Content-Length: 100' ''; printf 'short'; } > "$c/http/truncated-no-eof"
for f in ok chunked nobody html; do
	sed -n '1,/^\r$/p' "$tmp/$f" > "$c/http_head/$f"
done
printf 'HTTP/1.1 200 OK\nA: b\nC:d \t\n\n' > "$c/http_head/bare-lf"
crlf 'HTTP/1.1 200 OK' 'Folded: a' ' b' '' > "$c/http_head/folded"
printf 'HTTP/1.1 200 OK\r\nX: \200\377\r\n\r\n' > "$c/http_head/high-bytes"

# --- chunked bodies ---------------------------------------------------------------------------
{ printf '\000'; crlf 'a' '0123456789' '0' ''; } > "$c/http_chunked/simple"
{ printf '\002\000\002'; crlf '3;name=value' 'abc' 'A ' '0123456789' '0' 'Trailer: x' ''; printf 'after'; } > "$c/http_chunked/ext-trailer-after"
{ printf '\000'; printf '4\n1234\n0\n\n'; } > "$c/http_chunked/bare-lf"
{ printf '\000'; crlf 'ffffffffffffffffff' ''; } > "$c/http_chunked/overflow"
{ printf '\001\000'; crlf '1' 'x' '0' ''; } > "$c/http_chunked/byte-by-byte"

# --- CONNECT answers --------------------------------------------------------------------------
{ printf '\000'; crlf 'HTTP/1.1 200 Connection established' ''; } > "$c/http_connect/established"
{ printf '\000'; crlf 'HTTP/1.0 200 OK' 'Proxy-Agent: seed' ''; printf '\026\003\001'; } > "$c/http_connect/early-bytes"
{ printf '\000'; crlf 'HTTP/1.1 407 Proxy Authentication Required' 'Proxy-Authenticate: Basic realm="x"' \
	'Content-Length: 12' ''; printf 'auth needed\n'; } > "$c/http_connect/auth-required"
{ printf '\001\004'; crlf 'HTTP/1.1 100 Continue' '' 'HTTP/1.1 200 OK' ''; } > "$c/http_connect/continue-pieces"
{ printf '\000'; crlf 'HTTP/1.1 502 Bad Gateway' 'Transfer-Encoding: chunked' '' '4' 'down' '0' ''; } > "$c/http_connect/chunked-refusal"

# --- token answers (the 401 run takes the first line as a Date) -----------------------------------
printf '%s' "$body" > "$c/oauth/token"
printf '{"error":"invalid_grant","error_description":"user hasn'"'"'t approved this consumer"}' > "$c/oauth/not-approved"
printf 'Tue, 14 Nov 2023 22:13:20 GMT\n{"error":"invalid_grant","error_description":"expired authorization code"}' > "$c/oauth/expired-date"
printf 'garbage date\n{"error":"invalid_grant","error_description":"Expired Authorization Code"}' > "$c/oauth/bad-date"
printf '{"error":"invalid_client_id"}' > "$c/oauth/client-id"
printf '<html><body>Service Unavailable</body></html>' > "$c/oauth/html"
printf '{"access_token":"x","instance_url":"http://insecure","id":"https://h/id/00D/005"}' > "$c/oauth/bad-fields"
printf '[{"error":1}, "\\u0000", 1e999]' > "$c/oauth/array"
printf '{"error":"invalid_grant","error_description":"\\u001b[31mforged\\nline"}' > "$c/oauth/escape-words"
printf '{"access_token":"00Dxx0000001gPL!AR8AQJXg5oj8jXSgxJfA0lBog","instance_url":"http://x"}' > "$c/oauth/token-not-quoted"
# Google's answers (providers.md): a token with and without expires_in, and refusals.
printf '{"access_token":"ya29.c.seedAccessTokenNotRealxxxxxxxxxxxxxxxx","expires_in":3599,"token_type":"Bearer"}' > "$c/oauth/google-token"
printf '{"access_token":"ya29.c.seedAccessTokenNotRealyyyyyyyyyyyyyyyy","token_type":"Bearer","scope":"https://www.googleapis.com/auth/cloud-platform"}' > "$c/oauth/google-token-no-expiry"
printf '{"error":"invalid_grant","error_description":"Invalid JWT Signature."}' > "$c/oauth/google-invalid-signature"
printf 'Tue, 14 Nov 2023 22:13:20 GMT\n{"error":"invalid_grant","error_description":"Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim."}' > "$c/oauth/google-short-lived-date"
printf '{"error":"unauthorized_client","error_description":"Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested."}' > "$c/oauth/google-unauthorized-client"
# --- the GitHub API's answers (first byte: split control; 0 means whole) ----------------------
# A whole answer each, read as an installation lookup's and as a token request's
# (fuzz/fuzz_github.c). The token is made up, in GitHub's format.
g=$c/github
ghtoken='ghs_16C7e42F292c6912E7710c838347Ae178B4a'
gh() { # NAME STATUS-LINE BODY [HEADER...]: the answer framed by Content-Length
	name=$1 status=$2 gbody=$3; shift 3
	{ printf '\000'; crlf "HTTP/1.1 $status" 'Content-Type: application/json; charset=utf-8' \
		'Date: Tue, 14 Nov 2023 22:13:20 GMT' "$@" "Content-Length: ${#gbody}" ''; printf '%s' "$gbody"; } > "$g/$name"
}
gh token '201 Created' '{"token":"'$ghtoken'","expires_at":"2026-12-05T14:09:34Z","permissions":{"contents":"read","metadata":"read"},"repository_selection":"selected","repositories":[{"id":1296269,"name":"Hello-World"}]}'
gh token-least '201 Created' '{"token":"'$ghtoken'","expires_at":"2026-12-05T14:09:34Z"}'
gh token-cached '201 Created' '{"token":"'$ghtoken'","expires_at":"2026-12-05T14:09:34Z","installation_id":42,"permissions":{"issues":"write"},"repository_selection":"all"}'
gh token-bad-expiry '201 Created' '{"token":"'$ghtoken'","expires_at":"2026-12-05T14:09:34+00:00"}'
gh token-200 '200 OK' '{"token":"'$ghtoken'","expires_at":"2026-12-05T14:09:34Z"}'
gh lookup '200 OK' '{"id":12345678,"account":{"login":"octo-org","id":1},"repository_selection":"all","app_id":3}'
gh lookup-fraction '200 OK' '{"id":1.5}'
gh not-found '404 Not Found' '{"message":"Not Found","documentation_url":"https://docs.github.com/rest/apps/apps#get-a-repository-installation-for-the-authenticated-app","status":"404"}'
gh clock '401 Unauthorized' '{"message":"'"'"'Expiration time'"'"' claim ('"'"'exp'"'"') is too far in the future","documentation_url":"https://docs.github.com/rest","status":"401"}'
gh not-decoded '401 Unauthorized' '{"message":"A JSON web token could not be decoded","documentation_url":"https://docs.github.com/rest","status":"401"}'
gh suspended '403 Forbidden' '{"message":"This installation has been suspended","documentation_url":"https://docs.github.com/rest","status":"403"}'
gh rate-limit '403 Forbidden' '{"message":"API rate limit exceeded for installation ID 42.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"}'
gh unprocessable '422 Unprocessable Entity' '{"message":"There is at least one repository that does not exist or is not accessible to the parent installation.","documentation_url":"https://docs.github.com/rest","status":"422"}'
gh escape-words '404 Not Found' '{"message":"Not\u001b[31m Found\nforged: line \u00c2\u009b","documentation_url":"\u0007"}'
gh no-message '404 Not Found' '{"error":"not_found","token":"'$ghtoken'"}'
gh unavailable '503 Service Unavailable' '{"message":"Service Unavailable"}' 'Retry-After: 1'
gh redirect '301 Moved Permanently' '' 'Location: https://api.github.example/api/v3/app/installations/42/access_tokens'
gh redirect-bare '307 Temporary Redirect' '{}'
gh gzip '201 Created' '{"token":"x"}' 'Content-Encoding: gzip'
{ printf '\000'; crlf 'HTTP/1.1 201 Created' 'Transfer-Encoding: chunked' '' 'c' '{"token":"gh' \
	'29' 's_new-format.v2","expires_at":"2028-02-29' 'c' 'T23:59:59Z"}' '0' ''; } > "$g/chunked"
{ printf '\003\004\000\012'; tail -c +2 "$g/token-least"; } > "$g/token-pieces"
{ printf '\011\020'; tail -c +2 "$g/lookup"; } > "$g/lookup-small-cap"
{ printf '\000'; printf 'HTTP/1.0 201 Created\n\n{"token":"%s","expires_at":"1970-01-01T00:00:01Z"}' "$ghtoken"; } > "$g/read-to-close"
gh control-byte '201 Created' "$(printf '{"token":"%s","x":"\001"}' "$ghtoken")"
printf '\000\377\376junk{"token":' > "$g/junk"
find "$c" -type f -exec chmod 644 {} +
echo "seeds written under $c"
