/*
 * NO_PROXY matching (src/net/noproxy.h: jg_noproxy_match). The input is split into the list and
 * the host at its first NUL, or in the middle when it has none.
 *
 * Checked: the answer is 0 or 1 and the matched entry is set exactly on a match, NUL-terminated
 * and at most JG_NOPROXY_ENTRY_MAX long, and stays the same across a second call; case does
 * not matter (the host in upper case gets the same answer); an empty host matches nothing.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_util.h"
#include "net/noproxy.h"

static int match(const char *list, const char *host)
{
	const char *entry = (const char *)1;
	int m = jg_noproxy_match(list, host, &entry);
	FUZZ_CHECK(m == 0 || m == 1);
	if (m == 0) {
		FUZZ_CHECK(entry == NULL);
	} else {
		FUZZ_CHECK(entry != NULL && strlen(entry) <= JG_NOPROXY_ENTRY_MAX);
		char first[JG_NOPROXY_ENTRY_MAX + 1];
		memcpy(first, entry, strlen(entry) + 1);
		const char *again = NULL;
		FUZZ_CHECK(jg_noproxy_match(list, host, &again) == 1);
		FUZZ_CHECK(again != NULL && strcmp(again, first) == 0);
		FUZZ_CHECK(jg_noproxy_match(list, host, NULL) == 1);
	}
	return m;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t split = nul != NULL ? (size_t)(nul - data) : size / 2;
	size_t host_from = nul != NULL ? split + 1 : split;
	char *list = fuzz_strdup(data, split);
	char *host = fuzz_strdup(data + host_from, size - host_from);

	int m = match(list, host);
	if (host[0] == '\0')
		FUZZ_CHECK(m == 0);

	char *upper = fuzz_strdup(host, strlen(host));
	for (char *p = upper; *p != '\0'; p++) {
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	}
	FUZZ_CHECK(match(list, upper) == m);

	FUZZ_CHECK(jg_noproxy_match(NULL, host, NULL) == 0);
	FUZZ_CHECK(jg_noproxy_match(list, NULL, NULL) == 0);
	free(upper);
	free(list);
	free(host);
	return 0;
}
