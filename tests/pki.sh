#!/bin/sh
# tests/pki.sh DIR — build the throwaway PKI used by the end-to-end tests.
#
# Idempotent: nothing happens when DIR/.done holds the checksum of this script (a PKI made by an
# older version of it is made again, so that new certificates appear). The files are built in a temporary
# sibling directory and moved into place at the end, so a half-built DIR is never used.
# Everything here is test material: keys are unencrypted and live under build/.
#
#   ca.key ca.crt               root CA "jwtgrant test CA" (the one tests pass to --cacert)
#   server.key server.crt       SAN DNS:localhost (RSA 2048)
#   server-ip.crt               SAN DNS:localhost, IP:127.0.0.1, IP:::1   (key: server.key)
#   wronghost.crt               SAN DNS:wrong.example.invalid only       (key: server.key)
#   expired.crt                 DNS:localhost, valid 2010-01-01 .. 2011-01-01 (key: server.key)
#   notyet.crt                  DNS:localhost, valid 2090-01-01 .. 2091-01-01 (key: server.key)
#   other-ca.key other-ca.crt   a second root CA that jwtgrant is never told about
#   unknown-ca.crt              DNS:localhost signed by other-ca          (key: server.key)
#   server-ec.key server-ec.crt ECDSA P-256 server certificate, DNS:localhost, signed by ca
#   inter.key inter.crt         intermediate CA signed by ca
#   server-chain.crt            leaf (DNS:localhost, key server.key) signed by inter, then inter.crt
#   server-nochain.crt          the same leaf alone (its issuer is not sent: untrusted)
#   chain-misordered.crt        the same leaf, then ca.crt, then inter.crt (out of order)
#   chain-extra.crt             the same leaf, then other-ca.crt (not on the path), then inter.crt
#   clientauth.crt              DNS:localhost, extendedKeyUsage clientAuth only (key: server.key)
#   server-clientauth.crt       DNS:localhost, extendedKeyUsage serverAuth, clientAuth (key: server.key)
#   app.key                     Connected App private key, RSA 2048, PKCS#8 "PRIVATE KEY"
#   app-rsa.key                 the same key as PKCS#1 "RSA PRIVATE KEY"
#   app.crt                     self-signed certificate of app.key (the one uploaded to the app)
#   app-pub.pem                 public key of app.crt
#   app2.key                    another RSA 2048 key (PKCS#8) that does NOT match app.crt
#   ec.key                      an ECDSA P-256 key (PKCS#8), for "not an RSA key" tests
#
# "Valid now" certificates are valid 2020-01-01 .. 2049-12-31, so tests that pin the clock
# (JWTGRANT_NOW) anywhere in that range still see them as valid; the CA certificates are valid
# 2000-01-01 .. 2099-12-31.
set -eu

if [ $# -ne 1 ]; then
	echo "usage: tests/pki.sh DIR" >&2
	exit 2
fi
dest=$1
stamp=$(cksum < "$0")
fresh() { [ -f "$dest/.done" ] && [ "$(cat "$dest/.done")" = "$stamp" ]; }
fresh && exit 0

parent=$(dirname "$dest")
mkdir -p "$parent"
work=$(mktemp -d "$parent/.pki-build.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM
cd "$work"

VALID_FROM=20200101000000Z VALID_TO=20491231235959Z
CA_FROM=20000101000000Z CA_TO=20991231235959Z

mkdir -p ca-db/new
: > ca-db/index.txt
echo 1000 > ca-db/serial
echo 'unique_subject = no' > ca-db/index.txt.attr

# One configuration for every signature. The SAN and key usage of a leaf come from the
# environment (JG_SAN, JG_KU) because they differ per certificate.
cat > ca-db/openssl.cnf <<'EOF'
[ ca ]
default_ca = jg_ca

[ jg_ca ]
dir = ca-db
database = $dir/index.txt
new_certs_dir = $dir/new
serial = $dir/serial
default_md = sha256
policy = jg_policy
unique_subject = no
copy_extensions = none
email_in_dn = no
name_opt = ca_default
cert_opt = ca_default

[ jg_policy ]
organizationName = optional
organizationalUnitName = optional
commonName = supplied

[ req ]
distinguished_name = jg_dn
prompt = no

[ jg_dn ]
CN = unused

[ ca_ext ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[ inter_ext ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[ server_ext ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, $ENV::JG_KU
extendedKeyUsage = $ENV::JG_EKU
subjectAltName = $ENV::JG_SAN
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[ app_ext ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
subjectKeyIdentifier = hash
EOF
export JG_SAN=DNS:localhost JG_KU='digitalSignature, keyEncipherment' JG_EKU=serverAuth
cnf=ca-db/openssl.cnf

rsa_key() { # OUT — RSA 2048, PKCS#8
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null
}
ec_key() { # OUT — ECDSA P-256, PKCS#8
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null
}
csr() { # KEY SUBJECT OUT
	openssl req -new -config "$cnf" -key "$1" -subj "$2" -out "$3"
}
# sign CSR OUT EXTENSIONS FROM TO [CA_CERT CA_KEY]; without CA_CERT the CSR is self-signed
# with the key given as CA_KEY.
sign() {
	_csr=$1 _out=$2 _ext=$3 _from=$4 _to=$5
	if [ $# -ge 7 ] && [ -n "$6" ]; then
		openssl ca -batch -notext -config "$cnf" -cert "$6" -keyfile "$7" -in "$_csr" \
			-out "$_out" -extensions "$_ext" -startdate "$_from" -enddate "$_to" 2>/dev/null
	else
		openssl ca -batch -notext -config "$cnf" -selfsign -keyfile "$7" -in "$_csr" \
			-out "$_out" -extensions "$_ext" -startdate "$_from" -enddate "$_to" 2>/dev/null
	fi
}
leaf() { # OUT SAN FROM TO CA_CERT CA_KEY [KEY [KU]] — the CN is the first DNS name of SAN
	_key=${7:-server.key}
	JG_SAN=$2 JG_KU=${8:-digitalSignature, keyEncipherment}
	_cn=${2#DNS:}
	_cn=${_cn%%,*}
	csr "$_key" "/CN=$_cn" ca-db/leaf.csr
	sign ca-db/leaf.csr "$1" server_ext "$3" "$4" "$5" "$6"
	JG_SAN=DNS:localhost
}

# Root CAs.
rsa_key ca.key
csr ca.key "/O=jwtgrant tests/CN=jwtgrant test CA" ca-db/ca.csr
sign ca-db/ca.csr ca.crt ca_ext $CA_FROM $CA_TO "" ca.key
rsa_key other-ca.key
csr other-ca.key "/O=jwtgrant tests/CN=jwtgrant other test CA" ca-db/other-ca.csr
sign ca-db/other-ca.csr other-ca.crt ca_ext $CA_FROM $CA_TO "" other-ca.key

# Server certificates (all on server.key unless said otherwise).
rsa_key server.key
leaf server.crt DNS:localhost $VALID_FROM $VALID_TO ca.crt ca.key
leaf server-ip.crt 'DNS:localhost, IP:127.0.0.1, IP:::1' $VALID_FROM $VALID_TO ca.crt ca.key
leaf wronghost.crt DNS:wrong.example.invalid $VALID_FROM $VALID_TO ca.crt ca.key
leaf expired.crt DNS:localhost 20100101000000Z 20110101000000Z ca.crt ca.key
leaf notyet.crt DNS:localhost 20900101000000Z 20910101000000Z ca.crt ca.key
leaf unknown-ca.crt DNS:localhost $VALID_FROM $VALID_TO other-ca.crt other-ca.key
ec_key server-ec.key
leaf server-ec.crt DNS:localhost $VALID_FROM $VALID_TO ca.crt ca.key server-ec.key \
	digitalSignature

# An intermediate CA and a leaf under it, with and without the chain.
rsa_key inter.key
csr inter.key "/O=jwtgrant tests/CN=jwtgrant test intermediate CA" ca-db/inter.csr
sign ca-db/inter.csr inter.crt inter_ext $CA_FROM $CA_TO ca.crt ca.key
leaf server-nochain.crt DNS:localhost $VALID_FROM $VALID_TO inter.crt inter.key
cat server-nochain.crt inter.crt > server-chain.crt
cat server-nochain.crt ca.crt inter.crt > chain-misordered.crt
cat server-nochain.crt other-ca.crt inter.crt > chain-extra.crt

# Leaves for other purposes than a TLS server's, and for both.
JG_EKU=clientAuth
leaf clientauth.crt DNS:localhost $VALID_FROM $VALID_TO ca.crt ca.key
JG_EKU='serverAuth, clientAuth'
leaf server-clientauth.crt DNS:localhost $VALID_FROM $VALID_TO ca.crt ca.key
JG_EKU=serverAuth

# The Connected App's key pair and certificate, and keys that do not belong to it.
rsa_key app.key
openssl pkey -in app.key -traditional -out app-rsa.key 2>/dev/null
csr app.key "/O=jwtgrant tests/CN=jwtgrant test app" ca-db/app.csr
sign ca-db/app.csr app.crt app_ext $VALID_FROM $VALID_TO "" app.key
openssl x509 -in app.crt -pubkey -noout > app-pub.pem
rsa_key app2.key
ec_key ec.key

chmod 600 ./*.key
rm -f ca-db/*.csr
echo "$stamp" > .done

cd - >/dev/null
if fresh; then
	exit 0 # another run finished first; keep its files
fi
rm -rf "$dest"
mv "$work" "$dest" 2>/dev/null || fresh
trap - EXIT
rm -rf "$work"
