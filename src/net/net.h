/*
 * The network under everything else: resolve a host, connect with a timeout, and move bytes
 * on a non-blocking TCP socket until a deadline. TLS (BearSSL's engine) and the proxy
 * CONNECT exchange run on top of jg_net_write_all and jg_net_read_some.
 *
 * Time: every deadline is an absolute instant on jg_net_now_ms()'s clock (CLOCK_MONOTONIC,
 * so a change of the wall clock changes nothing); JG_NET_NO_DEADLINE means none. The caller
 * computes one deadline from --max-time when the command starts and passes it everywhere.
 *
 * Name resolution (resolve.h) is bounded by the deadline too, not by --connect-timeout.
 */
#ifndef JG_NET_H
#define JG_NET_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

#define JG_NET_NO_DEADLINE INT64_MAX

/* At most this many resolved addresses are tried, in the order jg_net_order_addresses gives. */
#define JG_NET_MAX_ADDRESSES 16

struct addrinfo;

/* Milliseconds on the monotonic clock (an arbitrary origin): for deadlines and durations. */
int64_t jg_net_now_ms(void);

/* Wait until fd is readable (or has an error condition to read) or deadline_ms passes: 1 ready,
 * 0 time is up, -1 poll failed (errno set). Interrupted waits go on with the time left. */
int jg_net_wait_readable(int fd, int64_t deadline_ms);

/*
 * Resolve host (a name or a numeric IPv4/IPv6 address, without brackets) with getaddrinfo
 * (AF_UNSPEC, SOCK_STREAM) and connect to port on each address in turn, in the order of
 * jg_net_order_addresses, until one accepts. Each attempt is a non-blocking connect bounded
 * by connect_timeout_ms (<= 0: no per-attempt limit) and by deadline_ms, whichever comes
 * first. On success *fd is a connected TCP socket, non-blocking, close-on-exec, with
 * TCP_NODELAY; the caller closes it with jg_net_close. On failure *fd is -1 and the status is
 * JG_ERR_NETWORK with one of:
 *   "cannot resolve HOST: <resolver's reason>", "timed out (--max-time) resolving HOST ..."
 *   "connection to ADDR port P refused"
 *   "cannot reach ADDR port P: <reason>"                      (network or host unreachable)
 *   "timed out after N s (--connect-timeout) connecting to ADDR port P"
 *   "timed out (--max-time) connecting to ADDR port P"
 *   "connection to ADDR port P failed: <reason>"              (anything else)
 * or, when several addresses were tried, "cannot connect to HOST port P: N addresses tried,
 * the last: <one of the above>". A port outside 1..65535 is JG_ERR_USAGE. With -v it traces
 * the addresses resolved, each attempt and its outcome, and the connect time in ms.
 */
jg_status jg_net_connect(const char *host, int port, int connect_timeout_ms, int64_t deadline_ms,
	int *fd, jg_error *err);

/*
 * Put the addresses of a getaddrinfo list into out (at most cap of them; returns how many),
 * interleaving the address families: the first address, then the first of the other family,
 * then the second of the first family, and so on; when one family runs out the rest of the
 * other follows. The order within a family is kept (getaddrinfo's is RFC 6724's preference).
 * This is RFC 8305 section 4's interleaving: with attempts made one after another, a family
 * that is broken on this machine (IPv6 routes that black-hole, typically) costs one connect
 * timeout, not one per address. Pure: looks only at ai_family and ai_next.
 */
size_t jg_net_order_addresses(const struct addrinfo *list, const struct addrinfo **out,
	size_t cap);

/*
 * Send all len bytes of buf on fd (MSG_NOSIGNAL: a closed peer is an error, never SIGPIPE),
 * waiting with poll while the socket buffer is full, until deadline_ms. JG_ERR_NETWORK:
 * "timed out (--max-time) sending to the server" or "sending to the server failed: <reason>".
 */
jg_status jg_net_write_all(int fd, const void *buf, size_t len, int64_t deadline_ms,
	jg_error *err);

/*
 * Receive up to cap (> 0) bytes into buf, waiting with poll until some arrive or deadline_ms
 * passes; *got is the count, 0 when the peer closed the connection (EOF). Data already
 * waiting is returned even when the deadline has passed. JG_ERR_NETWORK: "timed out
 * (--max-time) waiting for the server to answer" or "receiving from the server failed:
 * <reason>" (a reset connection, for instance). EINTR is retried.
 */
jg_status jg_net_read_some(int fd, void *buf, size_t cap, size_t *got, int64_t deadline_ms,
	jg_error *err);

/* Close a socket from jg_net_connect; a negative fd is ignored. */
void jg_net_close(int fd);

#endif
