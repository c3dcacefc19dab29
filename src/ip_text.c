#include "ip_text.h"

#include <string.h>
#include <sys/socket.h>

#include "fmt.h"

/* Copy text into out when it fits with its NUL: 0, or -1 leaving "" (when cap > 0). */
static int store(const char *text, char *out, size_t cap)
{
	size_t len = strlen(text);
	if (len >= cap) {
		if (cap > 0)
			out[0] = '\0';
		return -1;
	}
	memcpy(out, text, len + 1);
	return 0;
}

static void ipv4_text(const unsigned char *b, char text[JG_IP_TEXT_MAX])
{
	(void)jg_snprintf(text, JG_IP_TEXT_MAX, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
}

/* The longest run of zero groups, the first of equal ones: its start and length (0: none). */
static size_t longest_zero_run(const unsigned groups[8], size_t *start)
{
	size_t best = 0, run = 0;
	*start = 0;
	for (size_t i = 0; i < 8; i++) {
		run = groups[i] == 0 ? run + 1 : 0;
		if (run > best) {
			best = run;
			*start = i + 1 - run;
		}
	}
	return best;
}

static void ipv6_text(const unsigned char *b, char text[JG_IP_TEXT_MAX])
{
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	if (memcmp(b, mapped, sizeof mapped) == 0) {
		(void)jg_snprintf(text, JG_IP_TEXT_MAX, "::ffff:%u.%u.%u.%u", b[12], b[13], b[14],
			b[15]);
		return;
	}
	unsigned groups[8];
	for (size_t i = 0; i < 8; i++)
		groups[i] = (unsigned)b[2 * i] << 8 | b[2 * i + 1];
	size_t start;
	size_t zeros = longest_zero_run(groups, &start);
	if (zeros < 2)
		zeros = 0; /* RFC 5952 4.2.2: a single zero group is written "0" */
	size_t used = 0;
	for (size_t i = 0; i < 8; i++) {
		if (zeros > 0 && i == start) {
			used += (size_t)jg_snprintf(text + used, JG_IP_TEXT_MAX - used, "::");
			i += zeros - 1;
			continue;
		}
		int after_run = zeros > 0 && i == start + zeros;
		used += (size_t)jg_snprintf(text + used, JG_IP_TEXT_MAX - used, "%s%x",
			i > 0 && !after_run ? ":" : "", groups[i]);
	}
}

int jg_ip_format(int family, const void *bytes, char *out, size_t cap)
{
	char text[JG_IP_TEXT_MAX];
	if (family == AF_INET) {
		ipv4_text(bytes, text);
	} else if (family == AF_INET6) {
		ipv6_text(bytes, text);
	} else {
		(void)store("", out, cap);
		return -1;
	}
	return store(text, out, cap);
}
