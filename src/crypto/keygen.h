/*
 * Making the Connected App's key pair for `keygen`: an RSA key of 2048, 3072 or 4096 bits with
 * public exponent 65537, from BearSSL's key generator driven by an HMAC-DRBG (SHA-256) that is
 * seeded from the kernel (getrandom()), and its encoding as the file Salesforce tooling and
 * OpenSSL read:
 *
 *   PEM label "PRIVATE KEY"              PKCS#8 (RFC 5958) OneAsymmetricKey, unencrypted:
 *   base64, 64 characters a line           SEQUENCE { INTEGER 0,
 *   -----END PRIVATE KEY-----                         SEQUENCE { OID rsaEncryption, NULL },
 *                                                     OCTET STRING { RSAPrivateKey } }
 *
 * where RSAPrivateKey (PKCS#1, RFC 8017 A.1.2) is SEQUENCE { version 0, n, e, d, p, q, dp, dq,
 * qinv }. BearSSL keeps only p, q, dp, dq, qinv; n and e come from the generator and the full
 * private exponent d is recomputed for the encoding.
 *
 * Every temporary that held key material (the DRBG state and its seed, d, the DER) is wiped
 * before returning, on success and on failure alike.
 */
#ifndef JG_KEYGEN_H
#define JG_KEYGEN_H

#include <stddef.h>

#include "base/error.h"
#include "base/random.h" /* jg_random_bytes, which keygen seeds from */
#include "crypto/key.h"

#define JG_KEYGEN_PUBLIC_EXPONENT 65537

/* Room for the PKCS#8 PEM of a 4096-bit key (about 3.3 KB) and its NUL. */
#define JG_KEYGEN_PEM_MAX 4096

/* 1 when bits is a size keygen offers: 2048, 3072 or 4096. */
int jg_keygen_bits_allowed(long bits);


/*
 * Generate an RSA key pair of `bits` bits (a size jg_keygen_bits_allowed() accepts) with
 * e = 65537 into *key: sk and pk point into key's own buffers, key->bits is set. JG_ERR_USAGE
 * for another size, JG_ERR_INPUT when there is no randomness or the generator fails. On
 * failure *key is wiped.
 */
jg_status jg_keygen_rsa(unsigned bits, jg_key *key, jg_error *err);

/*
 * The private key as PKCS#8 PEM (the format above) into out[0..cap), NUL-terminated, its
 * length without the NUL in *len. JG_ERR_INPUT when the private exponent cannot be computed
 * (a key that was not made by jg_keygen_rsa may lack p = q = 3 mod 4) or out is too small;
 * out is wiped on failure.
 */
jg_status jg_keygen_private_pem(const jg_key *key, char *out, size_t cap, size_t *len,
	jg_error *err);

/*
 * The private key as PKCS#8 "ENCRYPTED PRIVATE KEY" PEM: PBES2 with PBKDF2-HMAC-SHA256
 * (`iterations`, a random 16-byte salt) and AES-256-CBC (a random IV), as keygen --encrypt
 * writes it. Errors and wiping as jg_keygen_private_pem.
 */
jg_status jg_keygen_encrypted_pem(const jg_key *key, const unsigned char *pass, size_t pass_len,
	unsigned long iterations, char *out, size_t cap, size_t *len, jg_error *err);

#endif
