/*
 * One HTTPS request: connect (net.c), TLS handshake (tls.c), send the request head and body,
 * read one whole answer with the bounded HTTP reader (http.c), close without waiting. Nothing
 * is sent before the server's certificate has been verified. The token request is a form POST;
 * a GitHub App's requests are a GET and a JSON POST carrying the JWT in their Authorization.
 */
#ifndef JG_HTTPS_H
#define JG_HTTPS_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "net/http.h"
#include "net/proxy.h"
#include "net/url.h"
#include "tls/trust.h"

#define JG_ANSWER_MAX 65536 /* a token answer is about 600 bytes; anything past this is refused */

typedef struct jg_https_post {
	const jg_url *url;        /* where: host, port */
	const jg_proxy *proxy;    /* a CONNECT tunnel through it, or direct (NULL or !use) */
	const char *path;         /* e.g. "/services/oauth2/token" */
	const char *body;         /* application/x-www-form-urlencoded; a secret: never traced */
	size_t body_len;
	/* Only for another request than the token form POST (all NULL: that one): */
	const char *method;       /* "GET" (no body) or "POST" */
	const char *accept;       /* the Accept value */
	const char *content_type; /* the body's, for a POST */
	const char *authorization; /* the Authorization value: a secret, never traced */
	const char *extra;        /* one more header line "Name: value", or NULL */
	const jg_trust *trust;
	int64_t now;              /* epoch seconds for certificate validity */
	long connect_timeout_ms;
	int64_t deadline_ms;      /* monotonic, the whole command's */
} jg_https_post;

/*
 * Run the POST and read the answer into `answer` (initialised here over buf[0..cap)). The
 * status is JG_OK whenever a complete HTTP answer arrived, whatever its HTTP status;
 * JG_ERR_NETWORK, JG_ERR_TLS or JG_ERR_PROTOCOL (malformed, truncated, oversized) otherwise.
 */
jg_status jg_https_post_run(const jg_https_post *rq, jg_http_reader *answer, char *buf,
	size_t cap, jg_error *err);

#endif
