#include "base/wipe.h"

#include <malloc.h>
#include <stdlib.h>
#include <string.h>

void jg_wipe(void *buf, size_t len)
{
	if (buf != NULL && len > 0)
		explicit_bzero(buf, len);
}

void jg_wipe_free(void *block)
{
	if (block == NULL)
		return;
	jg_wipe(block, malloc_usable_size(block));
	free(block);
}

size_t jg_copy_secret(char *dst, size_t cap, const char *src)
{
	size_t len = strlen(src);
	if (cap == 0)
		return len;
	size_t n = len < cap ? len : cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return len;
}
