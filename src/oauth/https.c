#include "oauth/https.h"

#include <stdio.h>
#include <string.h>

#include "base/trace.h"
#include "base/wipe.h"
#include "net/net.h"
#include "tls/tls.h"

#define REQUEST_MAX (2048 + 12288)

/* The head's fields: the token form POST's, or those rq gives. */
static jg_http_request request_fields(const jg_https_post *rq)
{
	if (rq->method == NULL)
		return (jg_http_request){
			.method = "POST", .path = rq->path, .user_agent = "jwtgrant/" JG_VERSION,
			.accept = "application/json", .content_type = "application/x-www-form-urlencoded",
			.body_len = rq->body_len,
		};
	return (jg_http_request){
		.method = rq->method, .path = rq->path, .user_agent = "jwtgrant/" JG_VERSION,
		.accept = rq->accept, .content_type = rq->content_type, .authorization = rq->authorization,
		.extra = rq->extra, .body_len = rq->body_len,
	};
}

static void trace_request(const jg_https_post *rq)
{
	if (rq->method == NULL)
		jg_trace("POST %s HTTP/1.1 (%zu-byte form body, assertion redacted)", rq->path,
			rq->body_len);
	else if (rq->body_len > 0) /* a GitHub App's JSON body: repositories and permissions */
		jg_trace("%s %s HTTP/1.1 (%zu-byte body: %.*s; Authorization redacted)", rq->method,
			rq->path, rq->body_len, (int)(rq->body_len < 300 ? rq->body_len : 300), rq->body);
	else
		jg_trace("%s %s HTTP/1.1 (Authorization redacted)", rq->method, rq->path);
}

static jg_status send_request(jg_tls *tls, const jg_https_post *rq, jg_error *err)
{
	static char request[REQUEST_MAX];
	size_t head_len = 0;
	const jg_http_request fields = request_fields(rq);
	jg_status st = jg_http_build_request(request, sizeof request, &head_len, rq->url->host,
		rq->url->port, &fields, err);
	if (st == JG_OK && rq->body_len > sizeof request - head_len)
		st = jg_fail(err, JG_ERR_USAGE, "the request body is too large (%zu bytes)", rq->body_len);
	size_t used = head_len;
	if (st == JG_OK) {
		trace_request(rq);
		if (rq->body_len > 0)
			memcpy(request + head_len, rq->body, rq->body_len);
		used += rq->body_len;
		st = jg_tls_write_all(tls, request, used, err);
	}
	/* It held the assertion. Only what was used: wiping the untouched pages of the buffer
	 * would only fault them in (3 pages of peak RSS, measured). */
	jg_wipe(request, used < sizeof request ? used : sizeof request);
	return st;
}

static jg_status read_answer(jg_tls *tls, jg_http_reader *answer, jg_error *err)
{
	char chunk[4096]; /* holds pieces of the answer, the token among them */
	jg_status st;
	for (;;) {
		size_t got = 0;
		int complete = 0;
		st = jg_tls_read(tls, chunk, sizeof chunk, &got, err);
		if (st != JG_OK)
			break;
		if (got == 0) {
			st = jg_http_reader_eof(answer, err);
			break;
		}
		st = jg_http_reader_push(answer, chunk, got, &complete, err);
		if (st != JG_OK || complete)
			break;
	}
	jg_wipe(chunk, sizeof chunk);
	return st;
}

/* A TCP connection to the server, directly or through the proxy's CONNECT tunnel. */
static jg_status open_connection(const jg_https_post *rq, int *fd, jg_error *err)
{
	if (rq->proxy == NULL || !rq->proxy->use)
		return jg_net_connect(rq->url->host, rq->url->port, (int)rq->connect_timeout_ms,
			rq->deadline_ms, fd, err);
	const jg_url *p = &rq->proxy->url;
	jg_status st = jg_net_connect(p->host, p->port, (int)rq->connect_timeout_ms, rq->deadline_ms,
		fd, err);
	if (st != JG_OK)
		return jg_fail_context(err, st, "proxy (from %s)", rq->proxy->source);
	st = jg_proxy_tunnel(*fd, rq->proxy, rq->url->host, rq->url->port, rq->deadline_ms, err);
	if (st != JG_OK) {
		jg_net_close(*fd);
		*fd = -1;
	}
	return st;
}

jg_status jg_https_post_run(const jg_https_post *rq, jg_http_reader *answer, char *buf,
	size_t cap, jg_error *err)
{
	static jg_tls tls;
	int fd = -1;
	int64_t started = jg_net_now_ms();
	jg_http_reader_init(answer, buf, cap);
	jg_status st = open_connection(rq, &fd, err);
	if (st != JG_OK)
		return st;
	st = jg_tls_handshake(&tls, fd, rq->url->host, rq->trust, rq->now, rq->deadline_ms, err);
	if (st == JG_OK) {
		jg_trace("TLS handshake done in %lld ms", (long long)(jg_net_now_ms() - started));
		jg_tls_trace_session(&tls);
		st = send_request(&tls, rq, err);
	}
	if (st == JG_OK)
		st = read_answer(&tls, answer, err);
	if (st == JG_OK)
		jg_trace("HTTP %d, %zu-byte body, %lld ms", answer->status, answer->body_len,
			(long long)(jg_net_now_ms() - started));
	jg_tls_close(&tls);
	jg_net_close(fd);
	return st;
}
