#include "base/utf8.h"

/* The leading byte: how many continuation bytes follow, and the range the second byte must lie
 * in (narrower than 80..BF where a wider one would allow overlong forms, surrogates or code
 * points above U+10FFFF). */
static int lead(unsigned char c, size_t *extra, unsigned char *low, unsigned char *high)
{
	*low = 0x80;
	*high = 0xBF;
	if (c >= 0xC2 && c <= 0xDF)
		*extra = 1;
	else if (c >= 0xE0 && c <= 0xEF)
		*extra = 2;
	else if (c >= 0xF0 && c <= 0xF4)
		*extra = 3;
	else
		return -1;
	if (c == 0xE0)
		*low = 0xA0;
	else if (c == 0xED)
		*high = 0x9F;
	else if (c == 0xF0)
		*low = 0x90;
	else if (c == 0xF4)
		*high = 0x8F;
	return 0;
}

size_t jg_utf8_char_length(const unsigned char *s, size_t len)
{
	if (len == 0)
		return 0;
	if (s[0] < 0x80)
		return 1;
	size_t extra = 0;
	unsigned char low = 0, high = 0;
	if (lead(s[0], &extra, &low, &high) != 0 || len <= extra || s[1] < low || s[1] > high)
		return 0;
	for (size_t i = 2; i <= extra; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	}
	return extra + 1;
}

int jg_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	while (len > 0) {
		size_t n = jg_utf8_char_length(p, len);
		if (n == 0)
			return 0;
		p += n;
		len -= n;
	}
	return 1;
}
