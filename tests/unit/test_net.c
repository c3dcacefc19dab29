#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "net/net.h"

/* Every timeout test must be over well within this. */
#define BOUND_MS 2000

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* A socket bound to port 0 of the loopback address of family, listening when backlog >= 0.
 * Returns -1 when the family is unavailable here. */
static int bind_loopback(int family, int backlog, int *port)
{
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof ss);
	socklen_t len;
	if (family == AF_INET6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
		a->sin6_family = AF_INET6;
		a->sin6_addr = in6addr_loopback;
		len = sizeof *a;
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;
		a->sin_family = AF_INET;
		a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		len = sizeof *a;
	}
	if (bind(fd, (struct sockaddr *)&ss, len) != 0 ||
		(backlog >= 0 && listen(fd, backlog) != 0) ||
		getsockname(fd, (struct sockaddr *)&ss, &len) != 0) {
		close(fd);
		return -1;
	}
	*port = ntohs(family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port :
		((struct sockaddr_in *)&ss)->sin_port);
	return fd;
}

/* A connected pair through jg_net_connect: *client from jg_net, *server accepted. */
static void connect_pair(int *client, int *server)
{
	int port;
	int listener = bind_loopback(AF_INET, 4, &port);
	assert_true(listener >= 0);
	jg_error err;
	jg_status st = jg_net_connect("127.0.0.1", port, 2000, jg_net_now_ms() + 5000, client, &err);
	if (st != JG_OK)
		fail_msg("connect: %s", err.message);
	*server = accept(listener, NULL, NULL);
	assert_true(*server >= 0);
	close(listener);
}

static void now_is_monotonic_ms(void **state)
{
	(void)state;
	int64_t a = jg_net_now_ms();
	sleep_ms(30);
	int64_t b = jg_net_now_ms();
	assert_true(b - a >= 25);
	assert_true(b - a < BOUND_MS);
}

static void connects_to_listener_and_moves_bytes(void **state)
{
	(void)state;
	int client, server;
	connect_pair(&client, &server);

	int flags = fcntl(client, F_GETFL);
	assert_true(flags & O_NONBLOCK);
	assert_true(fcntl(client, F_GETFD) & FD_CLOEXEC);
	int nodelay = 0;
	socklen_t len = sizeof nodelay;
	assert_int_equal(getsockopt(client, IPPROTO_TCP, TCP_NODELAY, &nodelay, &len), 0);
	assert_true(nodelay != 0);

	jg_error err;
	int64_t deadline = jg_net_now_ms() + 5000;
	assert_int_equal(jg_net_write_all(client, "hello", 5, deadline, &err), JG_OK);
	char buf[16];
	assert_int_equal(recv(server, buf, 5, MSG_WAITALL), 5);
	assert_memory_equal(buf, "hello", 5);

	assert_int_equal(send(server, "world", 5, 0), 5);
	size_t got = 0, total = 0;
	while (total < 5) {
		assert_int_equal(jg_net_read_some(client, buf + total, sizeof buf - total, &got,
			deadline, &err), JG_OK);
		assert_true(got > 0);
		total += got;
	}
	assert_memory_equal(buf, "world", 5);

	close(server);
	assert_int_equal(jg_net_read_some(client, buf, sizeof buf, &got, deadline, &err), JG_OK);
	assert_int_equal(got, 0); /* EOF */
	jg_net_close(client);
	jg_net_close(-1); /* ignored */
}

static void closed_port_is_refused(void **state)
{
	(void)state;
	int port;
	/* Bound but not listening: the port stays ours, and a SYN to it gets a reset. */
	int holder = bind_loopback(AF_INET, -1, &port);
	assert_true(holder >= 0);
	jg_error err;
	int fd = 123;
	int64_t started = jg_net_now_ms();
	jg_status st = jg_net_connect("127.0.0.1", port, 2000, started + 5000, &fd, &err);
	close(holder);
	assert_int_equal(st, JG_ERR_NETWORK);
	assert_int_equal(fd, -1);
	char want[96];
	snprintf(want, sizeof want, "connection to 127.0.0.1 port %d refused", port);
	assert_string_equal(err.message, want);
	assert_true(jg_net_now_ms() - started < BOUND_MS);
}

static void unresolvable_name(void **state)
{
	(void)state;
	jg_error err;
	int fd = 123;
	jg_status st = jg_net_connect("nonexistent.invalid", 443, 2000, jg_net_now_ms() + 5000, &fd,
		&err);
	assert_int_equal(st, JG_ERR_NETWORK);
	assert_int_equal(fd, -1);
	const char *want = "cannot resolve nonexistent.invalid: ";
	if (strncmp(err.message, want, strlen(want)) != 0 || strlen(err.message) <= strlen(want))
		fail_msg("message: %s", err.message);
}

static void port_out_of_range(void **state)
{
	(void)state;
	jg_error err;
	int fd;
	assert_int_equal(jg_net_connect("127.0.0.1", 0, 1000, JG_NET_NO_DEADLINE, &fd, &err),
		JG_ERR_USAGE);
	assert_int_equal(jg_net_connect("127.0.0.1", 65536, 1000, JG_NET_NO_DEADLINE, &fd, &err),
		JG_ERR_USAGE);
	assert_int_equal(fd, -1);
}

static void ipv6_loopback(void **state)
{
	(void)state;
	int port;
	int listener = bind_loopback(AF_INET6, 4, &port);
	if (listener < 0) {
		print_message("no IPv6 loopback here (socket/bind to ::1 failed: %s)\n",
			strerror(errno));
		skip();
	}
	jg_error err;
	int fd;
	jg_status st = jg_net_connect("::1", port, 2000, jg_net_now_ms() + 5000, &fd, &err);
	if (st != JG_OK)
		fail_msg("connect to ::1: %s", err.message);
	int server = accept(listener, NULL, NULL);
	assert_true(server >= 0);
	assert_int_equal(jg_net_write_all(fd, "x", 1, jg_net_now_ms() + 2000, &err), JG_OK);
	char c;
	assert_int_equal(recv(server, &c, 1, 0), 1);
	close(server);
	close(listener);
	jg_net_close(fd);

	/* And refused, on a port bound but not listening. */
	int holder = bind_loopback(AF_INET6, -1, &port);
	assert_true(holder >= 0);
	st = jg_net_connect("::1", port, 2000, jg_net_now_ms() + 5000, &fd, &err);
	close(holder);
	assert_int_equal(st, JG_ERR_NETWORK);
	char want[96];
	snprintf(want, sizeof want, "connection to ::1 port %d refused", port);
	assert_string_equal(err.message, want);
}

static void read_deadline_in_the_past(void **state)
{
	(void)state;
	int client, server;
	connect_pair(&client, &server);
	jg_error err;
	char buf[8];
	size_t got = 99;
	int64_t started = jg_net_now_ms();
	jg_status st = jg_net_read_some(client, buf, sizeof buf, &got, started - 1000, &err);
	assert_int_equal(st, JG_ERR_NETWORK);
	assert_int_equal(got, 0);
	assert_non_null(strstr(err.message, "timed out"));
	assert_non_null(strstr(err.message, "--max-time"));
	assert_true(jg_net_now_ms() - started < BOUND_MS);
	close(server);
	jg_net_close(client);
}

static void read_from_silent_peer_times_out(void **state)
{
	(void)state;
	int client, server;
	connect_pair(&client, &server);
	jg_error err;
	char buf[8];
	size_t got;
	int64_t started = jg_net_now_ms();
	jg_status st = jg_net_read_some(client, buf, sizeof buf, &got, started + 300, &err);
	int64_t took = jg_net_now_ms() - started;
	assert_int_equal(st, JG_ERR_NETWORK);
	assert_string_equal(err.message, "timed out (--max-time) waiting for the server to answer");
	assert_true(took >= 290);
	assert_true(took < BOUND_MS);
	close(server);
	jg_net_close(client);
}

/* Bytes already received are handed over even once the deadline has passed. */
static void read_returns_waiting_data_after_deadline(void **state)
{
	(void)state;
	int client, server;
	connect_pair(&client, &server);
	assert_int_equal(send(server, "abc", 3, 0), 3);
	struct pollfd p = { .fd = client, .events = POLLIN, .revents = 0 };
	assert_int_equal(poll(&p, 1, BOUND_MS), 1);
	jg_error err;
	char buf[8];
	size_t got;
	assert_int_equal(jg_net_read_some(client, buf, sizeof buf, &got, jg_net_now_ms() - 1, &err),
		JG_OK);
	assert_int_equal(got, 3);
	assert_int_equal(jg_net_read_some(client, buf, 0, &got, JG_NET_NO_DEADLINE, &err),
		JG_ERR_NETWORK);
	close(server);
	jg_net_close(client);
}

static void write_to_peer_that_never_reads_times_out(void **state)
{
	(void)state;
	int client, server;
	connect_pair(&client, &server);
	int small = 4096;
	setsockopt(client, SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
	setsockopt(server, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
	static unsigned char big[16 << 20];
	jg_error err;
	int64_t started = jg_net_now_ms();
	jg_status st = jg_net_write_all(client, big, sizeof big, started + 300, &err);
	int64_t took = jg_net_now_ms() - started;
	assert_int_equal(st, JG_ERR_NETWORK);
	assert_string_equal(err.message, "timed out (--max-time) sending to the server");
	assert_true(took < BOUND_MS);
	close(server);
	jg_net_close(client);
}

/* A peer that resets the connection: an error, not a SIGPIPE that kills us. */
static void write_to_reset_peer_fails_without_sigpipe(void **state)
{
	(void)state;
	int client, server;
	connect_pair(&client, &server);
	struct linger reset = { 1, 0 };
	setsockopt(server, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
	close(server);
	sleep_ms(50);
	static unsigned char data[1 << 20];
	jg_error err;
	jg_status st = JG_OK;
	for (int i = 0; i < 8 && st == JG_OK; i++)
		st = jg_net_write_all(client, data, sizeof data, jg_net_now_ms() + 1000, &err);
	assert_int_equal(st, JG_ERR_NETWORK);
	if (strncmp(err.message, "sending to the server failed: ", 30) != 0)
		fail_msg("message: %s", err.message);
	jg_net_close(client);
}

/*
 * A listener whose accept queue is full drops further SYNs, so a connect to it hangs: the
 * one way to see a connect timeout with nothing but loopback. Fills the queue with sockets in
 * held[] (closed by the caller) and returns the port, or -1 when this system answers anyway.
 */
static int make_unanswering_port(int *listener, int held[], int cap, int *count)
{
	int port;
	*listener = bind_loopback(AF_INET, 0, &port);
	*count = 0;
	if (*listener < 0)
		return -1;
	struct sockaddr_in a;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((uint16_t)port);
	while (*count < cap) {
		int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -1;
		held[(*count)++] = fd;
		if (connect(fd, (struct sockaddr *)&a, sizeof a) == 0)
			continue;
		struct pollfd p = { .fd = fd, .events = POLLOUT, .revents = 0 };
		if (poll(&p, 1, 200) == 0)
			return port; /* this one hangs: so will the next */
	}
	return -1;
}

static void release(int listener, int held[], int count)
{
	for (int i = 0; i < count; i++)
		close(held[i]);
	if (listener >= 0)
		close(listener);
}

static void connect_timeout_is_enforced(void **state)
{
	(void)state;
	int listener, held[16], count;
	int port = make_unanswering_port(&listener, held, 16, &count);
	if (port < 0) {
		release(listener, held, count);
		print_message("this system answers SYNs beyond a full accept queue: no connect timeout "
			"can be provoked on loopback\n");
		skip();
	}
	jg_error err;
	int fd;

	int64_t started = jg_net_now_ms();
	jg_status st = jg_net_connect("127.0.0.1", port, 300, started + 10000, &fd, &err);
	int64_t took = jg_net_now_ms() - started;
	char want[128];
	snprintf(want, sizeof want,
		"timed out after 0.300 s (--connect-timeout) connecting to 127.0.0.1 port %d", port);
	assert_int_equal(st, JG_ERR_NETWORK);
	assert_string_equal(err.message, want);
	assert_true(took >= 290 && took < BOUND_MS);

	/* The deadline comes first: the message names --max-time. */
	started = jg_net_now_ms();
	st = jg_net_connect("127.0.0.1", port, 10000, started + 300, &fd, &err);
	took = jg_net_now_ms() - started;
	snprintf(want, sizeof want, "timed out (--max-time) connecting to 127.0.0.1 port %d", port);
	assert_int_equal(st, JG_ERR_NETWORK);
	assert_string_equal(err.message, want);
	assert_true(took >= 290 && took < BOUND_MS);

	/* A deadline already past: no wait at all. */
	started = jg_net_now_ms();
	st = jg_net_connect("127.0.0.1", port, 10000, started - 1, &fd, &err);
	assert_int_equal(st, JG_ERR_NETWORK);
	assert_true(jg_net_now_ms() - started < BOUND_MS);
	assert_int_equal(fd, -1);

	release(listener, held, count);
}

/* --- address order ------------------------------------------------------------------------ */

/* Link fake addrinfo entries of the given families ('4' or '6'); their ai_flags is the index,
 * so that the order can be read back. */
static struct addrinfo *fake_list(struct addrinfo *store, const char *families)
{
	size_t n = strlen(families);
	memset(store, 0, n * sizeof store[0]);
	for (size_t i = 0; i < n; i++) {
		store[i].ai_family = families[i] == '6' ? AF_INET6 : AF_INET;
		store[i].ai_flags = (int)i;
		store[i].ai_next = i + 1 < n ? &store[i + 1] : NULL;
	}
	return n > 0 ? store : NULL;
}

/* Order "families" with room for cap, and spell the result as "6:0 4:2 ...". */
static void order_spelled(const char *families, size_t cap, char *out, size_t out_cap)
{
	struct addrinfo store[16];
	const struct addrinfo *order[16];
	size_t n = jg_net_order_addresses(fake_list(store, families), order, cap);
	assert_true(n <= cap);
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		used += (size_t)snprintf(out + used, out_cap - used, "%s%c:%d", i > 0 ? " " : "",
			order[i]->ai_family == AF_INET6 ? '6' : '4', order[i]->ai_flags);
	}
}

static void address_order_interleaves_families(void **state)
{
	(void)state;
	static const struct {
		const char *families;
		size_t cap;
		const char *want;
	} rows[] = {
		{ "", 16, "" },
		{ "4", 16, "4:0" },
		{ "6", 16, "6:0" },
		{ "444", 16, "4:0 4:1 4:2" },
		{ "6644", 16, "6:0 4:2 6:1 4:3" },
		{ "4666", 16, "4:0 6:1 6:2 6:3" },
		{ "66664", 16, "6:0 4:4 6:1 6:2 6:3" },
		{ "44466", 16, "4:0 6:3 4:1 6:4 4:2" },
		{ "6464", 16, "6:0 4:1 6:2 4:3" },
		{ "6446", 16, "6:0 4:1 6:3 4:2" },
		{ "6664", 2, "6:0 4:3" },
		{ "6644", 1, "6:0" },
		{ "66", 0, "" },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char got[128];
		order_spelled(rows[i].families, rows[i].cap, got, sizeof got);
		if (strcmp(got, rows[i].want) != 0)
			fail_msg("order of '%s' (cap %zu): got '%s', want '%s'", rows[i].families,
				rows[i].cap, got, rows[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(now_is_monotonic_ms),
		cmocka_unit_test(connects_to_listener_and_moves_bytes),
		cmocka_unit_test(closed_port_is_refused),
		cmocka_unit_test(unresolvable_name),
		cmocka_unit_test(port_out_of_range),
		cmocka_unit_test(ipv6_loopback),
		cmocka_unit_test(read_deadline_in_the_past),
		cmocka_unit_test(read_from_silent_peer_times_out),
		cmocka_unit_test(read_returns_waiting_data_after_deadline),
		cmocka_unit_test(write_to_peer_that_never_reads_times_out),
		cmocka_unit_test(write_to_reset_peer_fails_without_sigpipe),
		cmocka_unit_test(connect_timeout_is_enforced),
		cmocka_unit_test(address_order_interleaves_families),
	};
	return cmocka_run_group_tests_name("net", tests, NULL, NULL);
}
