#include "net/noproxy.h"

#include <arpa/inet.h>
#include <string.h>

#include "base/ascii.h"

/* Entries longer than this cannot be a name (253) or an address with a port: ignored. */
#define ENTRY_TEXT_MAX 300
#define HOST_TEXT_MAX 300

/* The host to look for, classified once. */
typedef struct target {
	int family;                /* 0 for a name, AF_INET or AF_INET6 for a literal */
	unsigned char address[16]; /* the literal's bytes */
	const char *name;          /* a name, without its trailing dot */
	size_t name_n;
} target;

/* An IP entry: address and prefix length. */
typedef struct range {
	int family;
	unsigned char address[16];
	unsigned bits;
} range;

static char matched_copy[JG_NOPROXY_ENTRY_MAX + 1];

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int is_separator(char c)
{
	return c == ',' || is_blank(c);
}

static int all_digits(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return 0;
	}
	return 1;
}

/* Classify host into t; buf holds an IPv6 literal taken out of brackets. 0: cannot match. */
static int classify_host(const char *host, target *t, char *buf, size_t cap)
{
	memset(t, 0, sizeof *t);
	size_t n = strlen(host);
	if (n == 0 || n >= cap)
		return 0;
	if (host[0] == '[') {
		if (host[n - 1] != ']')
			return 0;
		memcpy(buf, host + 1, n - 2);
		buf[n - 2] = '\0';
		t->family = AF_INET6;
		return inet_pton(AF_INET6, buf, t->address) == 1;
	}
	if (inet_pton(AF_INET, host, t->address) == 1) {
		t->family = AF_INET;
		return 1;
	}
	if (inet_pton(AF_INET6, host, t->address) == 1) {
		t->family = AF_INET6;
		return 1;
	}
	if (host[n - 1] == '.')
		n--;
	t->name = host;
	t->name_n = n;
	return n > 0;
}

/* Read "/BITS" (decimal, 0..max); without it, the whole address. 0: malformed. */
static int parse_prefix(const char *text, unsigned max, unsigned *bits)
{
	if (text == NULL) {
		*bits = max;
		return 1;
	}
	if (!all_digits(text) || strlen(text) > 3)
		return 0;
	unsigned value = 0;
	for (; *text != '\0'; text++)
		value = value * 10 + (unsigned)(*text - '0');
	*bits = value;
	return value <= max;
}

/*
 * Read an IP entry: "ADDR", "ADDR/BITS", "V4:PORT", "[V6]", "[V6]/BITS", "[V6]:PORT". 0 when
 * the entry is not one (a name, or malformed).
 */
static int parse_range(const char *text, range *r)
{
	char entry[ENTRY_TEXT_MAX + 1];
	size_t n = strlen(text);
	if (n >= sizeof entry)
		return 0;
	memcpy(entry, text, n + 1);
	char *address = entry, *prefix = NULL;
	if (entry[0] == '[') {
		char *close = strchr(entry, ']');
		if (close == NULL)
			return 0;
		*close = '\0';
		address = entry + 1;
		if (close[1] == '/')
			prefix = close + 2;
		else if (close[1] != '\0' && !(close[1] == ':' && all_digits(close + 2)))
			return 0; /* after "]" only "/BITS", ":PORT" or nothing */
	} else {
		char *slash = strchr(entry, '/');
		char *colon = strchr(entry, ':');
		if (slash != NULL) {
			*slash = '\0';
			prefix = slash + 1;
		} else if (colon != NULL && strchr(colon + 1, ':') == NULL && all_digits(colon + 1)) {
			*colon = '\0'; /* "V4:PORT"; two or more colons make an IPv6 address */
		}
	}
	memset(r, 0, sizeof *r);
	if (inet_pton(AF_INET, address, r->address) == 1)
		r->family = AF_INET;
	else if (inet_pton(AF_INET6, address, r->address) == 1)
		r->family = AF_INET6;
	else
		return 0;
	return parse_prefix(prefix, r->family == AF_INET ? 32 : 128, &r->bits);
}

/* Whether the first `bits` bits of the two addresses agree. */
static int prefix_matches(const unsigned char *a, const unsigned char *b, unsigned bits)
{
	size_t whole = bits / 8;
	if (memcmp(a, b, whole) != 0)
		return 0;
	unsigned rest = bits % 8;
	if (rest == 0)
		return 1;
	unsigned mask = (0xffu << (8 - rest)) & 0xffu;
	return (a[whole] & mask) == (b[whole] & mask);
}

/* A name entry, in place: drop a ":PORT", then one trailing and one leading dot. */
static void trim_name_entry(const char **name, size_t *n)
{
	const char *colon = memchr(*name, ':', *n);
	if (colon != NULL)
		*n = (size_t)(colon - *name);
	if (*n > 0 && (*name)[*n - 1] == '.')
		(*n)--;
	if (*n > 0 && (*name)[0] == '.') {
		(*name)++;
		(*n)--;
	}
}

/* "example.com" matches "example.com" and "x.example.com", not "badexample.com". */
static int name_matches(const target *t, const char *entry, size_t n)
{
	if (n == 0 || n > t->name_n)
		return 0;
	const char *tail = t->name + (t->name_n - n);
	if (!jg_ascii_equal_n(tail, entry, n))
		return 0;
	return n == t->name_n || tail[-1] == '.';
}

/* Whether one entry (NUL-terminated) matches the target. */
static int entry_matches(const target *t, const char *entry)
{
	range r;
	int is_range = parse_range(entry, &r);
	if (t->family == 0) {
		if (is_range)
			return 0;
		const char *name = entry;
		size_t n = strlen(entry);
		trim_name_entry(&name, &n);
		return name_matches(t, name, n);
	}
	return is_range && r.family == t->family && prefix_matches(t->address, r.address, r.bits);
}

/* Remember the entry that matched, as written, for the caller's trace. */
static void remember(const char *entry, size_t n, const char **matched_entry)
{
	if (matched_entry == NULL)
		return;
	if (n > JG_NOPROXY_ENTRY_MAX)
		n = JG_NOPROXY_ENTRY_MAX;
	memcpy(matched_copy, entry, n);
	matched_copy[n] = '\0';
	*matched_entry = matched_copy;
}

/* The list, blanks trimmed, is exactly "*". */
static int is_match_all(const char *list)
{
	while (is_blank(*list))
		list++;
	if (*list != '*')
		return 0;
	list++;
	while (is_blank(*list))
		list++;
	return *list == '\0';
}

int jg_noproxy_match(const char *list, const char *host, const char **matched_entry)
{
	if (matched_entry != NULL)
		*matched_entry = NULL;
	if (list == NULL || host == NULL || host[0] == '\0')
		return 0;
	if (is_match_all(list)) {
		remember("*", 1, matched_entry);
		return 1;
	}
	char host_buf[HOST_TEXT_MAX];
	target t;
	if (!classify_host(host, &t, host_buf, sizeof host_buf))
		return 0;
	const char *p = list;
	while (*p != '\0') {
		while (is_separator(*p))
			p++;
		const char *start = p;
		while (*p != '\0' && !is_separator(*p))
			p++;
		size_t n = (size_t)(p - start);
		if (n == 0 || n > ENTRY_TEXT_MAX)
			continue;
		char entry[ENTRY_TEXT_MAX + 1];
		memcpy(entry, start, n);
		entry[n] = '\0';
		if (entry_matches(&t, entry)) {
			remember(start, n, matched_entry);
			return 1;
		}
	}
	return 0;
}
