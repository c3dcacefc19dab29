/*
 * What grant and revoke share to reach the authorization server: the server's URL, the proxy
 * for it, a clock sane enough to check certificates, the trust anchors; and the loop of
 * attempts under --retry and --max-time.
 */
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "base/clock.h"
#include "base/trace.h"
#include "cmd/cmd.h"
#include "net/net.h"

#ifndef JG_BUILD_EPOCH
#define JG_BUILD_EPOCH 0
#endif

/*
 * A clock before this binary was built (an RTC-less board that booted in 1970) makes
 * certificate validity and exp meaningless: refuse before any traffic.
 */
static jg_status check_clock(int64_t now, jg_error *err)
{
	if (now >= (int64_t)JG_BUILD_EPOCH)
		return JG_OK;
	char local[32], built[32];
	jg_clock_iso8601(now, local);
	jg_clock_iso8601((int64_t)JG_BUILD_EPOCH, built);
	return jg_fail(err, JG_ERR_TLS, "the system clock says %s, before this jwtgrant was built (%s): "
		"certificates and the assertion's exp cannot be checked; set the clock (NTP)", local, built);
}

jg_status jg_cmd_prepare_transport(const jg_options *o, const char *server, jg_cmd_transport *t,
	jg_error *err)
{
	int64_t now = 0;
	const char *origin = NULL;
	jg_status st = jg_url_parse(server, &t->url, err);
	if (st == JG_OK)
		st = jg_proxy_choose(o->proxy, o->noproxy, t->url.host, &t->proxy, err);
	if (st == JG_OK)
		st = jg_clock_now(&now, err);
	if (st == JG_OK)
		st = check_clock(now, err);
	if (st == JG_OK)
		st = jg_trust_select(&t->trust, o->cacert, o->capath, &origin, err);
	if (st == JG_OK)
		jg_trace("trust: %s", origin);
	return st;
}

/* Exponential backoff with jitter: 1 s, 2 s, 4 s … (at most 30 s), plus up to half again. */
static long backoff_ms(int attempt_number)
{
	long base = 1000L << (attempt_number < 5 ? attempt_number : 5);
	if (base > 30000)
		base = 30000;
	unsigned short jitter = 0;
	if (getrandom(&jitter, sizeof jitter, 0) != (ssize_t)sizeof jitter)
		jitter = 0;
	return base + (long)(jitter % (unsigned)(base / 2 + 1));
}

/* Add text at the end of the error's one line (quietly cut at its size). */
static void append_to_message(jg_error *err, const char *text)
{
	size_t used = strlen(err->message);
	(void)snprintf(err->message + used, sizeof err->message - used, "%s", text);
}

/*
 * The last word on a failure that --retry could have repeated: for a failing or rate-limiting
 * server (HTTP 5xx, 429), suggest --retry when none was given; once retries were made, say how
 * many, so that the message never suggests what was already done.
 */
static jg_status give_up(const jg_options *o, jg_status st, int retries, jg_error *err)
{
	char note[64];
	if (retries > 0) {
		(void)snprintf(note, sizeof note, " (after %d %s)", retries,
			retries == 1 ? "retry" : "retries");
		append_to_message(err, note);
	} else if (o->retry == 0 && st == JG_ERR_PROTOCOL) {
		append_to_message(err, " (try --retry)");
	}
	return st;
}

jg_status jg_cmd_with_retry(const jg_options *o, int64_t deadline_ms, jg_cmd_attempt_fn attempt,
	jg_error *err)
{
	for (int n = 0;; n++) {
		int retryable = 0;
		jg_status st = attempt(o, deadline_ms, &retryable, err);
		if (st == JG_OK || !retryable)
			return st;
		if (n >= o->retry)
			return give_up(o, st, n, err);
		long wait = backoff_ms(n);
		if (jg_net_now_ms() + wait >= deadline_ms)
			return give_up(o, st, n, err); /* no time left for another try within --max-time */
		(void)fprintf(stderr, "jwtgrant: warning: %s; retrying in %ld ms (%ld %s left)\n", err->message,
			wait, o->retry - n, o->retry - n == 1 ? "retry" : "retries");
		jg_clock_sleep_ms(wait);
	}
}
