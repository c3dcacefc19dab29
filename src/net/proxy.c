#include "net/proxy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/trace.h"
#include "base/wipe.h"
#include "crypto/base64.h"
#include "net/http.h"
#include "net/net.h"
#include "net/noproxy.h"

/* The proxy URL text and where it came from; NULL when none is configured. */
static const char *configured_proxy(const char *flag, const char **source)
{
	static const char *const vars[] = { "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY" };
	if (flag != NULL) {
		*source = "--proxy";
		return flag;
	}
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);
		if (v != NULL && *v != '\0') {
			*source = vars[i];
			return v;
		}
	}
	return NULL;
}

static const char *configured_noproxy(const char *flag, const char **source)
{
	if (flag != NULL) {
		*source = "--noproxy";
		return flag;
	}
	const char *v = getenv("no_proxy");
	*source = "no_proxy";
	if (v == NULL || *v == '\0') {
		v = getenv("NO_PROXY");
		*source = "NO_PROXY";
	}
	return v;
}

jg_status jg_proxy_choose(const char *flag_proxy, const char *flag_noproxy, const char *host,
	jg_proxy *out, jg_error *err)
{
	const char *source = NULL, *nsource = NULL, *entry = NULL;
	memset(out, 0, sizeof *out);
	const char *text = configured_proxy(flag_proxy, &source);
	if (text == NULL || *text == '\0') {
		jg_trace("no proxy%s", text != NULL ? " (--proxy \"\")" : "");
		return JG_OK;
	}
	jg_status st = jg_url_parse_proxy(text, &out->url, err);
	if (st != JG_OK)
		return jg_fail_context(err, JG_ERR_USAGE, "%s", source);
	const char *list = configured_noproxy(flag_noproxy, &nsource);
	if (jg_noproxy_match(list, host, &entry)) {
		jg_trace("no proxy: %s is bypassed by %s entry '%s'", host, nsource, entry);
		jg_wipe(&out->url, sizeof out->url);
		return JG_OK;
	}
	out->use = 1;
	(void)snprintf(out->source, sizeof out->source, "%s", source);
	char shown[600];
	jg_url_redacted(&out->url, shown, sizeof shown);
	jg_trace("proxy %s (from %s)", shown, source);
	return JG_OK;
}

/* base64("user:password") for Proxy-Authorization, into out; wiped by the caller. */
static jg_status basic_credentials(const jg_url *u, char *out, size_t cap, jg_error *err)
{
	char pair[JG_URL_USER_MAX + JG_URL_PASSWORD_MAX + 2];
	size_t user = strlen(u->user), n = user + 1 + strlen(u->password);
	size_t w = (size_t)-1;
	if (n < sizeof pair) { /* memcpy, not snprintf: see jg_copy_secret */
		memcpy(pair, u->user, user);
		pair[user] = ':';
		memcpy(pair + user + 1, u->password, n - user - 1);
		w = jg_base64_encode((const unsigned char *)pair, n, out, cap, JG_B64_STD);
	}
	jg_wipe(pair, sizeof pair);
	if (w == (size_t)-1)
		return jg_fail(err, JG_ERR_USAGE, "proxy credentials are too long");
	return JG_OK;
}

static jg_status send_connect(int fd, const jg_proxy *proxy, const char *host, int port,
	int64_t deadline_ms, jg_error *err)
{
	char auth[700];
	char request[2048];
	size_t len = 0;
	jg_status st = JG_OK;
	if (proxy->url.has_user)
		st = basic_credentials(&proxy->url, auth, sizeof auth, err);
	if (st == JG_OK)
		st = jg_http_build_connect(request, sizeof request, &len, host, port,
			proxy->url.has_user ? auth : NULL, "jwtgrant/" JG_VERSION, err);
	if (st == JG_OK) {
		jg_trace("CONNECT %s:%d HTTP/1.1%s", host, port,
			proxy->url.has_user ? " (Proxy-Authorization: Basic, redacted)" : "");
		st = jg_net_write_all(fd, request, len, deadline_ms, err);
	}
	jg_wipe(auth, sizeof auth);
	jg_wipe(request, sizeof request);
	return st;
}

static jg_status read_connect_answer(int fd, jg_http_reader *r, int64_t deadline_ms, jg_error *err)
{
	int complete = 0;
	while (!complete) {
		char piece[1024];
		size_t got = 0;
		/* One byte at a time would be exact; a proxy sends nothing after its 2xx head until we
		 * speak TLS, so reading what is there cannot swallow tunnel bytes. */
		jg_status st = jg_net_read_some(fd, piece, sizeof piece, &got, deadline_ms, err);
		if (st != JG_OK)
			return st;
		if (got == 0)
			return jg_http_reader_eof(r, err);
		st = jg_http_reader_push(r, piece, got, &complete, err);
		if (st != JG_OK)
			return st;
	}
	return JG_OK;
}

jg_status jg_proxy_tunnel(int fd, const jg_proxy *proxy, const char *host, int port,
	int64_t deadline_ms, jg_error *err)
{
	static char buf[16384];
	jg_http_reader r;
	jg_http_reader_init_connect(&r, buf, sizeof buf);
	jg_status st = send_connect(fd, proxy, host, port, deadline_ms, err);
	if (st == JG_OK)
		st = read_connect_answer(fd, &r, deadline_ms, err);
	if (st == JG_ERR_PROTOCOL)
		return jg_fail_context(err, JG_ERR_NETWORK, "the proxy %s:%d gave no usable answer to CONNECT",
			proxy->url.host, proxy->url.port);
	if (st != JG_OK)
		return st;
	/* 407 is the proxy's "authenticate"; some proxies (tinyproxy) answer wrong credentials with
	 * 401 instead. Either way the credentials are the problem. */
	if (r.status == 407 || (r.status == 401 && proxy->url.has_user))
		return jg_fail(err, JG_ERR_NETWORK, "the proxy %s:%d answered %d %.*s: proxy credentials are "
			"%s; give them as --proxy http://USER:PASSWORD@HOST:PORT", proxy->url.host,
			proxy->url.port, r.status, (int)r.head.reason_len, r.head.reason,
			proxy->url.has_user ? "refused" : "needed");
	if (r.status < 200 || r.status > 299)
		return jg_fail(err, JG_ERR_NETWORK, "the proxy %s:%d refused the tunnel to %s:%d: HTTP %d %.*s",
			proxy->url.host, proxy->url.port, host, port, r.status, (int)r.head.reason_len,
			r.head.reason);
	jg_trace("proxy tunnel to %s:%d open (HTTP %d)", host, port, r.status);
	return JG_OK;
}

void jg_proxy_wipe(jg_proxy *proxy)
{
	jg_wipe(proxy, sizeof *proxy);
}
