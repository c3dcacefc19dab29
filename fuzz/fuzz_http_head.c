/*
 * The stateless head parser (src/net/http.h: jg_http_parse_head). The input is the bytes received
 * so far.
 *
 * Checked: the result is -1, -2 or a length within the input; a parsed head points into the
 * buffer; and the "call it again as bytes arrive" contract holds on prefixes of the input: a
 * prefix of a head parses to -2, and a prefix that already failed or completed gives the whole
 * input the same answer. Every call sees an exact-size copy, so an over-read is caught.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_util.h"
#include "net/http.h"

static int parse_copy(const uint8_t *data, size_t len, jg_http_head *head)
{
	char *copy = fuzz_copy(data, len);
	int rc = jg_http_parse_head(copy, len, head);
	if (rc > 0) {
		FUZZ_CHECK((size_t)rc <= len);
		FUZZ_CHECK(head->status >= 100 && head->status <= 599);
		FUZZ_CHECK(head->minor_version >= 0 && head->minor_version <= 9);
		FUZZ_CHECK(head->num_headers <= JG_HTTP_MAX_HEADERS);
		FUZZ_CHECK(head->reason >= copy && head->reason + head->reason_len <= copy + rc);
		jg_http_unfold(copy, head); /* what the reader does: no line end is left in a value */
		for (size_t i = 0; i < head->num_headers; i++) {
			const jg_http_header *h = &head->headers[i];
			FUZZ_CHECK(h->name_len > 0 && h->name >= copy);
			FUZZ_CHECK(h->name + h->name_len <= copy + rc);
			FUZZ_CHECK(memchr(h->name, ':', h->name_len) == NULL);
			FUZZ_CHECK(h->value >= h->name + h->name_len && h->value + h->value_len <= copy + rc);
			FUZZ_CHECK(memchr(h->value, '\n', h->value_len) == NULL);
			FUZZ_CHECK(memchr(h->value, '\r', h->value_len) == NULL);
			if (h->value_len > 0)
				FUZZ_CHECK(h->value[0] != ' ' && h->value[h->value_len - 1] != ' ' &&
					h->value[0] != '\t' && h->value[h->value_len - 1] != '\t');
			/* Lookup by the field's own name finds it or an earlier one of that name. */
			char name[JG_HTTP_MAX_LINE + 1];
			memcpy(name, h->name, h->name_len);
			name[h->name_len] = '\0';
			const jg_http_header *found = jg_http_find_header(head, name);
			FUZZ_CHECK(found != NULL && found <= h && found->name_len == h->name_len);
		}
	} else {
		FUZZ_CHECK(rc == -1 || rc == -2);
	}
	free(copy);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static jg_http_head head, part;
	int rc = parse_copy(data, size, &head);

	if (rc > 0) {
		/* The head alone gives the same answer, and a few of its prefixes need more. */
		FUZZ_CHECK(parse_copy(data, (size_t)rc, &part) == rc);
		FUZZ_CHECK(part.status == head.status && part.num_headers == head.num_headers);
		FUZZ_CHECK(parse_copy(data, (size_t)rc - 1, &part) == -2);
		FUZZ_CHECK(parse_copy(data, (size_t)rc / 2, &part) == -2);
		FUZZ_CHECK(parse_copy(data, 0, &part) == -2);
	}
	/* Prefixes cut at each of the first few line ends, and just after them. */
	size_t cuts = 0;
	for (size_t i = 0; i < size && cuts < 8; i++) {
		if (data[i] != '\n')
			continue;
		cuts++;
		for (size_t cut = i; cut <= i + 1 && cut < size; cut++) {
			int prc = parse_copy(data, cut, &part);
			if (prc == -1)
				FUZZ_CHECK(rc == -1);
			else if (prc > 0)
				FUZZ_CHECK(rc == prc);
		}
	}
	return 0;
}
