/*
 * Base64 and base64url (src/crypto/base64.h). The first byte of the input picks the flags (bit 0:
 * JG_B64_URL, bit 1: JG_B64_SKIP_SPACE); the rest is the text to decode. It is also taken as
 * raw bytes and encoded.
 *
 * Checked, as round trips:
 *   - decode then encode gives the input back, once spaces (when skipped) and the padding are
 *     set aside; padding, when present, is exactly what the standard encoder writes;
 *   - encode then decode gives the bytes back, in both alphabets, and the length matches
 *     jg_base64_encoded_len;
 *   - buffers: decoding into exactly the decoded size works and into one byte less fails;
 *     encoding into one byte less than length plus NUL fails and leaves "".
 */
#include <stddef.h>
#include <stdint.h>

#include "crypto/base64.h"
#include "fuzz_util.h"

static int is_skipped_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* in without skipped spaces (when flags say so) and without '=', into out; counts the '='. */
static size_t canonical(const char *in, size_t n, int flags, char *out, size_t *pad)
{
	size_t o = 0;
	*pad = 0;
	for (size_t i = 0; i < n; i++) {
		if ((flags & JG_B64_SKIP_SPACE) && is_skipped_space(in[i]))
			continue;
		if (in[i] == '=')
			(*pad)++;
		else
			out[o++] = in[i];
	}
	return o;
}

static void decode_then_encode(const char *text, size_t n, int flags)
{
	unsigned char *raw = (unsigned char *)fuzz_alloc(n);
	size_t raw_len = 0;
	if (jg_base64_decode(text, n, raw, n, &raw_len, flags) != 0) {
		free(raw);
		return;
	}
	FUZZ_CHECK(raw_len <= n);

	/* Exactly big enough, then one byte short. */
	unsigned char *exact = (unsigned char *)fuzz_alloc(raw_len);
	size_t exact_len = 0;
	FUZZ_CHECK(jg_base64_decode(text, n, exact, raw_len, &exact_len, flags) == 0);
	FUZZ_CHECK(exact_len == raw_len && memcmp(exact, raw, raw_len) == 0);
	if (raw_len > 0)
		FUZZ_CHECK(jg_base64_decode(text, n, exact, raw_len - 1, &exact_len, flags) == -1);
	free(exact);

	/* Back to text, in the same alphabet; and in the standard one for the padding. */
	size_t need = jg_base64_encoded_len(raw_len, flags & JG_B64_URL);
	char *again = fuzz_alloc(need + 1);
	FUZZ_CHECK(jg_base64_encode(raw, raw_len, again, need + 1, flags & JG_B64_URL) == need);
	char *want = fuzz_alloc(n), *got = fuzz_alloc(need + 1);
	size_t want_pad, got_pad;
	size_t want_len = canonical(text, n, flags, want, &want_pad);
	size_t got_len = canonical(again, need, 0, got, &got_pad);
	FUZZ_CHECK(want_len == got_len && memcmp(want, got, want_len) == 0);
	if (want_pad > 0) {
		size_t std_need = jg_base64_encoded_len(raw_len, JG_B64_STD);
		FUZZ_CHECK(std_need >= want_len && want_pad == std_need - want_len);
	}
	free(want);
	free(got);
	free(again);
	free(raw);
}

static void encode_then_decode(const unsigned char *raw, size_t n, int url)
{
	int flags = url ? JG_B64_URL : JG_B64_STD;
	size_t need = jg_base64_encoded_len(n, flags);
	FUZZ_CHECK(need >= n && need <= n / 3 * 4 + 4);
	char *text = fuzz_alloc(need + 1);
	FUZZ_CHECK(jg_base64_encode(raw, n, text, need + 1, flags) == need);
	FUZZ_CHECK(text[need] == '\0' && strlen(text) == need);
	if (need > 0) {
		FUZZ_CHECK(jg_base64_encode(raw, n, text, need, flags) == (size_t)-1);
		FUZZ_CHECK(text[0] == '\0');
		FUZZ_CHECK(jg_base64_encode(raw, n, text, need + 1, flags) == need);
	}
	unsigned char *back = (unsigned char *)fuzz_alloc(n);
	size_t back_len = 0;
	FUZZ_CHECK(jg_base64_decode(text, need, back, n, &back_len, flags) == 0);
	FUZZ_CHECK(back_len == n && memcmp(back, raw, n) == 0);
	free(back);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int flags = data[0] & (JG_B64_URL | JG_B64_SKIP_SPACE);
	char *text = fuzz_copy(data + 1, size - 1);
	decode_then_encode(text, size - 1, flags);
	free(text);
	encode_then_decode(data + 1, size - 1, 0);
	encode_then_decode(data + 1, size - 1, 1);
	return 0;
}
