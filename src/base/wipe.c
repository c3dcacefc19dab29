#include "base/wipe.h"

#include <string.h>

void jg_wipe(void *buf, size_t len)
{
	if (buf != NULL && len > 0)
		explicit_bzero(buf, len);
}
