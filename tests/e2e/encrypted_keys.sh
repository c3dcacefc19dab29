#!/bin/sh
# Encrypted private keys (cli.md, "Encrypted private keys"): every form and cipher the openssl CLI
# writes (PKCS#8 PBES2 PEM and DER with each PBKDF2 PRF and cipher, the seed recipe's genrsa -des3,
# traditional Proc-Type PEM, `openssl enc` with and without -pbkdf2, -md, -a/-A, -nosalt -K -iv),
# made here from one RSA key and opened by jwtgrant with --passphrase-env/--passphrase-file, the
# JWT verified by openssl; a grant against the mock token endpoint; wrong passphrases, keys and
# IVs; truncated and corrupted files; no passphrase and no terminal; the options refused because
# they would put the passphrase on the command line; PBES1/PKCS#12 refused by name; the prompt on a
# pseudo-terminal (tests/mock/pty_run.py); keygen --encrypt read back by openssl; and the
# passphrase never printed, -v included.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

grant_suite 30
unset JWTGRANT_NOW
PTY="$JG_TOP/tests/mock/pty_run.py"

# A distinctive passphrase (with spaces), grepped for in everything jwtgrant prints.
PASS='qz7 Enc-Phrase 4410 xyzzy'
PASS_PART='Enc-Phrase 4410'
PW=$PASS
export PW
WRONG='qz7 Enc-Phrase 4411 xyzzy'
export WRONG
KD="$T/keys"
mkdir "$KD"

same() { # NAME GOT WANT — ok when the two strings are equal
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "got  $2" "want $3"; fi
}

# jx CODE NAME CMD... — expect_exit, and keep what it printed for the passphrase check at the end
jx() {
	expect_exit "$@"
	_jx_rc=$?
	cat "$T/out" "$T/err" >> "$T/transcript" 2> /dev/null
	return $_jx_rc
}

one_line() { # NAME — stderr ($T/err) is exactly one line
	_ol=$(wc -l < "$T/err")
	if [ "$_ol" -eq 1 ]; then ok "$1"; else not_ok "$1" "$_ol lines:" "$(head -n 5 "$T/err")"; fi
}

# decode_part N JWT — the Nth part (1-based) of a JWT, base64url-decoded (as assertion.sh does)
decode_part() {
	printf '%s' "$2" | cut -d. -f"$1" | tr -- '-_' '+/' |
		awk '{ while (length($0) % 4) $0 = $0 "="; print }' | openssl base64 -d -A
}

# verify_jwt JWT PUB — verify the RS256 signature with openssl against the public key PUB
verify_jwt() {
	printf '%s' "$1" | cut -d. -f1,2 | tr -d '\n' > "$T/signed"
	decode_part 3 "$1" > "$T/sig"
	openssl dgst -sha256 -verify "$2" -signature "$T/sig" "$T/signed" > /dev/null 2>&1
}

sig_ok() { # NAME [PUB] — the JWT in $T/out verifies with openssl against PUB (default: the key's)
	if verify_jwt "$(cat "$T/out")" "${2:-$PUB}"; then
		ok "$1: the JWT verifies with openssl"
	else
		not_ok "$1: the JWT verifies with openssl" "stdout: $(head -c 200 "$T/out")" "stderr: $(head -n 3 "$T/err")"
	fi
}

# signs NAME KEY [ARGS...] — jwtgrant assertion with KEY (a file, or - with EXPECT_STDIN) exits 0
# and its JWT verifies against $PUB (or $SIGNS_PUB)
signs() {
	_sg_n=$1 _sg_k=$2
	shift 2
	jx 0 "$_sg_n: exit 0" "$JG" assertion --client-id X --username u@example.com \
		--jwt-key-file "$_sg_k" "$@" || return 1
	sig_ok "$_sg_n" "${SIGNS_PUB:-$PUB}"
}

# wrong_pass NAME KEY [ARGS...] — assertion exits 3 with exactly the wrong-passphrase line
wrong_pass() {
	_wp_n=$1 _wp_k=$2
	shift 2
	jx 3 "$_wp_n: exit 3" "$JG" assertion --client-id X --username u@example.com \
		--jwt-key-file "$_wp_k" "$@"
	same "$_wp_n: the message" "$(cat "$T/err")" \
		"jwtgrant: key file $_wp_k: wrong passphrase (decryption failed)"
}

# bad_file NAME KEY [ARGS...] — assertion exits 3 with one line on stderr, nothing on stdout
bad_file() {
	_bf_n=$1 _bf_k=$2
	shift 2
	jx 3 "$_bf_n: exit 3" "$JG" assertion --client-id X --username u@example.com \
		--jwt-key-file "$_bf_k" "$@"
	one_line "$_bf_n: one line on stderr"
	if [ -s "$T/out" ]; then not_ok "$_bf_n: nothing on stdout" "$(head -c 200 "$T/out")"
	else ok "$_bf_n: nothing on stdout"; fi
}

fixture() { # NAME CMD... — make a test file with the openssl CLI; "not ok" when it fails
	_fx_n=$1
	shift
	if ! timeout 120 "$@" < /dev/null > "$T/fx.out" 2> "$T/fx.err"; then
		not_ok "fixture $_fx_n made by openssl" "$*" "$(head -n 3 "$T/fx.err")"
		return 1
	fi
}

flip() { # IN OFFSET OUT — copy IN to OUT with the byte at OFFSET (negative: from the end) ^ 0x80
	"$JG_PY" -c 'import sys
b = bytearray(open(sys.argv[1], "rb").read())
o = int(sys.argv[2])
b[o] ^= 0x80
open(sys.argv[3], "wb").write(b)' "$1" "$2" "$3"
}

# pem_of_der LABEL IN OUT — wrap DER as PEM
pem_of_der() {
	{
		echo "-----BEGIN $1-----"
		openssl base64 -in "$2"
		echo "-----END $1-----"
	} > "$3"
}

# --- one RSA key and every encrypted form of it ---------------------------------------------------
K="$KD/k.pem" K1="$KD/k1.pem" PUB="$KD/pub.pem" CRT="$KD/k.crt"
timeout 120 openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$K" 2> /dev/null
openssl pkey -in "$K" -traditional -out "$K1" 2> /dev/null
openssl pkey -in "$K" -pubout -out "$PUB" 2> /dev/null
openssl req -new -x509 -key "$K" -subj /CN=encrypted-keys -days 2 -out "$CRT" 2> /dev/null
if [ -s "$K" ] && [ -s "$K1" ] && [ -s "$PUB" ] && [ -s "$CRT" ]; then
	ok "the RSA-2048 test key, its PKCS#1 form, public key and certificate made by openssl"
else
	not_ok "the RSA-2048 test key, its PKCS#1 form, public key and certificate made by openssl"
	exit 1
fi
WANT_SHA=$(openssl pkey -in "$K" -pubout -outform DER 2> /dev/null | sha256sum | cut -d' ' -f1)

# PKCS#8 PBES2: every PRF and every cipher at least once, PEM and DER.
#   file            -v2prf          -v2           form  PRF name   cipher name
P8_CASES="p8-sha1-aes128:hmacWithSHA1:aes-128-cbc:PEM:SHA1:AES-128-CBC
p8-sha224-aes192:hmacWithSHA224:aes-192-cbc:PEM:SHA224:AES-192-CBC
p8-sha256-aes256:hmacWithSHA256:aes-256-cbc:PEM:SHA256:AES-256-CBC
p8-sha384-des3:hmacWithSHA384:des3:PEM:SHA384:DES-EDE3-CBC
p8-sha512-aes256:hmacWithSHA512:aes-256-cbc:DER:SHA512:AES-256-CBC
p8-sha256-des3:hmacWithSHA256:des3:DER:SHA256:DES-EDE3-CBC
p8-sha1-aes192:hmacWithSHA1:aes-192-cbc:DER:SHA1:AES-192-CBC
p8-sha384-aes128:hmacWithSHA384:aes-128-cbc:DER:SHA384:AES-128-CBC"
for c in $P8_CASES; do
	IFS=: read -r f prf ciph form _ _ <<- EOF
	$c
	EOF
	ext=pem
	[ "$form" = DER ] && ext=der
	fixture "$f" openssl pkcs8 -topk8 -in "$K" -v2 "$ciph" -v2prf "$prf" -iter 1000 \
		-passout env:PW -outform "$form" -out "$KD/$f.$ext"
done
# What `openssl pkey -aes256` (and genpkey -aes256) writes: OpenSSL 3's defaults (2048 iterations).
fixture "pkey -aes256" openssl pkey -in "$K" -aes256 -passout env:PW -out "$KD/pkey-aes256.pem"
# The seed recipe, exactly (its own key, passphrase x).
fixture "seed recipe" openssl genrsa -des3 -passout pass:x -out "$KD/server.pass.key" 2048
openssl pkey -in "$KD/server.pass.key" -passin pass:x -pubout -out "$KD/server.pub" 2> /dev/null

# Traditional PEM (Proc-Type: 4,ENCRYPTED).
for c in aes128:AES-128-CBC aes192:AES-192-CBC aes256:AES-256-CBC des3:DES-EDE3-CBC; do
	fixture "traditional -${c%%:*}" openssl rsa -in "$K" -traditional "-${c%%:*}" -passout env:PW \
		-out "$KD/trad-${c%%:*}.pem"
	if grep -q '^Proc-Type: 4,ENCRYPTED' "$KD/trad-${c%%:*}.pem" &&
		grep -q "^DEK-Info: ${c#*:}," "$KD/trad-${c%%:*}.pem"; then :; else
		not_ok "fixture trad-${c%%:*}.pem has Proc-Type and DEK-Info ${c#*:}" "$(head -n 3 "$KD/trad-${c%%:*}.pem")"
	fi
done

# openssl enc files (the plaintext is the PEM key; PKCS#1 PEM for some).
E="$KD/enc"
mkdir "$E"
fixture "enc -pbkdf2" openssl enc -aes-256-cbc -pbkdf2 -in "$K" -out "$E/pbkdf2.bin" -pass env:PW
fixture "enc -pbkdf2 -iter 2000" openssl enc -aes-256-cbc -pbkdf2 -iter 2000 -in "$K1" \
	-out "$E/pbkdf2-2000.bin" -pass env:PW
fixture "enc (EVP_BytesToKey, sha256)" openssl enc -aes-256-cbc -in "$K1" -out "$E/evp-sha256.bin" -pass env:PW
fixture "enc -md md5" openssl enc -aes-256-cbc -md md5 -in "$K" -out "$E/evp-md5.bin" -pass env:PW
fixture "enc -md sha1" openssl enc -aes-256-cbc -md sha1 -in "$K" -out "$E/evp-sha1.bin" -pass env:PW
fixture "enc -pbkdf2 -md sha1" openssl enc -aes-256-cbc -pbkdf2 -iter 1000 -md sha1 -in "$K" \
	-out "$E/pbkdf2-sha1.bin" -pass env:PW
fixture "enc -pbkdf2 -a" openssl enc -aes-256-cbc -pbkdf2 -a -in "$K" -out "$E/pbkdf2-a.b64" -pass env:PW
fixture "enc -pbkdf2 -a -A" openssl enc -aes-256-cbc -pbkdf2 -a -A -in "$K" -out "$E/pbkdf2-A.b64" -pass env:PW
fixture "enc -base64 (EVP sha256)" openssl enc -aes-256-cbc -base64 -in "$K" -out "$E/evp.base64" -pass env:PW
fixture "enc -md md5 -a -A" openssl enc -aes-256-cbc -md md5 -a -A -in "$K1" -out "$E/evp-md5-A.b64" -pass env:PW
fixture "enc -aes-128-cbc -pbkdf2" openssl enc -aes-128-cbc -pbkdf2 -iter 1000 -in "$K" \
	-out "$E/aes128.bin" -pass env:PW
fixture "enc -aes-192-cbc -pbkdf2 -a" openssl enc -aes-192-cbc -pbkdf2 -iter 1000 -a -in "$K" \
	-out "$E/aes192.b64" -pass env:PW
fixture "enc -des-ede3-cbc -pbkdf2" openssl enc -des-ede3-cbc -pbkdf2 -iter 1000 -in "$K" \
	-out "$E/des3.bin" -pass env:PW
fixture "enc -des-ede3-cbc (EVP sha256)" openssl enc -des-ede3-cbc -in "$K1" -out "$E/des3-evp.bin" -pass env:PW
# -nosalt -K -iv (the Salesforce CI recipe), binary and base64.
EK=$(openssl rand -hex 32) EIV=$(openssl rand -hex 16)
EK128=$(openssl rand -hex 16) EK3=$(openssl rand -hex 24) EIV3=$(openssl rand -hex 8)
export EK EIV EK128 EK3 EIV3
fixture "enc -nosalt -K -iv" openssl enc -nosalt -aes-256-cbc -K "$EK" -iv "$EIV" -in "$K" -out "$E/raw.bin"
fixture "enc -nosalt -K -iv -base64" openssl enc -nosalt -aes-256-cbc -base64 -K "$EK" -iv "$EIV" \
	-in "$K" -out "$E/raw.b64"
fixture "enc -nosalt -K -iv -a -A" openssl enc -nosalt -aes-256-cbc -a -A -K "$EK" -iv "$EIV" \
	-in "$K1" -out "$E/raw-A.b64"
fixture "enc -nosalt -aes-128-cbc" openssl enc -nosalt -aes-128-cbc -K "$EK128" -iv "$EIV" \
	-in "$K" -out "$E/raw128.bin"
fixture "enc -nosalt -des-ede3-cbc -base64" openssl enc -nosalt -des-ede3-cbc -base64 -K "$EK3" -iv "$EIV3" \
	-in "$K" -out "$E/raw-des3.b64"
head -c 8 "$E/pbkdf2.bin" > "$T/magic"
same "fixture: openssl enc output begins with Salted__" "$(cat "$T/magic")" "Salted__"
for f in "$KD"/*.pem "$KD"/*.der "$KD"/*.key "$E"/*; do chmod 600 "$f"; done

# --- every PKCS#8 PBES2 form: assertion verifies, check describes it ------------------------------
for c in $P8_CASES; do
	IFS=: read -r f _ _ form prfn ciphn <<- EOF
	$c
	EOF
	ext=pem
	[ "$form" = DER ] && ext=der
	signs "PKCS#8 $form PBKDF2-HMAC-$prfn $ciphn" "$KD/$f.$ext" --passphrase-env PW
	jx 0 "check PKCS#8 $form $prfn $ciphn: exit 0" "$JG" check --jwt-key-file "$KD/$f.$ext" \
		--passphrase-env PW
	expect_grep "^encrypted: PBES2, PBKDF2-HMAC-$prfn \(1000 iterations\), $ciphn\$" "$T/out" \
		"check PKCS#8 $form $prfn $ciphn: the encrypted: line"
done
signs "openssl pkey -aes256 (OpenSSL 3 defaults)" "$KD/pkey-aes256.pem" --passphrase-env PW
jx 0 "check openssl pkey -aes256: exit 0" "$JG" check --jwt-key-file "$KD/pkey-aes256.pem" --passphrase-env PW
expect_grep '^encrypted: PBES2, PBKDF2-HMAC-SHA256 \(2048 iterations\), AES-256-CBC$' "$T/out" \
	"check openssl pkey -aes256: PBKDF2-HMAC-SHA256, 2048 iterations, AES-256-CBC"
printf 'x' > "$T/x.pass"
SIGNS_PUB="$KD/server.pub" signs "seed recipe genrsa -des3 (server.pass.key)" "$KD/server.pass.key" \
	--passphrase-file "$T/x.pass"
jx 0 "check server.pass.key: exit 0" "$JG" check --jwt-key-file "$KD/server.pass.key" --passphrase-file "$T/x.pass"
expect_grep '^encrypted: PBES2, PBKDF2-HMAC-SHA256 \(2048 iterations\), DES-EDE3-CBC$' "$T/out" \
	"check server.pass.key: PBES2, PBKDF2-HMAC-SHA256 (2048 iterations), DES-EDE3-CBC"
jx 0 "check an encrypted key with its certificate: exit 0" "$JG" check --jwt-key-file "$KD/p8-sha256-aes256.pem" \
	--passphrase-env PW --cert "$CRT"
expect_grep "^key matches certificate: yes\$" "$T/out" "check an encrypted key: it matches its certificate"
expect_grep "^public key SHA-256: $WANT_SHA\$" "$T/out" "check an encrypted key: the public-key SHA-256 equals openssl's"
expect_grep "^key: RSA 2048 bits\$" "$T/out" "check an encrypted key: RSA 2048 bits"

# --- traditional PEM ------------------------------------------------------------------------------
for c in aes128:AES-128-CBC aes192:AES-192-CBC aes256:AES-256-CBC des3:DES-EDE3-CBC; do
	signs "traditional PEM -${c%%:*}" "$KD/trad-${c%%:*}.pem" --passphrase-env PW
done
jx 0 "check traditional PEM -des3: exit 0" "$JG" check --jwt-key-file "$KD/trad-des3.pem" --passphrase-env PW
expect_grep '^encrypted: .*DES-EDE3-CBC' "$T/out" "check traditional PEM -des3: the encrypted: line names DES-EDE3-CBC"
expect_grep "^public key SHA-256: $WANT_SHA\$" "$T/out" "check traditional PEM: the public-key SHA-256 equals openssl's"

# --- openssl enc ----------------------------------------------------------------------------------
signs "enc -pbkdf2 (default iterations), binary" "$E/pbkdf2.bin" --passphrase-env PW
signs "enc -pbkdf2 -iter 2000 with --enc-iter 2000" "$E/pbkdf2-2000.bin" --passphrase-env PW --enc-iter 2000
signs "enc without -pbkdf2 (EVP_BytesToKey SHA-256)" "$E/evp-sha256.bin" --passphrase-env PW
signs "enc -md md5" "$E/evp-md5.bin" --passphrase-env PW
signs "enc -md sha1 with --enc-md sha1" "$E/evp-sha1.bin" --passphrase-env PW --enc-md sha1
signs "enc -pbkdf2 -md sha1 with --enc-md sha1 --enc-iter 1000" "$E/pbkdf2-sha1.bin" --passphrase-env PW \
	--enc-md sha1 --enc-iter 1000
signs "enc -pbkdf2 -a (base64 lines)" "$E/pbkdf2-a.b64" --passphrase-env PW
signs "enc -pbkdf2 -a -A (base64, one line)" "$E/pbkdf2-A.b64" --passphrase-env PW
signs "enc -base64 without -pbkdf2" "$E/evp.base64" --passphrase-env PW
signs "enc -md md5 -a -A" "$E/evp-md5-A.b64" --passphrase-env PW
signs "enc -aes-128-cbc with --enc-cipher aes-128-cbc" "$E/aes128.bin" --passphrase-env PW \
	--enc-cipher aes-128-cbc --enc-iter 1000
signs "enc -aes-192-cbc -a with --enc-cipher aes-192-cbc" "$E/aes192.b64" --passphrase-env PW \
	--enc-cipher aes-192-cbc --enc-iter 1000
signs "enc -des-ede3-cbc -pbkdf2 with --enc-cipher des-ede3-cbc" "$E/des3.bin" --passphrase-env PW \
	--enc-cipher des-ede3-cbc --enc-iter 1000
signs "enc -des-ede3-cbc (EVP) with --enc-cipher des-ede3-cbc" "$E/des3-evp.bin" --passphrase-env PW \
	--enc-cipher des-ede3-cbc
signs "enc -nosalt -K -iv, binary" "$E/raw.bin" --enc-key-env EK --enc-iv-env EIV
signs "enc -nosalt -K -iv -base64" "$E/raw.b64" --enc-key-env EK --enc-iv-env EIV
signs "enc -nosalt -K -iv -a -A" "$E/raw-A.b64" --enc-key-env EK --enc-iv-env EIV
signs "enc -nosalt -aes-128-cbc -K -iv" "$E/raw128.bin" --enc-key-env EK128 --enc-iv-env EIV \
	--enc-cipher aes-128-cbc
signs "enc -nosalt -des-ede3-cbc -K -iv -base64" "$E/raw-des3.b64" --enc-key-env EK3 --enc-iv-env EIV3 \
	--enc-cipher des-ede3-cbc
jx 0 "check an openssl enc file: exit 0" "$JG" check --jwt-key-file "$E/pbkdf2.bin" --passphrase-env PW
expect_grep '^encrypted: ' "$T/out" "check an openssl enc file: an encrypted: line"
expect_grep "^public key SHA-256: $WANT_SHA\$" "$T/out" "check an openssl enc file: the public-key SHA-256 equals openssl's"

# -v says which derivation opened an openssl enc file
jx 0 "assertion -v, enc -pbkdf2: exit 0" "$JG" assertion -v --client-id X --username u@example.com \
	--jwt-key-file "$E/pbkdf2.bin" --passphrase-env PW
expect_grep 'PBKDF2' "$T/err" "assertion -v, enc -pbkdf2: names PBKDF2"
jx 0 "assertion -v, enc without -pbkdf2: exit 0" "$JG" assertion -v --client-id X --username u@example.com \
	--jwt-key-file "$E/evp-sha256.bin" --passphrase-env PW
expect_grep 'BytesToKey.*SHA-?256' "$T/err" "assertion -v, enc without -pbkdf2: names EVP_BytesToKey with SHA-256"
jx 0 "assertion -v, enc -md md5: exit 0" "$JG" assertion -v --client-id X --username u@example.com \
	--jwt-key-file "$E/evp-md5.bin" --passphrase-env PW
expect_grep 'BytesToKey.*MD5' "$T/err" "assertion -v, enc -md md5: names EVP_BytesToKey with MD5"
jx 0 "assertion -v, PKCS#8: exit 0" "$JG" assertion -v --client-id X --username u@example.com \
	--jwt-key-file "$KD/p8-sha384-des3.pem" --passphrase-env PW
jx 0 "check -v, traditional: exit 0" "$JG" check -v --jwt-key-file "$KD/trad-aes256.pem" --passphrase-env PW
jx 0 "assertion -v, enc -nosalt -K: exit 0" "$JG" assertion -v --client-id X --username u@example.com \
	--jwt-key-file "$E/raw.b64" --enc-key-env EK --enc-iv-env EIV
expect_no_grep "$EK|$(echo "$EK" | tr a-f A-F)" "$T/err" "assertion -v, enc -nosalt -K: the raw key is not traced"

# --- where the passphrase and the key come from ----------------------------------------------------
P8="$KD/p8-sha256-aes256.pem"
printf '%s\n' "$PASS" > "$T/pw.lf"
printf '%s\r\n' "$PASS" > "$T/pw.crlf"
printf '%s' "$PASS" > "$T/pw.nonl"
printf '%s\nsomething else\n' "$PASS" > "$T/pw.2lines"
signs "--passphrase-file, LF" "$P8" --passphrase-file "$T/pw.lf"
signs "--passphrase-file, CRLF" "$KD/trad-aes128.pem" --passphrase-file "$T/pw.crlf"
signs "--passphrase-file, CRLF, openssl enc" "$E/pbkdf2.bin" --passphrase-file "$T/pw.crlf"
signs "--passphrase-file without a final newline" "$KD/p8-sha1-aes128.pem" --passphrase-file "$T/pw.nonl"
printf 'trailing space \n' > "$T/pw.space"
fixture "PKCS#8 with a passphrase ending in a space" openssl pkcs8 -topk8 -in "$K" -v2 aes-128-cbc -iter 1000 \
	-passout 'pass:trailing space ' -out "$KD/p8-space.pem"
signs "--passphrase-file: spaces are part of the passphrase" "$KD/p8-space.pem" --passphrase-file "$T/pw.space"
signs "--passphrase-file: the first line only" "$KD/p8-sha512-aes256.der" --passphrase-file "$T/pw.2lines"
EXPECT_STDIN="$T/pw.lf" signs "--passphrase-file - (stdin), the key from a file" "$P8" --passphrase-file -
EXPECT_STDIN="$T/pw.crlf" signs "--passphrase-file - (stdin, CRLF), traditional key" "$KD/trad-des3.pem" \
	--passphrase-file -
EXPECT_STDIN=$P8 signs "--jwt-key-file - (stdin) with --passphrase-env" - --passphrase-env PW
EXPECT_STDIN="$E/pbkdf2-a.b64" signs "--jwt-key-file - (stdin), openssl enc base64" - --passphrase-env PW
EXPECT_STDIN=$P8 jx 2 "--jwt-key-file - with --passphrase-file -: exit 2" "$JG" assertion --client-id X \
	--username u@example.com --jwt-key-file - --passphrase-file -
one_line "--jwt-key-file - with --passphrase-file -: one line"
expect_grep 'passphrase-file' "$T/err" "--jwt-key-file - with --passphrase-file -: names --passphrase-file"
JG_KEY=$(cat "$P8") jx 0 "--jwt-key-env holding an encrypted PEM: exit 0" "$JG" assertion --client-id X \
	--username u@example.com --jwt-key-env JG_KEY --passphrase-env PW
sig_ok "--jwt-key-env holding an encrypted PEM"
JG_KEY=$(openssl base64 -A -in "$KD/p8-sha256-des3.der") jx 0 \
	"--jwt-key-env holding base64 of an encrypted DER: exit 0" "$JG" assertion --client-id X \
	--username u@example.com --jwt-key-env JG_KEY --passphrase-env PW
sig_ok "--jwt-key-env holding base64 of an encrypted DER"
unset JG_NO_SUCH_PW
jx 3 "--passphrase-env naming an unset variable: exit 3" "$JG" assertion --client-id X \
	--username u@example.com --jwt-key-file "$P8" --passphrase-env JG_NO_SUCH_PW
expect_grep 'JG_NO_SUCH_PW' "$T/err" "--passphrase-env naming an unset variable: the variable is named"
jx 3 "--passphrase-file that does not exist: exit 3" "$JG" assertion --client-id X \
	--username u@example.com --jwt-key-file "$P8" --passphrase-file "$T/no-such-pw"
expect_grep 'no-such-pw' "$T/err" "--passphrase-file that does not exist: the file is named"
EXPECT_STDIN=/dev/null jx 3 "--passphrase-file - with nothing on stdin: exit 3 (no hang)" "$JG" assertion \
	--client-id X --username u@example.com --jwt-key-file "$P8" --passphrase-file -
# a plain key needs no passphrase and never asks
jx 0 "a plain key without a terminal or passphrase: exit 0" setsid -w "$JG" assertion --client-id X \
	--username u@example.com --jwt-key-file "$K"
sig_ok "a plain key without a terminal or passphrase"

# --- bad options --------------------------------------------------------------------------------------
jx 2 "--enc-cipher bf-cbc: exit 2" "$JG" assertion --client-id X --username u@example.com \
	--jwt-key-file "$E/pbkdf2.bin" --passphrase-env PW --enc-cipher bf-cbc
jx 2 "--enc-md sha3: exit 2" "$JG" assertion --client-id X --username u@example.com \
	--jwt-key-file "$E/pbkdf2.bin" --passphrase-env PW --enc-md sha3
jx 2 "--enc-iter abc: exit 2" "$JG" assertion --client-id X --username u@example.com \
	--jwt-key-file "$E/pbkdf2.bin" --passphrase-env PW --enc-iter abc
jx 2 "--enc-iter 0: exit 2" "$JG" assertion --client-id X --username u@example.com \
	--jwt-key-file "$E/pbkdf2.bin" --passphrase-env PW --enc-iter 0

# --- the passphrase is never taken on the command line -------------------------------------------
refused() { # NAME ARGS... — jwtgrant ARGS exits 2 naming both options, the value not echoed
	_rf_n=$1
	shift
	jx 2 "$_rf_n: exit 2" "$JG" "$@"
	expect_grep '--passphrase-env' "$T/err" "$_rf_n: names --passphrase-env"
	expect_grep '--passphrase-file' "$T/err" "$_rf_n: names --passphrase-file"
	if grep -F -q -e "$PASS_PART" "$T/err" "$T/out"; then
		not_ok "$_rf_n: the value is not repeated" "$(cat "$T/err")"
	else
		ok "$_rf_n: the value is not repeated"
	fi
}
refused "assertion --passphrase VALUE" assertion --client-id X --username u@example.com --jwt-key-file "$P8" \
	--passphrase "$PASS"
refused "assertion --passphrase=VALUE" assertion --client-id X --username u@example.com --jwt-key-file "$P8" \
	"--passphrase=$PASS"
refused "assertion --passin pass:VALUE" assertion --client-id X --username u@example.com --jwt-key-file "$P8" \
	--passin "pass:$PASS"
refused "assertion -k VALUE" assertion --client-id X --username u@example.com --jwt-key-file "$P8" -k "$PASS"
refused "grant --passphrase VALUE" grant --client-id "$CID" --username "$USER" --jwt-key-file "$P8" \
	--passphrase "$PASS"
refused "check --passin pass:VALUE" check --jwt-key-file "$P8" --passin "pass:$PASS"
mkdir "$T/kr"
refused "keygen --encrypt -k VALUE" keygen --encrypt -k "$PASS" --key-out "$T/kr/a.key" --cert-out "$T/kr/a.crt"
same "keygen --encrypt -k VALUE: nothing written" "$(ls "$T/kr")" ""

# --- wrong passphrase, key, IV ---------------------------------------------------------------------
wrong_pass "wrong passphrase, PKCS#8 PEM" "$P8" --passphrase-env WRONG
wrong_pass "wrong passphrase, PKCS#8 DER" "$KD/p8-sha512-aes256.der" --passphrase-env WRONG
wrong_pass "wrong passphrase, PKCS#8 DES-EDE3-CBC" "$KD/p8-sha384-des3.pem" --passphrase-env WRONG
wrong_pass "wrong passphrase, seed recipe key" "$KD/server.pass.key" --passphrase-env PW
wrong_pass "wrong passphrase, traditional AES-256-CBC" "$KD/trad-aes256.pem" --passphrase-env WRONG
wrong_pass "wrong passphrase, traditional DES-EDE3-CBC" "$KD/trad-des3.pem" --passphrase-env WRONG
wrong_pass "wrong passphrase, enc -pbkdf2 binary" "$E/pbkdf2.bin" --passphrase-env WRONG
wrong_pass "wrong passphrase, enc base64" "$E/evp.base64" --passphrase-env WRONG
wrong_pass "wrong passphrase, enc -des-ede3-cbc" "$E/des3.bin" --passphrase-env WRONG \
	--enc-cipher des-ede3-cbc --enc-iter 1000
printf '%s\n' "$WRONG" > "$T/pw.wrong"
wrong_pass "wrong passphrase from --passphrase-file" "$KD/trad-aes128.pem" --passphrase-file "$T/pw.wrong"
EK_BAD=$(openssl rand -hex 32) EIV_BAD=$(openssl rand -hex 16)
export EK_BAD EIV_BAD
wrong_pass "wrong raw key (-K), binary" "$E/raw.bin" --enc-key-env EK_BAD --enc-iv-env EIV
wrong_pass "wrong raw key (-K), base64" "$E/raw.b64" --enc-key-env EK_BAD --enc-iv-env EIV
# Many wrong passphrases: some decrypt to valid CBC padding by chance (about 1 in 256), and must
# still be told as a wrong passphrase.
many_wrong() { # NAME KEY COUNT [ARGS...]
	_mw_n=$1 _mw_k=$2 _mw_c=$3
	shift 3
	_mw_i=0 _mw_bad=
	_mw_want="jwtgrant: key file $_mw_k: wrong passphrase (decryption failed)"
	while [ "$_mw_i" -lt "$_mw_c" ]; do
		JG_WP="wrong $_mw_i $$" timeout -k 5 10 "$JG" assertion --client-id X --username u@example.com \
			--jwt-key-file "$_mw_k" --passphrase-env JG_WP "$@" < /dev/null > "$T/out" 2> "$T/err"
		_mw_rc=$?
		if [ "$_mw_rc" -ne 3 ] || [ "$(cat "$T/err")" != "$_mw_want" ]; then
			_mw_bad="passphrase 'wrong $_mw_i $$': exit $_mw_rc, stderr: $(head -n 2 "$T/err")"
			break
		fi
		_mw_i=$((_mw_i + 1))
	done
	if [ -z "$_mw_bad" ]; then ok "$_mw_n: $_mw_c wrong passphrases, each exit 3 with the wrong-passphrase line"
	else not_ok "$_mw_n: $_mw_c wrong passphrases, each exit 3 with the wrong-passphrase line" "$_mw_bad"; fi
}
many_wrong "PKCS#8 DER" "$KD/p8-sha512-aes256.der" 128
many_wrong "traditional PEM" "$KD/trad-aes128.pem" 64
many_wrong "openssl enc base64 (three derivations tried)" "$E/evp.base64" 64
# A wrong IV garbles only the first CBC block: the padding stays valid and the plaintext is not a key.
bad_file "wrong IV (-iv), binary" "$E/raw.bin" --enc-key-env EK --enc-iv-env EIV_BAD
bad_file "wrong IV (-iv), base64" "$E/raw.b64" --enc-key-env EK --enc-iv-env EIV_BAD
bad_file "enc -iter 2000 read with the default iterations" "$E/pbkdf2-2000.bin" --passphrase-env PW
bad_file "enc -aes-128-cbc read as aes-256-cbc" "$E/aes128.bin" --passphrase-env PW --enc-iter 1000

# --- truncated and corrupted files: exit 3, one line ---------------------------------------------
D8="$KD/p8-sha512-aes256.der"
len=$(wc -c < "$D8")
for n in 1 20 60 $((len / 2)) $((len - 16)) $((len - 1)); do
	head -c "$n" "$D8" > "$T/cut.der"
	bad_file "PKCS#8 DER cut at $n of $len bytes" "$T/cut.der" --passphrase-env PW
done
head -n 5 "$P8" > "$T/cut.pem"
bad_file "PKCS#8 PEM cut after 5 lines" "$T/cut.pem" --passphrase-env PW
head -c $(($(wc -c < "$P8") / 2)) "$P8" > "$T/cut2.pem"
bad_file "PKCS#8 PEM cut in the middle" "$T/cut2.pem" --passphrase-env PW
{ head -n 2 "$P8"; echo "-----END ENCRYPTED PRIVATE KEY-----"; } > "$T/cut3.pem"
bad_file "PKCS#8 PEM with one line of base64" "$T/cut3.pem" --passphrase-env PW
TR="$KD/trad-aes256.pem"
head -n 3 "$TR" > "$T/cut-trad.pem"
bad_file "traditional PEM cut after DEK-Info" "$T/cut-trad.pem" --passphrase-env PW
head -c $(($(wc -c < "$TR") / 2)) "$TR" > "$T/cut-trad2.pem"
bad_file "traditional PEM cut in the middle" "$T/cut-trad2.pem" --passphrase-env PW
{ head -n -2 "$TR"; tail -n 1 "$TR"; } > "$T/cut-trad3.pem"
bad_file "traditional PEM without its last base64 line" "$T/cut-trad3.pem" --passphrase-env PW
EB="$E/pbkdf2.bin"
len=$(wc -c < "$EB")
for n in 8 12 16 17 100 $((len - 16)) $((len - 1)); do
	head -c "$n" "$EB" > "$T/cut.bin"
	bad_file "enc binary cut at $n of $len bytes" "$T/cut.bin" --passphrase-env PW
done
head -c $(($(wc -c < "$E/pbkdf2-a.b64") / 2)) "$E/pbkdf2-a.b64" > "$T/cut.b64"
bad_file "enc base64 cut in the middle" "$T/cut.b64" --passphrase-env PW
len=$(wc -c < "$E/raw.bin")
head -c $((len - 16)) "$E/raw.bin" > "$T/cut-raw.bin"
bad_file "enc -nosalt binary without its last block" "$T/cut-raw.bin" --enc-key-env EK --enc-iv-env EIV
head -c 15 "$E/raw.bin" > "$T/cut-raw2.bin"
bad_file "enc -nosalt binary cut at 15 bytes" "$T/cut-raw2.bin" --enc-key-env EK --enc-iv-env EIV
# Corruption where its effect is certain: the byte 17 from the end is XORed into the last padding byte.
flip "$D8" -17 "$T/flip.der"
bad_file "PKCS#8 DER, a corrupted byte before the last block" "$T/flip.der" --passphrase-env PW
flip "$D8" 12 "$T/flip-oid.der"
bad_file "PKCS#8 DER, a corrupted byte in the algorithm identifier" "$T/flip-oid.der" --passphrase-env PW
flip "$D8" 1 "$T/flip-len.der"
bad_file "PKCS#8 DER, a corrupted length" "$T/flip-len.der" --passphrase-env PW
flip "$EB" -17 "$T/flip.bin"
bad_file "enc binary, a corrupted byte before the last block" "$T/flip.bin" --passphrase-env PW
flip "$EB" 3 "$T/flip-magic.bin"
bad_file "enc binary, a corrupted Salted__ magic" "$T/flip-magic.bin" --passphrase-env PW
flip "$E/raw.bin" -17 "$T/flip-raw.bin"
bad_file "enc -nosalt binary, a corrupted byte before the last block" "$T/flip-raw.bin" \
	--enc-key-env EK --enc-iv-env EIV
# traditional: decode the body, corrupt the same byte, encode it again
sed -n '/^$/,/^-----END/p' "$TR" | grep -v -e '^-----' -e '^$' | openssl base64 -d > "$T/trad.body"
flip "$T/trad.body" -17 "$T/trad.flip"
{ sed -n '1,/^$/p' "$TR"; openssl base64 -in "$T/trad.flip"; tail -n 1 "$TR"; } > "$T/flip-trad.pem"
bad_file "traditional PEM, a corrupted byte before the last block" "$T/flip-trad.pem" --passphrase-env PW
sed 's/^\(DEK-Info: AES-256-CBC,\)../\1ZZ/' "$TR" > "$T/badiv-trad.pem"
bad_file "traditional PEM, DEK-Info IV not hex" "$T/badiv-trad.pem" --passphrase-env PW
sed 's/^\(DEK-Info: AES-256-CBC,\)\(.*\)../\1\2/' "$TR" > "$T/shortiv-trad.pem"
bad_file "traditional PEM, DEK-Info IV one byte short" "$T/shortiv-trad.pem" --passphrase-env PW

# --- ciphers and schemes refused by name ---------------------------------------------------------
sed 's/^DEK-Info: DES-EDE3-CBC,/DEK-Info: DES-CBC,/' "$KD/trad-des3.pem" > "$T/trad-des.pem"
bad_file "traditional PEM with DES-CBC" "$T/trad-des.pem" --passphrase-env PW
expect_grep 'DES-CBC' "$T/err" "traditional PEM with DES-CBC: the cipher is named"
sed 's/^DEK-Info: AES-256-CBC,/DEK-Info: CAMELLIA-256-CBC,/' "$TR" > "$T/trad-camellia.pem"
bad_file "traditional PEM with CAMELLIA-256-CBC" "$T/trad-camellia.pem" --passphrase-env PW
expect_grep 'CAMELLIA-256-CBC' "$T/err" "traditional PEM with CAMELLIA-256-CBC: the cipher is named"

# PBES1: openssl makes it (OpenSSL 3 needs the legacy provider for PBE-MD5-DES); when it cannot, a
# PBES1 EncryptedPrivateKeyInfo is written here by hand (jwtgrant refuses the scheme before
# decrypting, so the ciphertext does not matter).
pbes1_how=
if openssl pkcs8 -topk8 -v1 PBE-MD5-DES -in "$K" -passout env:PW -out "$KD/pbes1.pem" > /dev/null 2>&1; then
	pbes1_how="openssl pkcs8 -topk8 -v1 PBE-MD5-DES"
elif openssl pkcs8 -topk8 -v1 PBE-MD5-DES -provider legacy -provider default -in "$K" -passout env:PW \
	-out "$KD/pbes1.pem" > /dev/null 2>&1; then
	pbes1_how="openssl pkcs8 -topk8 -v1 PBE-MD5-DES -provider legacy"
elif "$JG_PY" -c 'import os, sys
def tlv(t, b):
    n = len(b)
    ln = bytes([n]) if n < 128 else bytes([0x81, n]) if n < 256 else bytes([0x82, n >> 8, n & 255])
    return bytes([t]) + ln + b
alg = tlv(0x30, tlv(6, bytes.fromhex("2a864886f70d010503")) + tlv(0x30, tlv(4, os.urandom(8)) + tlv(2, b"\x08\x00")))
open(sys.argv[1], "wb").write(tlv(0x30, alg + tlv(4, os.urandom(1224))))' "$T/pbes1.der"; then
	pem_of_der "ENCRYPTED PRIVATE KEY" "$T/pbes1.der" "$KD/pbes1.pem"
	pbes1_how="written by hand (this openssl cannot make PBE-MD5-DES)"
fi
echo "# PBES1 test key: $pbes1_how"
if openssl asn1parse -in "$KD/pbes1.pem" 2> /dev/null | grep -q 'pbeWithMD5AndDES-CBC'; then
	bad_file "PBES1 (pbeWithMD5AndDES-CBC) PKCS#8" "$KD/pbes1.pem" --passphrase-env PW
	expect_grep 'PBES1|[Pp]beWithMD5AndDES|PBE-MD5-DES' "$T/err" "PBES1: the scheme is named"
	expect_grep 'openssl pkcs8 -topk8 -v2 aes-256-cbc' "$T/err" "PBES1: the conversion command is given"
else
	not_ok "fixture: a PBES1 pbeWithMD5AndDES-CBC key" "$pbes1_how" "$(openssl asn1parse -in "$KD/pbes1.pem" 2>&1 | head -n 3)"
fi
fixture "PKCS#12 PBE-SHA1-3DES" openssl pkcs8 -topk8 -v1 PBE-SHA1-3DES -in "$K" -passout env:PW \
	-out "$KD/p12pbe.pem"
bad_file "PKCS#12 PBE (pbeWithSHA1And3-KeyTripleDES-CBC) PKCS#8" "$KD/p12pbe.pem" --passphrase-env PW
expect_grep 'PKCS#12|pbeWithSHA1And3-KeyTripleDES|PBE-SHA1-3DES' "$T/err" "PKCS#12 PBE: the scheme is named"
expect_grep 'openssl pkcs8 -topk8 -v2 aes-256-cbc' "$T/err" "PKCS#12 PBE: the conversion command is given"
openssl pkcs8 -topk8 -v1 PBE-SHA1-3DES -in "$K" -passout env:PW -outform DER -out "$KD/p12pbe.der" 2> /dev/null
bad_file "PKCS#12 PBE, DER" "$KD/p12pbe.der" --passphrase-env PW
expect_grep 'openssl pkcs8 -topk8 -v2 aes-256-cbc' "$T/err" "PKCS#12 PBE, DER: the conversion command is given"

# --- PBES2 parameters that openssl does not write but other encoders do, and hostile ones --------
# tests/mock/enc_pbes2.py rewrites the PBKDF2 parameters of D8 (PBKDF2-HMAC-SHA512, AES-256-CBC,
# 1000 iterations) and copies the ciphertext.
EDIT="$JG_TOP/tests/mock/enc_pbes2.py"
pbes2_edit() { # OUT ARGS... — D8 rewritten
	_pe_o=$1
	shift
	if ! "$JG_PY" "$EDIT" "$D8" "$_pe_o" "$@" > "$T/edit.err" 2>&1; then
		not_ok "fixture $(basename "$_pe_o") by enc_pbes2.py $*" "$(head -n 3 "$T/edit.err")"
		return 1
	fi
	chmod 600 "$_pe_o"
}
pbes2_edit "$T/same.der" && same "fixture: enc_pbes2.py without options rewrites D8 byte for byte" \
	"$(sha256sum < "$T/same.der")" "$(sha256sum < "$D8")"
pbes2_edit "$T/keylen.der" --key-length 32 &&
	signs "PKCS#8 with PBKDF2's optional keyLength (32, as other encoders write)" "$T/keylen.der" --passphrase-env PW
pbes2_edit "$T/prfnull.der" --prf-without-null &&
	signs "PKCS#8 with the PRF's parameters absent instead of NULL" "$T/prfnull.der" --passphrase-env PW
pbes2_edit "$T/keylen16.der" --key-length 16 &&
	bad_file "PKCS#8 whose keyLength (16) does not fit AES-256-CBC" "$T/keylen16.der" --passphrase-env PW
pbes2_edit "$T/iter0.der" --iter-bytes 00 && bad_file "PKCS#8 with 0 iterations" "$T/iter0.der" --passphrase-env PW
pbes2_edit "$T/iterneg.der" --iter-bytes ff && bad_file "PKCS#8 with -1 iterations" "$T/iterneg.der" --passphrase-env PW
pbes2_edit "$T/salt0.der" --salt-hex '' && bad_file "PKCS#8 with an empty salt" "$T/salt0.der" --passphrase-env PW
for it in 2147483647 4294967295 18446744073709551615; do
	pbes2_edit "$T/iterbig.der" --iter "$it" || continue
	t0=$(ms_now)
	JG_CMD_TIMEOUT=15 bad_file "PKCS#8 asking for $it iterations" "$T/iterbig.der" --passphrase-env PW
	ms=$(($(ms_now) - t0))
	if [ "$ms" -lt 5000 ]; then ok "PKCS#8 asking for $it iterations: refused in $ms ms (no hang)"
	else not_ok "PKCS#8 asking for $it iterations: refused within 5 s" "took $ms ms"; fi
done

# --- an encrypted key and no passphrase, no terminal: exit 3 at once ------------------------------
# setsid: no controlling terminal, so /dev/tty cannot open; stdin is /dev/null.
no_tty() { # NAME FORMAT-REGEX KEY [ARGS...]
	_nt_n=$1 _nt_f=$2 _nt_k=$3
	shift 3
	_nt_t0=$(ms_now)
	JG_CMD_TIMEOUT=15 jx 3 "$_nt_n, no passphrase, no terminal: exit 3" setsid -w "$JG" assertion \
		--client-id X --username u@example.com --jwt-key-file "$_nt_k" "$@"
	_nt_ms=$(($(ms_now) - _nt_t0))
	if [ "$_nt_ms" -lt 5000 ]; then ok "$_nt_n, no terminal: finished in ${_nt_ms} ms"
	else not_ok "$_nt_n, no terminal: finishes within 5 s" "took ${_nt_ms} ms"; fi
	one_line "$_nt_n, no terminal: one line"
	expect_grep "^jwtgrant: key file $_nt_k is encrypted \(.*$_nt_f.*\): give its passphrase with --passphrase-env VAR or --passphrase-file FILE\$" \
		"$T/err" "$_nt_n, no terminal: the message names the format and both options"
}
no_tty "PKCS#8 PBES2 AES-256-CBC" 'PKCS#8.*AES-256-CBC' "$P8"
no_tty "PKCS#8 DER DES-EDE3-CBC" 'PKCS#8.*DES-EDE3-CBC' "$KD/p8-sha256-des3.der"
no_tty "traditional PEM DES-EDE3-CBC" '[Tt]raditional.*DES-EDE3-CBC' "$KD/trad-des3.pem"
no_tty "openssl enc" 'openssl enc' "$E/pbkdf2.bin"
no_tty "openssl enc base64, aes-128-cbc" 'openssl enc.*AES-128-CBC' "$E/pbkdf2-a.b64" --enc-cipher aes-128-cbc
JG_CMD_TIMEOUT=15 jx 3 "check, no passphrase, no terminal: exit 3" setsid -w "$JG" check --jwt-key-file "$P8"
expect_grep '--passphrase-env VAR or --passphrase-file FILE' "$T/err" "check, no terminal: names both options"

# --- a full grant against the mock token endpoint ---------------------------------------------------
if start_mock --app-cert "$CRT"; then
	grant_enc() { # CODE NAME KEY [ARGS...]
		_ge_c=$1 _ge_n=$2 _ge_k=$3
		shift 3
		jx "$_ge_c" "$_ge_n" "$JG" grant --client-id "$CID" --username "$USER" --jwt-key-file "$_ge_k" \
			--instance-url "$MOCK_URL" --cacert "$PKI/ca.crt" --max-time 10 "$@"
	}
	grant_enc 0 "grant, PKCS#8 PBES2 key: exit 0" "$KD/p8-sha384-des3.pem" --passphrase-env PW
	same "grant, PKCS#8 PBES2 key: authorized" "$(cat "$T/out")" "$SUCCESS"
	grant_enc 0 "grant, traditional key: exit 0" "$KD/trad-aes256.pem" --passphrase-file "$T/pw.crlf"
	same "grant, traditional key: authorized" "$(cat "$T/out")" "$SUCCESS"
	grant_enc 0 "grant -v, openssl enc key: exit 0" "$E/pbkdf2.bin" --passphrase-env PW -v
	same "grant -v, openssl enc key: authorized" "$(cat "$T/out")" "$SUCCESS"
	grant_enc 0 "grant, openssl enc -nosalt -K -iv key: exit 0" "$E/raw.b64" --enc-key-env EK --enc-iv-env EIV
	same "grant, openssl enc -nosalt key: authorized" "$(cat "$T/out")" "$SUCCESS"
	grant_enc 0 "grant --json, PKCS#8 DER key: exit 0" "$KD/p8-sha512-aes256.der" --passphrase-env PW --json
	expect_grep '"status":0' "$T/out" "grant --json, PKCS#8 DER key: status 0"
	before=$(mock_token_requests)
	grant_enc 3 "grant, wrong passphrase: exit 3" "$P8" --passphrase-env WRONG -v
	expect_grep "^jwtgrant: key file $P8: wrong passphrase \(decryption failed\)\$" "$T/err" \
		"grant, wrong passphrase: the message"
	JG_CMD_TIMEOUT=15 jx 3 "grant, no passphrase, no terminal: exit 3" setsid -w "$JG" grant --client-id "$CID" \
		--username "$USER" --jwt-key-file "$P8" --instance-url "$MOCK_URL" --cacert "$PKI/ca.crt" --max-time 10
	same "no token request without the key" "$(mock_token_requests)" "$before"
	stop_mock
fi

# --- the prompt on a terminal (tests/mock/pty_run.py) ---------------------------------------------
# pty_run.py runs the command on a pseudo-terminal, answers its prompts and reports "prompt: ...",
# "echo-during-prompt: on|off", "exit: N" (128 + N and "signal: NAME" for a signal), "echo-after:",
# "answer-echoed: no|yes", then the terminal's output.
pty() { # NAME PTY_ARGS... -- COMMAND... — runs pty_run.py, its report in $T/pty
	_pt_n=$1
	shift
	timeout -k 5 60 "$JG_PY" "$PTY" --timeout 30 "$@" < /dev/null > "$T/pty" 2> "$T/pty.err"
	_pt_rc=$?
	cat "$T/pty" "$T/pty.err" >> "$T/transcript"
	[ -f "$T/pty.out" ] && cat "$T/pty.out" >> "$T/transcript"
	if [ "$_pt_rc" -ne 0 ]; then
		not_ok "$_pt_n: pty_run.py ends without a timeout" "pty_run.py exit $_pt_rc" \
			"$(head -n 8 "$T/pty")" "$(head -n 3 "$T/pty.err")"
		return 1
	fi
	return 0
}
pty_field() { # FIELD — the value of the first "FIELD: " line of the report (not of the output)
	sed -n -e '/^--- output ---$/q' -e "s/^$1: //p" "$T/pty" | head -n 1
}
pty_count() { # LINE — how many report lines are exactly LINE
	sed -n '/^--- output ---$/q; p' "$T/pty" | grep -c -x -F -e "$1"
}
pty_prompts() { # — how many prompts the report lists
	sed -n '/^--- output ---$/q; p' "$T/pty" | grep -c '^prompt: '
}
if [ ! -f "$PTY" ]; then
	not_ok "tests/mock/pty_run.py exists (the prompt tests need it)"
else
	rm -f "$T/pty.out"
	pty "prompt" --stdout "$T/pty.out" --answer "$PASS" -- "$JG" assertion --client-id X \
		--username u@example.com --jwt-key-file "$P8"
	same "prompt: the text" "$(pty_field prompt)" "Passphrase for key file $P8: "
	same "prompt: asked once" "$(pty_count "prompt: Passphrase for key file $P8: ")" 1
	same "prompt: echo off while it asks" "$(pty_field echo-during-prompt)" off
	same "prompt: echo on after" "$(pty_field echo-after)" on
	same "prompt: answered once, and the answer was not echoed" \
		"$(pty_count "action: answer")/$(pty_field answer-echoed)" "1/no"
	same "prompt: exit 0" "$(pty_field exit)" 0
	cp "$T/pty.out" "$T/out" 2> /dev/null || : > "$T/out"
	sig_ok "prompt"
	rm -f "$T/pty.out"
	pty "prompt, traditional" --stdout "$T/pty.out" --answer "$PASS" -- "$JG" assertion --client-id X \
		--username u@example.com --jwt-key-file "$KD/trad-aes128.pem"
	same "prompt, traditional: the text" "$(pty_field prompt)" "Passphrase for key file $KD/trad-aes128.pem: "
	same "prompt, traditional: exit 0" "$(pty_field exit)" 0
	cp "$T/pty.out" "$T/out" 2> /dev/null || : > "$T/out"
	sig_ok "prompt, traditional"
	rm -f "$T/pty.out"
	pty "prompt, openssl enc" --stdout "$T/pty.out" --answer "$PASS" -- "$JG" assertion --client-id X \
		--username u@example.com --jwt-key-file "$E/pbkdf2.bin"
	same "prompt, openssl enc: exit 0" "$(pty_field exit)" 0
	cp "$T/pty.out" "$T/out" 2> /dev/null || : > "$T/out"
	sig_ok "prompt, openssl enc"
	rm -f "$T/pty.out"
	pty "prompt, wrong answer" --answer "$WRONG" -- "$JG" assertion --client-id X --username u@example.com \
		--jwt-key-file "$P8"
	same "prompt, wrong answer: asked, then exit 3" "$(pty_count "action: answer")/$(pty_field exit)" "1/3"
	same "prompt, wrong answer: echo on after" "$(pty_field echo-after)" on
	expect_grep "^jwtgrant: key file $P8: wrong passphrase \(decryption failed\)\$" "$T/pty" \
		"prompt, wrong answer: the message"
	pty "prompt, SIGINT" --signal-at-prompt INT -- "$JG" assertion --client-id X --username u@example.com \
		--jwt-key-file "$P8"
	same "prompt, SIGINT: echo off while it asks" "$(pty_field echo-during-prompt)" off
	same "prompt, SIGINT: killed by SIGINT" "$(pty_field signal)" INT
	same "prompt, SIGINT: exit 130" "$(pty_field exit)" 130
	same "prompt, SIGINT: echo on after" "$(pty_field echo-after)" on
	pty "prompt, SIGTSTP" --stdout "$T/pty.out" --signal-at-prompt TSTP --answer "$PASS" -- "$JG" assertion \
		--client-id X --username u@example.com --jwt-key-file "$P8"
	case $JG in
	*valgrind*)
		# valgrind takes SIGTSTP itself and never lets the program stop (measured: no stop, the
		# prompt goes on), so the stop and the prompt asked again after fg cannot happen there;
		# what can is checked: echo off at the prompt, the answer taken, echo on after.
		same "prompt, SIGTSTP under valgrind: echo off while it asks" \
			"$(pty_field echo-during-prompt)" off
		;;
	*)
		same "prompt, SIGTSTP: stopped" "$(pty_field stopped)" TSTP
		same "prompt, SIGTSTP: echo on while stopped" "$(pty_field echo-while-stopped)" on
		same "prompt, SIGTSTP: asked again after fg, echo off again" \
			"$(pty_count "prompt: Passphrase for key file $P8: ")/$(pty_count "echo-during-prompt: off")" "2/2"
		;;
	esac
	same "prompt, SIGTSTP: exit 0" "$(pty_field exit)" 0
	same "prompt, SIGTSTP: echo on after" "$(pty_field echo-after)" on
	cp "$T/pty.out" "$T/out" 2> /dev/null || : > "$T/out"
	sig_ok "prompt, SIGTSTP then the answer"
	rm -f "$T/pty.out"
	pty "prompt, end of input" --eof -- "$JG" assertion --client-id X --username u@example.com \
		--jwt-key-file "$P8"
	same "prompt, end of input (^D): exit 3" "$(pty_field exit)" 3
	same "prompt, end of input: echo on after" "$(pty_field echo-after)" on
	pty "prompt, the key on stdin" --stdin "$P8" --stdout "$T/pty.out" --answer "$PASS" -- "$JG" assertion \
		--client-id X --username u@example.com --jwt-key-file -
	same "prompt, the key on stdin: the text" "$(pty_field prompt)" "Passphrase for the key on stdin: "
	same "prompt, the key on stdin: exit 0" "$(pty_field exit)" 0
	cp "$T/pty.out" "$T/out" 2> /dev/null || : > "$T/out"
	sig_ok "prompt, the key on stdin"
	rm -f "$T/pty.out"
	JG_KEY=$(openssl base64 -A -in "$KD/p8-sha256-des3.der")
	export JG_KEY
	pty "prompt, the key in a variable" --stdout "$T/pty.out" --answer "$PASS" -- "$JG" assertion \
		--client-id X --username u@example.com --jwt-key-env JG_KEY
	unset JG_KEY
	# shellcheck disable=SC2016 # the variable's name, as jwtgrant writes it
	same "prompt, the key in a variable: the text" "$(pty_field prompt)" 'Passphrase for the key in $JG_KEY: '
	same "prompt, the key in a variable: exit 0" "$(pty_field exit)" 0
	cp "$T/pty.out" "$T/out" 2> /dev/null || : > "$T/out"
	sig_ok "prompt, the key in a variable"
	rm -f "$T/pty.out"
	pty "a passphrase option and a terminal: no prompt" --stdout "$T/pty.out" -- "$JG" assertion \
		--client-id X --username u@example.com --jwt-key-file "$P8" --passphrase-env PW
	same "--passphrase-env on a terminal: no prompt, exit 0" "$(pty_prompts)/$(pty_field exit)" "0/0"
	rm -f "$T/pty.out"
	# keygen --encrypt: an existing file is refused before asking anything
	: > "$T/exists.key"
	pty "keygen --encrypt over an existing key" --answer "$PASS" --answer "$PASS" -- "$JG" keygen --encrypt \
		--kdf-iter 1000 --key-out "$T/exists.key" --cert-out "$T/exists.crt"
	same "keygen --encrypt over an existing key: exit 3 without asking" "$(pty_prompts)/$(pty_field exit)" "0/3"
	# keygen --encrypt: SIGINT at the second prompt leaves nothing behind
	pty "keygen --encrypt, SIGINT at the second prompt" --answer "$PASS" --signal-at-prompt INT -- "$JG" keygen \
		--encrypt --kdf-iter 1000 --key-out "$T/pi.key" --cert-out "$T/pi.crt"
	same "keygen --encrypt, SIGINT at the second prompt: asked twice, killed by SIGINT" \
		"$(pty_prompts)/$(pty_field signal)" "2/INT"
	same "keygen --encrypt, SIGINT at the second prompt: echo on after" "$(pty_field echo-after)" on
	if [ ! -e "$T/pi.key" ] && [ ! -e "$T/pi.crt" ]; then
		ok "keygen --encrypt, SIGINT at the second prompt: no key or certificate left"
	else
		not_ok "keygen --encrypt, SIGINT at the second prompt: no key or certificate left" "$(ls -d "$T"/pi.*)"
	fi
	# keygen --encrypt asks twice
	pty "keygen --encrypt prompt" --answer "$PASS" --answer "$PASS" -- "$JG" keygen --encrypt --kdf-iter 1000 \
		--key-out "$T/pk.key" --cert-out "$T/pk.crt"
	same "keygen --encrypt prompt: exit 0" "$(pty_field exit)" 0
	same "keygen --encrypt prompt: asked twice" "$(pty_prompts)" 2
	same "keygen --encrypt prompt: echo off at both prompts" "$(pty_count "echo-during-prompt: off")" 2
	same "keygen --encrypt prompt: echo on after" "$(pty_field echo-after)" on
	same "keygen --encrypt prompt: answered twice, and the answers were not echoed" \
		"$(pty_count "action: answer")/$(pty_field answer-echoed)" "2/no"
	if openssl pkey -in "$T/pk.key" -passin env:PW -noout > "$T/ossl.err" 2>&1; then
		ok "keygen --encrypt prompt: openssl pkey opens the key with the passphrase typed"
	else
		not_ok "keygen --encrypt prompt: openssl pkey opens the key with the passphrase typed" "$(head -n 3 "$T/ossl.err")"
	fi
	pty "keygen --encrypt prompt, mismatch" --answer "$PASS" --answer "$WRONG" -- "$JG" keygen --encrypt \
		--kdf-iter 1000 --key-out "$T/pm.key" --cert-out "$T/pm.crt"
	same "keygen --encrypt prompt, mismatch: asked twice, then exit 3" \
		"$(pty_count "action: answer")/$(pty_field exit)" "2/3"
	same "keygen --encrypt prompt, mismatch: echo on after" "$(pty_field echo-after)" on
	if [ ! -e "$T/pm.key" ] && [ ! -e "$T/pm.crt" ]; then
		ok "keygen --encrypt prompt, mismatch: no key or certificate left"
	else
		not_ok "keygen --encrypt prompt, mismatch: no key or certificate left" "$(ls -d "$T"/pm.*)"
	fi
fi

# --- keygen --encrypt ------------------------------------------------------------------------------
KG="$T/kg.key" KGC="$T/kg.crt"
jx 0 "keygen --encrypt --kdf-iter 1000 --passphrase-env: exit 0" "$JG" keygen --encrypt --kdf-iter 1000 \
	--passphrase-env PW --key-out "$KG" --cert-out "$KGC" --subject "enc test"
if openssl pkey -in "$KG" -passin env:PW -noout > "$T/ossl.err" 2>&1; then
	ok "keygen --encrypt: openssl pkey opens the key with the passphrase"
else
	not_ok "keygen --encrypt: openssl pkey opens the key with the passphrase" "$(head -n 3 "$T/ossl.err")"
fi
if [ ! -s "$KG" ] || openssl pkey -in "$KG" -passin env:WRONG -noout > /dev/null 2>&1; then
	not_ok "keygen --encrypt: openssl pkey refuses another passphrase"
else
	ok "keygen --encrypt: openssl pkey refuses another passphrase"
fi
same "keygen --encrypt: key mode 0600" "$(stat -c %a "$KG" 2> /dev/null)" 600
same "keygen --encrypt: the key is a PEM ENCRYPTED PRIVATE KEY" "$(head -n 1 "$KG" 2> /dev/null)" \
	"-----BEGIN ENCRYPTED PRIVATE KEY-----"
openssl asn1parse -in "$KG" > "$T/asn1" 2>&1
expect_grep ':PBES2$' "$T/asn1" "keygen --encrypt: asn1parse shows PBES2"
expect_grep ':PBKDF2$' "$T/asn1" "keygen --encrypt: asn1parse shows PBKDF2"
expect_grep ':hmacWithSHA256$' "$T/asn1" "keygen --encrypt: asn1parse shows hmacWithSHA256"
expect_grep ':aes-256-cbc$' "$T/asn1" "keygen --encrypt: asn1parse shows aes-256-cbc"
expect_grep 'prim: INTEGER +:03E8$' "$T/asn1" "keygen --encrypt: asn1parse shows 1000 iterations"
octets_after() { # OID-NAME — the length of the first OCTET STRING after that OID in $T/asn1
	awk -v m=":$1\$" '$0 ~ m { f = 1; next }
		f && /prim: OCTET STRING/ { sub(/.*l= */, ""); sub(/ .*/, ""); print; exit }' "$T/asn1"
}
same "keygen --encrypt: a 16-byte salt (the OCTET STRING after PBKDF2)" "$(octets_after PBKDF2)" 16
same "keygen --encrypt: a 16-byte IV (the OCTET STRING after aes-256-cbc)" "$(octets_after aes-256-cbc)" 16
same "keygen --encrypt: the certificate holds the key's public key" \
	"$(openssl x509 -noout -pubkey -in "$KGC" 2> /dev/null)" \
	"$(openssl pkey -in "$KG" -passin env:PW -pubout 2> /dev/null || echo "(openssl pkey could not read the key)")"
openssl x509 -noout -pubkey -in "$KGC" > "$T/kg.pub" 2> /dev/null
jx 0 "check keygen's encrypted key: exit 0" "$JG" check --jwt-key-file "$KG" --passphrase-env PW
expect_grep '^encrypted: PBES2, PBKDF2-HMAC-SHA256 \(1000 iterations\), AES-256-CBC$' "$T/out" \
	"check keygen's encrypted key: encrypted: PBES2, PBKDF2-HMAC-SHA256 (1000 iterations), AES-256-CBC"
jx 0 "check keygen's encrypted key and certificate: exit 0" "$JG" check --jwt-key-file "$KG" \
	--passphrase-env PW --cert "$KGC"
expect_grep "^key matches certificate: yes\$" "$T/out" "check keygen's encrypted key: matches its certificate"
SIGNS_PUB="$T/kg.pub" signs "assertion with keygen's encrypted key" "$KG" --passphrase-env PW
wrong_pass "wrong passphrase, keygen's encrypted key" "$KG" --passphrase-env WRONG
if start_mock --app-cert "$KGC"; then
	jx 0 "grant with keygen's encrypted key against a mock holding its certificate: exit 0" "$JG" grant \
		--client-id "$CID" --username "$USER" --jwt-key-file "$KG" --passphrase-env PW \
		--instance-url "$MOCK_URL" --cacert "$PKI/ca.crt" --max-time 10
	same "grant with keygen's encrypted key: authorized" "$(cat "$T/out")" "$SUCCESS"
	stop_mock
fi
jx 0 "keygen --encrypt --passphrase-file (CRLF): exit 0" "$JG" keygen --encrypt --kdf-iter 1000 \
	--passphrase-file "$T/pw.crlf" --key-out "$T/kf.key" --cert-out "$T/kf.crt"
if openssl pkey -in "$T/kf.key" -passin env:PW -noout > "$T/ossl.err" 2>&1; then
	ok "keygen --encrypt --passphrase-file (CRLF): the passphrase is the line without CR LF"
else
	not_ok "keygen --encrypt --passphrase-file (CRLF): the passphrase is the line without CR LF" "$(head -n 3 "$T/ossl.err")"
fi
jx 0 "keygen --encrypt with the default iterations: exit 0" "$JG" keygen --encrypt --passphrase-env PW \
	--key-out "$T/kd.key" --cert-out "$T/kd.crt"
openssl asn1parse -in "$T/kd.key" > "$T/asn1d" 2>&1
expect_grep 'prim: INTEGER +:0927C0$' "$T/asn1d" "keygen --encrypt default: 600000 iterations (asn1parse)"
jx 0 "check keygen's default encrypted key: exit 0" "$JG" check --jwt-key-file "$T/kd.key" --passphrase-env PW
expect_grep '^encrypted: PBES2, PBKDF2-HMAC-SHA256 \(600000 iterations\), AES-256-CBC$' "$T/out" \
	"check keygen's default encrypted key: 600000 iterations"
mkdir "$T/kn"
JG_CMD_TIMEOUT=15 jx 3 "keygen --encrypt, no passphrase, no terminal: exit 3" setsid -w "$JG" keygen --encrypt \
	--kdf-iter 1000 --key-out "$T/kn/a.key" --cert-out "$T/kn/a.crt"
expect_grep '--passphrase-env' "$T/err" "keygen --encrypt, no terminal: names --passphrase-env"
same "keygen --encrypt, no terminal: nothing written" "$(ls "$T/kn")" ""
jx 0 "keygen -v --encrypt: exit 0" "$JG" keygen -v --encrypt --kdf-iter 1000 --passphrase-env PW \
	--key-out "$T/kv.key" --cert-out "$T/kv.crt"
expect_no_grep 'PRIVATE KEY-----|MII' "$T/out" "keygen -v --encrypt: no key bytes on stdout"

# --- the passphrase never appears -------------------------------------------------------------------
if grep -F -q -e "$PASS_PART" "$T/transcript"; then
	not_ok "the passphrase appears in no output of any run (-v and the terminal included)" \
		"$(grep -F -e "$PASS_PART" "$T/transcript" | head -n 3)"
else
	ok "the passphrase appears in no output of any run (-v and the terminal included, $(wc -l < "$T/transcript") lines)"
fi
