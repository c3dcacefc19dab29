/*
 * jwtgrant grant: key → assertion → HTTPS POST → token answer → output.
 *
 * Every attempt signs a fresh assertion (a new exp). --retry repeats network failures and 5xx
 * or 429 answers with exponential backoff and jitter, within --max-time; never a refusal.
 */
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "base/clock.h"
#include "base/trace.h"
#include "base/wipe.h"
#include "cmd/cmd.h"
#include "crypto/jwt.h"
#include "net/net.h"
#include "net/proxy.h"
#include "net/url.h"
#include "oauth/https.h"
#include "oauth/oauth.h"
#include "oauth/output.h"
#include "tls/trust.h"

#ifndef JG_BUILD_EPOCH
#define JG_BUILD_EPOCH 0
#endif

/* Everything one grant holds; static, so the request path allocates nothing. */
static struct grant_state {
	jg_key key;                    /* the private key */
	char jwt[JG_JWT_MAX + 1];      /* the assertion */
	char body[JG_JWT_MAX + 128];   /* the form body, holding the assertion */
	char answer[JG_ANSWER_MAX];    /* the raw answer, holding the token */
	jg_http_reader reader;
	jg_token token;                /* the access token */
	char output[JG_OUTPUT_MAX];    /* the rendered output, holding the token */
	size_t output_len;
	jg_trust trust;
	jg_url url;
	jg_proxy proxy;                /* holds the proxy password */
	jg_assertion claims;           /* what each attempt's assertion says */
} g;

static void wipe_secrets(void)
{
	jg_key_wipe(&g.key);
	jg_wipe(g.jwt, sizeof g.jwt);
	jg_wipe(g.body, sizeof g.body);
	jg_http_reader_wipe(&g.reader); /* what was received: untouched pages stay untouched */
	jg_wipe(&g.token, sizeof g.token);
	jg_wipe(g.output, g.output_len);
	jg_proxy_wipe(&g.proxy);
}

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

static jg_status prepare(const jg_options *o, jg_error *err)
{
	int64_t now = 0;
	const char *origin = NULL;
	jg_status st = jg_cmd_require_grant_inputs(o, err);
	if (st == JG_OK)
		st = jg_url_parse(o->instance_url, &g.url, err);
	if (st == JG_OK)
		st = jg_proxy_choose(o->proxy, o->noproxy, g.url.host, &g.proxy, err);
	if (st == JG_OK)
		st = jg_clock_now(&now, err);
	if (st == JG_OK)
		st = check_clock(now, err);
	if (st == JG_OK)
		st = jg_cmd_load_key(o, &g.key, NULL, err);
	if (st == JG_OK)
		st = jg_trust_select(&g.trust, o->cacert, o->capath, &origin, err);
	if (st == JG_OK)
		jg_trace("trust: %s", origin);
	if (st == JG_OK)
		st = jg_cmd_assertion_from_options(o, &g.claims, err);
	return st;
}

/* One attempt: a fresh assertion, the POST, the answer read into g.token or a refusal. */
static jg_status attempt(const jg_options *o, int64_t deadline_ms, int *retryable, jg_error *err)
{
	int64_t now = 0;
	size_t jwt_len = 0, body_len = 0;
	*retryable = 0;
	jg_http_reader_wipe(&g.reader); /* the last attempt's answer */
	jg_status st = jg_clock_now(&now, err);
	if (st == JG_OK)
		st = jg_jwt_make_assertion(&g.claims, now, &g.key.sk, &g.key.pk, g.jwt, sizeof g.jwt, &jwt_len, err);
	if (st == JG_OK)
		st = jg_oauth_build_body(g.jwt, g.body, sizeof g.body, &body_len, err);
	if (st != JG_OK)
		return st;
	char path[JG_URL_PATH_MAX + sizeof JG_OAUTH_TOKEN_PATH];
	(void)snprintf(path, sizeof path, "%s%s", g.url.path, JG_OAUTH_TOKEN_PATH);
	jg_https_post rq = {
		.url = &g.url, .proxy = &g.proxy, .path = path, .body = g.body, .body_len = body_len, .trust = &g.trust,
		.now = now, .connect_timeout_ms = o->connect_timeout_ms, .deadline_ms = deadline_ms,
	};
	st = jg_https_post_run(&rq, &g.reader, g.answer, sizeof g.answer, err);
	jg_wipe(g.body, sizeof g.body);
	jg_wipe(g.jwt, sizeof g.jwt);
	if (st == JG_ERR_NETWORK) {
		*retryable = 1;
		return st;
	}
	if (st != JG_OK)
		return st;
	jg_refusal_context ctx = { o->instance_url, g.claims.audience, now };
	st = jg_oauth_read_answer(&g.reader, &ctx, &g.token, err);
	*retryable = st == JG_ERR_PROTOCOL && jg_oauth_status_retryable(g.reader.status);
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

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0)
		;
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

/* Attempts until one succeeds, fails for good, or the retries or the time (deadline_ms: the
 * command's start plus --max-time, as curl counts it) run out. */
static jg_status exchange(const jg_options *o, int64_t deadline_ms, jg_error *err)
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
		sleep_ms(wait);
	}
}

static jg_status deliver(const jg_options *o, jg_error *err)
{
	size_t len = 0;
	jg_grant_facts facts = {
		.username = o->username,
		.login_url = o->instance_url,
		.client_id = o->client_id,
		.private_key = (o->key_file != NULL && strcmp(o->key_file, "-") != 0) ? o->key_file : NULL,
	};
	jg_status st = jg_output_render(o->output, &g.token, &facts, g.output, sizeof g.output, &len, err);
	g.output_len = len;
	if (st == JG_OK)
		st = jg_cmd_emit(o, g.output, len, err);
	return st;
}

jg_status jg_cmd_grant(const jg_options *o, jg_error *err)
{
	int64_t started = jg_net_now_ms();
	jg_trust_init(&g.trust);
	jg_status st = prepare(o, err);
	if (st == JG_OK)
		st = exchange(o, started + o->max_time_ms, err);
	if (st == JG_OK)
		st = deliver(o, err);
	wipe_secrets();
	jg_trust_free(&g.trust);
	jg_trace("total %lld ms, %s", (long long)(jg_net_now_ms() - started), st == JG_OK ? "success" :
		jg_status_code(st));
	return st;
}
