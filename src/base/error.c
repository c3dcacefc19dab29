#include "base/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
	jg_status status;
	const char *code;
} status_table[] = {
	{ JG_OK, "ok" },
	{ JG_ERR_REFUSED, "refused" },
	{ JG_ERR_USAGE, "usage" },
	{ JG_ERR_INPUT, "input" },
	{ JG_ERR_NETWORK, "network" },
	{ JG_ERR_TLS, "tls" },
	{ JG_ERR_PROTOCOL, "protocol" },
	{ JG_ERR_CHECK, "check" },
};

jg_status jg_fail(jg_error *err, jg_status status, const char *fmt, ...)
{
	if (err != NULL) {
		va_list ap;
		va_start(ap, fmt);
		(void)vsnprintf(err->message, sizeof err->message, fmt, ap);
		va_end(ap);
		err->status = status;
		err->detail[0] = '\0';
		err->code[0] = '\0';
	}
	return status;
}

/* Append s to the string in buf[0..cap), cut short where it does not fit. */
static void append(char *buf, size_t cap, const char *s)
{
	size_t used = strlen(buf), n = strlen(s);
	if (n > cap - 1 - used)
		n = cap - 1 - used;
	memcpy(buf + used, s, n);
	buf[used + n] = '\0';
}

jg_status jg_fail_context(jg_error *err, jg_status status, const char *fmt, ...)
{
	if (err != NULL) {
		char why[JG_ERROR_MESSAGE_MAX];
		memcpy(why, err->message, sizeof why);
		why[sizeof why - 1] = '\0';
		va_list ap;
		va_start(ap, fmt);
		(void)vsnprintf(err->message, sizeof err->message, fmt, ap);
		va_end(ap);
		append(err->message, sizeof err->message, ": ");
		append(err->message, sizeof err->message, why);
		err->status = status;
	}
	return status;
}

const char *jg_status_code(jg_status status)
{
	for (size_t i = 0; i < sizeof status_table / sizeof status_table[0]; i++) {
		if (status_table[i].status == status)
			return status_table[i].code;
	}
	return "internal";
}

int jg_exit_code(jg_status status)
{
	/* The enum values are the exit codes by design; this is the one place that says so. */
	return (int)status;
}
