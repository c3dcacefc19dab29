#include "crypto/key.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/file.h"
#include "base/trace.h"
#include "base/wipe.h"
#include "crypto/base64.h"
#include "crypto/pem.h"
#include "x509/der.h"

#define DER_MAX (16 * 1024)

/* A label for a message: anything but printable ASCII shown as '?', so that an ESC sequence in
 * a file's PEM label never reaches the terminal. */
static void copy_label(char *out, size_t cap, const char *label)
{
	size_t n = 0;
	for (; label[n] != '\0' && n + 1 < cap; n++)
		out[n] = (char)(label[n] >= 0x20 && label[n] < 0x7f ? label[n] : '?');
	out[n] = '\0';
}

/*
 * What a walk over the PEM objects found. It stops at the first private key, plain or
 * encrypted (PKCS#8 "ENCRYPTED PRIVATE KEY", opened by crypto/encrypted.h), whose DER is left in
 * the walk's buffer (der points there), or at the first object that does not decode;
 * `encrypted` tells the label it stopped at.
 */
struct pem_findings {
	const unsigned char *der;
	size_t der_len;
	int found_key, certificate, public_key, encrypted, ec, openssh, other;
	int broken; /* an object did not decode, or did not fit */
	char other_label[64];
};

static int visit_object(void *ctx, jg_pem_event event, const char *label,
	const unsigned char *der, size_t len)
{
	struct pem_findings *f = ctx;
	if (event == JG_PEM_BEGIN)
		return 0;
	f->encrypted = strcmp(label, "ENCRYPTED PRIVATE KEY") == 0;
	if (event != JG_PEM_OBJECT) {
		f->broken = 1;
		return 1;
	}
	if (f->encrypted || strcmp(label, "PRIVATE KEY") == 0 ||
		strcmp(label, "RSA PRIVATE KEY") == 0) {
		f->der = der; /* the walk stops here, so its buffer keeps the bytes */
		f->der_len = len;
		f->found_key = 1;
		return 1;
	}
	if (strcmp(label, "CERTIFICATE") == 0 || strcmp(label, "TRUSTED CERTIFICATE") == 0)
		f->certificate = 1;
	else if (strcmp(label, "PUBLIC KEY") == 0 || strcmp(label, "RSA PUBLIC KEY") == 0)
		f->public_key = 1;
	else if (strcmp(label, "EC PRIVATE KEY") == 0)
		f->ec = 1;
	else if (strcmp(label, "OPENSSH PRIVATE KEY") == 0)
		f->openssh = 1;
	else if (!f->other) {
		f->other = 1;
		copy_label(f->other_label, sizeof f->other_label, label);
	}
	return 0;
}

/* Turn the two-character sequences "\n" and "\r" into real line ends, in place. */
static size_t unescape_newlines(unsigned char *text, size_t len)
{
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		if (text[i] == '\\' && i + 1 < len && (text[i + 1] == 'n' || text[i + 1] == 'r')) {
			if (text[i + 1] == 'n')
				text[o++] = '\n';
			i++;
			continue;
		}
		text[o++] = text[i];
	}
	return o;
}

/* The reason a PEM text without a usable key was refused. */
static jg_status refuse_pem(const struct pem_findings *f, const char *origin, jg_error *err)
{
	if (f->encrypted)
		return jg_fail(err, JG_ERR_INPUT,
			"%s holds an encrypted private key that does not decode; check that it was copied whole",
			origin);
	if (f->ec)
		return jg_fail(err, JG_ERR_INPUT,
			"%s holds an EC private key; Salesforce signs with RS256, which needs an RSA key "
			"(make one with: jwtgrant keygen)", origin);
	if (f->openssh)
		return jg_fail(err, JG_ERR_INPUT,
			"%s is an OpenSSH private key; convert a copy to PKCS#8 PEM: ssh-keygen -p -m PKCS8 -f COPY",
			origin);
	if (f->certificate)
		return jg_fail(err, JG_ERR_INPUT,
			"%s holds a certificate, not a private key; give the private key whose certificate "
			"you uploaded to the Connected App", origin);
	if (f->public_key)
		return jg_fail(err, JG_ERR_INPUT,
			"%s holds a public key, not a private key; give the private key", origin);
	if (f->other)
		return jg_fail(err, JG_ERR_INPUT,
			"%s holds a PEM '%s' object, not a private key; give an RSA private key "
			/* the labels split so that a scan for committed keys does not take them for one */
			"(-----BEGIN " "PRIVATE KEY----- or -----BEGIN RSA " "PRIVATE KEY-----)", origin,
			f->other_label);
	return jg_fail(err, JG_ERR_INPUT,
		"%s has a PEM block that does not decode; check that the key was copied whole", origin);
}

/* --- a DER peek (src/x509/der.h), to say why BearSSL refused a key, and to read n and e --- */

struct rsa_public_view {
	const unsigned char *n, *e;
	size_t nlen, elen;
	unsigned bits;
	int fits; /* every INTEGER fits br_skey_decoder's buffer (see rsa_fields_fit) */
};

static const unsigned char oid_rsa[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01 };
static const unsigned char oid_ec[] = { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01 };

enum peek { PEEK_UNKNOWN, PEEK_RSA, PEEK_EC, PEEK_OTHER_ALG };

/* An unsigned INTEGER's bytes without leading zeros (one byte is kept for zero). */
static jg_der_span strip_integer(jg_der_span v)
{
	while (v.len > 1 && v.data[0] == 0) {
		v.data++;
		v.len--;
	}
	return v;
}

/* The number of significant bits of a big-endian unsigned integer without leading zeros. */
static unsigned bit_length(jg_der_span v)
{
	if (v.len == 0 || v.data[0] == 0)
		return 0;
	unsigned bits = (unsigned)v.len * 8;
	for (unsigned char top = v.data[0]; !(top & 0x80); top = (unsigned char)(top << 1))
		bits--;
	return bits;
}

static int span_is(jg_der_span span, const unsigned char *bytes, size_t len)
{
	return span.len == len && memcmp(span.data, bytes, len) == 0;
}

static enum peek peek_key(const unsigned char *der, size_t len, int inner,
	struct rsa_public_view *pub);

/*
 * The rest of a PKCS#8 PrivateKeyInfo after its version: the AlgorithmIdentifier `algorithm`
 * (already read), then OCTET STRING { key }, the key peeked in turn.
 */
static enum peek peek_pkcs8(jg_der_reader *info, jg_der_span algorithm,
	struct rsa_public_view *pub)
{
	jg_der_reader r;
	jg_der_tlv oid, key;
	jg_der_reader_init(&r, algorithm.data, algorithm.len);
	if (jg_der_read_expect(&r, JG_DER_OID, &oid) != JG_DER_OK)
		return PEEK_UNKNOWN;
	if (span_is(oid.value, oid_ec, sizeof oid_ec))
		return PEEK_EC;
	if (!span_is(oid.value, oid_rsa, sizeof oid_rsa))
		return PEEK_OTHER_ALG;
	if (jg_der_read_expect(info, JG_DER_OCTET_STRING, &key) != JG_DER_OK)
		return PEEK_UNKNOWN;
	return peek_key(key.value.data, key.value.len, 1, pub);
}

/* The room in br_skey_decoder_context for a key's parts: 3 * BR_X509_BUFSIZE_SIG, 1,536 bytes. */
#define DECODER_KEY_ROOM sizeof(((br_skey_decoder_context *)0)->key_data)

/*
 * After n and e of a PKCS#1 RSAPrivateKey: d, p, q, dp, dq, qinv, checked against what BearSSL
 * 0.6's br_skey_decoder does with them (src/x509/skey_decoder.t0). It reads each INTEGER,
 * leading zeros dropped, into its key_data buffer: n, e and d one after the other at its start,
 * then p, q, dp, dq and qinv side by side. Its bound is 3 * BR_X509_BUFSIZE_KEY (1,560 bytes),
 * 24 more than the buffer holds, and five parts of a 5,000-bit key already need 1,565: an
 * overflow of the caller's stack. So the decoder only sees keys whose every part fits: each at
 * most 512 bytes (a 4,096-bit key's parts are at most that) and the five CRT parts together
 * within the buffer. 1 when they do.
 */
static int rsa_fields_fit(jg_der_reader *key)
{
	jg_der_tlv field;
	size_t crt = 0;
	for (int i = 0; i < 6; i++) {
		if (jg_der_read_expect(key, JG_DER_INTEGER, &field) != JG_DER_OK)
			return 0;
		size_t len = strip_integer(field.value).len;
		if (len > JG_KEY_MAX_BITS / 8)
			return 0;
		if (i > 0)
			crt += len;
	}
	return crt <= DECODER_KEY_ROOM;
}

/*
 * Classify a PKCS#1 RSAPrivateKey (SEQUENCE { version, n, e, d, p, q, dp, dq, qinv }), a PKCS#8
 * PrivateKeyInfo (SEQUENCE { version, AlgorithmIdentifier, OCTET STRING { key } }; `inner` is
 * set inside one, where another is not allowed) or a SEC1 ECPrivateKey (SEQUENCE { version,
 * OCTET STRING, ... }), and for RSA point n and e into der (leading zeros stripped) and say
 * whether the parts fit the decoder. BearSSL recomputes e only when p = q = 3 mod 4, which keys
 * made elsewhere need not satisfy, so we read both from the DER.
 */
static enum peek peek_key(const unsigned char *der, size_t len, int inner,
	struct rsa_public_view *pub)
{
	jg_der_reader top, key;
	jg_der_tlv version, next, exponent;
	jg_der_reader_init(&top, der, len);
	if (jg_der_enter(&top, JG_DER_SEQUENCE, &key) != JG_DER_OK ||
		jg_der_read_expect(&key, JG_DER_INTEGER, &version) != JG_DER_OK ||
		jg_der_read(&key, &next) != JG_DER_OK)
		return PEEK_UNKNOWN;
	if (next.tag == JG_DER_SEQUENCE && !inner)
		return peek_pkcs8(&key, next.value, pub);
	if (next.tag == JG_DER_OCTET_STRING)
		return PEEK_EC;
	if (next.tag != JG_DER_INTEGER || /* PKCS#1: n follows the version */
		jg_der_read_expect(&key, JG_DER_INTEGER, &exponent) != JG_DER_OK)
		return PEEK_UNKNOWN;
	jg_der_span n = strip_integer(next.value), e = strip_integer(exponent.value);
	pub->n = n.data;
	pub->nlen = n.len;
	pub->bits = bit_length(n);
	pub->e = e.data;
	pub->elen = e.len;
	pub->fits = pub->bits <= JG_KEY_MAX_BITS && e.len <= JG_KEY_MAX_BITS / 8 &&
		rsa_fields_fit(&key);
	return PEEK_RSA;
}

/* --- decoding ----------------------------------------------------------------------------------- */

/*
 * Copy the CRT parts out of the decoder context (which is then wiped) into key->sk_buf, leading
 * zeros stripped: DER integers carry a zero byte when their top bit is set, and five 257-byte
 * parts would not fit the 4096-bit buffer. Returns -1 when they still do not fit.
 */
static int copy_private(jg_key *key, const br_rsa_private_key *sk)
{
	const unsigned char *src[5] = { sk->p, sk->q, sk->dp, sk->dq, sk->iq };
	size_t len[5] = { sk->plen, sk->qlen, sk->dplen, sk->dqlen, sk->iqlen };
	unsigned char *dst[5];
	size_t used = 0;
	for (size_t i = 0; i < 5; i++) {
		while (len[i] > 1 && *src[i] == 0) {
			src[i]++;
			len[i]--;
		}
		if (len[i] > sizeof key->sk_buf - used)
			return -1;
		dst[i] = key->sk_buf + used;
		memcpy(dst[i], src[i], len[i]);
		used += len[i];
	}
	key->sk.n_bitlen = sk->n_bitlen;
	key->sk.p = dst[0];
	key->sk.plen = len[0];
	key->sk.q = dst[1];
	key->sk.qlen = len[1];
	key->sk.dp = dst[2];
	key->sk.dplen = len[2];
	key->sk.dq = dst[3];
	key->sk.dqlen = len[3];
	key->sk.iq = dst[4];
	key->sk.iqlen = len[4];
	return 0;
}

/*
 * 1 when a signature made with the private key verifies with the public key. Where n cannot be
 * recomputed from p and q, this is what ties the n and e read from the DER to the private key:
 * a key whose n is not p * q fails here instead of signing assertions nobody can verify.
 */
static int pair_signs(const br_rsa_private_key *sk, const br_rsa_public_key *pk)
{
	static const unsigned char probe[32] = "jwtgrant: does n belong to p, q?";
	unsigned char sig[JG_KEY_MAX_BITS / 8], hash[sizeof probe];
	size_t siglen = (sk->n_bitlen + 7) / 8;
	int ok = siglen <= sizeof sig && pk->nlen == siglen &&
		br_rsa_pkcs1_sign_get_default()(BR_HASH_OID_SHA256, probe, sizeof probe, sk, sig) &&
		br_rsa_pkcs1_vrfy_get_default()(sig, siglen, BR_HASH_OID_SHA256, sizeof hash, pk, hash) &&
		memcmp(hash, probe, sizeof hash) == 0;
	jg_wipe(sig, sizeof sig);
	return ok;
}

/*
 * Take n and e from the DER. n must have the private key's bit length and be the product of p
 * and q: compared with the modulus BearSSL recomputes where it can, and otherwise (i31 refuses
 * exactly-4096-bit moduli: its scratch space is a few words short) checked with a signature
 * made with the private key and verified with n and e.
 */
static jg_status copy_public(jg_key *key, const struct rsa_public_view *pub, const char *origin,
	jg_error *err)
{
	unsigned char *computed = key->pk_buf; /* scratch, overwritten below */
	size_t clen = br_rsa_compute_modulus_get_default()(computed, &key->sk);
	int consistent = pub->bits == key->sk.n_bitlen && pub->elen > 0 && pub->elen <= 4 &&
		(clen == 0 || (clen == pub->nlen && memcmp(computed, pub->n, clen) == 0));
	if (consistent) {
		memcpy(key->pk_buf, pub->n, pub->nlen);
		memcpy(key->pk_buf + pub->nlen, pub->e, pub->elen);
		key->pk.n = key->pk_buf;
		key->pk.nlen = pub->nlen;
		key->pk.e = key->pk_buf + pub->nlen;
		key->pk.elen = pub->elen;
		consistent = clen != 0 || pair_signs(&key->sk, &key->pk);
	}
	if (!consistent)
		return jg_fail(err, JG_ERR_INPUT, "%s is not a consistent RSA private key; export it again",
			origin);
	return JG_OK;
}

static jg_status refuse_der(const unsigned char *der, size_t len, const char *origin, jg_error *err)
{
	struct rsa_public_view pub = { 0 };
	switch (peek_key(der, len, 0, &pub)) {
	case PEEK_EC:
		return jg_fail(err, JG_ERR_INPUT,
			"%s is an EC private key; Salesforce signs with RS256, which needs an RSA key "
			"(make one with: jwtgrant keygen)", origin);
	case PEEK_OTHER_ALG:
		return jg_fail(err, JG_ERR_INPUT,
			"%s is not an RSA private key (another algorithm); Salesforce needs RS256: "
			"use an RSA key of 2048 to 4096 bits (jwtgrant keygen)", origin);
	case PEEK_RSA:
		if (pub.bits > JG_KEY_MAX_BITS)
			return jg_fail(err, JG_ERR_INPUT,
				"%s is an RSA key of %u bits; the limit is %d bits (BearSSL's); "
				"use a 2048 to 4096-bit key (jwtgrant keygen --bits 4096)", origin, pub.bits,
				JG_KEY_MAX_BITS);
		return jg_fail(err, JG_ERR_INPUT, "%s is a malformed RSA private key; export it again", origin);
	default:
		return jg_fail(err, JG_ERR_INPUT,
			"%s is not a private key: expected PEM (-----BEGIN " "PRIVATE KEY----- or "
			"-----BEGIN RSA " "PRIVATE KEY-----), DER, or base64 of either", origin);
	}
}

/*
 * The DER goes to br_skey_decoder only once peek_key has read it as an RSA key whose every part
 * fits the decoder's buffer (rsa_fields_fit): anything else is refused from the peek alone.
 */
static jg_status decode_der(const unsigned char *der, size_t len, const char *origin, jg_key *key,
	jg_error *err)
{
	struct rsa_public_view pub = { 0 };
	if (peek_key(der, len, 0, &pub) != PEEK_RSA || !pub.fits)
		return refuse_der(der, len, origin, err);
	br_skey_decoder_context dc;
	br_skey_decoder_init(&dc);
	br_skey_decoder_push(&dc, der, len);
	jg_status st = JG_OK;
	const br_rsa_private_key *sk = br_skey_decoder_get_rsa(&dc);
	if (br_skey_decoder_last_error(&dc) != 0 || sk == NULL)
		st = refuse_der(der, len, origin, err);
	else if (sk->n_bitlen < JG_KEY_MIN_BITS)
		st = jg_fail(err, JG_ERR_INPUT,
			"%s is an RSA key of %u bits; Salesforce needs at least %d bits: "
			"make a new key (jwtgrant keygen) and upload its certificate",
			origin, (unsigned)sk->n_bitlen, JG_KEY_MIN_BITS);
	else {
		key->bits = sk->n_bitlen;
		if (copy_private(key, sk) != 0)
			st = jg_fail(err, JG_ERR_INPUT, "%s is a malformed RSA private key; export it again", origin);
		else
			st = copy_public(key, &pub, origin, err);
	}
	jg_wipe(&dc, sizeof dc);
	return st;
}

static jg_status decode_any(unsigned char *buf, size_t len, const char *origin, int depth,
	jg_key_unlock *unlock, jg_key *key, jg_error *err);

/* Base64 of PEM or DER (a CI secret stored as one line). */
static jg_status decode_base64(const unsigned char *text, size_t len, const char *origin,
	int depth, jg_key_unlock *unlock, jg_key *key, jg_error *err)
{
	static unsigned char raw[JG_KEY_INPUT_MAX];
	size_t rlen = 0;
	jg_status st;
	if (depth > 0 || jg_base64_decode((const char *)text, len, raw, sizeof raw, &rlen,
			JG_B64_STD | JG_B64_SKIP_SPACE) != 0 || rlen == 0)
		st = refuse_der(text, len, origin, err);
	else
		st = decode_any(raw, rlen, origin, depth + 1, unlock, key, err);
	jg_wipe(raw, len < sizeof raw ? len : sizeof raw); /* base64 output is shorter than its input */
	return st;
}

/* --- encrypted keys ----------------------------------------------------------------------------- */

jg_status jg_key_refuse_encrypted(const char *origin, const jg_enc_info *info, jg_error *err)
{
	return jg_fail(err, JG_ERR_INPUT, "%s is encrypted (%s, %s): give its passphrase with "
		"--passphrase-env VAR or --passphrase-file FILE", origin, info->format_name,
		jg_cipher_name(info->cipher));
}

/*
 * Open the container: the passphrase asked for (none for a raw key and IV), the plaintext into
 * plain[0..cap), wiped by the caller.
 */
static jg_status open_container(const unsigned char *buf, size_t len, const char *origin,
	jg_key_unlock *u, unsigned char *plain, size_t cap, size_t *plain_len, jg_error *err)
{
	static unsigned char pass[JG_KEY_PASSPHRASE_MAX];
	size_t pass_len = 0;
	jg_status st = JG_OK;
	if (u->info.format != JG_ENC_RAW) {
		if (u->passphrase == NULL)
			return jg_key_refuse_encrypted(origin, &u->info, err);
		st = u->passphrase(u->ctx, origin, &u->info, pass, sizeof pass, &pass_len, err);
	}
	if (st == JG_OK)
		st = jg_enc_open(buf, len, origin, &u->enc, pass, pass_len, &u->info, plain, cap,
			plain_len, err);
	jg_wipe(pass, pass_len);
	return st;
}

/*
 * An encrypted key, opened and its plaintext decoded as any key would be (but never opened
 * again: a container inside a container is refused). *handled is 0 when buf is not encrypted.
 */
static jg_status decode_encrypted(const unsigned char *buf, size_t len, const char *origin,
	int depth, jg_key_unlock *unlock, jg_key *key, jg_error *err, int *handled)
{
	static unsigned char plain[JG_KEY_INPUT_MAX];
	jg_key_unlock none; /* no options, no passphrase: encrypted keys are refused */
	memset(&none, 0, sizeof none);
	jg_key_unlock *u = unlock != NULL ? unlock : &none;
	jg_status st = jg_enc_detect(buf, len, origin, &u->enc, &u->info, err);
	*handled = st != JG_OK || u->info.format != JG_ENC_NONE;
	if (!*handled || st != JG_OK)
		return st;
	size_t plain_len = 0;
	st = open_container(buf, len, origin, u, plain, sizeof plain, &plain_len, err);
	if (st == JG_OK) {
		jg_trace("%s is encrypted (%s); opened with %s", origin, u->info.description,
			u->info.derivation);
		st = decode_any(plain, plain_len, origin, depth + 1, &none, key, err);
	}
	jg_wipe(plain, plain_len);
	return st;
}

/*
 * PEM: the first private key found, its DER decoded or, encrypted, opened. An encrypted
 * object that is not an EncryptedPrivateKeyInfo, like anything else, is refused by refuse_pem.
 */
static jg_status decode_pem(const unsigned char *text, size_t len, const char *origin,
	int depth, jg_key_unlock *unlock, jg_key *key, jg_error *err)
{
	static unsigned char scratch[DER_MAX]; /* the objects' bytes; wiped after use */
	struct pem_findings f;
	jg_pem_reader r;
	memset(&f, 0, sizeof f);
	jg_pem_reader_init(&r, NULL, scratch, sizeof scratch, visit_object, &f);
	(void)jg_pem_reader_push(&r, text, len);
	(void)jg_pem_reader_finish(&r);
	jg_status st;
	if (!f.found_key) {
		st = refuse_pem(&f, origin, err);
	} else if (!f.encrypted) {
		st = decode_der(f.der, f.der_len, origin, key, err);
	} else {
		int handled = 0;
		/* Once opened, the plaintext may be PEM that walks over scratch again: the DER here is
		 * not read after it was opened. */
		st = decode_encrypted(f.der, f.der_len, origin, depth, unlock, key, err, &handled);
		if (!handled)
			st = refuse_pem(&f, origin, err);
	}
	jg_wipe(scratch, r.used);
	return st;
}

/* --- any form ----------------------------------------------------------------------------------- */

static jg_status decode_any(unsigned char *buf, size_t len, const char *origin, int depth,
	jg_key_unlock *unlock, jg_key *key, jg_error *err)
{
	int handled = 0;
	int pem = jg_pem_looks_like(buf, len);
	if (pem && memmem(buf, len, "\\n", 2) != NULL)
		len = unescape_newlines(buf, len);
	jg_status st = decode_encrypted(buf, len, origin, depth, unlock, key, err, &handled);
	if (handled)
		return st;
	if (pem)
		return decode_pem(buf, len, origin, depth, unlock, key, err);
	if (len > 0 && buf[0] == 0x30)
		return decode_der(buf, len, origin, key, err);
	return decode_base64(buf, len, origin, depth, unlock, key, err);
}

jg_status jg_key_load_bytes(const unsigned char *in, size_t len, const char *origin, jg_key *key,
	jg_error *err)
{
	return jg_key_unlock_bytes(in, len, origin, NULL, key, err);
}

/* The key's text: read or copied here once, then decoded in place (literal \n unescaped). */
static unsigned char key_text[JG_KEY_INPUT_MAX];

/* Decode key_text[0..len), then wipe what was used of it. */
static jg_status decode_key_text(size_t len, const char *origin, jg_key_unlock *unlock,
	jg_key *key, jg_error *err)
{
	memset(key, 0, sizeof *key);
	jg_status st = decode_any(key_text, len, origin, 0, unlock, key, err);
	jg_wipe(key_text, len); /* only what was used: wiping untouched pages would only grow the RSS */
	if (st != JG_OK)
		jg_key_wipe(key);
	return st;
}

jg_status jg_key_unlock_bytes(const unsigned char *in, size_t len, const char *origin,
	jg_key_unlock *unlock, jg_key *key, jg_error *err)
{
	if (len > sizeof key_text)
		return jg_fail(err, JG_ERR_INPUT, "%s is larger than %d bytes; is it the right file?",
			origin, JG_KEY_INPUT_MAX);
	memcpy(key_text, in, len);
	return decode_key_text(len, origin, unlock, key, err);
}

jg_status jg_key_load_file(const char *path, jg_key_unlock *unlock, jg_key *key, jg_error *err)
{
	char origin[600];
	size_t len = 0;
	if (strcmp(path, "-") == 0)
		(void)snprintf(origin, sizeof origin, "the key on stdin");
	else
		(void)snprintf(origin, sizeof origin, "key file %.500s", path);
	jg_status st = jg_file_read(path, "key file", key_text, sizeof key_text, &len, err);
	if (st != JG_OK)
		return st; /* jg_file_read wiped what it had read */
	return decode_key_text(len, origin, unlock, key, err);
}

jg_status jg_key_load_env(const char *name, jg_key_unlock *unlock, jg_key *key, jg_error *err)
{
	const char *value = getenv(name);
	char origin[200];
	(void)snprintf(origin, sizeof origin, "the key in $%.150s", name);
	if (value == NULL)
		return jg_fail(err, JG_ERR_INPUT, "environment variable %s is not set; export the key into it "
			"or use --jwt-key-file", name);
	size_t len = strlen(value);
	if (len == 0)
		return jg_fail(err, JG_ERR_INPUT, "environment variable %s is empty; it should hold the "
			"private key (PEM, PEM with \\n, or base64)", name);
	return jg_key_unlock_bytes((const unsigned char *)value, len, origin, unlock, key, err);
}

void jg_key_wipe(jg_key *key)
{
	jg_wipe(key, sizeof *key);
}
