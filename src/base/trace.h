/* The -v trace: lines on stderr prefixed "* ", as curl does. Never pass a secret (key bytes,
 * assertion, token, proxy password) to it; callers redact before tracing. */
#ifndef JG_TRACE_H
#define JG_TRACE_H

void jg_trace_enable(int on);
int jg_trace_enabled(void);
void jg_trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
