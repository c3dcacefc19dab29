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

/* A digest as hex pairs from `digits`, each followed by `separator` (none when it is '\0') but
 * the last, then a NUL. */
static void write_hex(const unsigned char hash[32], const char *digits, char separator, char *out)
{
	for (size_t i = 0; i < 32; i++) {
		*out++ = digits[hash[i] >> 4];
		*out++ = digits[hash[i] & 0x0F];
		if (separator != '\0' && i + 1 < 32)
			*out++ = separator;
	}
	*out = '\0';
}

void jg_sha256_digest_hex(const unsigned char hash[32], char out[65])
{
	write_hex(hash, "0123456789abcdef", '\0', out);
}

void jg_sha256_hex(const unsigned char *data, size_t len, char out[65])
{
	unsigned char hash[32];
	jg_sha256(data, len, hash);
	jg_sha256_digest_hex(hash, out);
}

void jg_sha256_colon_hex(const unsigned char *data, size_t len, char out[96])
{
	unsigned char hash[32];
	jg_sha256(data, len, hash);
	write_hex(hash, "0123456789ABCDEF", ':', out);
}
