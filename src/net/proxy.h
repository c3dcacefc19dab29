/*
 * HTTP proxies, the way curl uses them for an https URL: the proxy is --proxy, else the first
 * set of https_proxy, HTTPS_PROXY, all_proxy, ALL_PROXY; --proxy "" means none. Hosts in
 * --noproxy, else no_proxy / NO_PROXY, go direct (noproxy.h). The TLS session runs end to end
 * through an HTTP/1.1 CONNECT tunnel: the proxy never sees the assertion or the token.
 */
#ifndef JG_PROXY_H
#define JG_PROXY_H

#include <stdint.h>

#include "base/error.h"
#include "net/url.h"

typedef struct jg_proxy {
	int use;           /* 0: connect directly */
	jg_url url;        /* the proxy; holds the password: wipe with jg_proxy_wipe */
	char source[64];   /* "--proxy", "https_proxy", ... for the trace */
} jg_proxy;

/*
 * Decide how to reach `host`. JG_ERR_USAGE for a proxy URL that is malformed or of a scheme we
 * do not speak, naming where it came from. Traces the choice and why.
 */
jg_status jg_proxy_choose(const char *flag_proxy, const char *flag_noproxy, const char *host,
	jg_proxy *out, jg_error *err);

/*
 * Ask the proxy connected on fd for a tunnel to host:port, with Basic authentication when the
 * proxy URL has user info, and read its answer with the bounded HTTP reader. JG_ERR_NETWORK
 * for a refusal: 407 says credentials are needed or were refused; any other non-2xx gives its
 * status line. The password is never printed.
 */
jg_status jg_proxy_tunnel(int fd, const jg_proxy *proxy, const char *host, int port,
	int64_t deadline_ms, jg_error *err);

void jg_proxy_wipe(jg_proxy *proxy);

#endif
