/*
 * The HTTP answer reader (src/net/http.h: jg_http_reader_init, _push, _eof) fed in arbitrary
 * pieces, as a TLS connection delivers them. Input: see fuzz_reader.h.
 *
 * Checked: the reader reaches the same outcome whether the answer comes in one push or in
 * pieces (status, framing, body bytes; or failure in both; see reader_check_same for the runs
 * without the close); a complete answer's fields point into the caller's buffer; a failed
 * reader stays failed.
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
	reader_run(&s, 0, 1, &one);
	reader_run(&s, 0, 0, &pieces);
	reader_check_same(&one, &pieces, !(s.flags & 2));
	free(one.body);
	free(pieces.body);
	return 0;
}
