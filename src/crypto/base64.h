/*
 * Base64 (RFC 4648 §4) and base64url (§5), our own: BearSSL has no encoder we can use for JWTs.
 * The JWT form is base64url without padding and without line breaks.
 */
#ifndef JG_BASE64_H
#define JG_BASE64_H

#include <stddef.h>

enum {
	JG_B64_STD = 0,          /* alphabet A–Z a–z 0–9 + /, "=" padding written */
	JG_B64_URL = 1,          /* alphabet A–Z a–z 0–9 - _, no padding written */
	JG_B64_SKIP_SPACE = 2    /* decode: ignore spaces, tabs, CR and LF anywhere */
};

/* Length of the encoding of n bytes, without the terminating NUL. */
size_t jg_base64_encoded_len(size_t n, int flags);

/*
 * Encode in[0..n) into out, NUL-terminated. Returns the encoded length, or (size_t)-1 when
 * out (cap bytes) is too small (out is then left empty).
 */
size_t jg_base64_encode(const unsigned char *in, size_t n, char *out, size_t cap, int flags);

/*
 * Decode in[0..n). With JG_B64_URL the url alphabet is expected, else the standard one;
 * padding "=" is optional in both, but where present must be correct and final; leftover bits
 * must be zero (canonical input only). Returns 0 and the length in *out_len, or -1 on a bad
 * character, bad padding, non-canonical tail, or when out (cap bytes) is too small.
 */
int jg_base64_decode(const char *in, size_t n, unsigned char *out, size_t cap, size_t *out_len,
	int flags);

#endif
