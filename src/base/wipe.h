/* Secret hygiene: the one function that erases a buffer that held a key, PEM or DER bytes, a
 * decoder context, an assertion, a request or a token. The compiler may not elide it. */
#ifndef JG_WIPE_H
#define JG_WIPE_H

#include <stddef.h>

void jg_wipe(void *buf, size_t len);

/* free(), after erasing the whole block (malloc_usable_size bytes). cJSON frees through it
 * (main.c installs it with cJSON_InitHooks), so that the copies its parse trees and printed
 * texts hold of a token or a claims set do not outlive them. NULL is a no-op. */
void jg_wipe_free(void *block);

/*
 * src into dst as a string, cut to cap - 1 bytes; returns strlen(src). For secrets, in place of
 * snprintf("%s"): musl's snprintf formats through a buffer on its own stack frame, which keeps
 * up to 80 bytes of what it copied after it returns.
 */
size_t jg_copy_secret(char *dst, size_t cap, const char *src);

#endif
