#include "base/utf8.h"

long jg_utf8_decode(const unsigned char *s, size_t len, size_t *used)
{
	size_t count;
	long code, smallest;
	if (s[0] < 0x80) {
		*used = 1;
		return s[0];
	} else if ((s[0] & 0xE0) == 0xC0) {
		count = 2, code = s[0] & 0x1F, smallest = 0x80;
	} else if ((s[0] & 0xF0) == 0xE0) {
		count = 3, code = s[0] & 0x0F, smallest = 0x800;
	} else if ((s[0] & 0xF8) == 0xF0) {
		count = 4, code = s[0] & 0x07, smallest = 0x10000;
	} else {
		return -1;
	}
	if (len < count)
		return -1;
	for (size_t i = 1; i < count; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return -1;
		code = (code << 6) | (s[i] & 0x3F);
	}
	if (code < smallest || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
		return -1;
	*used = count;
	return code;
}

int jg_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	while (len > 0) {
		size_t n = 0;
		if (jg_utf8_decode(p, len, &n) < 0)
			return 0;
		p += n;
		len -= n;
	}
	return 1;
}
