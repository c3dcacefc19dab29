#include "crypto/base64.h"

static const char alphabet_std[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char alphabet_url[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

size_t jg_base64_encoded_len(size_t n, int flags)
{
	if (flags & JG_B64_URL)
		return (n / 3) * 4 + (n % 3 == 0 ? 0 : n % 3 + 1);
	return (n + 2) / 3 * 4;
}

size_t jg_base64_encode(const unsigned char *in, size_t n, char *out, size_t cap, int flags)
{
	const char *abc = (flags & JG_B64_URL) ? alphabet_url : alphabet_std;
	size_t need = jg_base64_encoded_len(n, flags);
	if (cap == 0 || need > cap - 1) {
		if (cap > 0)
			out[0] = '\0';
		return (size_t)-1;
	}
	size_t o = 0;
	size_t i = 0;
	for (; i + 3 <= n; i += 3) {
		unsigned long v = ((unsigned long)in[i] << 16) | ((unsigned long)in[i + 1] << 8) | in[i + 2];
		out[o++] = abc[(v >> 18) & 63];
		out[o++] = abc[(v >> 12) & 63];
		out[o++] = abc[(v >> 6) & 63];
		out[o++] = abc[v & 63];
	}
	if (i < n) {
		unsigned long v = (unsigned long)in[i] << 16;
		if (i + 1 < n)
			v |= (unsigned long)in[i + 1] << 8;
		out[o++] = abc[(v >> 18) & 63];
		out[o++] = abc[(v >> 12) & 63];
		if (i + 1 < n)
			out[o++] = abc[(v >> 6) & 63];
		if (!(flags & JG_B64_URL)) {
			if (i + 1 >= n)
				out[o++] = '=';
			out[o++] = '=';
		}
	}
	out[o] = '\0';
	return o;
}

/* The 6-bit value of c in the chosen alphabet, or -1. Branches only on the character class. */
static int sextet(char c, int url)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == (url ? '-' : '+'))
		return 62;
	if (c == (url ? '_' : '/'))
		return 63;
	return -1;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int jg_base64_decode(const char *in, size_t n, unsigned char *out, size_t cap, size_t *out_len,
	int flags)
{
	int url = (flags & JG_B64_URL) != 0;
	unsigned long acc = 0;
	unsigned bits = 0;
	size_t o = 0;
	size_t sextets = 0;
	size_t pad = 0;
	for (size_t i = 0; i < n; i++) {
		char c = in[i];
		if ((flags & JG_B64_SKIP_SPACE) && is_space(c))
			continue;
		if (c == '=') {
			pad++;
			continue;
		}
		int v = sextet(c, url);
		if (v < 0 || pad > 0)
			return -1; /* a bad character, or data after padding */
		sextets++;
		acc = (acc << 6) | (unsigned long)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o >= cap)
				return -1;
			out[o++] = (unsigned char)(acc >> bits);
			acc &= (1UL << bits) - 1;
		}
	}
	if (sextets % 4 == 1)
		return -1;                      /* 6 bits cannot end a byte string */
	if (pad > 0 && (sextets % 4 < 2 || pad != 4 - sextets % 4))
		return -1;                      /* padding must complete a partial last quantum */
	if (acc != 0)
		return -1;                      /* non-canonical: leftover bits set */
	*out_len = o;
	return 0;
}
