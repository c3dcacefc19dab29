/* Random bytes from the kernel, for seeds (keygen) and unpredictable names (temporary files). */
#ifndef JG_RANDOM_H
#define JG_RANDOM_H

#include <stddef.h>

#include "base/error.h"

/*
 * Fill buf[0..len) with bytes from the kernel's random generator (getrandom(2), retried after
 * signals and short reads). JG_ERR_INPUT when the kernel gives none.
 */
jg_status jg_random_bytes(void *buf, size_t len, jg_error *err);

#endif
