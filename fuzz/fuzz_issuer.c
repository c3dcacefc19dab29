/*
 * The issuer finder (jg_anchors_find_issuer, src/tls/anchors.h): the TLS layer runs it on the first
 * bytes of every certificate a server sends, a few more bytes each time, and trusts that a
 * longer start never changes an earlier verdict. The input is the start of a certificate.
 *
 * Checked:
 *   - a found issuer lies inside the input, is a SEQUENCE, and is found the same from exactly
 *     the bytes up to its end, while one byte fewer asks for more;
 *   - verdicts agree from shorter starts: half of the input (and every start up to 64 bytes)
 *     gives "more" or the same verdict, with the same issuer when found.
 */
#include <stddef.h>
#include <stdint.h>

#include "tls/anchors.h"
#include "fuzz_util.h"

typedef struct verdict {
	jg_issuer_result result;
	const unsigned char *issuer;
	size_t len;
} verdict;

static verdict find(const uint8_t *der, size_t len)
{
	verdict v = { JG_ISSUER_BAD, NULL, 0 };
	v.result = jg_anchors_find_issuer(der, len, &v.issuer, &v.len);
	FUZZ_CHECK(v.result == JG_ISSUER_FOUND || v.result == JG_ISSUER_MORE ||
		v.result == JG_ISSUER_BAD);
	return v;
}

/* A shorter start's verdict is "more", or the longer one's. */
static void check_shorter(const verdict *shorter, const verdict *longer)
{
	if (shorter->result == JG_ISSUER_MORE)
		return;
	FUZZ_CHECK(shorter->result == longer->result);
	if (shorter->result == JG_ISSUER_FOUND)
		FUZZ_CHECK(shorter->issuer == longer->issuer && shorter->len == longer->len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	verdict whole = find(data, size);
	if (whole.result == JG_ISSUER_FOUND) {
		FUZZ_CHECK(whole.issuer >= data && whole.len >= 2);
		size_t end = (size_t)(whole.issuer - data) + whole.len;
		FUZZ_CHECK(end <= size);
		FUZZ_CHECK(whole.issuer[0] == 0x30);
		verdict exact = find(data, end);
		FUZZ_CHECK(exact.result == JG_ISSUER_FOUND && exact.issuer == whole.issuer &&
			exact.len == whole.len);
		FUZZ_CHECK(find(data, end - 1).result == JG_ISSUER_MORE);
	}
	verdict half = find(data, size / 2);
	check_shorter(&half, &whole);
	for (size_t k = 0; k < size && k <= 64; k++) {
		verdict start = find(data, k);
		check_shorter(&start, &whole);
	}
	return 0;
}
