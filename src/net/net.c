#include "net/net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/trace.h"
#include "net/resolve.h"

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0 /* not on this system: the caller must ignore SIGPIPE itself */
#endif

/* "[v6]:port" or "v4:port" at most: 45 + 2 + 1 + 5, with room to spare. */
#define ADDRESS_TEXT_MAX 64

/* What an attempt to connect to one address came to. */
typedef struct attempt {
	char address[ADDRESS_TEXT_MAX]; /* numeric, no port, no brackets */
	jg_error error;
} attempt;

int64_t jg_net_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The milliseconds poll() may wait until `until`: 0 when already past, capped to an int. */
static int poll_timeout_until(int64_t until)
{
	if (until == JG_NET_NO_DEADLINE)
		return -1;
	int64_t left = until - jg_net_now_ms();
	if (left <= 0)
		return 0;
	return left > INT_MAX ? INT_MAX : (int)left;
}

/* Wait for events on fd until `until`. 1: ready (or an error condition to be read next);
 * 0: the time is up; -1: poll failed, errno set. EINTR is retried with the time left. */
static int wait_for(int fd, short events, int64_t until)
{
	for (;;) {
		struct pollfd p = { .fd = fd, .events = events, .revents = 0 };
		int n = poll(&p, 1, poll_timeout_until(until));
		if (n > 0)
			return 1;
		if (n < 0 && errno != EINTR)
			return -1;
		/* Otherwise interrupted, or woken by a capped timeout: wait for what is left. */
		if (n == 0 && jg_net_now_ms() >= until)
			return 0;
	}
}

int jg_net_wait_readable(int fd, int64_t deadline_ms)
{
	return wait_for(fd, POLLIN, deadline_ms);
}

/* Seconds for a message: "10 s", "0.5 s". */
static void format_seconds(int ms, char *out, size_t cap)
{
	if (ms % 1000 == 0)
		(void)snprintf(out, cap, "%d s", ms / 1000);
	else
		(void)snprintf(out, cap, "%d.%03d s", ms / 1000, ms % 1000);
}

static void format_address(const struct sockaddr *sa, char *out, size_t cap)
{
	const void *bytes = sa->sa_family == AF_INET6 ?
		(const void *)&((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr :
		(const void *)&((const struct sockaddr_in *)(const void *)sa)->sin_addr;
	if (inet_ntop(sa->sa_family, bytes, out, (socklen_t)cap) == NULL)
		(void)snprintf(out, cap, "(address family %d)", sa->sa_family);
}

size_t jg_net_order_addresses(const struct addrinfo *list, const struct addrinfo **out,
	size_t cap)
{
	if (list == NULL)
		return 0;
	int first_family = list->ai_family;
	const struct addrinfo *same = list, *other = list;
	size_t n = 0;
	int take_same = 1;
	for (;;) {
		while (same != NULL && same->ai_family != first_family)
			same = same->ai_next;
		while (other != NULL && other->ai_family == first_family)
			other = other->ai_next;
		if (n == cap || (same == NULL && other == NULL))
			return n;
		if (other == NULL || (take_same && same != NULL)) {
			out[n++] = same;
			same = same->ai_next;
		} else {
			out[n++] = other;
			other = other->ai_next;
		}
		take_same = !take_same;
	}
}

/* A TCP socket for this address: non-blocking, close-on-exec, TCP_NODELAY. */
static int open_socket(const struct addrinfo *ai)
{
#if defined(SOCK_CLOEXEC) && defined(SOCK_NONBLOCK)
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
		ai->ai_protocol);
#else
	int fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
	if (fd >= 0 && (fcntl(fd, F_SETFD, FD_CLOEXEC) != 0 ||
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) != 0)) {
		close(fd);
		return -1;
	}
#endif
	if (fd < 0)
		return -1;
	int one = 1;
	/* Requests are a few writes each answered at once: Nagle would only add latency. A
	 * failure here costs speed, not correctness. */
	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0)
		jg_trace("TCP_NODELAY not set: %s", strerror(errno));
	return fd;
}

/* Turn a connect() errno into the attempt's message. */
static void describe_failure(attempt *a, int port, int code)
{
	switch (code) {
	case ECONNREFUSED:
		jg_fail(&a->error, JG_ERR_NETWORK, "connection to %s port %d refused", a->address, port);
		break;
	case ENETUNREACH:
	case EHOSTUNREACH:
	case ENETDOWN:
		jg_fail(&a->error, JG_ERR_NETWORK, "cannot reach %s port %d: %s", a->address, port,
			strerror(code));
		break;
	case ETIMEDOUT:
		jg_fail(&a->error, JG_ERR_NETWORK, "timed out connecting to %s port %d: %s", a->address,
			port, strerror(code));
		break;
	default:
		jg_fail(&a->error, JG_ERR_NETWORK, "connection to %s port %d failed: %s", a->address,
			port, strerror(code));
		break;
	}
}

/* The end of this attempt's wait: the per-attempt limit or the deadline, the earlier. */
static int64_t attempt_end(int connect_timeout_ms, int64_t deadline_ms, int *by_max_time)
{
	int64_t end = deadline_ms;
	*by_max_time = 1;
	if (connect_timeout_ms > 0) {
		int64_t limit = jg_net_now_ms() + connect_timeout_ms;
		if (limit <= deadline_ms) {
			end = limit;
			*by_max_time = 0;
		}
	}
	return end;
}

/* One non-blocking connect, bounded in time. Returns the connected socket, or -1 with the
 * reason in a->error. */
static int connect_one(const struct addrinfo *ai, int port, int connect_timeout_ms,
	int64_t deadline_ms, attempt *a)
{
	format_address(ai->ai_addr, a->address, sizeof a->address);
	jg_trace("  Trying %s%s%s:%d...", ai->ai_family == AF_INET6 ? "[" : "", a->address,
		ai->ai_family == AF_INET6 ? "]" : "", port);
	int by_max_time;
	int64_t end = attempt_end(connect_timeout_ms, deadline_ms, &by_max_time);
	int fd = open_socket(ai);
	if (fd < 0) {
		jg_fail(&a->error, JG_ERR_NETWORK, "cannot open a socket for %s: %s", a->address,
			strerror(errno));
		return -1;
	}
	int code = 0;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
		code = errno;
		if (code == EINPROGRESS || code == EINTR) {
			int ready = wait_for(fd, POLLOUT, end);
			socklen_t len = (socklen_t)sizeof code;
			if (ready == 0)
				code = -1; /* our own time limit */
			else if (ready < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &len) != 0)
				code = errno;
		}
	}
	if (code == 0)
		return fd;
	close(fd);
	if (code != -1) {
		describe_failure(a, port, code);
	} else if (by_max_time) {
		jg_fail(&a->error, JG_ERR_NETWORK, "timed out (--max-time) connecting to %s port %d",
			a->address, port);
	} else {
		char seconds[32];
		format_seconds(connect_timeout_ms, seconds, sizeof seconds);
		jg_fail(&a->error, JG_ERR_NETWORK,
			"timed out after %s (--connect-timeout) connecting to %s port %d", seconds,
			a->address, port);
	}
	jg_trace("  %s", a->error.message);
	return -1;
}

/* With -v: "HOST: N addresses to try: A, B, ...", in the order they will be tried. */
static void trace_addresses(const char *host, const struct addrinfo **order, size_t count)
{
	if (!jg_trace_enabled())
		return;
	char line[JG_NET_MAX_ADDRESSES * (ADDRESS_TEXT_MAX + 2)] = "";
	size_t used = 0;
	for (size_t i = 0; i < count && used < sizeof line; i++) {
		char text[ADDRESS_TEXT_MAX];
		format_address(order[i]->ai_addr, text, sizeof text);
		int n = snprintf(line + used, sizeof line - used, "%s%s", i > 0 ? ", " : "", text);
		if (n < 0)
			break;
		used += (size_t)n;
	}
	jg_trace("%s: %zu address%s to try: %s", host, count, count == 1 ? "" : "es", line);
}

/* Try the addresses in order until one connects or the deadline passes. */
static jg_status connect_any(const char *host, int port, const struct addrinfo **order,
	size_t count, int connect_timeout_ms, int64_t deadline_ms, int *fd, jg_error *err)
{
	attempt a;
	memset(&a, 0, sizeof a);
	size_t tried = 0;
	int64_t started = jg_net_now_ms();
	for (size_t i = 0; i < count; i++) {
		if (tried > 0 && jg_net_now_ms() >= deadline_ms)
			break;
		tried++;
		*fd = connect_one(order[i], port, connect_timeout_ms, deadline_ms, &a);
		if (*fd >= 0) {
			jg_trace("Connected to %s (%s) port %d in %lld ms", host, a.address, port,
				(long long)(jg_net_now_ms() - started));
			return JG_OK;
		}
	}
	if (tried == 1)
		return jg_fail(err, JG_ERR_NETWORK, "%s", a.error.message);
	return jg_fail(err, JG_ERR_NETWORK, "cannot connect to %s port %d: %zu addresses tried, the last: %s",
		host, port, tried, a.error.message);
}

jg_status jg_net_connect(const char *host, int port, int connect_timeout_ms, int64_t deadline_ms,
	int *fd, jg_error *err)
{
	*fd = -1;
	if (port < 1 || port > 65535)
		return jg_fail(err, JG_ERR_USAGE, "cannot connect to %s: port %d is not 1 to 65535",
			host, port);
	struct addrinfo *list = NULL;
	jg_status st = jg_resolve(host, port, deadline_ms, &list, err);
	if (st != JG_OK)
		return st;
	const struct addrinfo *order[JG_NET_MAX_ADDRESSES];
	size_t count = jg_net_order_addresses(list, order, JG_NET_MAX_ADDRESSES);
	trace_addresses(host, order, count);
	if (count == 0)
		st = jg_fail(err, JG_ERR_NETWORK, "cannot resolve %s: no address found", host);
	else
		st = connect_any(host, port, order, count, connect_timeout_ms, deadline_ms, fd, err);
	freeaddrinfo(list);
	return st;
}

jg_status jg_net_write_all(int fd, const void *buf, size_t len, int64_t deadline_ms,
	jg_error *err)
{
	const unsigned char *p = buf;
	while (len > 0) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			return jg_fail(err, JG_ERR_NETWORK, "sending to the server failed: %s",
				strerror(errno));
		int ready = wait_for(fd, POLLOUT, deadline_ms);
		if (ready == 0)
			return jg_fail(err, JG_ERR_NETWORK, "timed out (--max-time) sending to the server");
		if (ready < 0)
			return jg_fail(err, JG_ERR_NETWORK, "sending to the server failed: %s",
				strerror(errno));
	}
	return JG_OK;
}

jg_status jg_net_read_some(int fd, void *buf, size_t cap, size_t *got, int64_t deadline_ms,
	jg_error *err)
{
	*got = 0;
	if (cap == 0)
		return jg_fail(err, JG_ERR_NETWORK, "receiving from the server failed: no buffer space");
	for (;;) {
		ssize_t n = recv(fd, buf, cap, 0);
		if (n >= 0) {
			*got = (size_t)n;
			return JG_OK;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return jg_fail(err, JG_ERR_NETWORK, "receiving from the server failed: %s",
				strerror(errno));
		int ready = wait_for(fd, POLLIN, deadline_ms);
		if (ready == 0)
			return jg_fail(err, JG_ERR_NETWORK,
				"timed out (--max-time) waiting for the server to answer");
		if (ready < 0)
			return jg_fail(err, JG_ERR_NETWORK, "receiving from the server failed: %s",
				strerror(errno));
	}
}

void jg_net_close(int fd)
{
	if (fd >= 0)
		close(fd);
}
