/*
 * The text of a numeric IP address, as inet_ntop writes it, without inet_ntop: musl's formats
 * with snprintf, which would link its whole printf core into the binary for this alone.
 *
 *   IPv4  four decimal bytes: "192.0.2.1"
 *   IPv6  RFC 5952's canonical form: eight groups of lowercase hex without leading zeros,
 *         the longest run of two or more zero groups (the first of equal runs) written "::",
 *         and an IPv4-mapped address (::ffff:0:0/96) as "::ffff:192.0.2.1".
 *
 * This is what glibc writes, except for the deprecated IPv4-compatible addresses (::/96 with
 * a non-zero seventh group), which glibc writes "::192.0.2.1" and we, as musl and RFC 5952,
 * "::c000:201".
 */
#ifndef JG_IP_TEXT_H
#define JG_IP_TEXT_H

#include <stddef.h>

/* Room for any address and its NUL (INET6_ADDRSTRLEN; our longest text is 39 bytes). */
#define JG_IP_TEXT_MAX 46

/* Write the address at bytes (4 bytes for AF_INET, 16 for AF_INET6) into out (cap bytes).
 * 0 on success; -1 for another family or when cap is too small (out then holds "" when
 * cap > 0). */
int jg_ip_format(int family, const void *bytes, char *out, size_t cap);

#endif
