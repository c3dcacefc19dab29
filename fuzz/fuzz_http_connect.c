/*
 * The reader of a proxy's answer to CONNECT (src/net/http.h: jg_http_reader_init_connect), fed in
 * arbitrary pieces. Input: see fuzz_reader.h.
 *
 * A 2xx answer ends with its head, and bytes after it in the same push are an error (the TLS
 * server never speaks first), so there the outcome may depend on the cut: a 2xx answer read
 * in pieces may succeed where the same bytes in one push fail, never the other way round, and
 * it has no body. Other answers are read as by the plain reader: the same whichever the cut.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_split s;
	reader_outcome one, pieces;

	if (fuzz_split_read(data, size, &s) != 0)
		return 0;
	reader_run(&s, 1, 1, &one);
	reader_run(&s, 1, 0, &pieces);
	int tunnel = (one.complete && one.http_status / 100 == 2) ||
		(pieces.complete && pieces.http_status / 100 == 2);
	if (!tunnel) {
		reader_check_same(&one, &pieces, !(s.flags & 2));
	} else {
		FUZZ_CHECK(pieces.complete);
		FUZZ_CHECK(pieces.framing == JG_HTTP_BODY_NONE && pieces.body_len == 0);
		if (one.complete)
			FUZZ_CHECK(one.http_status == pieces.http_status &&
				one.framing == JG_HTTP_BODY_NONE);
		else
			FUZZ_CHECK(one.status == JG_ERR_PROTOCOL);
	}
	free(one.body);
	free(pieces.body);
	return 0;
}
