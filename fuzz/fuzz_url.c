/*
 * URL parsing (src/net/url.h): the input, up to its first NUL, is given to jg_url_parse as an
 * --instance-url and to jg_url_parse_proxy as a --proxy or https_proxy value.
 *
 * Checked: a parsed URL's fields are terminated, the host is lowercase and non-empty, the port
 * in range, the kinds of host as documented; writing the URL back (jg_url_redacted without the
 * user part) and parsing that again gives the same host and port; a failure leaves the struct
 * wiped and its message never holds the password. Redaction never shows the password.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "fuzz_util.h"
#include "net/url.h"

static int all_zero(const void *p, size_t len)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < len; i++) {
		if (b[i] != 0)
			return 0;
	}
	return 1;
}

static void check_url(const jg_url *u, int proxy)
{
	FUZZ_CHECK(fuzz_terminated(u->scheme, sizeof u->scheme));
	FUZZ_CHECK(fuzz_terminated(u->host, sizeof u->host));
	FUZZ_CHECK(fuzz_terminated(u->path, sizeof u->path));
	FUZZ_CHECK(fuzz_terminated(u->user, sizeof u->user));
	FUZZ_CHECK(fuzz_terminated(u->password, sizeof u->password));
	FUZZ_CHECK(strcmp(u->scheme, proxy ? "http" : "https") == 0);
	FUZZ_CHECK(u->host[0] != '\0');
	for (const char *p = u->host; *p != '\0'; p++)
		FUZZ_CHECK(!(*p >= 'A' && *p <= 'Z') && *p != '[' && *p != ']' && *p != '@' &&
			*p != '/' && (unsigned char)*p > 0x20);
	FUZZ_CHECK(u->host_kind == JG_HOST_NAME || u->host_kind == JG_HOST_IPV4 ||
		u->host_kind == JG_HOST_IPV6);
	FUZZ_CHECK((u->host_kind == JG_HOST_IPV6) == (strchr(u->host, ':') != NULL));
	FUZZ_CHECK(u->port >= 1 && u->port <= 65535);
	FUZZ_CHECK(u->path[0] == '\0' || u->path[0] == '/');
	if (proxy)
		FUZZ_CHECK(u->path[0] == '\0');
	else
		FUZZ_CHECK(!u->has_user && u->user[0] == '\0' && u->password[0] == '\0');
	if (!u->has_user)
		FUZZ_CHECK(u->user[0] == '\0' && u->password[0] == '\0');
	for (const char *p = u->user; *p != '\0'; p++)
		FUZZ_CHECK((unsigned char)*p >= 0x20 && *p != 0x7f && *p != ':');
	for (const char *p = u->password; *p != '\0'; p++)
		FUZZ_CHECK((unsigned char)*p >= 0x20 && *p != 0x7f);
}

/* "http[s]://host:port" from the parsed fields, parsed again: the same host and port. */
static void check_reparse(const jg_url *u, int proxy)
{
	static jg_url again;
	char text[JG_URL_HOST_MAX + 32];
	jg_error err;
	int ipv6 = u->host_kind == JG_HOST_IPV6;
	snprintf(text, sizeof text, "%s://%s%s%s:%d", u->scheme, ipv6 ? "[" : "", u->host,
		ipv6 ? "]" : "", u->port);
	jg_status st = proxy ? jg_url_parse_proxy(text, &again, &err) : jg_url_parse(text, &again, &err);
	FUZZ_CHECK(st == JG_OK);
	FUZZ_CHECK(strcmp(again.host, u->host) == 0 && again.host_kind == u->host_kind);
	FUZZ_CHECK(again.port == u->port && strcmp(again.scheme, u->scheme) == 0);
}

static void check_redacted(const jg_url *u)
{
	static jg_url other;
	char out[2048], out_other[2048], tiny[8];
	jg_url_redacted(u, out, sizeof out);
	FUZZ_CHECK(fuzz_terminated(out, sizeof out));
	FUZZ_CHECK(strstr(out, u->host) != NULL);
	if (u->has_user)
		FUZZ_CHECK(strstr(out, ":***@") != NULL);
	/* The text does not depend on the password: another one of any length gives the same. */
	other = *u;
	memset(other.password, 0, sizeof other.password);
	memset(other.password, u->password[0] == 'x' ? 'y' : 'x', strlen(u->password) / 2 + 1);
	jg_url_redacted(&other, out_other, sizeof out_other);
	FUZZ_CHECK(strcmp(out, out_other) == 0);
	jg_url_redacted(u, tiny, sizeof tiny);
	FUZZ_CHECK(fuzz_terminated(tiny, sizeof tiny) && strncmp(tiny, out, strlen(tiny)) == 0);
	jg_url_redacted(u, tiny, 1);
	FUZZ_CHECK(tiny[0] == '\0');
}

static void parse_one(const char *text, int proxy)
{
	static jg_url u;
	jg_error err;
	memset(&u, 0xA5, sizeof u);
	jg_status st = proxy ? jg_url_parse_proxy(text, &u, &err) : jg_url_parse(text, &u, &err);
	if (st == JG_OK) {
		check_url(&u, proxy);
		check_reparse(&u, proxy);
		check_redacted(&u);
		return;
	}
	FUZZ_CHECK(st == JG_ERR_USAGE && err.status == JG_ERR_USAGE);
	FUZZ_CHECK(fuzz_terminated(err.message, sizeof err.message));
	FUZZ_CHECK(all_zero(&u, sizeof u));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_strdup(data, size);
	parse_one(text, 0);
	parse_one(text, 1);
	free(text);
	return 0;
}
