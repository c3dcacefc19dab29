/*
 * What BearSSL's error codes mean, in one table: every code that BearSSL 0.6 defines in
 * bearssl_ssl.h (BR_ERR_*, the SSL engine) and bearssl_x509.h (BR_ERR_X509_*, certificate
 * validation), each with its name, one sentence saying what happened and, where there is one,
 * what the user can do about it. BearSSL's own tools/errors.c keeps such a table; the words here
 * are ours and speak of the server jwtgrant talks to. Also the names of the TLS alerts
 * (RFC 5246 7.2, RFC 8446 6) that BearSSL reports as BR_ERR_RECV_FATAL_ALERT + number (the server
 * sent it) or BR_ERR_SEND_FATAL_ALERT + number (we sent it).
 */
#ifndef JG_TLS_ERROR_H
#define JG_TLS_ERROR_H

typedef struct jg_tls_error_entry {
	int code;
	const char *name;    /* the macro's name: "BR_ERR_X509_UNSUPPORTED" */
	const char *meaning; /* what happened, without a final period */
	const char *fix;     /* what to do about it, or NULL when the user can do nothing */
} jg_tls_error_entry;

/* The entry for a BearSSL error code, or NULL for a code BearSSL does not define (and for
 * BR_ERR_OK, BR_ERR_X509_OK and the alert ranges, which are not errors of their own). */
const jg_tls_error_entry *jg_tls_error_find(int code);

/* The name of TLS alert number `alert` ("handshake_failure"), or NULL for a number no RFC
 * assigns. */
const char *jg_tls_error_alert_name(int alert);

#endif
