/*
 * Errors: every core function returns a jg_status and, on failure, fills a jg_error with one
 * sentence "<what failed>: <why>[; <fix>]". Only main.c turns a status into an exit code and
 * prints the message (prefixed "jwtgrant: "). The status values are the documented exit codes.
 */
#ifndef JG_ERROR_H
#define JG_ERROR_H

typedef enum jg_status {
	JG_OK = 0,
	JG_ERR_REFUSED = 1,  /* the authorization server refused the grant */
	JG_ERR_USAGE = 2,    /* unknown option, missing or malformed argument */
	JG_ERR_INPUT = 3,    /* key, certificate, CA file, JWT or output path unusable */
	JG_ERR_NETWORK = 4,  /* resolve, connect, proxy refusal, timeout */
	JG_ERR_TLS = 5,      /* handshake, trust, certificate time or name, clock */
	JG_ERR_PROTOCOL = 6, /* an answer that is not the expected HTTP/JSON */
	JG_ERR_CHECK = 7     /* key/certificate mismatch, expired, bad signature */
} jg_status;

#define JG_ERROR_MESSAGE_MAX 1024

typedef struct jg_error {
	jg_status status;
	char message[JG_ERROR_MESSAGE_MAX]; /* the one line: "<what failed>: <why>" */
	char detail[JG_ERROR_MESSAGE_MAX];  /* optional further lines (refusal text, hint), or "" */
	char code[64];                      /* optional machine code (the OAuth `error`), or "" */
} jg_error;

/* Record a failure and return its status, so that callers can write `return jg_fail(...)`. */
jg_status jg_fail(jg_error *err, jg_status status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Put a context before the failure already recorded: the message becomes "<context>: <message
 * as it was>", the status becomes `status`; detail and code stay. (Formatting err->message
 * into itself would be undefined behaviour: the old text is copied first.)
 */
jg_status jg_fail_context(jg_error *err, jg_status status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The short name used as `code` in the JSON failure envelope: "usage", "input", ... */
const char *jg_status_code(jg_status status);

/* The process exit code for a status (the table in cli.md). */
int jg_exit_code(jg_status status);

#endif
