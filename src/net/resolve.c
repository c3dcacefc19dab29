#include "net/resolve.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/trace.h"
#include "net/net.h"

/* One lookup, shared by the caller and the thread; the last of the two to let go frees it. */
struct lookup {
	pthread_mutex_t lock;
	int holders;     /* 2 while both hold it */
	int done[2];     /* the thread writes one byte to done[1] when the result is in */
	char host[256];  /* a DNS name has at most 253 bytes */
	char service[8];
	int rc;          /* getaddrinfo's result, and errno after it */
	int saved_errno;
	struct addrinfo *list;
};

static void lookup_release(struct lookup *l)
{
	pthread_mutex_lock(&l->lock);
	int left = --l->holders;
	pthread_mutex_unlock(&l->lock);
	if (left > 0)
		return;
	if (l->list != NULL)
		freeaddrinfo(l->list);
	(void)close(l->done[0]);
	(void)close(l->done[1]);
	pthread_mutex_destroy(&l->lock);
	free(l);
}

static void *lookup_run(void *arg)
{
	struct lookup *l = arg;
	struct addrinfo hints;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	l->rc = getaddrinfo(l->host, l->service, &hints, &l->list);
	l->saved_errno = errno;
	ssize_t w;
	do
		w = write(l->done[1], "", 1);
	while (w < 0 && errno == EINTR);
	lookup_release(l);
	return NULL;
}

/* A lookup of host:port, held twice (caller and thread), or NULL when out of resources. */
static struct lookup *lookup_new(const char *host, int port)
{
	struct lookup *l = calloc(1, sizeof *l);
	if (l == NULL)
		return NULL;
	if (pipe2(l->done, O_CLOEXEC) != 0) {
		free(l);
		return NULL;
	}
	pthread_mutex_init(&l->lock, NULL);
	l->holders = 2;
	(void)snprintf(l->host, sizeof l->host, "%s", host);
	(void)snprintf(l->service, sizeof l->service, "%d", port);
	return l;
}

/* Start the thread, detached; 0, or -1 (the lookup is then the caller's alone). */
static int lookup_start(struct lookup *l)
{
	pthread_attr_t attr;
	pthread_t thread;
	if (pthread_attr_init(&attr) != 0)
		return -1;
	(void)pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	int rc = pthread_create(&thread, &attr, lookup_run, l);
	(void)pthread_attr_destroy(&attr);
	if (rc != 0)
		l->holders = 1;
	return rc == 0 ? 0 : -1;
}

/* The finished lookup's outcome: *list taken over by the caller, or the resolver's error. */
static jg_status lookup_result(struct lookup *l, struct addrinfo **list, jg_error *err)
{
	if (l->rc != 0) {
		const char *why = l->rc == EAI_SYSTEM ? strerror(l->saved_errno) : gai_strerror(l->rc);
		return jg_fail(err, JG_ERR_NETWORK, "cannot resolve %s: %s", l->host, why);
	}
	*list = l->list;
	l->list = NULL;
	return JG_OK;
}

jg_status jg_resolve(const char *host, int port, int64_t deadline_ms, struct addrinfo **list,
	jg_error *err)
{
	*list = NULL;
	/* "localhost." is "localhost" (RFC 6761 6.3), which hosts files spell without the final dot
	 * and neither glibc nor musl matches with it. Other names keep their dot: DNS reads it as the
	 * absolute name, and without it the search domains could make it another name. */
	if (strcmp(host, "localhost.") == 0)
		host = "localhost";
	if (strlen(host) >= sizeof ((struct lookup *)NULL)->host)
		return jg_fail(err, JG_ERR_NETWORK, "cannot resolve %.60s...: the name is too long", host);
	struct lookup *l = lookup_new(host, port);
	if (l == NULL)
		return jg_fail(err, JG_ERR_NETWORK, "cannot resolve %s: %s", host, strerror(errno));
	int64_t started = jg_net_now_ms();
	jg_status st;
	if (lookup_start(l) != 0)
		st = jg_fail(err, JG_ERR_NETWORK, "cannot resolve %s: no thread for the lookup", host);
	else if (jg_net_wait_readable(l->done[0], deadline_ms) <= 0)
		st = jg_fail(err, JG_ERR_NETWORK, "timed out (--max-time) resolving %s after %lld ms: "
			"the DNS server does not answer (see /etc/resolv.conf)", host,
			(long long)(jg_net_now_ms() - started));
	else
		st = lookup_result(l, list, err);
	if (st == JG_OK)
		jg_trace("resolved %s in %lld ms", host, (long long)(jg_net_now_ms() - started));
	lookup_release(l);
	return st;
}
