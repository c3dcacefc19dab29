/*
 * PKCS#8 EncryptedPrivateKeyInfo (RFC 5958 section 3, RFC 5208 section 6) with PBES2 (RFC 8018
 * section 6.2 and appendix A), read and written:
 *
 *   EncryptedPrivateKeyInfo ::= SEQUENCE {
 *     encryptionAlgorithm  SEQUENCE { OID pbes2 1.2.840.113549.1.5.13, PBES2-params },
 *     encryptedData        OCTET STRING }   -- a PrivateKeyInfo, CBC with PKCS#7 padding
 *   PBES2-params ::= SEQUENCE {
 *     keyDerivationFunc    SEQUENCE { OID pbkdf2 1.2.840.113549.1.5.12, PBKDF2-params },
 *     encryptionScheme     SEQUENCE { OID aes128-CBC 2.16.840.1.101.3.4.1.2 (aes192 .22,
 *                                     aes256 .42) or des-ede3-cbc 1.2.840.113549.3.7,
 *                                     OCTET STRING iv } }
 *   PBKDF2-params ::= SEQUENCE {
 *     salt                 OCTET STRING,    -- RFC 8018's otherSource choice is unused
 *     iterationCount       INTEGER (1..MAX),
 *     keyLength            INTEGER OPTIONAL, -- if there, the cipher's key length in bytes
 *     prf                  SEQUENCE { OID hmacWithSHA1 1.2.840.113549.2.7 (SHA224 .8,
 *                                     SHA256 .9, SHA384 .10, SHA512 .11), NULL OPTIONAL }
 *                          DEFAULT hmacWithSHA1 }
 *
 * The key is PBKDF2-HMAC-<prf>(passphrase, salt, iterationCount) cut to the cipher's key
 * length; the IV is encryptionScheme's. The older schemes, PBES1 (1.2.840.113549.1.5.x) and
 * PKCS#12's PBEs (1.2.840.113549.1.12.1.x), and PBES2 with scrypt, another PRF or another
 * cipher are refused by name, with the openssl command that re-encrypts the key with PBES2.
 * The DER reader is x509/der.h's; the PEM walk, crypto/pem.h's.
 */
#include "crypto/encrypted.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "base/wipe.h"
#include "crypto/encrypted_impl.h"
#include "crypto/kdf.h"
#include "crypto/pem.h"
#include "x509/der.h"

#define PEM_LABEL "ENCRYPTED PRIVATE KEY"
#define SALT_MAX 64     /* bytes of PBKDF2 salt accepted; OpenSSL writes 16, older ones 8 */
#define HEAD_MAX 1024   /* decoded PEM bytes enough for the AlgorithmIdentifier (detect) */

/* OID content bytes: whole OIDs, and prefixes whose last arc (one byte) names the member. */
static const unsigned char oid_pkcs5[] = {      /* 1.2.840.113549.1.5.x */
	0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x05
};
static const unsigned char oid_pkcs12_pbe[] = { /* 1.2.840.113549.1.12.1.x */
	0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x0C, 0x01
};
static const unsigned char oid_digest[] = {     /* 1.2.840.113549.2.x (hmacWithSHA*) */
	0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x02
};
static const unsigned char oid_rsadsi_cipher[] = { /* 1.2.840.113549.3.x (des-ede3-cbc: 7) */
	0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x03
};
static const unsigned char oid_nist_aes[] = {   /* 2.16.840.1.101.3.4.1.x */
	0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01
};
static const unsigned char oid_scrypt[] = {     /* 1.3.6.1.4.1.11591.4.11 (RFC 7914) */
	0x2B, 0x06, 0x01, 0x04, 0x01, 0xDA, 0x47, 0x04, 0x0B
};
static const unsigned char oid_des_cbc[] = { 0x2B, 0x0E, 0x03, 0x02, 0x07 }; /* 1.3.14.3.2.7 */

enum {
	ARC_PBKDF2 = 12,      /* under oid_pkcs5 */
	ARC_PBES2 = 13,
	ARC_HMAC_SHA1 = 7,    /* under oid_digest, to ARC_HMAC_SHA512 = 11 */
	ARC_DES_EDE3_CBC = 7, /* under oid_rsadsi_cipher */
	ARC_AES128_CBC = 2,   /* under oid_nist_aes */
	ARC_AES192_CBC = 22,
	ARC_AES256_CBC = 42
};

typedef struct named_arc {
	unsigned arc;
	const char *name;
} named_arc;

static const named_arc pbes1_names[] = {
	{ 1, "pbeWithMD2AndDES-CBC" }, { 3, "pbeWithMD5AndDES-CBC" },
	{ 4, "pbeWithMD2AndRC2-CBC" }, { 6, "pbeWithMD5AndRC2-CBC" },
	{ 10, "pbeWithSHA1AndDES-CBC" }, { 11, "pbeWithSHA1AndRC2-CBC" }, { 0, NULL }
};
static const named_arc pkcs12_names[] = {
	{ 1, "pbeWithSHAAnd128BitRC4" }, { 2, "pbeWithSHAAnd40BitRC4" },
	{ 3, "pbeWithSHAAnd3-KeyTripleDES-CBC" }, { 4, "pbeWithSHAAnd2-KeyTripleDES-CBC" },
	{ 5, "pbeWithSHAAnd128BitRC2-CBC" }, { 6, "pbeWithSHAAnd40BitRC2-CBC" }, { 0, NULL }
};
static const named_arc prf_names[] = {
	{ 5, "hmacWithMD5" }, { 12, "hmacWithSHA512-224" }, { 13, "hmacWithSHA512-256" },
	{ 0, NULL }
};
static const named_arc rsadsi_cipher_names[] = {
	{ 2, "RC2-CBC" }, { 4, "RC4" }, { 9, "RC5-CBC-PAD" }, { 0, NULL }
};

/* What the AlgorithmIdentifier says, and where encryptedData is (full parse only). */
typedef struct pbes2_params {
	jg_cipher cipher;
	const br_hash_class *prf;
	unsigned long iterations;
	unsigned long key_length; /* keyLength, when has_key_length */
	int has_key_length;
	size_t salt_len;
	unsigned char salt[SALT_MAX];
	unsigned char iv[JG_CIPHER_MAX_BLOCK];
	jg_der_span data;
} pbes2_params;

/* --- OIDs ---------------------------------------------------------------------------------- */

/* 1 when oid is prefix[0..n) and one more arc below 128, stored in *arc. */
static int arc_under(jg_der_span oid, const unsigned char *prefix, size_t n, unsigned *arc)
{
	if (oid.len != n + 1 || memcmp(oid.data, prefix, n) != 0 || oid.data[n] >= 0x80)
		return 0;
	*arc = oid.data[n];
	return 1;
}

static const char *arc_name(const named_arc *table, unsigned arc)
{
	for (; table->name != NULL; table++) {
		if (table->arc == arc)
			return table->name;
	}
	return NULL;
}

/* "OID 1.2.3.4", for a refusal naming what has no name here. */
static void dotted_oid(jg_der_span oid, char *out, size_t cap)
{
	char dotted[48];
	if (jg_der_oid_text(oid.data, oid.len, dotted, sizeof dotted) != JG_DER_OK)
		(void)snprintf(dotted, sizeof dotted, "unreadable");
	(void)snprintf(out, cap, "OID %s", dotted);
}

/* The name of a refused OID: from the table of the arcs under prefix, else dotted. */
static void name_oid(jg_der_span oid, const unsigned char *prefix, size_t n,
	const named_arc *table, char *out, size_t cap)
{
	unsigned arc = 0;
	const char *name = arc_under(oid, prefix, n, &arc) ? arc_name(table, arc) : NULL;
	if (name != NULL)
		(void)snprintf(out, cap, "%s", name);
	else
		dotted_oid(oid, out, cap);
}

static jg_cipher cipher_of(jg_der_span oid)
{
	unsigned arc = 0;
	if (arc_under(oid, oid_nist_aes, sizeof oid_nist_aes, &arc)) {
		return arc == ARC_AES128_CBC ? JG_CIPHER_AES_128_CBC :
			arc == ARC_AES192_CBC ? JG_CIPHER_AES_192_CBC :
			arc == ARC_AES256_CBC ? JG_CIPHER_AES_256_CBC : JG_CIPHER_NONE;
	}
	if (arc_under(oid, oid_rsadsi_cipher, sizeof oid_rsadsi_cipher, &arc) &&
		arc == ARC_DES_EDE3_CBC)
		return JG_CIPHER_DES_EDE3_CBC;
	return JG_CIPHER_NONE;
}

static const br_hash_class *prf_of(jg_der_span oid)
{
	static const br_hash_class *const hashes[] = { &br_sha1_vtable, &br_sha224_vtable,
		&br_sha256_vtable, &br_sha384_vtable, &br_sha512_vtable };
	unsigned arc = 0;
	if (!arc_under(oid, oid_digest, sizeof oid_digest, &arc) || arc < ARC_HMAC_SHA1 ||
		arc - ARC_HMAC_SHA1 >= sizeof hashes / sizeof hashes[0])
		return NULL;
	return hashes[arc - ARC_HMAC_SHA1];
}

/* --- refusals ------------------------------------------------------------------------------ */

/* encryptionAlgorithm is not PBES2. */
static jg_status refuse_scheme(jg_der_span oid, const char *origin, jg_error *err)
{
	char name[80];
	unsigned arc = 0;
	const char *family = "an encryption scheme";
	if (arc_under(oid, oid_pkcs5, sizeof oid_pkcs5, &arc) && arc_name(pbes1_names, arc)) {
		family = "PBES1";
		name_oid(oid, oid_pkcs5, sizeof oid_pkcs5, pbes1_names, name, sizeof name);
	} else if (arc_under(oid, oid_pkcs12_pbe, sizeof oid_pkcs12_pbe, &arc) &&
		arc_name(pkcs12_names, arc)) {
		family = "a PKCS#12 scheme";
		name_oid(oid, oid_pkcs12_pbe, sizeof oid_pkcs12_pbe, pkcs12_names, name, sizeof name);
	} else {
		dotted_oid(oid, name, sizeof name);
	}
	return jg_fail(err, JG_ERR_INPUT, "%s is encrypted with %s (%s), which jwtgrant does not "
		"read; re-encrypt it with PBES2: " JG_ENC_CONVERT, origin, family, name);
}

/* PBES2 with a part we do not read: `what` is "key derivation", "PRF" or "cipher". */
static jg_status refuse_part(const char *what, const char *name, const char *origin,
	jg_error *err)
{
	return jg_fail(err, JG_ERR_INPUT, "%s is encrypted with PBES2 and the %s %s, which jwtgrant "
		"does not read (it reads PBKDF2 with HMAC-SHA1/224/256/384/512 and AES-128/192/256-CBC "
		"or DES-EDE3-CBC); re-encrypt it: " JG_ENC_CONVERT, origin, what, name);
}

/* --- reading ------------------------------------------------------------------------------- */

/* A non-negative INTEGER, saturated at ULONG_MAX; -1 when it is not one. */
static int read_count(jg_der_reader *r, unsigned long *value)
{
	jg_der_tlv tlv;
	if (jg_der_read_expect(r, JG_DER_INTEGER, &tlv) != JG_DER_OK || tlv.value.len == 0 ||
		(tlv.value.data[0] & 0x80) != 0)
		return -1;
	unsigned long v = 0;
	for (size_t i = 0; i < tlv.value.len; i++) {
		if (v > (ULONG_MAX >> 8)) {
			v = ULONG_MAX;
			break;
		}
		v = (v << 8) | tlv.value.data[i];
	}
	*value = v;
	return 0;
}

/* prf: SEQUENCE { OID, NULL OPTIONAL } */
static jg_status parse_prf(jg_der_reader *r, const char *origin, pbes2_params *p, jg_error *err)
{
	jg_der_reader alg;
	jg_der_tlv oid, null;
	if (jg_der_enter(r, JG_DER_SEQUENCE, &alg) != JG_DER_OK ||
		jg_der_read_expect(&alg, JG_DER_OID, &oid) != JG_DER_OK)
		return jg_enc_fail_corrupt(origin, err);
	if (!jg_der_at_end(&alg) && (jg_der_read_expect(&alg, JG_DER_NULL, &null) != JG_DER_OK ||
		null.value.len != 0 || !jg_der_at_end(&alg)))
		return jg_enc_fail_corrupt(origin, err);
	p->prf = prf_of(oid.value);
	if (p->prf == NULL) {
		char name[80];
		name_oid(oid.value, oid_digest, sizeof oid_digest, prf_names, name, sizeof name);
		return refuse_part("PRF", name, origin, err);
	}
	return JG_OK;
}

/* PBKDF2-params, inside keyDerivationFunc after its OID. */
static jg_status parse_pbkdf2(jg_der_reader *kdf, const char *origin, pbes2_params *p,
	jg_error *err)
{
	jg_der_reader params;
	jg_der_tlv salt;
	if (jg_der_enter(kdf, JG_DER_SEQUENCE, &params) != JG_DER_OK || !jg_der_at_end(kdf) ||
		jg_der_read_expect(&params, JG_DER_OCTET_STRING, &salt) != JG_DER_OK ||
		salt.value.len == 0 || salt.value.len > SALT_MAX ||
		read_count(&params, &p->iterations) != 0 || p->iterations == 0)
		return jg_enc_fail_corrupt(origin, err);
	memcpy(p->salt, salt.value.data, salt.value.len);
	p->salt_len = salt.value.len;
	if (jg_der_peek_tag(&params) == JG_DER_INTEGER) {
		if (read_count(&params, &p->key_length) != 0)
			return jg_enc_fail_corrupt(origin, err);
		p->has_key_length = 1;
	}
	p->prf = &br_sha1_vtable;
	if (jg_der_peek_tag(&params) == JG_DER_SEQUENCE) {
		jg_status status = parse_prf(&params, origin, p, err);
		if (status != JG_OK)
			return status;
	}
	if (!jg_der_at_end(&params))
		return jg_enc_fail_corrupt(origin, err);
	if (p->iterations > JG_ENC_MAX_ITERATIONS)
		return jg_fail(err, JG_ERR_INPUT, "%s asks for more than %lu PBKDF2 iterations, the "
			"most jwtgrant runs; re-encrypt it with fewer (openssl pkcs8 -topk8 -v2 "
			"aes-256-cbc -iter 600000 ...)", origin, JG_ENC_MAX_ITERATIONS);
	return JG_OK;
}

/* encryptionScheme: SEQUENCE { OID, OCTET STRING iv } */
static jg_status parse_cipher(jg_der_reader *r, const char *origin, pbes2_params *p,
	jg_error *err)
{
	jg_der_reader alg;
	jg_der_tlv oid, iv;
	if (jg_der_enter(r, JG_DER_SEQUENCE, &alg) != JG_DER_OK ||
		jg_der_read_expect(&alg, JG_DER_OID, &oid) != JG_DER_OK)
		return jg_enc_fail_corrupt(origin, err);
	p->cipher = cipher_of(oid.value);
	if (p->cipher == JG_CIPHER_NONE) {
		char name[80];
		if (jg_der_span_equals(oid.value, oid_des_cbc, sizeof oid_des_cbc))
			(void)snprintf(name, sizeof name, "DES-CBC");
		else
			name_oid(oid.value, oid_rsadsi_cipher, sizeof oid_rsadsi_cipher,
				rsadsi_cipher_names, name, sizeof name);
		return refuse_part("cipher", name, origin, err);
	}
	if (jg_der_read_expect(&alg, JG_DER_OCTET_STRING, &iv) != JG_DER_OK ||
		iv.value.len != jg_cipher_block_len(p->cipher) || !jg_der_at_end(&alg))
		return jg_enc_fail_corrupt(origin, err);
	memcpy(p->iv, iv.value.data, iv.value.len);
	return JG_OK;
}

/* PBES2-params, inside encryptionAlgorithm after its OID. */
static jg_status parse_pbes2(jg_der_reader *alg, const char *origin, pbes2_params *p,
	jg_error *err)
{
	jg_der_reader params, kdf;
	jg_der_tlv oid;
	if (jg_der_enter(alg, JG_DER_SEQUENCE, &params) != JG_DER_OK || !jg_der_at_end(alg) ||
		jg_der_enter(&params, JG_DER_SEQUENCE, &kdf) != JG_DER_OK ||
		jg_der_read_expect(&kdf, JG_DER_OID, &oid) != JG_DER_OK)
		return jg_enc_fail_corrupt(origin, err);
	unsigned arc = 0;
	if (!arc_under(oid.value, oid_pkcs5, sizeof oid_pkcs5, &arc) || arc != ARC_PBKDF2) {
		char name[80];
		if (jg_der_span_equals(oid.value, oid_scrypt, sizeof oid_scrypt))
			(void)snprintf(name, sizeof name, "scrypt");
		else
			dotted_oid(oid.value, name, sizeof name);
		return refuse_part("key derivation", name, origin, err);
	}
	jg_status status = parse_pbkdf2(&kdf, origin, p, err);
	if (status == JG_OK)
		status = parse_cipher(&params, origin, p, err);
	if (status != JG_OK)
		return status;
	if (!jg_der_at_end(&params))
		return jg_enc_fail_corrupt(origin, err);
	if (p->has_key_length && p->key_length != jg_cipher_key_len(p->cipher))
		return jg_fail(err, JG_ERR_INPUT, "%s: its PBKDF2 key length (%lu bytes) does not "
			"match its cipher %s (%zu bytes): the encrypted key is corrupted", origin,
			p->key_length, jg_cipher_name(p->cipher), jg_cipher_key_len(p->cipher));
	return JG_OK;
}

/*
 * EncryptedPrivateKeyInfo in der[0..len). whole: all of it, to the last byte, encryptedData
 * in p->data. Otherwise der may be the first bytes only, and only encryptionAlgorithm is read.
 */
static jg_status parse_epki(const unsigned char *der, size_t len, int whole, const char *origin,
	pbes2_params *p, jg_error *err)
{
	memset(p, 0, sizeof *p);
	unsigned tag = 0;
	size_t value_len = 0;
	int header = jg_der_read_header(der, len, &tag, &value_len);
	if (header <= 0 || tag != JG_DER_SEQUENCE)
		return jg_enc_fail_corrupt(origin, err);
	size_t left = len - (size_t)header;
	if (whole && value_len != left)
		return jg_enc_fail_corrupt(origin, err);
	jg_der_reader outer, alg;
	jg_der_tlv oid, data;
	jg_der_reader_init(&outer, der + header, value_len < left ? value_len : left);
	if (jg_der_enter(&outer, JG_DER_SEQUENCE, &alg) != JG_DER_OK ||
		jg_der_read_expect(&alg, JG_DER_OID, &oid) != JG_DER_OK)
		return jg_enc_fail_corrupt(origin, err);
	unsigned arc = 0;
	if (!arc_under(oid.value, oid_pkcs5, sizeof oid_pkcs5, &arc) || arc != ARC_PBES2)
		return refuse_scheme(oid.value, origin, err);
	jg_status status = parse_pbes2(&alg, origin, p, err);
	if (status != JG_OK || !whole)
		return status;
	if (jg_der_read_expect(&outer, JG_DER_OCTET_STRING, &data) != JG_DER_OK ||
		!jg_der_at_end(&outer))
		return jg_enc_fail_corrupt(origin, err);
	p->data = data.value;
	return JG_OK;
}

/*
 * Whether DER der[0..len) is meant as an EncryptedPrivateKeyInfo, as its first bytes tell:
 * SEQUENCE { SEQUENCE { OID of a password-based scheme (PKCS#5 or PKCS#12) ... or, for an
 * unknown scheme, exactly SEQUENCE { SEQUENCE { OID ... }, OCTET STRING }. A plain
 * PrivateKeyInfo and a PKCS#1 key start with an INTEGER (their version) inside the first
 * SEQUENCE; a SubjectPublicKeyInfo ends with a BIT STRING.
 */
static int looks_like_epki(const unsigned char *der, size_t len)
{
	unsigned tag = 0;
	size_t value_len = 0;
	int outer = jg_der_read_header(der, len, &tag, &value_len);
	if (outer <= 0 || tag != JG_DER_SEQUENCE)
		return 0;
	int inner = jg_der_read_header(der + outer, len - (size_t)outer, &tag, &value_len);
	if (inner <= 0 || tag != JG_DER_SEQUENCE)
		return 0;
	size_t at = (size_t)outer + (size_t)inner;
	jg_der_reader r, top, contents;
	jg_der_tlv oid, tlv;
	jg_der_reader_init(&r, der + at, len - at);
	if (jg_der_read_expect(&r, JG_DER_OID, &oid) != JG_DER_OK)
		return 0;
	unsigned arc = 0;
	if (arc_under(oid.value, oid_pkcs5, sizeof oid_pkcs5, &arc) ||
		arc_under(oid.value, oid_pkcs12_pbe, sizeof oid_pkcs12_pbe, &arc))
		return 1;
	jg_der_reader_init(&top, der, len);
	return jg_der_enter(&top, JG_DER_SEQUENCE, &contents) == JG_DER_OK && jg_der_at_end(&top) &&
		jg_der_read_expect(&contents, JG_DER_SEQUENCE, &tlv) == JG_DER_OK &&
		jg_der_read_expect(&contents, JG_DER_OCTET_STRING, &tlv) == JG_DER_OK &&
		jg_der_at_end(&contents);
}

static void describe(jg_enc_info *info, const pbes2_params *p)
{
	info->cipher = p->cipher;
	info->prf = p->prf;
	info->iterations = p->iterations;
	(void)snprintf(info->description, sizeof info->description,
		"PBES2, PBKDF2-HMAC-%s (%lu iteration%s), %s", jg_enc_hash_name(p->prf),
		p->iterations, p->iterations == 1 ? "" : "s", jg_cipher_name(p->cipher));
}

/* --- PEM --------------------------------------------------------------------------------- */

/* The walk stops at the end of the first ENCRYPTED PRIVATE KEY object, however it ended. */
static int visit_first(void *ctx, jg_pem_event event, const char *label,
	const unsigned char *der, size_t len)
{
	(void)label;
	(void)der;
	(void)len;
	if (event == JG_PEM_BEGIN)
		return 0;
	*(jg_pem_event *)ctx = event;
	return 1;
}

/*
 * The DER of the first ENCRYPTED PRIVATE KEY object of text[0..len) into buf[0..cap), or as much
 * of its beginning as fits: *got its length. Returns the event that ended the object, or
 * JG_PEM_BEGIN when it did not end (the text stopped inside it, or there is none).
 */
static jg_pem_event pem_decode(const unsigned char *text, size_t len, unsigned char *buf,
	size_t cap, size_t *got)
{
	jg_pem_event event = JG_PEM_BEGIN;
	jg_pem_reader r;
	jg_pem_reader_init(&r, PEM_LABEL, buf, cap, visit_first, &event);
	(void)jg_pem_reader_push(&r, text, len);
	(void)jg_pem_reader_finish(&r);
	*got = r.len;
	return event;
}

/* --- the form ---------------------------------------------------------------------------- */

jg_status jg_enc_pkcs8_detect(const unsigned char *in, size_t len, const char *origin,
	jg_enc_info *info, jg_error *err)
{
	unsigned char head[HEAD_MAX];
	const unsigned char *der = in;
	size_t der_len = len;
	if (jg_pem_looks_like(in, len)) {
		if (!jg_enc_contains(in, len, "-----BEGIN " PEM_LABEL "-----"))
			return JG_OK;
		(void)pem_decode(in, len, head, sizeof head, &der_len);
		der = head;
	} else if (!looks_like_epki(in, len)) {
		return JG_OK;
	}
	info->format = JG_ENC_PKCS8;
	(void)snprintf(info->format_name, sizeof info->format_name, "PKCS#8 PBES2");
	pbes2_params p;
	jg_status status = parse_epki(der, der_len, 0, origin, &p, err);
	if (status == JG_OK)
		describe(info, &p);
	jg_wipe(head, sizeof head);
	jg_wipe(&p, sizeof p);
	return status;
}

/* PBKDF2, then decrypt encryptedData into out: the plaintext must be one DER SEQUENCE. */
static jg_status decrypt(const pbes2_params *p, const char *origin, const unsigned char *pass,
	size_t pass_len, jg_enc_info *info, unsigned char *out, size_t cap, size_t *out_len,
	jg_error *err)
{
	size_t block = jg_cipher_block_len(p->cipher), key_len = jg_cipher_key_len(p->cipher);
	if (p->data.len == 0 || p->data.len % block != 0)
		return jg_enc_fail_corrupt(origin, err);
	if (p->data.len > cap)
		return jg_enc_fail_too_large(origin, cap, err);
	unsigned char key[JG_CIPHER_MAX_KEY];
	if (jg_pbkdf2(p->prf, pass, pass_len, p->salt, p->salt_len, p->iterations, key,
		key_len) != 0)
		return jg_fail(err, JG_ERR_INPUT, "%s: PBKDF2 failed", origin);
	memmove(out, p->data.data, p->data.len);
	size_t n = 0;
	int wrong = jg_cbc_decrypt(p->cipher, key, p->iv, out, p->data.len, &n) != 0 ||
		!jg_enc_is_der_sequence(out, n);
	jg_wipe(key, sizeof key);
	if (wrong)
		return jg_enc_fail_wrong(origin, err);
	*out_len = n;
	(void)snprintf(info->derivation, sizeof info->derivation, "PBKDF2-HMAC-%s, %lu iteration%s",
		jg_enc_hash_name(p->prf), p->iterations, p->iterations == 1 ? "" : "s");
	return JG_OK;
}

jg_status jg_enc_pkcs8_open(const unsigned char *in, size_t len, const char *origin,
	const unsigned char *pass, size_t pass_len, jg_enc_info *info, unsigned char *out,
	size_t cap, size_t *out_len, jg_error *err)
{
	const unsigned char *der = in;
	size_t der_len = len;
	if (jg_pem_looks_like(in, len)) {
		jg_pem_event end = pem_decode(in, len, out, cap, &der_len);
		if (end == JG_PEM_TOO_LARGE)
			return jg_enc_fail_too_large(origin, cap, err);
		if (end != JG_PEM_OBJECT)
			return jg_enc_fail_corrupt(origin, err);
		der = out;
	}
	pbes2_params p;
	jg_status status = parse_epki(der, der_len, 1, origin, &p, err);
	if (status == JG_OK)
		status = decrypt(&p, origin, pass, pass_len, info, out, cap, out_len, err);
	jg_wipe(&p, sizeof p);
	return status;
}

/* --- writing ------------------------------------------------------------------------------ */

/* encryptionAlgorithm of keygen --encrypt: PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC. */
static void write_algorithm(jg_der_writer *w, unsigned long iterations,
	const unsigned char salt[16], const unsigned char iv[16])
{
	static const unsigned char arc_pbes2 = ARC_PBES2, arc_pbkdf2 = ARC_PBKDF2;
	static const unsigned char arc_sha256 = 9, arc_aes256 = ARC_AES256_CBC;
	jg_der_begin(w, JG_DER_SEQUENCE);
	jg_der_write_header(w, JG_DER_OID, sizeof oid_pkcs5 + 1);
	jg_der_write_bytes(w, oid_pkcs5, sizeof oid_pkcs5);
	jg_der_write_bytes(w, &arc_pbes2, 1);
	jg_der_begin(w, JG_DER_SEQUENCE);
	jg_der_begin(w, JG_DER_SEQUENCE);
	jg_der_write_header(w, JG_DER_OID, sizeof oid_pkcs5 + 1);
	jg_der_write_bytes(w, oid_pkcs5, sizeof oid_pkcs5);
	jg_der_write_bytes(w, &arc_pbkdf2, 1);
	jg_der_begin(w, JG_DER_SEQUENCE);
	jg_der_write_octet_string(w, salt, 16);
	jg_der_write_small_integer(w, (uint32_t)iterations);
	jg_der_begin(w, JG_DER_SEQUENCE);
	jg_der_write_header(w, JG_DER_OID, sizeof oid_digest + 1);
	jg_der_write_bytes(w, oid_digest, sizeof oid_digest);
	jg_der_write_bytes(w, &arc_sha256, 1);
	jg_der_write_null(w);
	jg_der_end(w);
	jg_der_end(w);
	jg_der_end(w);
	jg_der_begin(w, JG_DER_SEQUENCE);
	jg_der_write_header(w, JG_DER_OID, sizeof oid_nist_aes + 1);
	jg_der_write_bytes(w, oid_nist_aes, sizeof oid_nist_aes);
	jg_der_write_bytes(w, &arc_aes256, 1);
	jg_der_write_octet_string(w, iv, 16);
	jg_der_end(w);
	jg_der_end(w);
	jg_der_end(w);
}

/*
 * The whole EncryptedPrivateKeyInfo, with the plaintext and room for its padding where
 * encryptedData goes (the last `padded` bytes), so that it is encrypted in place.
 */
static jg_status write_epki(const unsigned char *pkcs8, size_t len, size_t padded,
	unsigned long iterations, const unsigned char salt[16], const unsigned char iv[16],
	unsigned char *out, size_t cap, size_t *out_len, jg_error *err)
{
	static const unsigned char room[16];
	jg_der_writer w;
	jg_der_writer_init(&w, out, cap);
	jg_der_begin(&w, JG_DER_SEQUENCE);
	write_algorithm(&w, iterations, salt, iv);
	jg_der_write_header(&w, JG_DER_OCTET_STRING, padded);
	jg_der_write_bytes(&w, pkcs8, len);
	jg_der_write_bytes(&w, room, padded - len);
	jg_der_end(&w);
	return jg_der_writer_finish(&w, "encrypted private key", out_len, err);
}

jg_status jg_enc_write_pkcs8(const unsigned char *pkcs8, size_t len, const unsigned char *pass,
	size_t pass_len, unsigned long iterations, const unsigned char salt[16],
	const unsigned char iv[16], unsigned char *out, size_t cap, size_t *out_len, jg_error *err)
{
	*out_len = 0;
	if (iterations == 0 || iterations > JG_ENC_MAX_ITERATIONS)
		return jg_fail(err, JG_ERR_INPUT, "PBKDF2 iterations: %lu is out of range (1 to %lu)",
			iterations, JG_ENC_MAX_ITERATIONS);
	size_t padded = (len / 16 + 1) * 16, total = 0, n = 0;
	jg_status status = write_epki(pkcs8, len, padded, iterations, salt, iv, out, cap, &total,
		err);
	if (status != JG_OK) {
		if (out != NULL)
			jg_wipe(out, cap);
		return status;
	}
	unsigned char key[32];
	int failed = jg_pbkdf2(&br_sha256_vtable, pass, pass_len, salt, 16, iterations, key,
		sizeof key) != 0 || jg_cbc_encrypt(JG_CIPHER_AES_256_CBC, key, iv,
		out + total - padded, len, padded, &n) != 0 || n != padded;
	jg_wipe(key, sizeof key);
	if (failed) {
		jg_wipe(out, cap);
		return jg_fail(err, JG_ERR_INPUT, "encrypted private key: encryption failed");
	}
	*out_len = total;
	return JG_OK;
}
