/* Secret hygiene: the one function that erases a buffer that held a key, PEM or DER bytes, a
 * decoder context, an assertion, a request or a token. The compiler may not elide it. */
#ifndef JG_WIPE_H
#define JG_WIPE_H

#include <stddef.h>

void jg_wipe(void *buf, size_t len);

#endif
