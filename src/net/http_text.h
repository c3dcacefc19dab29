/*
 * The character classes of HTTP/1.1 (RFC 9110, RFC 9112) that the request writer, the head
 * parser and the chunked decoder share. Internal to src/net/http*.c.
 */
#ifndef JG_HTTP_TEXT_H
#define JG_HTTP_TEXT_H

#include <string.h>

static inline int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* RFC 9110 tchar: the characters of a header name or a transfer coding. */
static inline int is_token_char(unsigned char c)
{
	if (is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return 1;
	return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* A control character other than tab: never allowed inside a line. */
static inline int is_forbidden_control(unsigned char c)
{
	return (c < 0x20 && c != '\t') || c == 0x7f;
}

static inline int is_space_or_tab(unsigned char c)
{
	return c == ' ' || c == '\t';
}

#endif
