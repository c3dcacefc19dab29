/*
 * A token cache entry (src/oauth/cache.h: jg_cache_entry_parse, jg_cache_entry_format). The
 * input is the text of an entry file, which anyone who can write the cache directory controls
 * (a corrupt entry must be refused, never half read); it is parsed from a heap copy of exactly
 * its length, so that ASan sees any read past the end (the text is not NUL-terminated).
 *
 * Checked:
 *   - parse returns 0 or -1; on -1 the entry is wiped (every byte zero: it may have held part
 *     of a token);
 *   - on 0 every string ends within its array, and the entry survives a round trip: format
 *     writes one line of JSON and a newline (no other newline, no NUL), and parsing that text
 *     again succeeds and gives the same entry, field by field, byte for byte, and formatting
 *     it again gives the same text;
 *   - format never writes past its capacity: with one byte too few it fails (with its message
 *     filled), with one byte to spare it succeeds and writes the same text;
 *   - the provider: a Salesforce entry (no "provider" member) has no expiry (expires_in -1,
 *     expires_at 0) and its text holds no "provider", "expires_in" or "expires_at" member; a
 *     Google one has no instance_url, id, org_id or user_id, its expires_in is -1 or 1 to
 *     315360000, with expires_at after obtained when it is not -1 (and 0 when it is), and its
 *     text says "provider":"google" (a generic one, "generic"); provider, expires_in and
 *     expires_at survive the round trip.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "fuzz_util.h"
#include "oauth/cache.h"
#include "oauth/oauth.h"

/* Far beyond any entry format can write: every byte of every field escaped as \u00XX. */
#define FORMAT_CAP (6 * sizeof(jg_token) + 256)

static int all_zero(const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++) {
		if (b[i] != 0)
			return 0;
	}
	return 1;
}

/* The same string in a and b (each checked to end within its array first). */
static int same_field(const char *a, const char *b, size_t cap)
{
	FUZZ_CHECK(fuzz_terminated(a, cap) && fuzz_terminated(b, cap));
	size_t n = strlen(a);
	return n == strlen(b) && memcmp(a, b, n + 1) == 0;
}

#define SAME(a, b, field) same_field((a)->token.field, (b)->token.field, sizeof (a)->token.field)

static void check_terminated(const jg_cache_entry *e)
{
	FUZZ_CHECK(fuzz_terminated(e->token.access_token, sizeof e->token.access_token));
	FUZZ_CHECK(fuzz_terminated(e->token.instance_url, sizeof e->token.instance_url));
	FUZZ_CHECK(fuzz_terminated(e->token.id, sizeof e->token.id));
	FUZZ_CHECK(fuzz_terminated(e->token.org_id, sizeof e->token.org_id));
	FUZZ_CHECK(fuzz_terminated(e->token.user_id, sizeof e->token.user_id));
	FUZZ_CHECK(fuzz_terminated(e->token.token_type, sizeof e->token.token_type));
	FUZZ_CHECK(fuzz_terminated(e->token.scope, sizeof e->token.scope));
}

static void check_same(const jg_cache_entry *a, const jg_cache_entry *b)
{
	FUZZ_CHECK(a->provider == b->provider);
	FUZZ_CHECK(a->obtained == b->obtained);
	FUZZ_CHECK(a->token.expires_in == b->token.expires_in);
	FUZZ_CHECK(a->token.expires_at == b->token.expires_at);
	FUZZ_CHECK(SAME(a, b, access_token));
	FUZZ_CHECK(SAME(a, b, instance_url));
	FUZZ_CHECK(SAME(a, b, id));
	FUZZ_CHECK(SAME(a, b, org_id));
	FUZZ_CHECK(SAME(a, b, user_id));
	FUZZ_CHECK(SAME(a, b, token_type));
	FUZZ_CHECK(SAME(a, b, scope));
}

static int text_has(const char *text, size_t len, const char *needle)
{
	return memmem(text, len, needle, strlen(needle)) != NULL;
}

/* What the provider of a parsed entry implies, in the entry and in its formatted text. A quote
 * inside a string value is written \", so these members' names cannot be forged by a value. */
static void check_provider(const jg_cache_entry *e, const char *text, size_t len)
{
	const jg_token *t = &e->token;
	if (e->provider == JG_PROVIDER_SALESFORCE) {
		FUZZ_CHECK(t->expires_in == -1 && t->expires_at == 0);
		FUZZ_CHECK(!text_has(text, len, "\"provider\":"));
		FUZZ_CHECK(!text_has(text, len, "\"expires_in\":"));
		FUZZ_CHECK(!text_has(text, len, "\"expires_at\":"));
		return;
	}
	FUZZ_CHECK(e->provider == JG_PROVIDER_GOOGLE || e->provider == JG_PROVIDER_GENERIC);
	FUZZ_CHECK(text_has(text, len, e->provider == JG_PROVIDER_GOOGLE ?
		",\"provider\":\"google\"," : ",\"provider\":\"generic\","));
	FUZZ_CHECK(t->instance_url[0] == '\0' && t->id[0] == '\0');
	FUZZ_CHECK(t->org_id[0] == '\0' && t->user_id[0] == '\0');
	if (t->expires_in == -1) {
		FUZZ_CHECK(t->expires_at == 0);
		FUZZ_CHECK(!text_has(text, len, "\"expires_at\":"));
	} else {
		FUZZ_CHECK(t->expires_in >= 1 && t->expires_in <= 315360000);
		FUZZ_CHECK(t->expires_at > e->obtained);
		FUZZ_CHECK(text_has(text, len, "\"expires_at\":"));
	}
}

/* Format e with capacity cap into a heap buffer of exactly cap bytes; the status, *len set. */
static jg_status format_exact(const jg_cache_entry *e, size_t cap, char **out, size_t *len,
	jg_error *err)
{
	*out = fuzz_alloc(cap);
	*len = 0;
	memset(err, 0, sizeof *err);
	return jg_cache_entry_format(e, *out, cap, len, err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static jg_cache_entry first, second, third;
	static char text[FORMAT_CAP];
	jg_error err;
	size_t len = 0;

	/* Parse, from a copy of exactly the input; the entry starts as garbage. */
	char *in = fuzz_copy(data, size);
	memset(&first, 0xa5, sizeof first);
	int rc = jg_cache_entry_parse(in, size, &first);
	free(in);
	FUZZ_CHECK(rc == 0 || rc == -1);
	if (rc != 0) {
		FUZZ_CHECK(all_zero(&first, sizeof first));
		return 0;
	}
	check_terminated(&first);

	/* Format what was parsed: one line of JSON and a newline. */
	memset(&err, 0, sizeof err);
	jg_status st = jg_cache_entry_format(&first, text, sizeof text, &len, &err);
	FUZZ_CHECK(st == JG_OK);
	FUZZ_CHECK(len >= 2 && len <= sizeof text);
	FUZZ_CHECK(text[0] == '{' && text[len - 1] == '\n');
	FUZZ_CHECK(memchr(text, '\n', len - 1) == NULL);
	FUZZ_CHECK(memchr(text, '\0', len) == NULL);
	check_provider(&first, text, len);

	/* Parse the formatted text again (a copy of exactly its length): the same entry. */
	char *again = fuzz_copy(text, len);
	memset(&second, 0x5a, sizeof second);
	rc = jg_cache_entry_parse(again, len, &second);
	free(again);
	FUZZ_CHECK(rc == 0);
	check_terminated(&second);
	check_same(&first, &second);

	/* Formatting is stable: the second entry formats to the same text. */
	char *out = NULL;
	size_t len2 = 0;
	st = format_exact(&second, len + 1, &out, &len2, &err);
	FUZZ_CHECK(st == JG_OK);
	FUZZ_CHECK(len2 == len && memcmp(out, text, len) == 0);
	free(out);

	/* One byte too few: a failure with its message, and no write past the buffer (ASan). */
	st = format_exact(&second, len - 1, &out, &len2, &err);
	FUZZ_CHECK(st != JG_OK);
	FUZZ_CHECK(err.status == st);
	FUZZ_CHECK(fuzz_terminated(err.message, sizeof err.message) && err.message[0] != '\0');
	free(out);

	/* The formatted text parses into a fresh entry the same way a third time (no state). */
	memset(&third, 0, sizeof third);
	FUZZ_CHECK(jg_cache_entry_parse(text, len, &third) == 0);
	check_same(&second, &third);

	memset(&first, 0, sizeof first);
	memset(&second, 0, sizeof second);
	memset(&third, 0, sizeof third);
	memset(text, 0, len);
	return 0;
}
