#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "net/url.h"

enum { INSTANCE, PROXY };

/* A row: what to parse and what must come out. For a failure, `want` is a piece of the
 * message; for a success, the fields. */
typedef struct url_case {
	int kind;
	const char *text;
	jg_status status;
	const char *want; /* failure: a fragment of the message */
	const char *host;
	jg_host_kind host_kind;
	int port;
	const char *path;
	const char *user;     /* NULL: no user info */
	const char *password;
} url_case;

#define GOOD(k, t, h, hk, p, pa) { k, t, JG_OK, NULL, h, hk, p, pa, NULL, NULL }
#define GOOD_USER(t, h, p, us, pw) { PROXY, t, JG_OK, NULL, h, JG_HOST_NAME, p, "", us, pw }
#define BAD(k, t, w) { k, t, JG_ERR_USAGE, w, NULL, JG_HOST_NAME, 0, NULL, NULL, NULL }

static char long_host[300];     /* 254 bytes: one too many */
static char longest_host[300];  /* 253 bytes in labels of at most 63: accepted */
static char long_label[300];    /* a 64-byte label */
static char long_path[1200];    /* 1025-byte path */
static char longest_path[1200]; /* 1024-byte path plus a trailing '/' */
static char longest_path_parsed[1200]; /* that path without the '/' */
static char long_password[400]; /* 256 bytes decoded */

static void make_long_inputs(void)
{
	char *p = long_host + sprintf(long_host, "https://");
	memset(p, 'a', 254);
	p[254] = '\0';

	p = longest_host + sprintf(longest_host, "https://");
	for (int i = 0; i < 3; i++) {
		memset(p, (char)('b' + i), 63);
		p[63] = '.';
		p += 64;
	}
	memset(p, 'e', 61);
	p[61] = '\0';

	p = long_label + sprintf(long_label, "https://");
	memset(p, 'c', 64);
	strcpy(p + 64, ".example.com");

	p = long_path + sprintf(long_path, "https://h/");
	memset(p, 'p', 1024);
	p[1024] = '\0';

	p = longest_path + sprintf(longest_path, "https://h/");
	memset(p, 'p', 1023);
	strcpy(p + 1023, "/");
	strcpy(longest_path_parsed, longest_path + 9);
	longest_path_parsed[1024] = '\0';

	p = long_password + sprintf(long_password, "http://user:");
	memset(p, 'x', 256);
	strcpy(p + 256, "@proxy");
}

static const url_case cases[] = {
	/* instance URLs that parse */
	GOOD(INSTANCE, "https://login.salesforce.com", "login.salesforce.com", JG_HOST_NAME, 443, ""),
	GOOD(INSTANCE, "https://login.salesforce.com/", "login.salesforce.com", JG_HOST_NAME, 443, ""),
	GOOD(INSTANCE, "https://MyDomain.My.Salesforce.COM", "mydomain.my.salesforce.com",
		JG_HOST_NAME, 443, ""),
	GOOD(INSTANCE, "HTTPS://test.salesforce.com", "test.salesforce.com", JG_HOST_NAME, 443, ""),
	GOOD(INSTANCE, "https://host.example:8443/some/path/", "host.example", JG_HOST_NAME, 8443,
		"/some/path"),
	GOOD(INSTANCE, "https://h//", "h", JG_HOST_NAME, 443, "/"),
	GOOD(INSTANCE, "https://h/a%20b", "h", JG_HOST_NAME, 443, "/a%20b"),
	GOOD(INSTANCE, "https://[::1]:8443", "::1", JG_HOST_IPV6, 8443, ""),
	GOOD(INSTANCE, "https://[2001:DB8:0::1]/x", "2001:db8::1", JG_HOST_IPV6, 443, "/x"),
	GOOD(INSTANCE, "https://127.0.0.1:8443", "127.0.0.1", JG_HOST_IPV4, 8443, ""),
	GOOD(INSTANCE, "https://h:1", "h", JG_HOST_NAME, 1, ""),
	GOOD(INSTANCE, "https://h:65535", "h", JG_HOST_NAME, 65535, ""),
	GOOD(INSTANCE, "https://h:00443", "h", JG_HOST_NAME, 443, ""),
	GOOD(INSTANCE, "https://h:", "h", JG_HOST_NAME, 443, ""),
	GOOD(INSTANCE, "https://my_host.example.com", "my_host.example.com", JG_HOST_NAME, 443, ""),
	GOOD(INSTANCE, "https://host.example.com.", "host.example.com.", JG_HOST_NAME, 443, ""),
	GOOD(INSTANCE, "https://cs42.salesforce.com", "cs42.salesforce.com", JG_HOST_NAME, 443, ""),
	GOOD(INSTANCE, "https://localhost", "localhost", JG_HOST_NAME, 443, ""),

	/* instance URLs refused */
	BAD(INSTANCE, "", "it is empty"),
	BAD(INSTANCE, "login.salesforce.com", "--instance-url must start with https://"),
	BAD(INSTANCE, "http://login.salesforce.com", "--instance-url must start with https://"),
	BAD(INSTANCE, "ftp://login.salesforce.com", "--instance-url must start with https://"),
	BAD(INSTANCE, "https:/login.salesforce.com", "--instance-url must start with https://"),
	BAD(INSTANCE, "https//login.salesforce.com", "--instance-url must start with https://"),
	BAD(INSTANCE, "https://", "the host name is empty"),
	BAD(INSTANCE, "https:///services", "the host name is empty"),
	BAD(INSTANCE, "https://:443", "the host name is empty"),
	BAD(INSTANCE, "https://h:0", "port '0' is not a number from 1 to 65535"),
	BAD(INSTANCE, "https://h:65536", "port '65536'"),
	BAD(INSTANCE, "https://h:abc", "port 'abc'"),
	BAD(INSTANCE, "https://h:-1", "port '-1'"),
	BAD(INSTANCE, "https://h:+443", "port '+443'"),
	BAD(INSTANCE, "https://h:443a", "port '443a'"),
	BAD(INSTANCE, "https://h:18446744073709551617", "port '18446744073709551617'"),
	BAD(INSTANCE, "https://user@h", "user information ('user@') is not allowed"),
	BAD(INSTANCE, "https://user:secret@h/", "user information"),
	BAD(INSTANCE, "https://h?x=1", "query ('?') or fragment ('#') is not allowed"),
	BAD(INSTANCE, "https://h/path?x=1", "query"),
	BAD(INSTANCE, "https://h/#top", "fragment"),
	BAD(INSTANCE, "https://ho st", "space, a control or a non-ASCII character"),
	BAD(INSTANCE, "https://host\n", "control"),
	BAD(INSTANCE, "https://h\xc3\xb4te.example", "non-ASCII"),
	BAD(INSTANCE, "https://[::1", "'[' without ']'"),
	BAD(INSTANCE, "https://[::1]x", "unexpected characters after the IPv6 address"),
	BAD(INSTANCE, "https://[]", "is not an IPv6 address"),
	BAD(INSTANCE, "https://[zz::1]", "'[zz::1]' is not an IPv6 address"),
	BAD(INSTANCE, "https://[fe80::1%25eth0]", "is not an IPv6 address"),
	BAD(INSTANCE, "https://[127.0.0.1]", "is not an IPv6 address"),
	BAD(INSTANCE, "https://::1", "must be written in brackets"),
	BAD(INSTANCE, "https://127.1", "neither a name nor a dotted-decimal IPv4 address"),
	BAD(INSTANCE, "https://2130706433", "neither a name"),
	BAD(INSTANCE, "https://0x7f.0.0.1", "neither a name"),
	BAD(INSTANCE, "https://010.0.0.1", "neither a name"),
	BAD(INSTANCE, "https://256.0.0.1", "neither a name"),
	BAD(INSTANCE, "https://a..b", "dot-separated labels"),
	BAD(INSTANCE, "https://.a.b", "dot-separated labels"),
	BAD(INSTANCE, "https://a.b..", "dot-separated labels"),
	BAD(INSTANCE, "https://a!b.com", "dot-separated labels"),
	BAD(INSTANCE, "https://h/a%zz", "malformed percent-encoding in the path"),
	BAD(INSTANCE, "https://h/a%2", "malformed percent-encoding in the path"),

	/* proxy URLs that parse */
	GOOD(PROXY, "http://proxy.example.com:3128", "proxy.example.com", JG_HOST_NAME, 3128, ""),
	GOOD(PROXY, "proxy.example.com:3128", "proxy.example.com", JG_HOST_NAME, 3128, ""),
	GOOD(PROXY, "proxy.example.com", "proxy.example.com", JG_HOST_NAME, 1080, ""),
	GOOD(PROXY, "http://proxy", "proxy", JG_HOST_NAME, 1080, ""),
	GOOD(PROXY, "HTTP://Proxy:8080/", "proxy", JG_HOST_NAME, 8080, ""),
	GOOD(PROXY, "http://[::1]:3128", "::1", JG_HOST_IPV6, 3128, ""),
	GOOD(PROXY, "[::1]:3128", "::1", JG_HOST_IPV6, 3128, ""),
	GOOD(PROXY, "http://10.0.0.1:8080", "10.0.0.1", JG_HOST_IPV4, 8080, ""),
	GOOD_USER("http://user:p%40ss@proxy:3128", "proxy", 3128, "user", "p@ss"),
	GOOD_USER("user:p%40ss@proxy:3128", "proxy", 3128, "user", "p@ss"),
	GOOD_USER("http://us%65r:a%3Ab%2Fc%25@proxy", "proxy", 1080, "user", "a:b/c%"),
	GOOD_USER("http://user@proxy:3128", "proxy", 3128, "user", ""),
	GOOD_USER("http://:secret@proxy", "proxy", 1080, "", "secret"),
	GOOD_USER("http://u:pa@ss@proxy:8080", "proxy", 8080, "u", "pa@ss"),
	GOOD_USER("http://u:a:b@proxy", "proxy", 1080, "u", "a:b"),
	GOOD_USER("http://dom%5Cuser:pw@proxy", "proxy", 1080, "dom\\user", "pw"),

	/* proxy URLs refused */
	BAD(PROXY, "https://proxy:443",
		"proxy scheme 'https' is not supported: use an http:// proxy (CONNECT)"),
	BAD(PROXY, "socks4://proxy:1080",
		"proxy scheme 'socks4' is not supported: use an http:// proxy (CONNECT)"),
	BAD(PROXY, "socks4a://proxy:1080",
		"proxy scheme 'socks4a' is not supported: use an http:// proxy (CONNECT)"),
	BAD(PROXY, "socks5://proxy:1080",
		"proxy scheme 'socks5' is not supported: use an http:// proxy (CONNECT)"),
	BAD(PROXY, "socks5h://user:pw@proxy:1080",
		"proxy scheme 'socks5h' is not supported: use an http:// proxy (CONNECT)"),
	BAD(PROXY, "SOCKS5://proxy", "proxy scheme 'SOCKS5' is not supported"),
	BAD(PROXY, "ftp://proxy", "proxy scheme 'ftp' is not supported"),
	BAD(PROXY, "", "invalid proxy URL: it is empty"),
	BAD(PROXY, "http://", "the host name is empty"),
	BAD(PROXY, "http://user:pw@", "the host name is empty"),
	BAD(PROXY, "http://proxy:0", "port '0'"),
	BAD(PROXY, "http://proxy:65536", "port '65536'"),
	BAD(PROXY, "proxy:abc", "port 'abc'"),
	BAD(PROXY, "http://proxy/path", "a path, query or fragment is not allowed"),
	BAD(PROXY, "http://proxy?x", "a path, query or fragment is not allowed"),
	BAD(PROXY, "http://proxy/#x", "a path, query or fragment is not allowed"),
	BAD(PROXY, "http://u:%zz@proxy", "malformed percent-encoding in the password"),
	BAD(PROXY, "http://u:ab%4@proxy", "malformed percent-encoding in the password"),
	BAD(PROXY, "http://u%@proxy", "malformed percent-encoding in the user name"),
	BAD(PROXY, "http://u:a%00b@proxy", "the password contains a control character"),
	BAD(PROXY, "http://u%0a:pw@proxy", "the user name contains a control character"),
	BAD(PROXY, "http://us%3Aer:pw@proxy", "the user name contains ':'"),
	BAD(PROXY, "http://proxy name:3128", "space"),
	BAD(PROXY, "http://::1:3128", "must be written in brackets"),
	BAD(PROXY, "http://127.1:3128", "neither a name"),
};

static void check_case(size_t i, const url_case *c)
{
	jg_url u;
	jg_error err;
	memset(&err, 0, sizeof err);
	memset(&u, 0x5a, sizeof u);
	jg_status st = c->kind == INSTANCE ? jg_url_parse(c->text, &u, &err) :
		jg_url_parse_proxy(c->text, &u, &err);
	if (st != c->status)
		fail_msg("case %zu '%s': status %d, want %d (%s)", i, c->text, st, c->status,
			st != JG_OK ? err.message : "ok");
	if (st != JG_OK) {
		if (strstr(err.message, c->want) == NULL)
			fail_msg("case %zu '%s': message '%s' lacks '%s'", i, c->text, err.message, c->want);
		if (u.host[0] != '\0' || u.password[0] != '\0' || u.port != 0)
			fail_msg("case %zu '%s': the url was not cleared on failure", i, c->text);
		return;
	}
	const char *scheme = c->kind == INSTANCE ? "https" : "http";
	if (strcmp(u.scheme, scheme) != 0 || strcmp(u.host, c->host) != 0 ||
		u.host_kind != c->host_kind || u.port != c->port || strcmp(u.path, c->path) != 0)
		fail_msg("case %zu '%s': got %s %s kind %d port %d path '%s'", i, c->text, u.scheme,
			u.host, u.host_kind, u.port, u.path);
	int want_user = c->user != NULL;
	if (u.has_user != want_user ||
		strcmp(u.user, want_user ? c->user : "") != 0 ||
		strcmp(u.password, want_user ? c->password : "") != 0)
		fail_msg("case %zu '%s': user info has_user=%d user '%s'", i, c->text, u.has_user,
			u.user);
}

static void run_rows(int kind, int good)
{
	size_t ran = 0;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (cases[i].kind == kind && (cases[i].status == JG_OK) == good) {
			check_case(i, &cases[i]);
			ran++;
		}
	}
	assert_true(ran > 0);
}

static void instance_good(void **state)
{
	(void)state;
	run_rows(INSTANCE, 1);
}

static void instance_bad(void **state)
{
	(void)state;
	run_rows(INSTANCE, 0);
}

static void proxy_good(void **state)
{
	(void)state;
	run_rows(PROXY, 1);
}

static void proxy_bad(void **state)
{
	(void)state;
	run_rows(PROXY, 0);
}

static void length_caps(void **state)
{
	(void)state;
	make_long_inputs();
	const url_case long_cases[] = {
		BAD(INSTANCE, long_host, "the host name is longer than 253 bytes"),
		GOOD(INSTANCE, longest_host, longest_host + 8, JG_HOST_NAME, 443, ""),
		BAD(INSTANCE, long_label, "dot-separated labels"),
		BAD(INSTANCE, long_path, "the path is longer than 1024 bytes"),
		GOOD(INSTANCE, longest_path, "h", JG_HOST_NAME, 443, longest_path_parsed),
		BAD(PROXY, long_password, "the password is longer than 255 bytes"),
	};
	assert_int_equal(strlen(longest_host + 8), 253);
	assert_int_equal(strlen(longest_path_parsed), 1024);
	for (size_t i = 0; i < sizeof long_cases / sizeof long_cases[0]; i++)
		check_case(i, &long_cases[i]);
}

static void null_text_is_refused(void **state)
{
	(void)state;
	jg_url u;
	jg_error err;
	assert_int_equal(jg_url_parse(NULL, &u, &err), JG_ERR_USAGE);
	assert_int_equal(jg_url_parse_proxy(NULL, &u, &err), JG_ERR_USAGE);
}

/* No failure message may carry the proxy password, however the URL is broken. */
static void password_never_in_messages(void **state)
{
	(void)state;
	static const char *const texts[] = {
		"http://user:s3cret@proxy:99999",
		"http://user:s3cret@",
		"http://user:s3cret@proxy/path",
		"http://user:s3cret@[zz]:1",
		"http://user:s3cret@127.1",
		"http://user:s3cret@a..b",
		"socks5://user:s3cret@proxy",
		"http://user:s3cret%zz@proxy",
		"http://user:s3cret%01@proxy",
	};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		jg_url u;
		jg_error err;
		assert_int_equal(jg_url_parse_proxy(texts[i], &u, &err), JG_ERR_USAGE);
		if (strstr(err.message, "s3cret") != NULL)
			fail_msg("'%s' leaked the password: %s", texts[i], err.message);
		assert_int_equal(u.password[0], '\0');
	}
}

static void redacted(void **state)
{
	(void)state;
	static const struct {
		int kind;
		const char *text;
		const char *want;
	} rows[] = {
		{ INSTANCE, "https://login.salesforce.com", "https://login.salesforce.com" },
		{ INSTANCE, "https://Login.Salesforce.com/x/y/", "https://login.salesforce.com/x/y" },
		{ INSTANCE, "https://[::1]:8443/p", "https://[::1]:8443/p" },
		{ INSTANCE, "https://127.0.0.1:443", "https://127.0.0.1" },
		{ PROXY, "http://user:p%40ss@proxy:3128", "http://user:***@proxy:3128" },
		{ PROXY, "http://user@proxy:3128", "http://user:***@proxy:3128" },
		{ PROXY, "proxy", "http://proxy:1080" },
		{ PROXY, "http://proxy:80/", "http://proxy" },
		{ PROXY, "[::1]:3128", "http://[::1]:3128" },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		jg_url u;
		jg_error err;
		jg_status st = rows[i].kind == INSTANCE ? jg_url_parse(rows[i].text, &u, &err) :
			jg_url_parse_proxy(rows[i].text, &u, &err);
		assert_int_equal(st, JG_OK);
		char out[256];
		jg_url_redacted(&u, out, sizeof out);
		assert_string_equal(out, rows[i].want);
		assert_null(strstr(out, "p@ss"));
	}
}

static void redacted_truncates(void **state)
{
	(void)state;
	jg_url u;
	jg_error err;
	assert_int_equal(jg_url_parse("https://login.salesforce.com/abc", &u, &err), JG_OK);
	char out[11];
	memset(out, 'z', sizeof out);
	jg_url_redacted(&u, out, sizeof out);
	assert_string_equal(out, "https://lo");
	char untouched = 'z';
	jg_url_redacted(&u, &untouched, 0);
	assert_int_equal(untouched, 'z');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(instance_good),
		cmocka_unit_test(instance_bad),
		cmocka_unit_test(proxy_good),
		cmocka_unit_test(proxy_bad),
		cmocka_unit_test(length_caps),
		cmocka_unit_test(null_text_is_refused),
		cmocka_unit_test(password_never_in_messages),
		cmocka_unit_test(redacted),
		cmocka_unit_test(redacted_truncates),
	};
	return cmocka_run_group_tests_name("url", tests, NULL, NULL);
}
