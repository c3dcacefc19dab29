/* SHA-256 (BearSSL's) of a buffer, and the text forms the commands print. */
#ifndef JG_SHA256_H
#define JG_SHA256_H

#include <stddef.h>

/* SHA-256 of data[0..len) into out. */
void jg_sha256(const unsigned char *data, size_t len, unsigned char out[32]);

/* SHA-256 of data as 64 lowercase hex digits and a NUL (as sha256sum prints it). */
void jg_sha256_hex(const unsigned char *data, size_t len, char out[65]);

/* A digest made elsewhere (br_sha256_out, over several parts) as jg_sha256_hex writes it. */
void jg_sha256_digest_hex(const unsigned char hash[32], char out[65]);

/*
 * SHA-256 of data as 32 uppercase hex pairs joined by ':' and a NUL (95 characters), as
 * `openssl x509 -noout -fingerprint -sha256` prints after "sha256 Fingerprint=".
 */
void jg_sha256_colon_hex(const unsigned char *data, size_t len, char out[96]);

#endif
