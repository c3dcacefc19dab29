/*
 * HTTP/1.1 requests for the token exchange: the POST and the proxy's CONNECT (http.h).
 */
#include "net/http.h"

#include <stdio.h>
#include <string.h>

#include "base/json_out.h"
#include "base/wipe.h"
#include "net/http_text.h"

/* ---- requests ------------------------------------------------------------------------------ */

/* "host" or, for an IPv6 literal, "[host]". */
static void write_host(jg_out *w, const char *host)
{
	int ipv6 = strchr(host, ':') != NULL;
	if (ipv6)
		jg_out_puts(w, "[");
	jg_out_puts(w, host);
	if (ipv6)
		jg_out_puts(w, "]");
}

/* Non-empty, printable ASCII only; spaces only when allowed. */
static int is_safe_field(const char *s, int spaces_allowed)
{
	if (s[0] == '\0')
		return 0;
	for (const char *p = s; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 || c > 0x7e || (c == ' ' && !spaces_allowed))
			return 0;
	}
	return 1;
}

static int is_safe_host(const char *host)
{
	return is_safe_field(host, 0) && strpbrk(host, "/?#@[]\\") == NULL;
}

static int is_base64_text(const char *s)
{
	if (s[0] == '\0')
		return 0;
	for (const char *p = s; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;
		if (!(is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '+' ||
		      c == '/' || c == '='))
			return 0;
	}
	return 1;
}

/* Wipe whatever was written (a CONNECT head may hold the proxy password) and report. */
static jg_status refuse_request(char *out, size_t cap, size_t *len, jg_error *err,
                                const char *why)
{
	jg_wipe(out, cap);
	*len = 0;
	return jg_fail(err, JG_ERR_USAGE, "cannot build the HTTP request: %s", why);
}

static jg_status check_request_fields(const char *host, int port, const char *user_agent,
                                      const char **why)
{
	if (host == NULL || !is_safe_host(host))
		*why = "invalid host (empty, or holding a space, control character, non-ASCII byte or "
		       "one of /?#@[]\\)";
	else if (port < 1 || port > 65535)
		*why = "port outside 1..65535";
	else if (user_agent != NULL && !is_safe_field(user_agent, 1))
		*why = "invalid User-Agent (empty, or holding a control character or non-ASCII byte)";
	else
		return JG_OK;
	return JG_ERR_USAGE;
}

/* The head written into w: its length, or the refusal when it did not fit. The writer's
 * failure is sticky and checked once, here, as BearSSL's engines keep their error. */
static jg_status finish_request(jg_out *w, size_t *len, jg_error *err)
{
	if (w->failed) {
		char why[64];
		(void)snprintf(why, sizeof why, "the head does not fit in %zu bytes", w->cap);
		return refuse_request(w->buf, w->cap, len, err, why);
	}
	*len = w->len;
	return JG_OK;
}

/* Start a head in out[0..cap) after checking the fields every request has. */
static jg_status begin_request(jg_out *w, char *out, size_t cap, size_t *len, const char *host,
                               int port, const char *user_agent, jg_error *err)
{
	const char *why = NULL;
	jg_out_init(w, out, cap);
	if (check_request_fields(host, port, user_agent, &why) != JG_OK)
		return refuse_request(out, cap, len, err, why);
	return JG_OK;
}

/* Why the request's own fields cannot make a head, or NULL when they can. */
static const char *request_fields_refusal(const jg_http_request *rq)
{
	int post = rq->method != NULL && strcmp(rq->method, "POST") == 0;
	if (!post && (rq->method == NULL || strcmp(rq->method, "GET") != 0))
		return "the method is neither GET nor POST";
	if (rq->path == NULL || rq->path[0] != '/' || !is_safe_field(rq->path, 0))
		return "invalid path (not starting with '/', or holding a space, control character or "
		       "non-ASCII byte)";
	if (rq->accept == NULL || !is_safe_field(rq->accept, 1) ||
	    (post && (rq->content_type == NULL || !is_safe_field(rq->content_type, 1))))
		return "invalid Accept or Content-Type";
	if (rq->authorization != NULL && !is_safe_field(rq->authorization, 1))
		return "invalid Authorization (a control character or non-ASCII byte)";
	if (rq->extra != NULL && (!is_safe_field(rq->extra, 1) || strstr(rq->extra, ": ") == NULL))
		return "invalid extra header line";
	return NULL;
}

/* "Name: value\r\n", when there is a value. */
static void write_field(jg_out *w, const char *name, const char *value)
{
	if (value == NULL)
		return;
	jg_out_puts(w, name);
	jg_out_puts(w, value);
	jg_out_puts(w, "\r\n");
}

jg_status jg_http_build_request(char *out, size_t cap, size_t *len, const char *host, int port,
                                const jg_http_request *rq, jg_error *err)
{
	jg_out w;
	jg_status st = begin_request(&w, out, cap, len, host, port, rq->user_agent, err);
	if (st != JG_OK)
		return st;
	const char *why = request_fields_refusal(rq);
	if (why != NULL)
		return refuse_request(out, cap, len, err, why);

	int post = strcmp(rq->method, "POST") == 0;
	jg_out_puts(&w, rq->method);
	jg_out_puts(&w, " ");
	jg_out_puts(&w, rq->path);
	jg_out_puts(&w, " HTTP/1.1\r\nHost: ");
	write_host(&w, host);
	if (port != 443) {
		jg_out_puts(&w, ":");
		jg_out_put_unsigned(&w, (unsigned)port);
	}
	jg_out_puts(&w, "\r\n");
	write_field(&w, "User-Agent: ", rq->user_agent);
	write_field(&w, "Accept: ", rq->accept);
	write_field(&w, "Authorization: ", rq->authorization);
	write_field(&w, "", rq->extra);
	if (post) {
		write_field(&w, "Content-Type: ", rq->content_type);
		jg_out_puts(&w, "Content-Length: ");
		jg_out_put_unsigned(&w, rq->body_len);
		jg_out_puts(&w, "\r\n");
	}
	jg_out_puts(&w, "Connection: close\r\n\r\n");
	return finish_request(&w, len, err);
}

jg_status jg_http_build_post(char *out, size_t cap, size_t *len, const char *host, int port,
                             const char *path, const char *user_agent, size_t body_len,
                             jg_error *err)
{
	const jg_http_request rq = {
		.method = "POST", .path = path, .user_agent = user_agent, .accept = "application/json",
		.content_type = "application/x-www-form-urlencoded", .body_len = body_len,
	};
	return jg_http_build_request(out, cap, len, host, port, &rq, err);
}

jg_status jg_http_build_connect(char *out, size_t cap, size_t *len, const char *host, int port,
                                const char *proxy_auth_b64, const char *user_agent,
                                jg_error *err)
{
	jg_out w;
	jg_status st = begin_request(&w, out, cap, len, host, port, user_agent, err);
	if (st != JG_OK)
		return st;
	/* Never quote the credentials themselves, not even in part. */
	if (proxy_auth_b64 != NULL && !is_base64_text(proxy_auth_b64))
		return refuse_request(out, cap, len, err,
		                      "proxy credentials are not base64 text");

	for (int line = 0; line < 2; line++) {
		jg_out_puts(&w, line == 0 ? "CONNECT " : "Host: ");
		write_host(&w, host);
		jg_out_puts(&w, ":");
		jg_out_put_unsigned(&w, (unsigned)port);
		jg_out_puts(&w, line == 0 ? " HTTP/1.1\r\n" : "\r\n");
	}
	if (proxy_auth_b64 != NULL) {
		jg_out_puts(&w, "Proxy-Authorization: Basic ");
		jg_out_puts(&w, proxy_auth_b64);
		jg_out_puts(&w, "\r\n");
	}
	write_field(&w, "User-Agent: ", user_agent);
	jg_out_puts(&w, "\r\n");
	return finish_request(&w, len, err);
}

