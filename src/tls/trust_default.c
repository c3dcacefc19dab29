/*
 * Which trust set a run uses (cli.md, "Trust"): --cacert/--capath, else SSL_CERT_FILE/
 * SSL_CERT_DIR, else the Mozilla roots compiled in. Kept apart from src/tls/trust.c because it
 * refers to the generated index (jg_anchors_embedded), which the generator itself links without.
 */
#include "tls/trust.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* A CA file and/or directory (either may be NULL) and the names the user gave them by. */
typedef struct trust_source {
	const char *file;
	const char *dir;
	const char *file_name; /* "--cacert" or "SSL_CERT_FILE" */
	const char *dir_name;  /* "--capath" or "SSL_CERT_DIR" */
	const char *joiner;    /* between a name and its value in the trace: " " or "=" */
	int from_env;
} trust_source;

/* An environment variable, with "" read as unset. */
static const char *nonempty_env(const char *name)
{
	const char *value = getenv(name);
	return value != NULL && value[0] != '\0' ? value : NULL;
}

/* Put the source's name in front of a load error; for a variable, say how to drop it. */
static jg_status blame_source(const char *name, int from_env, jg_error *err)
{
	char message[JG_ERROR_MESSAGE_MAX];
	(void)snprintf(message, sizeof message, "%s", err != NULL ? err->message : "");
	if (from_env)
		return jg_fail(err, JG_ERR_INPUT, "%s: %s; or unset %s to use the embedded roots",
			name, message, name);
	return jg_fail(err, JG_ERR_INPUT, "%s: %s", name, message);
}

static jg_status load_source(jg_trust *t, const trust_source *s, jg_error *err)
{
	if (s->file != NULL && jg_trust_add_file(t, s->file, err) != JG_OK)
		return blame_source(s->file_name, s->from_env, err);
	if (s->dir != NULL && jg_trust_add_dir(t, s->dir, err) != JG_OK)
		return blame_source(s->dir_name, s->from_env, err);
	return JG_OK;
}

/* Add formatted text at the end of the string in buf (cap bytes), truncating quietly. */
static void append(char *buf, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void append(char *buf, size_t cap, const char *fmt, ...)
{
	size_t used = strlen(buf);
	if (used + 1 >= cap)
		return;
	va_list ap;
	va_start(ap, fmt);
	(void)vsnprintf(buf + used, cap - used, fmt, ap);
	va_end(ap);
}

/* "--cacert ca.pem, --capath certs (2 roots)" or "SSL_CERT_FILE=/x.pem (1 root)", into
 * t->origin. */
static void describe_source(jg_trust *t, const trust_source *s)
{
	char *d = t->origin;
	size_t cap = sizeof t->origin;
	d[0] = '\0';
	if (s->file != NULL)
		append(d, cap, "%s%s%s", s->file_name, s->joiner, s->file);
	if (s->dir != NULL)
		append(d, cap, "%s%s%s%s", s->file != NULL ? ", " : "", s->dir_name, s->joiner,
			s->dir);
	append(d, cap, " (%zu root%s", t->count, t->count == 1 ? "" : "s");
	if (t->skipped > 0)
		append(d, cap, ", %zu certificate%s skipped", t->skipped, t->skipped == 1 ? "" : "s");
	append(d, cap, ")");
}

static jg_status select_source(jg_trust *t, const trust_source *s, jg_error *err)
{
	jg_status status = load_source(t, s, err);
	if (status == JG_OK)
		describe_source(t, s);
	return status;
}

jg_status jg_trust_select(jg_trust *t, const char *cacert, const char *capath, const char **origin,
	jg_error *err)
{
	jg_trust_init(t);
	if (origin != NULL)
		*origin = t->origin;
	if (cacert != NULL || capath != NULL) {
		const trust_source options = { cacert, capath, "--cacert", "--capath", " ", 0 };
		return select_source(t, &options, err);
	}
	const trust_source environment = { nonempty_env("SSL_CERT_FILE"),
		nonempty_env("SSL_CERT_DIR"), "SSL_CERT_FILE", "SSL_CERT_DIR", "=", 1 };
	if (environment.file != NULL || environment.dir != NULL)
		return select_source(t, &environment, err);
	jg_trust_use_index(t, &jg_anchors_embedded);
	(void)snprintf(t->origin, sizeof t->origin, "embedded Mozilla set (%zu roots)",
		jg_anchors_embedded.count);
	return JG_OK;
}
