#include "net/url.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "base/ascii.h"
#include "base/wipe.h"

/* Longest piece of user text echoed in a message (a port, a scheme, a host name). */
#define ECHO_MAX 64
#define LABEL_MAX 63

static const char instance_what[] = "--instance-url";
static const char proxy_what[] = "proxy URL";

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int echo_length(size_t n)
{
	return (int)(n < ECHO_MAX ? n : ECHO_MAX);
}

/* Refuse an empty text, and spaces, control characters and non-ASCII bytes anywhere in it:
 * none belongs in a URL, and each has fooled some parser somewhere. */
static jg_status check_text(const char *text, const char *what, jg_error *err)
{
	if (text == NULL || text[0] == '\0')
		return jg_fail(err, JG_ERR_USAGE, "invalid %s: it is empty", what);
	for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++) {
		if (*p <= 0x20 || *p >= 0x7f)
			return jg_fail(err, JG_ERR_USAGE,
				"invalid %s: it contains a space, a control or a non-ASCII character",
				what);
	}
	return JG_OK;
}

/* The length of a leading "scheme" (RFC 3986: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ))
 * when it is followed by "://"; 0 when the text does not start that way. */
static size_t scheme_length(const char *text)
{
	if (!is_alpha(text[0]))
		return 0;
	size_t n = 1;
	while (is_alpha(text[n]) || is_digit(text[n]) || text[n] == '+' || text[n] == '-' ||
		text[n] == '.')
		n++;
	return strncmp(text + n, "://", 3) == 0 ? n : 0;
}

/* PORT: decimal digits, 1..65535. Empty keeps the default already in *port (RFC 3986). */
static jg_status parse_port(const char *p, size_t n, int *port, const char *what, jg_error *err)
{
	if (n == 0)
		return JG_OK;
	long value = 0;
	size_t i = 0;
	while (i < n && i < 5 && is_digit(p[i]))
		value = value * 10 + (p[i++] - '0');
	if (i == n && value >= 1 && value <= 65535) {
		*port = (int)value;
		return JG_OK;
	}
	return jg_fail(err, JG_ERR_USAGE, "invalid %s: port '%.*s' is not a number from 1 to 65535",
		what, echo_length(n), p);
}

/* Split "HOST[:PORT]" or "[V6][:PORT]"; the host keeps its brackets. */
static jg_status split_host_port(const char *p, size_t n, const char **host, size_t *host_n,
	const char **port, size_t *port_n, const char *what, jg_error *err)
{
	size_t end;
	if (n > 0 && p[0] == '[') {
		const char *close = memchr(p, ']', n);
		if (close == NULL)
			return jg_fail(err, JG_ERR_USAGE, "invalid %s: '[' without ']' around the IPv6 address",
				what);
		end = (size_t)(close - p) + 1;
		if (end < n && p[end] != ':')
			return jg_fail(err, JG_ERR_USAGE,
				"invalid %s: unexpected characters after the IPv6 address", what);
	} else {
		const char *colon = memchr(p, ':', n);
		end = colon != NULL ? (size_t)(colon - p) : n;
		if (colon != NULL && memchr(colon + 1, ':', n - end - 1) != NULL)
			return jg_fail(err, JG_ERR_USAGE,
				"invalid %s: an IPv6 address must be written in brackets, as [::1]", what);
	}
	*host = p;
	*host_n = end;
	*port = end < n ? p + end + 1 : p + n;
	*port_n = end < n ? n - end - 1 : 0;
	return JG_OK;
}

/* "[V6]": the address between the brackets, stored in its canonical (RFC 5952) form. */
static jg_status parse_ipv6_host(const char *p, size_t n, jg_url *u, const char *what,
	jg_error *err)
{
	char literal[INET6_ADDRSTRLEN];
	unsigned char address[16];
	size_t inner = n - 2;
	if (inner == 0 || inner >= sizeof literal)
		return jg_fail(err, JG_ERR_USAGE, "invalid %s: '%.*s' is not an IPv6 address", what,
			echo_length(n), p);
	memcpy(literal, p + 1, inner);
	literal[inner] = '\0';
	if (inet_pton(AF_INET6, literal, address) != 1 ||
		inet_ntop(AF_INET6, address, u->host, sizeof u->host) == NULL)
		return jg_fail(err, JG_ERR_USAGE, "invalid %s: '%.*s' is not an IPv6 address", what,
			echo_length(n), p);
	u->host_kind = JG_HOST_IPV6;
	return JG_OK;
}

/* Labels of letters, digits, '-' and '_' (curl takes '_', some intranets use it), none empty
 * and none over 63 bytes; one trailing dot allowed. */
static int is_valid_name(const char *name)
{
	size_t label = 0;
	for (const char *p = name; *p != '\0'; p++) {
		if (*p == '.') {
			if (label == 0)
				return 0;
			label = 0;
		} else if (is_alpha(*p) || is_digit(*p) || *p == '-' || *p == '_') {
			if (++label > LABEL_MAX)
				return 0;
		} else {
			return 0;
		}
	}
	return 1;
}

/* A last label that is all digits, or "0x" and hex digits, is how resolvers spell IPv4 in
 * forms other than dotted decimal ("127.1", "2130706433", "0x7f.1"). */
static int has_numeric_last_label(const char *name)
{
	size_t n = strlen(name);
	if (n > 0 && name[n - 1] == '.')
		n--;
	size_t start = n;
	while (start > 0 && name[start - 1] != '.')
		start--;
	const char *label = name + start;
	size_t len = n - start;
	size_t digits = 0;
	if (len > 2 && label[0] == '0' && jg_ascii_lower(label[1]) == 'x') {
		for (digits = 2; digits < len && jg_ascii_hex_value((unsigned char)label[digits]) >= 0; digits++)
			;
	} else {
		while (digits < len && is_digit(label[digits]))
			digits++;
	}
	return len > 0 && digits == len;
}

static jg_status parse_host(const char *p, size_t n, jg_url *u, const char *what, jg_error *err)
{
	if (n == 0)
		return jg_fail(err, JG_ERR_USAGE, "invalid %s: the host name is empty", what);
	if (p[0] == '[')
		return parse_ipv6_host(p, n, u, what, err);
	if (n > JG_URL_HOST_MAX)
		return jg_fail(err, JG_ERR_USAGE, "invalid %s: the host name is longer than %d bytes",
			what, JG_URL_HOST_MAX);
	for (size_t i = 0; i < n; i++)
		u->host[i] = jg_ascii_lower(p[i]);
	u->host[n] = '\0';
	if (!is_valid_name(u->host))
		return jg_fail(err, JG_ERR_USAGE,
			"invalid %s: host name '%.*s' is not letters, digits, '-', '_' in dot-separated labels",
			what, echo_length(n), p);
	unsigned char address[4];
	if (inet_pton(AF_INET, u->host, address) == 1) {
		u->host_kind = JG_HOST_IPV4;
		return JG_OK;
	}
	if (has_numeric_last_label(u->host))
		return jg_fail(err, JG_ERR_USAGE,
			"invalid %s: host '%.*s' is neither a name nor a dotted-decimal IPv4 address",
			what, echo_length(n), p);
	u->host_kind = JG_HOST_NAME;
	return JG_OK;
}

/* Percent-decode p[0..n) into out (cap bytes, NUL-terminated). Refuses malformed escapes, a
 * result that does not fit, and decoded control characters (none belongs in a credential,
 * and a NUL would silently cut it). Never echoes the text: it may be a password. */
static jg_status percent_decode(const char *p, size_t n, char *out, size_t cap,
	const char *field, jg_error *err)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)p[i];
		if (c == '%') {
			int high = i + 2 < n ? jg_ascii_hex_value((unsigned char)p[i + 1]) : -1;
			int low = high >= 0 ? jg_ascii_hex_value((unsigned char)p[i + 2]) : -1;
			if (low < 0)
				return jg_fail(err, JG_ERR_USAGE,
					"invalid %s: malformed percent-encoding in the %s", proxy_what, field);
			c = high * 16 + low;
			i += 2;
		}
		if (c < 0x20 || c == 0x7f)
			return jg_fail(err, JG_ERR_USAGE, "invalid %s: the %s contains a control character",
				proxy_what, field);
		if (o + 1 >= cap)
			return jg_fail(err, JG_ERR_USAGE, "invalid %s: the %s is longer than %zu bytes",
				proxy_what, field, cap - 1);
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return JG_OK;
}

/* "USER[:PASSWORD]": split at the first ':' (a ':' in either part is written %3A). */
static jg_status parse_user_info(const char *p, size_t n, jg_url *u, jg_error *err)
{
	const char *colon = memchr(p, ':', n);
	size_t user_n = colon != NULL ? (size_t)(colon - p) : n;
	jg_status st = percent_decode(p, user_n, u->user, sizeof u->user, "user name", err);
	if (st != JG_OK)
		return st;
	if (strchr(u->user, ':') != NULL)
		return jg_fail(err, JG_ERR_USAGE,
			"invalid %s: the user name contains ':', which Basic authentication cannot carry",
			proxy_what);
	if (colon != NULL) {
		st = percent_decode(colon + 1, n - user_n - 1, u->password, sizeof u->password,
			"password", err);
		if (st != JG_OK)
			return st;
	}
	u->has_user = 1;
	return JG_OK;
}

/* "HOST[:PORT]" into u, with the given default port. */
static jg_status parse_authority(const char *p, size_t n, int default_port, jg_url *u,
	const char *what, jg_error *err)
{
	const char *host = p, *port = p + n;
	size_t host_n = 0, port_n = 0;
	u->port = default_port;
	jg_status st = split_host_port(p, n, &host, &host_n, &port, &port_n, what, err);
	if (st != JG_OK)
		return st;
	st = parse_host(host, host_n, u, what, err);
	if (st != JG_OK)
		return st;
	return parse_port(port, port_n, &u->port, what, err);
}

/* PATH: "" or "/..." without '?' and '#' (refused earlier); percent escapes well formed. */
static jg_status parse_path(const char *p, jg_url *u, jg_error *err)
{
	size_t n = strlen(p);
	if (n > 0 && p[n - 1] == '/')
		n--;
	if (n > JG_URL_PATH_MAX)
		return jg_fail(err, JG_ERR_USAGE, "invalid %s: the path is longer than %d bytes",
			instance_what, JG_URL_PATH_MAX);
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '%' && (i + 2 >= n || jg_ascii_hex_value((unsigned char)p[i + 1]) < 0 ||
			jg_ascii_hex_value((unsigned char)p[i + 2]) < 0))
			return jg_fail(err, JG_ERR_USAGE,
				"invalid %s: malformed percent-encoding in the path", instance_what);
	}
	memcpy(u->path, p, n);
	u->path[n] = '\0';
	return JG_OK;
}

static jg_status parse_instance(const char *text, jg_url *u, jg_error *err)
{
	jg_status st = check_text(text, instance_what, err);
	if (st != JG_OK)
		return st;
	size_t scheme_n = scheme_length(text);
	if (scheme_n == 0 || !jg_ascii_equal_word(text, scheme_n, "https"))
		return jg_fail(err, JG_ERR_USAGE, "%s must start with https://", instance_what);
	memcpy(u->scheme, "https", sizeof "https");
	const char *rest = text + scheme_n + 3;
	if (strpbrk(rest, "?#") != NULL)
		return jg_fail(err, JG_ERR_USAGE,
			"invalid %s: a query ('?') or fragment ('#') is not allowed", instance_what);
	size_t authority_n = strcspn(rest, "/");
	if (memchr(rest, '@', authority_n) != NULL)
		return jg_fail(err, JG_ERR_USAGE,
			"invalid %s: user information ('user@') is not allowed", instance_what);
	st = parse_authority(rest, authority_n, JG_URL_HTTPS_PORT, u, instance_what, err);
	if (st != JG_OK)
		return st;
	return parse_path(rest + authority_n, u, err);
}

static jg_status parse_proxy(const char *text, jg_url *u, jg_error *err)
{
	jg_status st = check_text(text, proxy_what, err);
	if (st != JG_OK)
		return st;
	const char *rest = text;
	size_t scheme_n = scheme_length(text);
	if (scheme_n > 0) {
		if (!jg_ascii_equal_word(text, scheme_n, "http"))
			return jg_fail(err, JG_ERR_USAGE,
				"proxy scheme '%.*s' is not supported: use an http:// proxy (CONNECT)",
				echo_length(scheme_n), text);
		rest = text + scheme_n + 3;
	}
	memcpy(u->scheme, "http", sizeof "http");
	size_t authority_n = strcspn(rest, "/?#");
	if (rest[authority_n] != '\0' && strcmp(rest + authority_n, "/") != 0)
		return jg_fail(err, JG_ERR_USAGE,
			"invalid %s: a path, query or fragment is not allowed", proxy_what);
	/* User info ends at the last '@': a host never holds one, a careless password might. */
	const char *at = NULL;
	for (const char *p = rest; p < rest + authority_n; p++) {
		if (*p == '@')
			at = p;
	}
	const char *host = rest;
	if (at != NULL) {
		st = parse_user_info(rest, (size_t)(at - rest), u, err);
		if (st != JG_OK)
			return st;
		host = at + 1;
	}
	return parse_authority(host, authority_n - (size_t)(host - rest), JG_URL_PROXY_PORT, u,
		proxy_what, err);
}

jg_status jg_url_parse(const char *text, jg_url *u, jg_error *err)
{
	memset(u, 0, sizeof *u);
	jg_status st = parse_instance(text, u, err);
	if (st != JG_OK)
		memset(u, 0, sizeof *u);
	return st;
}

jg_status jg_url_parse_proxy(const char *text, jg_url *u, jg_error *err)
{
	memset(u, 0, sizeof *u);
	jg_status st = parse_proxy(text, u, err);
	if (st != JG_OK)
		jg_wipe(u, sizeof *u);
	return st;
}

void jg_url_redacted(const jg_url *u, char *out, size_t cap)
{
	if (cap == 0)
		return;
	int own_port = (strcmp(u->scheme, "https") == 0 && u->port == 443) ||
		(strcmp(u->scheme, "http") == 0 && u->port == 80);
	char port[16] = "";
	if (!own_port)
		(void)snprintf(port, sizeof port, ":%d", u->port);
	int v6 = u->host_kind == JG_HOST_IPV6;
	(void)snprintf(out, cap, "%s://%s%s%s%s%s%s%s", u->scheme, u->has_user ? u->user : "",
		u->has_user ? ":***@" : "", v6 ? "[" : "", u->host, v6 ? "]" : "", port, u->path);
}
