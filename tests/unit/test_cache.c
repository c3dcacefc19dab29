/*
 * src/oauth/cache.c: the token cache of grant --reuse. An entry's text survives a round trip and
 * anything else is refused; a Google entry keeps its provider and expiry (expires_at after
 * obtained, both or neither of expires_in and expires_at) and a Salesforce entry's text is the
 * same as before there were providers; the name of a tuple depends on where its fields end; a directory
 * open to others or reached through a symlink is not used; an entry is written 0600 and read
 * back; the lock's wait ends at its deadline while another descriptor holds it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h> /* mkdtemp */
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "net/net.h"
#include "oauth/cache.h"

static const char good[] =
	"{\"version\":1,\"obtained\":1796400000,\"access_token\":\"00D5g000004ABCD!ARabc\","
	"\"instance_url\":\"https://127.0.0.1:8443\",\"id\":\"https://login.salesforce.com/id/"
	"00D5g000004ABCDEAA/0055g00000ABCDEAAA\",\"token_type\":\"Bearer\",\"scope\":\"api web\"}\n";

static jg_cache_entry entry, again;

static void entry_round_trip(void **state)
{
	(void)state;
	char text[JG_CACHE_ENTRY_MAX];
	size_t len = 0;
	jg_error err;
	assert_int_equal(jg_cache_entry_parse(good, strlen(good), &entry), 0);
	assert_int_equal(entry.obtained, 1796400000);
	assert_string_equal(entry.token.access_token, "00D5g000004ABCD!ARabc");
	assert_string_equal(entry.token.org_id, "00D5g000004ABCDEAA");
	assert_string_equal(entry.token.user_id, "0055g00000ABCDEAAA");
	assert_int_equal(jg_cache_entry_format(&entry, text, sizeof text, &len, &err), JG_OK);
	assert_int_equal(len, strlen(good));
	assert_memory_equal(text, good, len); /* the same bytes as written */
	assert_int_equal(jg_cache_entry_parse(text, len, &again), 0);
	assert_memory_equal(&entry, &again, sizeof entry);
}

/* good with its first occurrence of `from` replaced by `to`. */
static int parse_variant(const char *from, const char *to)
{
	char text[1024];
	const char *at = strstr(good, from);
	assert_non_null(at);
	int n = snprintf(text, sizeof text, "%.*s%s%s", (int)(at - good), good, to, at + strlen(from));
	return jg_cache_entry_parse(text, (size_t)n, &entry);
}

static void entry_refusals(void **state)
{
	(void)state;
	assert_int_equal(parse_variant("\n", "\nx"), -1);                /* trailing bytes */
	assert_int_equal(parse_variant("\"version\":1", "\"version\":2"), -1);
	assert_int_equal(parse_variant("1796400000", "-5"), -1);
	assert_int_equal(parse_variant("1796400000", "1.5"), -1);
	assert_int_equal(parse_variant("\"access_token\"", "\"access_tokex\""), -1);
	assert_int_equal(parse_variant("!ARabc", "!AR abc"), -1);        /* a space in the token */
	assert_int_equal(parse_variant("https://127", "http://127"), -1);
	assert_int_equal(parse_variant("!ARabc", "!AR\\u0000abc"), -1);  /* a NUL inside */
	assert_int_equal(parse_variant("Bearer", "Bea\x01rer"), -1);     /* a raw control byte */
	assert_int_equal(jg_cache_entry_parse("", 0, &entry), -1);
	assert_int_equal(jg_cache_entry_parse(good, strlen(good) / 2, &entry), -1);
	assert_int_equal(entry.token.access_token[0], '\0'); /* wiped on refusal */
}

/* text with its first occurrence of `from` replaced by `to`, parsed into entry. */
static int parse_text_variant(const char *base, const char *from, const char *to)
{
	char text[1024];
	const char *at = strstr(base, from);
	assert_non_null(at);
	int n = snprintf(text, sizeof text, "%.*s%s%s", (int)(at - base), base, to, at + strlen(from));
	assert_true(n > 0 && (size_t)n < sizeof text);
	return jg_cache_entry_parse(text, (size_t)n, &entry);
}

/* A Google service account's token (--provider google): RFC 6749 members and the expiry. */
static const char google[] =
	"{\"version\":1,\"obtained\":1796400000,\"provider\":\"google\",\"expires_in\":3599,"
	"\"expires_at\":1796403599,\"access_token\":\"ya29.c.seedAccessToken\",\"instance_url\":\"\","
	"\"id\":\"\",\"token_type\":\"Bearer\",\"scope\":\"https://www.googleapis.com/auth/cloud-platform\"}\n";

static void google_entry_round_trip(void **state)
{
	(void)state;
	char text[JG_CACHE_ENTRY_MAX];
	size_t len = 0;
	jg_error err;
	assert_int_equal(jg_cache_entry_parse(google, strlen(google), &entry), 0);
	assert_int_equal(entry.provider, JG_PROVIDER_GOOGLE);
	assert_int_equal(entry.obtained, 1796400000);
	assert_int_equal(entry.token.expires_in, 3599);
	assert_int_equal(entry.token.expires_at, 1796403599);
	assert_string_equal(entry.token.access_token, "ya29.c.seedAccessToken");
	assert_string_equal(entry.token.token_type, "Bearer");
	assert_string_equal(entry.token.scope, "https://www.googleapis.com/auth/cloud-platform");
	assert_string_equal(entry.token.instance_url, "");
	assert_string_equal(entry.token.org_id, "");
	assert_int_equal(jg_cache_entry_format(&entry, text, sizeof text, &len, &err), JG_OK);
	assert_int_equal(len, strlen(google));
	assert_memory_equal(text, google, len); /* the same bytes as written */
	assert_int_equal(jg_cache_entry_parse(text, len, &again), 0);
	assert_memory_equal(&entry, &again, sizeof entry);
}

/* A Google token without expires_in (RFC 6749 makes it optional): no expiry in the entry. */
static void google_entry_without_expiry(void **state)
{
	(void)state;
	static const char none[] =
		"{\"version\":1,\"obtained\":1796400000,\"provider\":\"google\",\"access_token\":"
		"\"ya29.c.seedAccessToken\",\"instance_url\":\"\",\"id\":\"\",\"token_type\":\"\","
		"\"scope\":\"\"}\n";
	char text[JG_CACHE_ENTRY_MAX];
	size_t len = 0;
	jg_error err;
	assert_int_equal(jg_cache_entry_parse(none, strlen(none), &entry), 0);
	assert_int_equal(entry.provider, JG_PROVIDER_GOOGLE);
	assert_int_equal(entry.token.expires_in, -1);
	assert_int_equal(entry.token.expires_at, 0);
	assert_int_equal(jg_cache_entry_format(&entry, text, sizeof text, &len, &err), JG_OK);
	assert_int_equal(len, strlen(none));
	assert_memory_equal(text, none, len);
	/* An expiry written without expires_in is not one jwtgrant wrote. */
	assert_int_equal(parse_text_variant(none, "\"access_token\"",
		"\"expires_at\":1796403599,\"access_token\""), -1);
}

static void google_entry_refusals(void **state)
{
	(void)state;
	/* expires_at not after obtained */
	assert_int_equal(parse_text_variant(google, "1796403599", "1796400000"), -1);
	assert_int_equal(parse_text_variant(google, "1796403599", "1796399999"), -1);
	assert_int_equal(parse_text_variant(google, "1796403599", "0"), -1);
	assert_int_equal(parse_text_variant(google, "1796403599", "1796403599.5"), -1);
	/* a provider other than google, or not a string */
	assert_int_equal(parse_text_variant(google, "\"google\"", "\"other\""), -1);
	assert_int_equal(parse_text_variant(google, "\"google\"", "\"Google\""), -1);
	assert_int_equal(parse_text_variant(google, "\"google\"", "\"salesforce\""), -1);
	assert_int_equal(parse_text_variant(google, "\"google\"", "\"\""), -1);
	assert_int_equal(parse_text_variant(google, "\"google\"", "2"), -1);
	assert_int_equal(parse_text_variant(google, "\"google\"", "null"), -1);
	/* expires_at without expires_in, expires_in without expires_at */
	assert_int_equal(parse_text_variant(google, "\"expires_in\":3599,", ""), -1);
	assert_int_equal(parse_text_variant(google, "\"expires_at\":1796403599,", ""), -1);
	/* expires_in outside 1 .. ten years, or not whole */
	assert_int_equal(parse_text_variant(google, "3599", "0"), -1);
	assert_int_equal(parse_text_variant(google, "3599", "-1"), -1);
	assert_int_equal(parse_text_variant(google, "3599", "315360001"), -1);
	assert_int_equal(parse_text_variant(google, "3599", "3599.5"), -1);
	assert_int_equal(parse_text_variant(google, "3599", "\"3599\""), -1);
	assert_int_equal(parse_text_variant(google, "3599", "315360000"), 0); /* the limit itself */
	/* the access token is still required, of visible ASCII */
	assert_int_equal(parse_text_variant(google, "\"access_token\"", "\"access_tokex\""), -1);
	assert_int_equal(parse_text_variant(google, "seedAccessToken", "seed AccessToken"), -1);
	/* an expiry on a Salesforce entry (no provider) */
	assert_int_equal(parse_text_variant(good, "\"access_token\"",
		"\"expires_in\":3599,\"expires_at\":1796403599,\"access_token\""), -1);
	assert_int_equal(entry.token.access_token[0], '\0'); /* wiped on refusal */
}

/* Salesforce entries are written as before the Google provider: no provider, no expiry, even
 * when the struct says Salesforce explicitly or holds an expires_in. */
static void salesforce_entry_text_unchanged(void **state)
{
	(void)state;
	char text[JG_CACHE_ENTRY_MAX];
	size_t len = 0;
	jg_error err;
	assert_int_equal(jg_cache_entry_parse(good, strlen(good), &entry), 0);
	assert_int_equal(entry.provider, JG_PROVIDER_SALESFORCE);
	assert_int_equal(entry.token.expires_in, -1);
	assert_int_equal(entry.token.expires_at, 0);
	entry.token.expires_in = 7200;
	entry.token.expires_at = 1796407200;
	assert_int_equal(jg_cache_entry_format(&entry, text, sizeof text, &len, &err), JG_OK);
	assert_int_equal(len, strlen(good));
	assert_memory_equal(text, good, len);
	entry.provider = 0; /* an entry filled by hand, provider unset: Salesforce's */
	assert_int_equal(jg_cache_entry_format(&entry, text, sizeof text, &len, &err), JG_OK);
	assert_int_equal(len, strlen(good));
	assert_memory_equal(text, good, len);
	text[len] = '\0';
	assert_null(strstr(text, "provider"));
	assert_null(strstr(text, "expires"));
}

static void name_depends_on_field_ends(void **state)
{
	(void)state;
	const char *a[] = { "ab", "c" }, *b[] = { "a", "bc" };
	char na[JG_CACHE_NAME_LEN + 1], nb[JG_CACHE_NAME_LEN + 1], na2[JG_CACHE_NAME_LEN + 1];
	jg_cache_name(a, 2, na);
	jg_cache_name(b, 2, nb);
	jg_cache_name(a, 2, na2);
	assert_int_equal(strlen(na), 64);
	assert_string_equal(na, na2);
	assert_string_not_equal(na, nb);
	assert_int_equal(strspn(na, "0123456789abcdef"), 64);
}

static char dir[64];

static int make_dir(void **state)
{
	(void)state;
	(void)snprintf(dir, sizeof dir, "/tmp/jg-test-cache.XXXXXX");
	return mkdtemp(dir) != NULL ? 0 : -1;
}

static int remove_dir(void **state)
{
	(void)state;
	char cmd[128];
	(void)snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void unsafe_directories_refused(void **state)
{
	(void)state;
	jg_cache c;
	jg_error err;
	char path[128], link_path[128];
	(void)snprintf(path, sizeof path, "%s/open", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(chmod(path, 0777), 0);
	assert_int_equal(jg_cache_open(&c, path, &err), JG_ERR_INPUT);
	assert_non_null(strstr(err.message, "mode 0777"));
	assert_int_equal(c.dirfd, -1);
	(void)snprintf(link_path, sizeof link_path, "%s/link", dir);
	assert_int_equal(chmod(path, 0700), 0);
	assert_int_equal(symlink(path, link_path), 0);
	assert_int_equal(jg_cache_open(&c, link_path, &err), JG_ERR_INPUT);
	assert_non_null(strstr(err.message, "symlink"));
	assert_int_equal(jg_cache_open(&c, path, &err), JG_OK); /* the same directory, by itself */
	jg_cache_close(&c);
}

static void write_read_remove(void **state)
{
	(void)state;
	jg_cache c;
	jg_error err;
	struct stat st;
	char path[160], created[128];
	(void)snprintf(created, sizeof created, "%s/new/jwtgrant", dir); /* parent made too */
	assert_int_equal(jg_cache_open(&c, created, &err), JG_OK);
	assert_int_equal(fstat(c.dirfd, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(jg_cache_lock(&c, "ab12", jg_net_now_ms() + 1000, &err), JG_OK);
	assert_int_equal(jg_cache_read(&c, &again, &err), JG_CACHE_MISS);
	assert_int_equal(jg_cache_entry_parse(good, strlen(good), &entry), 0);
	assert_int_equal(jg_cache_write(&c, &entry, &err), JG_OK);
	(void)snprintf(path, sizeof path, "%s/ab12", created);
	assert_int_equal(lstat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(jg_cache_read(&c, &again, &err), JG_CACHE_HIT);
	assert_memory_equal(&entry, &again, sizeof entry);
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(jg_cache_read(&c, &again, &err), JG_CACHE_UNSAFE);
	assert_int_equal(jg_cache_remove(&c), 0);
	assert_int_equal(jg_cache_remove(&c), -1);
	jg_cache_close(&c);
}

static void lock_wait_ends_at_deadline(void **state)
{
	(void)state;
	jg_cache c, other;
	jg_error err;
	assert_int_equal(jg_cache_open(&c, dir, &err), JG_OK);
	assert_int_equal(jg_cache_open(&other, dir, &err), JG_OK);
	assert_int_equal(jg_cache_lock(&c, "cd34", jg_net_now_ms() + 1000, &err), JG_OK);
	int64_t start = jg_net_now_ms();
	assert_int_equal(jg_cache_lock(&other, "cd34", start + 200, &err), JG_ERR_NETWORK);
	assert_true(jg_net_now_ms() - start >= 200);
	assert_non_null(strstr(err.message, "cd34.lock"));
	jg_cache_close(&c); /* released: now the other one gets it at once */
	assert_int_equal(jg_cache_lock(&other, "cd34", jg_net_now_ms() + 1000, &err), JG_OK);
	jg_cache_close(&other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(entry_round_trip),
		cmocka_unit_test(entry_refusals),
		cmocka_unit_test(google_entry_round_trip),
		cmocka_unit_test(google_entry_without_expiry),
		cmocka_unit_test(google_entry_refusals),
		cmocka_unit_test(salesforce_entry_text_unchanged),
		cmocka_unit_test(name_depends_on_field_ends),
		cmocka_unit_test(unsafe_directories_refused),
		cmocka_unit_test(write_read_remove),
		cmocka_unit_test(lock_wait_ends_at_deadline),
	};
	return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
