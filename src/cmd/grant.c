/*
 * jwtgrant grant: key → assertion → HTTPS POST → token answer → output (a GitHub App's two
 * requests: cmd/github.c).
 *
 * Every attempt signs a fresh assertion (a new exp). --retry repeats network failures and 5xx
 * or 429 answers with exponential backoff and jitter, within --max-time; never a refusal.
 * --reuse answers from the token cache (oauth/cache.h) when an earlier grant of the same
 * request obtained a token less than that many seconds ago, holding the entry's lock from the
 * read to the write so that parallel grants make one request.
 */
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/trace.h"
#include "base/wipe.h"
#include "cmd/cmd.h"
#include "crypto/jwt.h"
#include "net/net.h"
#include "oauth/cache.h"
#include "oauth/https.h"
#include "oauth/oauth.h"
#include "oauth/output.h"

/* Everything one grant holds; static, so the request path allocates nothing. */
static struct grant_state {
	jg_cmd_request rq;             /* the key, the claims, the endpoint */
	char jwt[JG_JWT_MAX + 1];      /* the assertion */
	char authorization[JG_JWT_MAX + 16]; /* GitHub: "Bearer <JWT>" */
	char body[JG_JWT_MAX + 16384]; /* the form body, holding the assertion (and generic's fields) */
	char answer[JG_ANSWER_MAX];    /* the raw answer, holding the token */
	jg_http_reader reader;
	jg_token token;                /* the access token */
	char output[JG_OUTPUT_MAX];    /* the rendered output, holding the token */
	size_t output_len;
	char mask[JG_OUTPUT_MASK_MAX]; /* the CI's masking line, holding the token */
	jg_cmd_transport net;          /* URL, proxy (holds its password), trust */
	int64_t obtained;              /* when the token was obtained (or reused: now) */
	jg_cache cache;                /* --reuse: the directory and the entry's lock */
	int cache_writable;            /* the locked entry may be (re)written */
	jg_cache_entry entry;          /* the cached token, read or to be written */
} g;

/*
 * What is left to wipe when the command ends. The assertion, the body, the Authorization
 * header, the masking line and the cache entry are wiped where their use ends, as far as they
 * were written: wiping a whole buffer that was never used would only bring its pages in.
 */
static void wipe_secrets(void)
{
	jg_cmd_request_wipe(&g.rq);
	jg_http_reader_wipe(&g.reader); /* what was received: untouched pages stay untouched */
	jg_wipe(&g.token, sizeof g.token);
	jg_wipe(g.output, g.output_len);
	jg_proxy_wipe(&g.net.proxy);
}

/*
 * The request and the transport to its server. Salesforce's server is known before the key is
 * read, so a bad --instance-url is said first; Google's comes from the key file.
 */
static jg_status prepare(const jg_options *o, jg_error *err)
{
	jg_status st = JG_OK;
	if (o->provider == JG_PROVIDER_SALESFORCE) {
		st = jg_cmd_require_grant_inputs(o, err);
		if (st == JG_OK)
			st = jg_cmd_prepare_transport(o, o->instance_url, &g.net, err);
	}
	if (st == JG_OK)
		st = jg_cmd_request_prepare(o, &g.rq, err);
	if (st == JG_OK && o->provider != JG_PROVIDER_SALESFORCE)
		st = jg_cmd_prepare_transport(o, g.rq.server, &g.net, err);
	return st;
}

/* The token's expiry from the answer's expires_in, counted from when it arrived; or, from
 * GitHub, which says when (expires_at), its expires_in. */
static void note_expiry(void)
{
	jg_error ignored;
	if (jg_clock_now(&g.obtained, &ignored) != JG_OK)
		g.obtained = 0;
	if (g.rq.provider == JG_PROVIDER_GITHUB) {
		g.token.expires_in = g.token.expires_at > g.obtained ?
			(long)(g.token.expires_at - g.obtained) : -1;
		return;
	}
	g.token.expires_at = g.token.expires_in > 0 && g.obtained > 0 ?
		g.obtained + g.token.expires_in : 0;
}

/* A GitHub App's attempt: its two requests (cmd/github.c), in grant's buffers. */
static jg_status attempt_github(const jg_options *o, int64_t deadline_ms, int *retryable,
	jg_error *err)
{
	jg_cmd_exchange x = {
		.jwt = g.jwt, .jwt_cap = sizeof g.jwt, .authorization = g.authorization,
		.authorization_cap = sizeof g.authorization, .answer = g.answer,
		.answer_cap = sizeof g.answer, .reader = &g.reader, .token = &g.token,
	};
	jg_status st = jg_cmd_github_attempt(o, &g.rq, &g.net, deadline_ms, &x, retryable, err);
	if (st == JG_OK)
		note_expiry();
	return st;
}

/* One attempt: a fresh assertion, the POST, the answer read into g.token or a refusal. */
static jg_status attempt(const jg_options *o, int64_t deadline_ms, int *retryable, jg_error *err)
{
	int64_t now = 0;
	size_t jwt_len = 0, body_len = 0;
	if (g.rq.provider == JG_PROVIDER_GITHUB)
		return attempt_github(o, deadline_ms, retryable, err);
	*retryable = 0;
	jg_http_reader_wipe(&g.reader); /* the last attempt's answer */
	jg_status st = jg_clock_now(&now, err);
	if (st == JG_OK)
		st = jg_jwt_make_assertion(&g.rq.claims, now, &g.rq.key.sk, &g.rq.key.pk, g.jwt,
			sizeof g.jwt, &jwt_len, err);
	if (st == JG_OK)
		st = jg_cmd_request_body(&g.rq, g.jwt, g.body, sizeof g.body, &body_len, err);
	jg_wipe(g.jwt, jwt_len); /* the body holds it now; a builder that fails wipes its output */
	if (st != JG_OK)
		return st;
	char path[JG_URL_PATH_MAX + sizeof JG_OAUTH_TOKEN_PATH];
	(void)snprintf(path, sizeof path, "%s%s", g.net.url.path[0] != '\0' || g.rq.path_suffix[0] ?
		g.net.url.path : "/", g.rq.path_suffix);
	jg_https_post rq = {
		.url = &g.net.url, .proxy = &g.net.proxy, .path = path, .body = g.body, .body_len = body_len,
		.trust = &g.net.trust, .now = now, .connect_timeout_ms = o->connect_timeout_ms,
		.deadline_ms = deadline_ms,
	};
	st = jg_https_post_run(&rq, &g.reader, g.answer, sizeof g.answer, err);
	jg_wipe(g.body, body_len);
	if (st == JG_ERR_NETWORK) {
		*retryable = 1;
		return st;
	}
	if (st != JG_OK)
		return st;
	jg_refusal_context ctx = { .provider = o->provider, .instance_url = g.rq.server,
		.audience = g.rq.claims.audience, .local_now = now };
	st = jg_oauth_read_answer(&g.reader, &ctx, &g.token, err);
	if (st == JG_OK)
		note_expiry();
	*retryable = st == JG_ERR_PROTOCOL && jg_oauth_status_retryable(g.reader.status);
	return st;
}

/*
 * --reuse: open the cache and lock this request's entry. A cache that cannot be used is a
 * warning and a grant as usual; only running out of --max-time while waiting for the lock
 * fails the command.
 */
static jg_status open_cache(const jg_options *o, int64_t deadline_ms, jg_error *err)
{
	char name[JG_CACHE_NAME_LEN + 1];
	jg_error w;
	jg_cmd_cache_name(&g.rq, name);
	jg_status st = jg_cmd_cache_open(o, name, deadline_ms, &g.cache, &w);
	if (st == JG_ERR_NETWORK) {
		*err = w;
		return st;
	}
	if (st != JG_OK)
		jg_cmd_warn(&w);
	g.cache_writable = st == JG_OK;
	return JG_OK;
}

/* A token that expires (expires_in) is reused only until this many seconds before it does. */
#define JG_REUSE_MARGIN 60

/* Whether the locked entry holds a token obtained less than --reuse seconds ago (into g.token). */
static int reuse_cached(const jg_options *o)
{
	jg_error w;
	int64_t now = 0;
	if (g.cache.lockfd < 0)
		return 0;
	jg_cache_read_result r = jg_cache_read(&g.cache, &g.entry, &w);
	if (r == JG_CACHE_UNSAFE || r == JG_CACHE_CORRUPT)
		jg_cmd_warn(&w);
	g.cache_writable = r != JG_CACHE_UNSAFE;
	if (r == JG_CACHE_MISS)
		jg_trace("token cache %s/%s: no entry", g.cache.dir, g.cache.name);
	if (r != JG_CACHE_HIT || jg_clock_now(&now, &w) != JG_OK)
		return 0;
	int64_t age = now - g.entry.obtained;
	if (age < 0 || age >= o->reuse || g.entry.provider != o->provider) {
		jg_trace("token cache: the token obtained %lld s ago is not reused (--reuse %ld)",
			(long long)age, o->reuse);
		return 0;
	}
	if (g.entry.token.expires_at > 0 && now >= g.entry.token.expires_at - JG_REUSE_MARGIN) {
		jg_trace("token cache: the token obtained %lld s ago expires in less than %d s",
			(long long)age, JG_REUSE_MARGIN);
		return 0;
	}
	jg_trace("reusing a token obtained %lld s ago", (long long)age);
	g.token = g.entry.token;
	g.obtained = now; /* what the output counts expiresIn from */
	return 1;
}

/* Keep the token just obtained for the next --reuse (a failure to is only a warning). */
static void keep_in_cache(void)
{
	jg_error w;
	if (g.cache.lockfd < 0 || !g.cache_writable || jg_clock_now(&g.entry.obtained, &w) != JG_OK)
		return;
	g.entry.provider = g.rq.provider;
	g.entry.token = g.token;
	if (jg_cache_write(&g.cache, &g.entry, &w) != JG_OK)
		jg_cmd_warn(&w);
}

/* The token: from the cache under --reuse, else from the server (then kept for reuse). */
static jg_status obtain(const jg_options *o, int64_t deadline_ms, jg_error *err)
{
	if (o->reuse <= 0)
		return jg_cmd_with_retry(o, deadline_ms, attempt, err);
	jg_status st = open_cache(o, deadline_ms, err);
	if (st == JG_OK && !reuse_cached(o)) {
		st = jg_cmd_with_retry(o, deadline_ms, attempt, err);
		if (st == JG_OK)
			keep_in_cache();
	}
	jg_wipe(&g.entry, sizeof g.entry); /* only a --reuse grant brings its pages in */
	return st;
}

/* Under a CI that masks values given at run time, register the token before it shows. */
static void register_mask(void)
{
	size_t len = jg_output_mask_line(&g.token, g.mask, sizeof g.mask);
	if (len > 0) {
		(void)fwrite(g.mask, 1, len, stderr);
		(void)fflush(stderr);
	}
	jg_wipe(g.mask, len);
}

static jg_status deliver(const jg_options *o, jg_error *err)
{
	size_t len = 0;
	jg_grant_facts facts = {
		.provider = o->provider,
		.who = g.rq.who,
		.now = g.obtained,
		.username = o->username,
		.login_url = o->instance_url,
		.client_id = o->client_id,
		.private_key = (o->key_file != NULL && strcmp(o->key_file, "-") != 0) ? o->key_file : NULL,
	};
	jg_status st = jg_output_render(o->output, &g.token, &facts, g.output, sizeof g.output, &len, err);
	g.output_len = len;
	if (st == JG_OK) {
		register_mask();
		st = jg_cmd_emit(o, g.output, len, err);
	}
	return st;
}

jg_status jg_cmd_grant(const jg_options *o, jg_error *err)
{
	int64_t started = jg_net_now_ms();
	jg_trust_init(&g.net.trust);
	jg_cache_init(&g.cache);
	jg_status st = prepare(o, err);
	if (st == JG_OK)
		st = obtain(o, started + o->max_time_ms, err);
	if (st == JG_OK)
		st = deliver(o, err);
	jg_cache_close(&g.cache); /* after the output: a parallel grant waits for the whole answer */
	wipe_secrets();
	jg_trust_free(&g.net.trust);
	jg_trace("total %lld ms, %s", (long long)(jg_net_now_ms() - started), st == JG_OK ? "success" :
		jg_status_code(st));
	return st;
}
