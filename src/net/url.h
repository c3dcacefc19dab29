/*
 * URLs from the command line and the environment: the instance URL (--instance-url, always
 * https) and the proxy URL (--proxy, https_proxy, ...; an http:// proxy spoken to with
 * CONNECT). The parser is strict and bounded: it fills a fixed-size jg_url, allocates nothing,
 * and refuses what it does not understand rather than guessing.
 *
 * Accepted forms:
 *
 *     instance:  https://HOST[:PORT][/PATH]
 *     proxy:     [http://][USER[:PASSWORD]@]HOST[:PORT][/]
 *
 * HOST is a DNS name (letters, digits, '-', '_', '.'; stored lowercase, a trailing dot kept),
 * a dotted-decimal IPv4 address, or an IPv6 address in brackets (stored without them; zone ids
 * are not supported). A name whose last label is numeric ("127.1", "0x7f.1") is refused, so
 * that no one reads a name where the resolver would read an address. PORT is decimal, 1 to
 * 65535; absent or empty, it is 443 for an instance and 1080 for a proxy (as curl). USER and
 * PASSWORD are percent-decoded. The scheme is matched case-insensitively and stored lowercase.
 * No byte of the text may be a space or a control character.
 */
#ifndef JG_URL_H
#define JG_URL_H

#include <stddef.h>

#include "base/error.h"

#define JG_URL_SCHEME_MAX 8      /* "https", "http" */
#define JG_URL_HOST_MAX 253      /* a DNS name's limit; an IPv6 literal is at most 45 */
#define JG_URL_PATH_MAX 1024
#define JG_URL_USER_MAX 255      /* decoded proxy user name */
#define JG_URL_PASSWORD_MAX 255  /* decoded proxy password */

#define JG_URL_HTTPS_PORT 443
#define JG_URL_PROXY_PORT 1080

typedef enum jg_host_kind {
	JG_HOST_NAME = 0, /* a DNS name, to be resolved */
	JG_HOST_IPV4 = 1, /* a dotted-decimal IPv4 literal */
	JG_HOST_IPV6 = 2  /* an IPv6 literal, stored without brackets */
} jg_host_kind;

/*
 * A parsed URL. Every field is a NUL-terminated string within its array. `password` is a
 * secret: a caller that parsed a proxy URL wipes the whole struct (jg_wipe) when done with it.
 */
typedef struct jg_url {
	char scheme[JG_URL_SCHEME_MAX + 1];     /* "https" or "http" */
	char host[JG_URL_HOST_MAX + 1];         /* lowercase; IPv6 without brackets */
	jg_host_kind host_kind;
	int port;                               /* 1..65535, the default filled in */
	char path[JG_URL_PATH_MAX + 1];         /* "" or "/a/b", one trailing '/' removed */
	int has_user;                           /* the proxy URL carried USER[:PASSWORD]@ */
	char user[JG_URL_USER_MAX + 1];         /* decoded; "" when absent */
	char password[JG_URL_PASSWORD_MAX + 1]; /* decoded; "" when absent */
} jg_url;

/*
 * Parse an instance URL, "https://HOST[:PORT][/PATH]". The token endpoint is PATH followed by
 * "/services/oauth2/token", so a trailing '/' of PATH is removed ("https://h/" gives "").
 * Refused with JG_ERR_USAGE: another scheme or none ("--instance-url must start with
 * https://"), user info, a query or fragment, an empty or malformed host, a host longer than
 * 253 or a path longer than 1024 bytes, a port that is not 1..65535. On failure `*u` is zeroed.
 */
jg_status jg_url_parse(const char *text, jg_url *u, jg_error *err);

/*
 * Parse a proxy URL, "[http://][USER[:PASSWORD]@]HOST[:PORT][/]". Without a scheme it is
 * http, as curl reads a bare "host:port". Any other scheme (https, socks4, socks4a, socks5,
 * socks5h, ...) is refused with JG_ERR_USAGE: "proxy scheme 'socks5' is not supported: use an
 * http:// proxy (CONNECT)". USER and PASSWORD are percent-decoded ("p%40ss" is "p@ss"); a
 * decoded control character, or a ':' in the decoded user name (it would end the user name in
 * Basic authentication), is refused. A path other than "/", a query and a fragment are refused.
 * Error messages never contain the password. On failure `*u` is wiped.
 */
jg_status jg_url_parse_proxy(const char *text, jg_url *u, jg_error *err);

/*
 * Write "scheme://[user:***@]host[:port]path" into out (cap bytes, always NUL-terminated when
 * cap > 0, truncated if needed), for traces and messages. The password is never written, only
 * "***" in its place whenever user info is present. An IPv6 host is put back in brackets. The
 * port is written unless it is the scheme's own (443 for https, 80 for http); a proxy on the
 * default 1080 therefore shows it.
 */
void jg_url_redacted(const jg_url *u, char *out, size_t cap);

#endif
