#include "base/trace.h"

#include <stdarg.h>
#include <stdio.h>


static int trace_on;

void jg_trace_enable(int on)
{
	trace_on = on;
}

int jg_trace_enabled(void)
{
	return trace_on;
}

void jg_trace(const char *fmt, ...)
{
	if (!trace_on)
		return;
	va_list ap;
	va_start(ap, fmt);
	(void)fputs("* ", stderr);
	(void)vfprintf(stderr, fmt, ap);
	(void)fputc('\n', stderr);
	va_end(ap);
}
