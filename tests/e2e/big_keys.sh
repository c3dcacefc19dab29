#!/bin/sh
# RSA keys past BearSSL's 4,096-bit limit (issue 12, item 1): BearSSL 0.6's private-key decoder
# overflows its fixed buffer on a key of about 5,000 bits or more, so jwtgrant must refuse them
# from the DER before decoding, with exit 3 and a message naming the limit, in every command
# (check, assertion, grant) and from every source (file, stdin, --jwt-key-env); a 4,096-bit key
# still works everywhere. Also a 4,096-bit key whose modulus is not p * q (BearSSL cannot
# recompute n at that size) is refused. Keys are cached under build/test-keys/ (8,192 bits takes
# seconds to make).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

grant_suite 30
unset JWTGRANT_NOW
KEYS=$JG_TOP/build/test-keys
mkdir -p "$KEYS"

key_of() { # BITS — the cached PKCS#8 PEM key of that size, made on first use
	_k=$KEYS/rsa$1.pem
	if [ ! -s "$_k" ]; then
		if [ "$1" = 4097 ]; then # OpenSSL 3.0 makes 4,096 bits when asked for 4,097
			timeout 120 "$JG_PY" "$JG_TOP/tests/mock/rsa_key.py" 4097 "$T/k.der" &&
				openssl pkey -inform DER -in "$T/k.der" -out "$_k.tmp" 2>/dev/null
		else
			timeout 120 openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:"$1" \
				-out "$_k.tmp" 2>/dev/null
		fi && mv "$_k.tmp" "$_k"
	fi
	echo "$_k"
}

for bits in 4096 4097 5000 8192; do
	k=$(key_of $bits)
	got=$(openssl pkey -in "$k" -noout -text 2>/dev/null | head -n 1)
	case $got in
	*"($bits bit"*) ok "RSA-$bits test key made" ;;
	*) not_ok "RSA-$bits test key made" "$got"; continue ;;
	esac
	chmod 600 "$k"
	openssl pkey -in "$k" -traditional -outform DER -out "$T/k$bits.p1.der" 2>/dev/null
	chmod 600 "$T/k$bits.p1.der"
done

# run_all WANT BITS — every command from every source with the RSA-BITS key
run_all() {
	_k=$(key_of "$2")
	for cmd in check assertion grant; do
		set -- "$1" "$2"
		case $cmd in
		check) args="check" ;;
		assertion) args="assertion -i $CID -u $USER" ;;
		grant) args="grant -i $CID -u $USER -r $MOCK_URL --cacert $PKI/ca.crt" ;;
		esac
		# shellcheck disable=SC2086 # $args is several words on purpose
		for src in file stdin env der; do
			case $src in
			file) expect_exit "$1" "RSA-$2 $cmd --jwt-key-file: exit $1" "$JG" $args -f "$_k" ;;
			stdin) EXPECT_STDIN=$_k expect_exit "$1" "RSA-$2 $cmd from stdin: exit $1" "$JG" $args -f - ;;
			env) JG_KEY=$(cat "$_k") expect_exit "$1" "RSA-$2 $cmd --jwt-key-env: exit $1" \
				"$JG" $args --jwt-key-env JG_KEY ;;
			der) expect_exit "$1" "RSA-$2 $cmd PKCS#1 DER file: exit $1" "$JG" $args -f "$T/k$2.p1.der" ;;
			esac
			if [ "$1" -eq 3 ]; then
				expect_grep "is an RSA key of $2 bits; the limit is 4096 bits" "$T/err" \
					"RSA-$2 $cmd $src: the message names the 4096-bit limit"
			fi
		done
	done
}

openssl req -new -x509 -key "$(key_of 4096)" -subj /CN=k4096 -days 2 -out "$T/k4096.crt" 2>/dev/null
start_mock --app-cert "$T/k4096.crt" || exit 1
run_all 0 4096
grep -q "^Successfully authorized $USER" "$T/out" && ok "RSA-4096: grant succeeds" ||
	not_ok "RSA-4096: grant succeeds" "$(cat "$T/out" "$T/err")"
before=$(mock_token_requests)
for bits in 4097 5000 8192; do
	run_all 3 $bits
done
[ "$(mock_token_requests)" = "$before" ] && ok "no big key reached the token endpoint" ||
	not_ok "no big key reached the token endpoint" "$(mock_token_requests) requests, $before before"

# --- a 4,096-bit key whose n is not p * q --------------------------------------------------------
timeout 120 "$JG_PY" "$JG_TOP/tests/mock/rsa_key.py" 4096 "$T/bad-n.der" --bad-modulus
chmod 600 "$T/bad-n.der"
expect_exit 3 "RSA-4096 with n not p*q: check refuses it" "$JG" check -f "$T/bad-n.der"
expect_grep "is not a consistent RSA private key" "$T/err" "RSA-4096 with n not p*q: check says why"
expect_exit 3 "RSA-4096 with n not p*q: assertion refuses it" \
	"$JG" assertion -i "$CID" -u "$USER" -f "$T/bad-n.der"

# --- a small modulus with one oversized part (a 1,550-byte d): overflowed the decoder too -------
cp "$JG_TOP/fuzz/corpus/key/huge-d.der" "$T/huge-d.der" && chmod 600 "$T/huge-d.der"
expect_exit 3 "a 2048-bit key with a 1,550-byte d: check refuses it" "$JG" check -f "$T/huge-d.der"
expect_grep "is a malformed RSA private key" "$T/err" "a 1,550-byte d: the message says malformed"
