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
 * The DER reader and writer are x509/der.h's. A PEM "ENCRYPTED PRIVATE KEY" object comes here as
 * its DER, from the key loader's PEM walk (crypto/key.c).
 */
#include "crypto/encrypted.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "base/wipe.h"
#include "crypto/encrypted_impl.h"
#include "crypto/kdf.h"
#include "x509/der.h"

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
	ARC_HMAC_SHA256 = 9,
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

/* --- OIDs ---------------------------------------------------------------------------------- */

/* 1 when oid is prefix[0..n) and one more arc below 128, stored in *arc. */
static int arc_under(jg_der_span oid, const unsigned char *prefix, size_t n, unsigned *arc)
{
	if (oid.len != n + 1 || memcmp(oid.data, prefix, n) != 0 || oid.data[n] >= 0x80)
		return 0;
	*arc = oid.data[n];
	return 1;
}

/* The table's name for oid when it is prefix[0..n) and one more arc; NULL otherwise. */
static const char *arc_name(jg_der_span oid, const unsigned char *prefix, size_t n,
	const named_arc *table)
{
	unsigned arc = 0;
	if (!arc_under(oid, prefix, n, &arc))
		return NULL;
	for (; table->name != NULL; table++) {
		if (table->arc == arc)
			return table->name;
	}
	return NULL;
}

/* name, or when there is none, "OID 1.2.3.4" in buf: a refusal names what has no name here. */
static const char *name_or_dotted(const char *name, jg_der_span oid, char *buf, size_t cap)
{
	char dotted[48];
	if (name != NULL)
		return name;
	int readable = jg_der_oid_text(oid.data, oid.len, dotted, sizeof dotted) == JG_DER_OK;
	(void)snprintf(buf, cap, "OID %s", readable ? dotted : "unreadable");
	return buf;
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
	char buf[80];
	const char *family = "PBES1";
	const char *name = arc_name(oid, oid_pkcs5, sizeof oid_pkcs5, pbes1_names);
	if (name == NULL) {
		family = "a PKCS#12 scheme";
		name = arc_name(oid, oid_pkcs12_pbe, sizeof oid_pkcs12_pbe, pkcs12_names);
	}
	if (name == NULL)
		family = "an encryption scheme";
	return jg_fail(err, JG_ERR_INPUT, "%s is encrypted with %s (%s), which jwtgrant does not "
		"read; re-encrypt it with PBES2: %s", origin, family,
		name_or_dotted(name, oid, buf, sizeof buf), JG_ENC_CONVERT);
}

/* PBES2 with a part we do not read: `what` is "key derivation", "PRF" or "cipher", its OID
 * oid, and its name `name` (NULL: the OID is named). */
static jg_status refuse_part(const char *what, const char *name, jg_der_span oid,
	const char *origin, jg_error *err)
{
	char buf[80];
	return jg_fail(err, JG_ERR_INPUT, "%s is encrypted with PBES2 and the %s %s, which jwtgrant "
		"does not read (it reads PBKDF2 with HMAC-SHA1/224/256/384/512 and AES-128/192/256-CBC "
		"or DES-EDE3-CBC); re-encrypt it: %s", origin, what,
		name_or_dotted(name, oid, buf, sizeof buf), JG_ENC_CONVERT);
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

/* An AlgorithmIdentifier, SEQUENCE { OID, parameters }: *alg reads inside it after the OID. */
static int enter_algorithm(jg_der_reader *r, jg_der_reader *alg, jg_der_tlv *oid)
{
	return jg_der_enter(r, JG_DER_SEQUENCE, alg) == JG_DER_OK &&
		jg_der_read_expect(alg, JG_DER_OID, oid) == JG_DER_OK;
}

/* prf: SEQUENCE { OID, NULL OPTIONAL } */
static jg_status parse_prf(jg_der_reader *r, const char *origin, jg_enc_derivation *d,
	jg_error *err)
{
	jg_der_reader alg;
	jg_der_tlv oid, null;
	if (!enter_algorithm(r, &alg, &oid) || (!jg_der_at_end(&alg) &&
		(jg_der_read_expect(&alg, JG_DER_NULL, &null) != JG_DER_OK || null.value.len != 0 ||
			!jg_der_at_end(&alg))))
		return jg_enc_fail_corrupt(origin, err);
	d->md = prf_of(oid.value);
	if (d->md == NULL)
		return refuse_part("PRF", arc_name(oid.value, oid_digest, sizeof oid_digest, prf_names),
			oid.value, origin, err);
	return JG_OK;
}

/* PBKDF2-params, inside keyDerivationFunc after its OID; *key_length 0 when absent (a 0 that is
 * there is corrupt: RFC 8018 has keyLength INTEGER (1..MAX)). */
static jg_status parse_pbkdf2(jg_der_reader *kdf, const char *origin, jg_enc_sealed *s,
	unsigned long *key_length, jg_error *err)
{
	jg_enc_derivation *d = &s->tries[0];
	jg_der_reader params;
	jg_der_tlv salt;
	if (jg_der_enter(kdf, JG_DER_SEQUENCE, &params) != JG_DER_OK || !jg_der_at_end(kdf) ||
		jg_der_read_expect(&params, JG_DER_OCTET_STRING, &salt) != JG_DER_OK ||
		salt.value.len == 0 || salt.value.len > sizeof s->salt ||
		read_count(&params, &d->iterations) != 0 || d->iterations == 0 ||
		(jg_der_peek_tag(&params) == JG_DER_INTEGER &&
			(read_count(&params, key_length) != 0 || *key_length == 0)))
		return jg_enc_fail_corrupt(origin, err);
	memcpy(s->salt, salt.value.data, salt.value.len);
	s->salt_len = salt.value.len;
	d->md = &br_sha1_vtable;
	if (jg_der_peek_tag(&params) == JG_DER_SEQUENCE) {
		jg_status status = parse_prf(&params, origin, d, err);
		if (status != JG_OK)
			return status;
	}
	if (!jg_der_at_end(&params))
		return jg_enc_fail_corrupt(origin, err);
	if (d->iterations > JG_ENC_MAX_ITERATIONS)
		return jg_fail(err, JG_ERR_INPUT, "%s asks for more than %lu PBKDF2 iterations, the "
			"most jwtgrant runs; re-encrypt it with fewer (openssl pkcs8 -topk8 -v2 "
			"aes-256-cbc -iter 600000 ...)", origin, JG_ENC_MAX_ITERATIONS);
	return JG_OK;
}

/* encryptionScheme: SEQUENCE { OID, OCTET STRING iv } */
static jg_status parse_cipher(jg_der_reader *r, const char *origin, jg_enc_sealed *s,
	jg_error *err)
{
	jg_der_reader alg;
	jg_der_tlv oid, iv;
	if (!enter_algorithm(r, &alg, &oid))
		return jg_enc_fail_corrupt(origin, err);
	s->cipher = cipher_of(oid.value);
	if (s->cipher == JG_CIPHER_NONE)
		return refuse_part("cipher", jg_der_span_equals(oid.value, oid_des_cbc,
			sizeof oid_des_cbc) ? "DES-CBC" : arc_name(oid.value, oid_rsadsi_cipher,
			sizeof oid_rsadsi_cipher, rsadsi_cipher_names), oid.value, origin, err);
	if (jg_der_read_expect(&alg, JG_DER_OCTET_STRING, &iv) != JG_DER_OK ||
		iv.value.len != jg_cipher_block_len(s->cipher) || !jg_der_at_end(&alg))
		return jg_enc_fail_corrupt(origin, err);
	memcpy(s->iv, iv.value.data, iv.value.len);
	return JG_OK;
}

/* PBES2-params, inside encryptionAlgorithm after its OID. */
static jg_status parse_pbes2(jg_der_reader *alg, const char *origin, jg_enc_sealed *s,
	jg_error *err)
{
	jg_der_reader params, kdf;
	jg_der_tlv oid;
	if (jg_der_enter(alg, JG_DER_SEQUENCE, &params) != JG_DER_OK || !jg_der_at_end(alg) ||
		!enter_algorithm(&params, &kdf, &oid))
		return jg_enc_fail_corrupt(origin, err);
	unsigned arc = 0;
	if (!arc_under(oid.value, oid_pkcs5, sizeof oid_pkcs5, &arc) || arc != ARC_PBKDF2)
		return refuse_part("key derivation", jg_der_span_equals(oid.value, oid_scrypt,
			sizeof oid_scrypt) ? "scrypt" : NULL, oid.value, origin, err);
	unsigned long key_length = 0;
	jg_status status = parse_pbkdf2(&kdf, origin, s, &key_length, err);
	if (status == JG_OK)
		status = parse_cipher(&params, origin, s, err);
	if (status != JG_OK)
		return status;
	if (!jg_der_at_end(&params))
		return jg_enc_fail_corrupt(origin, err);
	if (key_length != 0 && key_length != jg_cipher_key_len(s->cipher))
		return jg_fail(err, JG_ERR_INPUT, "%s: its PBKDF2 key length (%lu bytes) does not "
			"match its cipher %s (%zu bytes): the encrypted key is corrupted", origin,
			key_length, jg_cipher_name(s->cipher), jg_cipher_key_len(s->cipher));
	return JG_OK;
}

/* EncryptedPrivateKeyInfo, all of der[0..len) to the last byte. */
static jg_status parse_epki(const unsigned char *der, size_t len, const char *origin,
	jg_enc_sealed *s, jg_error *err)
{
	jg_der_reader top, outer, alg;
	jg_der_tlv oid, data;
	jg_der_reader_init(&top, der, len);
	if (jg_der_enter(&top, JG_DER_SEQUENCE, &outer) != JG_DER_OK || !jg_der_at_end(&top) ||
		!enter_algorithm(&outer, &alg, &oid))
		return jg_enc_fail_corrupt(origin, err);
	unsigned arc = 0;
	if (!arc_under(oid.value, oid_pkcs5, sizeof oid_pkcs5, &arc) || arc != ARC_PBES2)
		return refuse_scheme(oid.value, origin, err);
	jg_status status = parse_pbes2(&alg, origin, s, err);
	if (status != JG_OK)
		return status;
	if (jg_der_read_expect(&outer, JG_DER_OCTET_STRING, &data) != JG_DER_OK ||
		!jg_der_at_end(&outer))
		return jg_enc_fail_corrupt(origin, err);
	s->data = data.value.data;
	s->len = data.value.len;
	s->count = 1;
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

jg_status jg_enc_pkcs8_read(const unsigned char *in, size_t len, const char *origin,
	jg_enc_info *info, jg_enc_sealed *sealed, jg_error *err)
{
	if (!looks_like_epki(in, len))
		return JG_OK;
	info->format = JG_ENC_PKCS8;
	(void)snprintf(info->format_name, sizeof info->format_name, "PKCS#8 PBES2");
	jg_status status = parse_epki(in, len, origin, sealed, err);
	if (status != JG_OK)
		return status;
	const jg_enc_derivation *d = &sealed->tries[0];
	info->cipher = sealed->cipher;
	info->prf = d->md;
	info->iterations = d->iterations;
	(void)snprintf(info->description, sizeof info->description,
		"PBES2, PBKDF2-HMAC-%s (%lu iteration%s), %s", jg_enc_hash_name(d->md),
		d->iterations, d->iterations == 1 ? "" : "s", jg_cipher_name(sealed->cipher));
	return JG_OK;
}

/* --- writing ------------------------------------------------------------------------------ */

/* OID prefix[0..n) and one more arc below 128: what arc_under reads. */
static void write_arc_oid(jg_der_writer *w, const unsigned char *prefix, size_t n,
	unsigned char arc)
{
	jg_der_write_header(w, JG_DER_OID, n + 1);
	jg_der_write_bytes(w, prefix, n);
	jg_der_write_bytes(w, &arc, 1);
}

/* encryptionAlgorithm of keygen --encrypt: PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC. */
static void write_algorithm(jg_der_writer *w, unsigned long iterations,
	const unsigned char salt[16], const unsigned char iv[16])
{
	jg_der_begin(w, JG_DER_SEQUENCE);
	write_arc_oid(w, oid_pkcs5, sizeof oid_pkcs5, ARC_PBES2);
	jg_der_begin(w, JG_DER_SEQUENCE);                     /* PBES2-params */
	jg_der_begin(w, JG_DER_SEQUENCE);                     /* keyDerivationFunc */
	write_arc_oid(w, oid_pkcs5, sizeof oid_pkcs5, ARC_PBKDF2);
	jg_der_begin(w, JG_DER_SEQUENCE);                     /* PBKDF2-params */
	jg_der_write_octet_string(w, salt, 16);
	jg_der_write_small_integer(w, (uint32_t)iterations);
	jg_der_begin(w, JG_DER_SEQUENCE);                     /* prf */
	write_arc_oid(w, oid_digest, sizeof oid_digest, ARC_HMAC_SHA256);
	jg_der_write_null(w);
	jg_der_end(w);
	jg_der_end(w);
	jg_der_end(w);
	jg_der_begin(w, JG_DER_SEQUENCE);                     /* encryptionScheme */
	write_arc_oid(w, oid_nist_aes, sizeof oid_nist_aes, ARC_AES256_CBC);
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
