/* The one place every command reads the time from. JWTGRANT_NOW (epoch seconds) overrides the
 * system clock, for tests; see README. */
#ifndef JG_CLOCK_H
#define JG_CLOCK_H

#include <stdint.h>

#include "error.h"

/* Current time in UTC epoch seconds; JG_ERR_USAGE when JWTGRANT_NOW is set but malformed. */
jg_status jg_clock_now(int64_t *now, jg_error *err);

/* Format epoch seconds as "YYYY-MM-DDTHH:MM:SSZ" into out (at least 21 bytes). */
void jg_clock_iso8601(int64_t t, char out[32]);

#endif
