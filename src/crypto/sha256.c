/* SHA-256 (BearSSL's) and its text forms (header: crypto/sha256.h). */
#include "crypto/sha256.h"

#include <bearssl_hash.h>

void jg_sha256(const unsigned char *data, size_t len, unsigned char out[32])
{
	br_sha256_context context;
	br_sha256_init(&context);
	br_sha256_update(&context, data, len);
	br_sha256_out(&context, out);
}

void jg_sha256_hex(const unsigned char *data, size_t len, char out[65])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char hash[32];
	jg_sha256(data, len, hash);
	for (size_t i = 0; i < sizeof hash; i++) {
		out[2 * i] = digits[hash[i] >> 4];
		out[2 * i + 1] = digits[hash[i] & 0x0F];
	}
	out[64] = '\0';
}

void jg_sha256_colon_hex(const unsigned char *data, size_t len, char out[96])
{
	static const char digits[] = "0123456789ABCDEF";
	unsigned char hash[32];
	jg_sha256(data, len, hash);
	for (size_t i = 0; i < sizeof hash; i++) {
		out[3 * i] = digits[hash[i] >> 4];
		out[3 * i + 1] = digits[hash[i] & 0x0F];
		out[3 * i + 2] = i + 1 < sizeof hash ? ':' : '\0';
	}
}
