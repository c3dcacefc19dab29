/*
 * Name resolution bounded by a deadline.
 *
 * getaddrinfo() cannot be interrupted, and musl's resolver waits for a silent DNS server as
 * long as resolv.conf's timeout and attempts say (10 s by default; more with larger values).
 * So the lookup runs in a thread of its own, which signals through a pipe when it is done, and
 * the caller stops waiting at the deadline: --max-time then bounds resolution like everything
 * else. A lookup given up on is left to finish by itself (the process ends soon after, and the
 * thread frees what it holds if it finishes first); it holds no secret.
 */
#ifndef JG_RESOLVE_H
#define JG_RESOLVE_H

#include <stdint.h>

#include "base/error.h"

struct addrinfo;

/*
 * getaddrinfo(host, port) for TCP (AF_UNSPEC, SOCK_STREAM), waiting until deadline_ms at most
 * (jg_net_now_ms's clock; JG_NET_NO_DEADLINE for none). On success *list is the result, which
 * the caller frees with freeaddrinfo. Failures, all JG_ERR_NETWORK: "cannot resolve HOST:
 * <resolver's reason>", and "timed out (--max-time) resolving HOST after N ms: the DNS server
 * does not answer".
 */
jg_status jg_resolve(const char *host, int port, int64_t deadline_ms, struct addrinfo **list,
	jg_error *err);

#endif
