#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "net/noproxy.h"

typedef struct noproxy_case {
	const char *list;
	const char *host;
	int match;
	const char *entry; /* the entry reported on a match */
} noproxy_case;

static const noproxy_case cases[] = {
	/* nothing to match */
	{ NULL, "example.com", 0, NULL },
	{ "", "example.com", 0, NULL },
	{ "  ,, ", "example.com", 0, NULL },
	{ "example.com", "", 0, NULL },

	/* "*" alone */
	{ "*", "anything.example", 1, "*" },
	{ "*", "10.1.2.3", 1, "*" },
	{ " * ", "::1", 1, "*" },
	{ "example.com,*", "other.test", 0, NULL },
	{ "*.example.com", "a.example.com", 0, NULL },

	/* names: the host itself and below it */
	{ "example.com", "example.com", 1, "example.com" },
	{ "example.com", "a.example.com", 1, "example.com" },
	{ "example.com", "a.b.example.com", 1, "example.com" },
	{ "example.com", "badexample.com", 0, NULL },
	{ "example.com", "example.com.evil.test", 0, NULL },
	{ "example.com", "com", 0, NULL },
	{ "a.example.com", "example.com", 0, NULL },
	{ ".example.com", "example.com", 1, ".example.com" },
	{ ".example.com", "www.example.com", 1, ".example.com" },
	{ ".example.com", "badexample.com", 0, NULL },
	{ "Example.COM", "WWW.example.com", 1, "Example.COM" },
	{ "example.com", "www.example.com.", 1, "example.com" },
	{ "example.com.", "www.example.com", 1, "example.com." },
	{ "localhost", "localhost", 1, "localhost" },
	{ "localhost", "127.0.0.1", 0, NULL },
	{ ".", "example.com", 0, NULL },

	/* lists: commas, blanks around entries, the entry reported as written */
	{ "foo.test, bar.test ,example.com", "www.example.com", 1, "example.com" },
	{ "foo.test,\t.example.com\t", "www.example.com", 1, ".example.com" },
	{ "foo.test bar.test", "bar.test", 1, "bar.test" },
	{ ",,foo.test,,,bar.test,,", "bar.test", 1, "bar.test" },
	{ "foo.test,bar.test", "baz.test", 0, NULL },
	{ "localhost,127.0.0.1,.internal.example", "db.internal.example", 1,
		".internal.example" },

	/* port suffixes are ignored */
	{ "example.com:8443", "example.com", 1, "example.com:8443" },
	{ ".example.com:80", "a.example.com", 1, ".example.com:80" },
	{ "10.0.0.1:3128", "10.0.0.1", 1, "10.0.0.1:3128" },
	{ "[::1]:8443", "::1", 1, "[::1]:8443" },

	/* IPv4 literals and ranges */
	{ "127.0.0.1", "127.0.0.1", 1, "127.0.0.1" },
	{ "127.0.0.1", "127.0.0.2", 0, NULL },
	{ "10.0.0.0/8", "10.200.3.4", 1, "10.0.0.0/8" },
	{ "10.0.0.0/8", "11.0.0.1", 0, NULL },
	{ "192.168.1.0/24", "192.168.1.255", 1, "192.168.1.0/24" },
	{ "192.168.1.0/24", "192.168.2.1", 0, NULL },
	{ "172.16.0.0/12", "172.31.255.1", 1, "172.16.0.0/12" },
	{ "172.16.0.0/12", "172.32.0.1", 0, NULL },
	{ "0.0.0.0/0", "203.0.113.9", 1, "0.0.0.0/0" },
	{ "10.0.0.0/33", "10.0.0.1", 0, NULL },
	{ "10.0.0.0/x", "10.0.0.1", 0, NULL },
	{ "10.0.0.0/", "10.0.0.1", 0, NULL },
	{ "10.0.0.0/8", "10.example.com", 0, NULL },
	{ "example.com,10.0.0.0/8", "10.1.1.1", 1, "10.0.0.0/8" },
	{ "10.0.0.0/8", "::ffff:10.0.0.1", 0, NULL },

	/* IPv6 literals and ranges, host with or without brackets */
	{ "::1", "::1", 1, "::1" },
	{ "::1/128", "::1", 1, "::1/128" },
	{ "::1/128", "::2", 0, NULL },
	{ "[::1]", "[::1]", 1, "[::1]" },
	{ "0:0:0:0:0:0:0:1", "::1", 1, "0:0:0:0:0:0:0:1" },
	{ "fe80::/10", "fe80::1", 1, "fe80::/10" },
	{ "fe80::/10", "febf:ffff::1", 1, "fe80::/10" },
	{ "fe80::/10", "fec0::1", 0, NULL },
	{ "[fe80::]/10", "fe80::abcd", 1, "[fe80::]/10" },
	{ "2001:db8::/32", "2001:DB8:1::5", 1, "2001:db8::/32" },
	{ "2001:db8::/32", "2001:db9::5", 0, NULL },
	{ "::/0", "2001:db8::1", 1, "::/0" },
	{ "::1/129", "::1", 0, NULL },
	{ "::1", "127.0.0.1", 0, NULL },
	{ "127.0.0.1", "::1", 0, NULL },
	{ "[::1", "::1", 0, NULL },
};

static void table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const noproxy_case *c = &cases[i];
		const char *entry = "unset";
		int match = jg_noproxy_match(c->list, c->host, &entry);
		if (match != c->match)
			fail_msg("row %zu: list '%s' host '%s': %d, want %d", i,
				c->list != NULL ? c->list : "(null)", c->host, match, c->match);
		if (c->match ? (entry == NULL || strcmp(entry, c->entry) != 0) : entry != NULL)
			fail_msg("row %zu: list '%s' host '%s': entry '%s', want '%s'", i,
				c->list != NULL ? c->list : "(null)", c->host,
				entry != NULL ? entry : "(null)", c->entry != NULL ? c->entry : "(null)");
		/* matched_entry is optional. */
		assert_int_equal(jg_noproxy_match(c->list, c->host, NULL), c->match);
	}
}

static void null_host_matches_nothing(void **state)
{
	(void)state;
	const char *entry = "unset";
	assert_int_equal(jg_noproxy_match("*", NULL, &entry), 0);
	assert_null(entry);
}

static void long_entry_is_truncated_in_the_report(void **state)
{
	(void)state;
	static char list[400], host[300];
	/* 250 bytes of "a.a.a...": a name the list names in full. */
	for (size_t i = 0; i < 250; i += 2) {
		host[i] = 'a';
		host[i + 1] = '.';
	}
	host[249] = 'z';
	host[250] = '\0';
	strcpy(list, host);
	strcat(list, ":65535"); /* 256 bytes, over the 255 reported */
	const char *entry;
	assert_int_equal(jg_noproxy_match(list, host, &entry), 1);
	assert_int_equal(strlen(entry), JG_NOPROXY_ENTRY_MAX);
	assert_memory_equal(entry, list, JG_NOPROXY_ENTRY_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table),
		cmocka_unit_test(null_host_matches_nothing),
		cmocka_unit_test(long_entry_is_truncated_in_the_report),
	};
	return cmocka_run_group_tests_name("noproxy", tests, NULL, NULL);
}
