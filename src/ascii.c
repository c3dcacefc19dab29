#include "ascii.h"

#include <string.h>

char jg_ascii_lower(char c)
{
	static const char lower[] = "abcdefghijklmnopqrstuvwxyz";
	if (c >= 'A' && c <= 'Z')
		return lower[c - 'A'];
	return c;
}

int jg_ascii_equal_n(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (jg_ascii_lower(a[i]) != jg_ascii_lower(b[i]))
			return 0;
	}
	return 1;
}

int jg_ascii_equal_word(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && jg_ascii_equal_n(s, word, len);
}

const void *jg_find(const void *hay, size_t hay_len, const void *needle, size_t needle_len)
{
	const unsigned char *h = hay;
	if (needle_len == 0)
		return hay;
	for (size_t i = 0; i + needle_len <= hay_len; i++) {
		if (memcmp(h + i, needle, needle_len) == 0)
			return h + i;
	}
	return NULL;
}
