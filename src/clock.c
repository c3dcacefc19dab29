#include "clock.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

jg_status jg_clock_now(int64_t *now, jg_error *err)
{
	const char *pinned = getenv("JWTGRANT_NOW");
	if (pinned == NULL || *pinned == '\0') {
		*now = (int64_t)time(NULL);
		return JG_OK;
	}
	char *end = NULL;
	errno = 0;
	long long v = strtoll(pinned, &end, 10);
	if (errno != 0 || end == pinned || *end != '\0' || v < 0)
		return jg_fail(err, JG_ERR_USAGE,
			"JWTGRANT_NOW: '%.40s' is not epoch seconds; unset it or give a whole number", pinned);
	*now = (int64_t)v;
	return JG_OK;
}

void jg_clock_iso8601(int64_t t, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (gmtime_r(&tt, &tm) == NULL || strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, 32, "@%lld", (long long)t);
}
