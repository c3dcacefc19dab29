#include "base/random.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>
#include <sys/types.h>

jg_status jg_random_bytes(void *buf, size_t len, jg_error *err)
{
	unsigned char *p = buf;
	while (len > 0) {
		ssize_t n = getrandom(p, len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return jg_fail(err, JG_ERR_INPUT,
				"no randomness from the kernel: getrandom: %s",
				n < 0 ? strerror(errno) : "no bytes");
		p += n;
		len -= (size_t)n;
	}
	return JG_OK;
}
