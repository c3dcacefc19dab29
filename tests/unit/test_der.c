/* DER writer and reader: exact bytes for the writer, tables of bad input for the reader (each
 * placed against a guard page so that an over-read faults), and times checked against libc. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "x509/der.h"

/* --- helpers ----------------------------------------------------------------------------- */

static unsigned char out[70000];

static void assert_written(const jg_der_writer *w, const void *expected, size_t len)
{
	size_t got = 0;
	jg_error err;
	assert_int_equal(jg_der_writer_finish(w, "test", &got, &err), JG_OK);
	assert_int_equal(got, len);
	assert_memory_equal(w->buf, expected, len);
}

/* Two pages, the second inaccessible: data copied to the end of the first. */
typedef struct guarded {
	unsigned char *pages;
	size_t page;
} guarded;

static const unsigned char *guard_place(guarded *g, const void *data, size_t len)
{
	g->page = (size_t)sysconf(_SC_PAGESIZE);
	assert_true(len <= g->page);
	g->pages = mmap(NULL, 2 * g->page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		-1, 0);
	assert_true(g->pages != MAP_FAILED);
	assert_int_equal(mprotect(g->pages + g->page, g->page, PROT_NONE), 0);
	unsigned char *at = g->pages + g->page - len;
	if (len > 0)
		memcpy(at, data, len);
	return at;
}

static void guard_release(guarded *g)
{
	munmap(g->pages, 2 * g->page);
}

/* --- writer ------------------------------------------------------------------------------ */

static void integers_are_minimal_twos_complement(void **state)
{
	(void)state;
	static const struct {
		unsigned char in[4];
		size_t in_len;
		unsigned char der[6];
		size_t der_len;
	} cases[] = {
		{ { 0 }, 0, { 0x02, 0x01, 0x00 }, 3 },                    /* empty is zero */
		{ { 0x00 }, 1, { 0x02, 0x01, 0x00 }, 3 },                 /* 0 */
		{ { 0x7F }, 1, { 0x02, 0x01, 0x7F }, 3 },                 /* 127 */
		{ { 0x80 }, 1, { 0x02, 0x02, 0x00, 0x80 }, 4 },           /* 128 */
		{ { 0x01, 0x00 }, 2, { 0x02, 0x02, 0x01, 0x00 }, 4 },     /* 256 */
		{ { 0x00, 0x00, 0x01 }, 3, { 0x02, 0x01, 0x01 }, 3 },     /* leading zeros */
		{ { 0x00, 0x00, 0x00, 0x80 }, 4, { 0x02, 0x02, 0x00, 0x80 }, 4 },
		{ { 0x00, 0xFF, 0x00 }, 3, { 0x02, 0x03, 0x00, 0xFF, 0x00 }, 5 },
		{ { 0x00, 0x00, 0x00, 0x00 }, 4, { 0x02, 0x01, 0x00 }, 3 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		jg_der_writer w;
		jg_der_writer_init(&w, out, sizeof out);
		jg_der_write_integer(&w, cases[i].in, cases[i].in_len);
		assert_written(&w, cases[i].der, cases[i].der_len);
	}
}

static void small_integers(void **state)
{
	(void)state;
	static const struct {
		uint32_t value;
		unsigned char der[7];
		size_t len;
	} cases[] = {
		{ 0, { 0x02, 0x01, 0x00 }, 3 },
		{ 2, { 0x02, 0x01, 0x02 }, 3 },
		{ 127, { 0x02, 0x01, 0x7F }, 3 },
		{ 128, { 0x02, 0x02, 0x00, 0x80 }, 4 },
		{ 256, { 0x02, 0x02, 0x01, 0x00 }, 4 },
		{ 65537, { 0x02, 0x03, 0x01, 0x00, 0x01 }, 5 },
		{ 0xFFFFFFFFu, { 0x02, 0x05, 0x00, 0xFF, 0xFF, 0xFF, 0xFF }, 7 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		jg_der_writer w;
		jg_der_writer_init(&w, out, sizeof out);
		jg_der_write_small_integer(&w, cases[i].value);
		assert_written(&w, cases[i].der, cases[i].len);
	}
}

static void lengths_use_the_shortest_form(void **state)
{
	(void)state;
	static unsigned char payload[65536];
	static const struct {
		size_t len;
		unsigned char header[5];
		size_t header_len;
	} cases[] = {
		{ 0, { 0x04, 0x00 }, 2 },
		{ 127, { 0x04, 0x7F }, 2 },
		{ 128, { 0x04, 0x81, 0x80 }, 3 },
		{ 255, { 0x04, 0x81, 0xFF }, 3 },
		{ 256, { 0x04, 0x82, 0x01, 0x00 }, 4 },
		{ 65535, { 0x04, 0x82, 0xFF, 0xFF }, 4 },
		{ 65536, { 0x04, 0x83, 0x01, 0x00, 0x00 }, 5 },
	};
	memset(payload, 0xA5, sizeof payload);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		jg_der_writer w;
		size_t len;
		jg_der_writer_init(&w, out, sizeof out);
		jg_der_write_octet_string(&w, payload, cases[i].len);
		assert_int_equal(jg_der_writer_finish(&w, "test", &len, NULL), JG_OK);
		assert_int_equal(len, cases[i].header_len + cases[i].len);
		assert_memory_equal(out, cases[i].header, cases[i].header_len);
		assert_memory_equal(out + cases[i].header_len, payload, cases[i].len);
	}
}

static void nested_lengths_are_back_patched(void **state)
{
	(void)state;
	static const size_t sizes[] = { 0, 1, 125, 126, 127, 128, 300, 70000 - 20 };
	static unsigned char payload[70000];
	memset(payload, 0x5A, sizeof payload);
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		/* SEQUENCE { SET { OCTET STRING payload } }, built by hand to compare. */
		static unsigned char expected[70000];
		jg_der_writer inner, outer, w;
		size_t inner_len, set_len, len;
		jg_der_writer_init(&inner, expected, sizeof expected);
		jg_der_write_octet_string(&inner, payload, sizes[i]);
		jg_der_writer_finish(&inner, "inner", &inner_len, NULL);
		static unsigned char set[70000];
		jg_der_writer_init(&outer, set, sizeof set);
		jg_der_write_header(&outer, JG_DER_SET, inner_len);
		jg_der_write_bytes(&outer, expected, inner_len);
		assert_int_equal(jg_der_writer_finish(&outer, "set", &set_len, NULL), JG_OK);
		jg_der_writer_init(&inner, expected, sizeof expected);
		jg_der_write_header(&inner, JG_DER_SEQUENCE, set_len);
		jg_der_write_bytes(&inner, set, set_len);
		assert_int_equal(jg_der_writer_finish(&inner, "seq", &len, NULL), JG_OK);

		jg_der_writer_init(&w, out, sizeof out);
		jg_der_begin(&w, JG_DER_SEQUENCE);
		jg_der_begin(&w, JG_DER_SET);
		jg_der_write_octet_string(&w, payload, sizes[i]);
		jg_der_end(&w);
		jg_der_end(&w);
		assert_written(&w, expected, len);
	}
}

static void nested_exact_bytes(void **state)
{
	(void)state;
	/* SEQUENCE { [0] { INTEGER 2 }, BIT STRING { SEQUENCE {} }, OCTET STRING { BOOLEAN TRUE } } */
	static const unsigned char expected[] = {
		0x30, 0x0F, 0xA0, 0x03, 0x02, 0x01, 0x02, 0x03, 0x03, 0x00, 0x30, 0x00,
		0x04, 0x03, 0x01, 0x01, 0xFF
	};
	jg_der_writer w;
	jg_der_writer_init(&w, out, sizeof out);
	jg_der_begin(&w, JG_DER_SEQUENCE);
	jg_der_begin(&w, JG_DER_CONTEXT(0));
	jg_der_write_small_integer(&w, 2);
	jg_der_end(&w);
	jg_der_begin_bit_string(&w);
	jg_der_begin(&w, JG_DER_SEQUENCE);
	jg_der_end(&w);
	jg_der_end(&w);
	jg_der_begin(&w, JG_DER_OCTET_STRING);
	jg_der_write_boolean(&w, 1);
	jg_der_end(&w);
	jg_der_end(&w);
	assert_written(&w, expected, sizeof expected);
}

static void times_choose_utc_or_generalized(void **state)
{
	(void)state;
	static const struct {
		int64_t t;
		const char *der; /* tag byte, length byte, then the text */
	} cases[] = {
		{ 0, "\x17\x0d" "700101000000Z" },
		{ -1, "\x17\x0d" "691231235959Z" },
		{ -631152000, "\x17\x0d" "500101000000Z" },          /* 1950: first UTCTime year */
		{ -631152001, "\x18\x0f" "19491231235959Z" },        /* 1949 */
		{ 1709208000, "\x17\x0d" "240229120000Z" },          /* leap day */
		{ 2524607999, "\x17\x0d" "491231235959Z" },          /* 2049: last UTCTime year */
		{ 2524608000, "\x18\x0f" "20500101000000Z" },        /* 2050 */
		{ 4102444800, "\x18\x0f" "21000101000000Z" },
		{ 253402300799, "\x18\x0f" "99991231235959Z" },      /* RFC 5280 "no expiry" */
		{ -62167219200, "\x18\x0f" "00000101000000Z" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		jg_der_writer w;
		jg_der_writer_init(&w, out, sizeof out);
		jg_der_write_time(&w, cases[i].t);
		assert_written(&w, cases[i].der, 2 + (size_t)(unsigned char)cases[i].der[1]);

		jg_der_reader r;
		jg_der_tlv tlv;
		int64_t back = 0;
		jg_der_reader_init(&r, out, w.len);
		assert_int_equal(jg_der_read(&r, &tlv), JG_DER_OK);
		assert_int_equal(jg_der_read_time(&tlv, &back), JG_DER_OK);
		assert_true(back == cases[i].t);
	}
}

static void times_match_libc(void **state)
{
	(void)state;
	/* Every ~9.7 days from 1902 to 2037 (32-bit time_t safe), against gmtime_r/strftime. */
	for (int64_t t = -2145916800; t < 2145916800; t += 837337) {
		time_t tt = (time_t)t;
		struct tm tm;
		char text[32];
		assert_non_null(gmtime_r(&tt, &tm));
		int utc = tm.tm_year + 1900 >= 1950 && tm.tm_year + 1900 <= 2049;
		char full[32];
		assert_int_equal(strftime(full, sizeof full, "%Y%m%d%H%M%SZ", &tm), 15);
		strcpy(text, utc ? full + 2 : full);
		jg_der_writer w;
		jg_der_writer_init(&w, out, sizeof out);
		jg_der_write_time(&w, t);
		assert_int_equal(out[0], utc ? JG_DER_UTC_TIME : JG_DER_GENERALIZED_TIME);
		assert_int_equal(out[1], strlen(text));
		assert_memory_equal(out + 2, text, strlen(text));

		jg_der_reader r;
		jg_der_tlv tlv;
		int64_t back = 0;
		jg_der_reader_init(&r, out, w.len);
		assert_int_equal(jg_der_read(&r, &tlv), JG_DER_OK);
		assert_int_equal(jg_der_read_time(&tlv, &back), JG_DER_OK);
		assert_true(back == t);
		assert_true((time_t)back == timegm(&tm));
	}
}

static void times_out_of_range_fail(void **state)
{
	(void)state;
	static const int64_t bad[] = { 253402300800, -62167219201, INT64_MAX, INT64_MIN };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		jg_der_writer w;
		size_t len;
		jg_der_writer_init(&w, out, sizeof out);
		jg_der_write_time(&w, bad[i]);
		assert_int_equal(jg_der_writer_finish(&w, "time", &len, NULL), JG_ERR_INPUT);
	}
}

static void oid_null_boolean(void **state)
{
	(void)state;
	static const unsigned char rsa[] = { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01 };
	static const unsigned char expected[] = {
		0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01,
		0x05, 0x00, 0x01, 0x01, 0xFF, 0x01, 0x01, 0x00
	};
	jg_der_writer w;
	jg_der_writer_init(&w, out, sizeof out);
	jg_der_write_oid(&w, rsa, sizeof rsa);
	jg_der_write_null(&w);
	jg_der_write_boolean(&w, 7);
	jg_der_write_boolean(&w, 0);
	assert_written(&w, expected, sizeof expected);
}

static void bit_strings(void **state)
{
	(void)state;
	static const unsigned char usage = 0x80, bad_usage = 0x81, two[] = { 0xAB, 0xCD };
	static const unsigned char expected[] = {
		0x03, 0x02, 0x07, 0x80, 0x03, 0x03, 0x00, 0xAB, 0xCD, 0x03, 0x01, 0x00
	};
	jg_der_writer w;
	size_t len;
	jg_der_writer_init(&w, out, sizeof out);
	jg_der_write_bit_string(&w, 7, &usage, 1);
	jg_der_write_bit_string(&w, 0, two, 2);
	jg_der_write_bit_string(&w, 0, NULL, 0);
	assert_written(&w, expected, sizeof expected);

	jg_der_writer_init(&w, out, sizeof out);
	jg_der_write_bit_string(&w, 7, &bad_usage, 1); /* an unused bit set */
	assert_int_equal(jg_der_writer_finish(&w, "bits", &len, NULL), JG_ERR_INPUT);
	jg_der_writer_init(&w, out, sizeof out);
	jg_der_write_bit_string(&w, 8, two, 2);
	assert_int_equal(jg_der_writer_finish(&w, "bits", &len, NULL), JG_ERR_INPUT);
	jg_der_writer_init(&w, out, sizeof out);
	jg_der_write_bit_string(&w, 1, NULL, 0);
	assert_int_equal(jg_der_writer_finish(&w, "bits", &len, NULL), JG_ERR_INPUT);
}

static void strings(void **state)
{
	(void)state;
	jg_der_writer w;
	size_t len;
	jg_der_writer_init(&w, out, sizeof out);
	jg_der_write_utf8_string(&w, "Zo\xC3\xAB", 4);
	jg_der_write_printable_string(&w, "US", 2);
	jg_der_write_printable_string(&w, "A-z 0.9'()+,/:=?", 16);
	assert_written(&w, "\x0C\x04Zo\xC3\xAB\x13\x02US\x13\x10" "A-z 0.9'()+,/:=?", 6 + 4 + 18);

	static const char *const not_printable[] = { "a@b", "a*b", "a_b", "\xC3\xAB", "a\nb" };
	for (size_t i = 0; i < sizeof not_printable / sizeof not_printable[0]; i++) {
		jg_der_writer_init(&w, out, sizeof out);
		jg_der_write_printable_string(&w, not_printable[i], strlen(not_printable[i]));
		assert_int_equal(jg_der_writer_finish(&w, "string", &len, NULL), JG_ERR_INPUT);
	}
}

static void overflow_is_sticky_and_measured(void **state)
{
	(void)state;
	unsigned char small[8];
	jg_der_writer w;
	size_t len = 99;
	jg_error err;

	/* Measuring: no buffer at all, the length is still counted. */
	jg_der_writer_init(&w, NULL, 0);
	jg_der_begin(&w, JG_DER_SEQUENCE);
	jg_der_write_octet_string(&w, out, 200);
	jg_der_end(&w);
	assert_int_equal(w.len, 3 + 3 + 200);
	assert_int_equal(jg_der_writer_finish(&w, "thing", &len, &err), JG_ERR_INPUT);
	assert_int_equal(len, 0);
	assert_non_null(strstr(err.message, "thing: does not fit in 0 bytes (needs 206)"));

	/* The header fits, the value does not: nothing of it is stored, nor anything later. */
	memset(small, 0xEE, sizeof small);
	jg_der_writer_init(&w, small, 6);
	jg_der_write_octet_string(&w, out, 5); /* 2 + 5 bytes */
	jg_der_write_null(&w);
	assert_int_equal(w.len, 9);
	assert_int_equal(jg_der_writer_finish(&w, "thing", &len, &err), JG_ERR_INPUT);
	assert_int_equal(small[0], 0x04);
	for (size_t i = 2; i < sizeof small; i++)
		assert_int_equal(small[i], 0xEE);

	/* The long-form length of a closing SEQUENCE does not fit: nothing past cap is touched. */
	static unsigned char buf[140];
	memset(buf, 0xEE, sizeof buf);
	jg_der_writer_init(&w, buf, 131);
	jg_der_begin(&w, JG_DER_SEQUENCE);
	jg_der_write_octet_string(&w, out, 127); /* 2 + 129 = 131 bytes so far: full */
	jg_der_end(&w);                          /* needs 30 81 81: one more */
	assert_int_equal(jg_der_writer_finish(&w, "thing", &len, &err), JG_ERR_INPUT);
	for (size_t i = 131; i < sizeof buf; i++)
		assert_int_equal(buf[i], 0xEE);
	assert_int_equal(w.len, 132);
}

static void nesting_misuse_fails(void **state)
{
	(void)state;
	jg_der_writer w;
	size_t len;
	jg_der_writer_init(&w, out, sizeof out);
	jg_der_begin(&w, JG_DER_SEQUENCE);
	assert_int_equal(jg_der_writer_finish(&w, "open", &len, NULL), JG_ERR_INPUT);

	jg_der_writer_init(&w, out, sizeof out);
	jg_der_end(&w);
	assert_int_equal(jg_der_writer_finish(&w, "end", &len, NULL), JG_ERR_INPUT);

	jg_der_writer_init(&w, out, sizeof out);
	for (int i = 0; i < JG_DER_MAX_DEPTH + 1; i++)
		jg_der_begin(&w, JG_DER_SEQUENCE);
	for (int i = 0; i < JG_DER_MAX_DEPTH + 1; i++)
		jg_der_end(&w);
	assert_int_equal(w.depth, 0);
	assert_int_equal(jg_der_writer_finish(&w, "deep", &len, NULL), JG_ERR_INPUT);

	jg_der_writer_init(&w, out, sizeof out);
	for (int i = 0; i < JG_DER_MAX_DEPTH; i++)
		jg_der_begin(&w, JG_DER_SEQUENCE);
	for (int i = 0; i < JG_DER_MAX_DEPTH; i++)
		jg_der_end(&w);
	assert_int_equal(jg_der_writer_finish(&w, "deep", &len, NULL), JG_OK);
	assert_int_equal(len, 2 * JG_DER_MAX_DEPTH);
}

static void rsa_spki_layout(void **state)
{
	(void)state;
	unsigned char n[] = { 0x00, 0x00, 0x80, 0x01 }, e[] = { 0x01, 0x00, 0x01 };
	br_rsa_public_key pk = { n, sizeof n, e, sizeof e };
	static const unsigned char expected[] = {
		0x30, 0x1E,
		0x30, 0x0D, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01, 0x05, 0x00,
		0x03, 0x0D, 0x00,
		0x30, 0x0A, 0x02, 0x03, 0x00, 0x80, 0x01, 0x02, 0x03, 0x01, 0x00, 0x01
	};
	unsigned char spki[64];
	size_t len = 0;
	jg_error err;
	assert_int_equal(jg_der_rsa_spki(&pk, spki, sizeof spki, &len, &err), JG_OK);
	assert_int_equal(len, sizeof expected);
	assert_memory_equal(spki, expected, sizeof expected);
	assert_int_equal(jg_der_rsa_spki(&pk, spki, sizeof expected - 1, &len, &err), JG_ERR_INPUT);
	assert_non_null(strstr(err.message, "public key"));
}

/* --- reader ------------------------------------------------------------------------------ */

static void reader_walks_tlvs(void **state)
{
	(void)state;
	/* SEQUENCE { INTEGER 5, [0] { NULL }, OCTET STRING (130 bytes) } then BOOLEAN */
	unsigned char der[160];
	jg_der_writer w;
	size_t len;
	jg_der_writer_init(&w, der, sizeof der);
	jg_der_begin(&w, JG_DER_SEQUENCE);
	jg_der_write_small_integer(&w, 5);
	jg_der_begin(&w, JG_DER_CONTEXT(0));
	jg_der_write_null(&w);
	jg_der_end(&w);
	jg_der_write_octet_string(&w, out, 130);
	jg_der_end(&w);
	jg_der_write_boolean(&w, 1);
	assert_int_equal(jg_der_writer_finish(&w, "test", &len, NULL), JG_OK);

	guarded g;
	const unsigned char *at = guard_place(&g, der, len);
	jg_der_reader r, seq, ctx;
	jg_der_tlv tlv;
	jg_der_reader_init(&r, at, len);
	assert_int_equal(jg_der_peek_tag(&r), JG_DER_SEQUENCE);
	assert_int_equal(jg_der_enter(&r, JG_DER_SET, &seq), JG_DER_UNEXPECTED);
	assert_int_equal(jg_der_enter(&r, JG_DER_SEQUENCE, &seq), JG_DER_OK);
	assert_int_equal(jg_der_read_expect(&seq, JG_DER_INTEGER, &tlv), JG_DER_OK);
	assert_int_equal(tlv.value.len, 1);
	assert_int_equal(tlv.value.data[0], 5);
	assert_int_equal(tlv.whole.len, 3);
	assert_int_equal(jg_der_peek_tag(&seq), (int)JG_DER_CONTEXT(0));
	assert_int_equal(jg_der_enter(&seq, JG_DER_CONTEXT(0), &ctx), JG_DER_OK);
	assert_int_equal(jg_der_read_expect(&ctx, JG_DER_NULL, &tlv), JG_DER_OK);
	assert_int_equal(jg_der_expect_end(&ctx), JG_DER_OK);
	assert_int_equal(jg_der_read(&ctx, &tlv), JG_DER_END);
	assert_int_equal(jg_der_expect_end(&seq), JG_DER_TRAILING);
	assert_int_equal(jg_der_read_expect(&seq, JG_DER_OCTET_STRING, &tlv), JG_DER_OK);
	assert_int_equal(tlv.value.len, 130);
	assert_ptr_equal(tlv.whole.data + 3, tlv.value.data);
	assert_true(jg_der_at_end(&seq));
	assert_int_equal(jg_der_peek_tag(&seq), -1);
	assert_int_equal(jg_der_skip(&r), JG_DER_OK);
	assert_true(jg_der_at_end(&r));
	guard_release(&g);
}

static void reader_rejects_bad_headers(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		unsigned char der[8];
		size_t len;
		int result;
	} cases[] = {
		{ "empty", { 0 }, 0, JG_DER_END },
		{ "tag only", { 0x04 }, 1, JG_DER_TRUNCATED },
		{ "indefinite", { 0x30, 0x80, 0x00, 0x00 }, 4, JG_DER_INDEFINITE },
		{ "long form for 5", { 0x04, 0x81, 0x05, 1, 2, 3, 4, 5 }, 8, JG_DER_NON_MINIMAL },
		{ "long form for 127", { 0x04, 0x81, 0x7F }, 3, JG_DER_NON_MINIMAL },
		{ "leading zero length byte", { 0x04, 0x82, 0x00, 0x80 }, 4, JG_DER_NON_MINIMAL },
		{ "length bytes cut", { 0x04, 0x82, 0x01 }, 3, JG_DER_TRUNCATED },
		{ "long form, no bytes", { 0x04, 0x81 }, 2, JG_DER_TRUNCATED },
		{ "five length bytes", { 0x04, 0x85, 1, 0, 0, 0, 0 }, 7, JG_DER_BAD_LENGTH },
		{ "length 0xFF", { 0x04, 0xFF }, 2, JG_DER_BAD_LENGTH },
		{ "value past the end", { 0x04, 0x05, 1, 2 }, 4, JG_DER_OVERLONG },
		{ "huge length", { 0x04, 0x84, 0xFF, 0xFF, 0xFF, 0xFF }, 6, JG_DER_OVERLONG },
		{ "long length past end", { 0x04, 0x81, 0x80, 0 }, 4, JG_DER_OVERLONG },
		{ "multi-byte tag", { 0x1F, 0x81, 0x00 }, 3, JG_DER_BAD_TAG },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		guarded g;
		const unsigned char *at = guard_place(&g, cases[i].der, cases[i].len);
		jg_der_reader r;
		jg_der_tlv tlv;
		jg_der_reader_init(&r, at, cases[i].len);
		int result = jg_der_read(&r, &tlv);
		if (result != cases[i].result)
			fail_msg("%s: got %s, want %s", cases[i].name, jg_der_reason(result),
				jg_der_reason(cases[i].result));
		assert_int_equal(r.len, cases[i].len); /* a failed read consumes nothing */
		guard_release(&g);
	}
}

/*
 * The header-only form, picohttpparser's contract: the header's size, -2 for "need more",
 * -1 for a broken header; each input against a guard page, every shorter start checked to
 * give -2 or the same verdict.
 */
static void header_reader_needs_only_the_header(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		unsigned char der[8];
		size_t len;
		int result;
		unsigned tag;
		size_t value_len;
	} cases[] = {
		{ "empty", { 0 }, 0, -2, 0, 0 },
		{ "tag only", { 0x30 }, 1, -2, 0, 0 },
		{ "short form, no value yet", { 0x30, 0x05 }, 2, 2, 0x30, 5 },
		{ "long form cut", { 0x30, 0x82, 0x01 }, 3, -2, 0, 0 },
		{ "long form", { 0x30, 0x82, 0x01, 0x0A }, 4, 4, 0x30, 266 },
		{ "four length bytes", { 0xA3, 0x84, 0x01, 0, 0, 0 }, 6, 6, 0xA3, 0x1000000 },
		{ "multi-byte tag", { 0x1F }, 1, -1, 0, 0 },
		{ "indefinite", { 0x30, 0x80 }, 2, -1, 0, 0 },
		{ "five length bytes", { 0x30, 0x85 }, 2, -1, 0, 0 },
		{ "leading zero", { 0x30, 0x82, 0x00, 0x80 }, 4, -1, 0, 0 },
		{ "long form for 127", { 0x30, 0x81, 0x7F }, 3, -1, 0, 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		for (size_t cut = 0; cut <= cases[i].len; cut++) {
			guarded g;
			const unsigned char *at = guard_place(&g, cases[i].der, cut);
			unsigned tag = 0;
			size_t value_len = 0;
			int result = jg_der_read_header(at, cut, &tag, &value_len);
			guard_release(&g);
			if (cut < cases[i].len && result != -2 && result != cases[i].result)
				fail_msg("%s, first %zu bytes: got %d, want -2 or %d", cases[i].name, cut,
					result, cases[i].result);
			if (cut < cases[i].len)
				continue;
			if (result != cases[i].result)
				fail_msg("%s: got %d, want %d", cases[i].name, result, cases[i].result);
			if (result > 0) {
				assert_int_equal(tag, cases[i].tag);
				assert_int_equal(value_len, cases[i].value_len);
			}
		}
	}
}

static void reader_rejects_inner_value_past_its_container(void **state)
{
	(void)state;
	/* The SEQUENCE says 3 bytes; its OCTET STRING claims 5. */
	static const unsigned char der[] = { 0x30, 0x03, 0x04, 0x05, 0x01, 0x02, 0x03, 0x04, 0x05 };
	jg_der_reader r, inner;
	jg_der_tlv tlv;
	jg_der_reader_init(&r, der, sizeof der);
	assert_int_equal(jg_der_enter(&r, JG_DER_SEQUENCE, &inner), JG_DER_OK);
	assert_int_equal(jg_der_read(&inner, &tlv), JG_DER_OVERLONG);
}

static void reader_rejects_every_truncation(void **state)
{
	(void)state;
	unsigned char der[400];
	jg_der_writer w;
	size_t len;
	jg_der_writer_init(&w, der, sizeof der);
	jg_der_begin(&w, JG_DER_SEQUENCE);
	jg_der_write_octet_string(&w, out, 300);
	jg_der_write_small_integer(&w, 70000);
	jg_der_end(&w);
	assert_int_equal(jg_der_writer_finish(&w, "test", &len, NULL), JG_OK);
	for (size_t cut = 0; cut < len; cut++) {
		guarded g;
		const unsigned char *at = guard_place(&g, der, cut);
		jg_der_reader r;
		jg_der_tlv tlv;
		jg_der_reader_init(&r, at, cut);
		assert_int_not_equal(jg_der_read(&r, &tlv), JG_DER_OK);
		guard_release(&g);
	}
}

static void read_time_is_strict(void **state)
{
	(void)state;
	static const struct {
		unsigned tag;
		const char *text;
		int result;
		int64_t t;
	} cases[] = {
		{ JG_DER_UTC_TIME, "491231235959Z", JG_DER_OK, 2524607999 },
		{ JG_DER_UTC_TIME, "500101000000Z", JG_DER_OK, -631152000 },
		{ JG_DER_GENERALIZED_TIME, "20500101000000Z", JG_DER_OK, 2524608000 },
		{ JG_DER_GENERALIZED_TIME, "20240229000000Z", JG_DER_OK, 1709164800 },
		{ JG_DER_GENERALIZED_TIME, "20000229000000Z", JG_DER_OK, 951782400 },
		{ JG_DER_GENERALIZED_TIME, "21000229000000Z", JG_DER_BAD_VALUE, 0 }, /* not leap */
		{ JG_DER_UTC_TIME, "230229000000Z", JG_DER_BAD_VALUE, 0 },
		{ JG_DER_UTC_TIME, "491231235959", JG_DER_BAD_VALUE, 0 },       /* no Z */
		{ JG_DER_UTC_TIME, "4912312359Z", JG_DER_BAD_VALUE, 0 },        /* no seconds */
		{ JG_DER_UTC_TIME, "491231235959+0000", JG_DER_BAD_VALUE, 0 },
		{ JG_DER_UTC_TIME, "491331235959Z", JG_DER_BAD_VALUE, 0 },      /* month 13 */
		{ JG_DER_UTC_TIME, "490001235959Z", JG_DER_BAD_VALUE, 0 },      /* month 0 */
		{ JG_DER_UTC_TIME, "490100235959Z", JG_DER_BAD_VALUE, 0 },      /* day 0 */
		{ JG_DER_UTC_TIME, "490431235959Z", JG_DER_BAD_VALUE, 0 },      /* April 31 */
		{ JG_DER_UTC_TIME, "491231245959Z", JG_DER_BAD_VALUE, 0 },      /* hour 24 */
		{ JG_DER_UTC_TIME, "491231236059Z", JG_DER_BAD_VALUE, 0 },
		{ JG_DER_UTC_TIME, "491231235960Z", JG_DER_BAD_VALUE, 0 },
		{ JG_DER_UTC_TIME, "4912312359 9Z", JG_DER_BAD_VALUE, 0 },
		{ JG_DER_UTC_TIME, "-91231235959Z", JG_DER_BAD_VALUE, 0 },
		{ JG_DER_UTC_TIME, "20500101000000Z", JG_DER_BAD_VALUE, 0 },    /* 4-digit year */
		{ JG_DER_GENERALIZED_TIME, "20500101000000.5Z", JG_DER_BAD_VALUE, 0 },
		{ JG_DER_GENERALIZED_TIME, "500101000000Z", JG_DER_BAD_VALUE, 0 },
		{ JG_DER_OCTET_STRING, "500101000000Z", JG_DER_UNEXPECTED, 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		jg_der_tlv tlv;
		int64_t t = 0;
		tlv.tag = cases[i].tag;
		tlv.value.data = (const unsigned char *)cases[i].text;
		tlv.value.len = strlen(cases[i].text);
		int result = jg_der_read_time(&tlv, &t);
		if (result != cases[i].result)
			fail_msg("%s: got %s", cases[i].text, jg_der_reason(result));
		if (result == JG_DER_OK)
			assert_true(t == cases[i].t);
	}
}

static void oid_text(void **state)
{
	(void)state;
	static const struct {
		unsigned char oid[12];
		size_t len;
		const char *text; /* NULL: invalid */
	} cases[] = {
		{ { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01 }, 9, "1.2.840.113549.1.1.1" },
		{ { 0x55, 0x04, 0x03 }, 3, "2.5.4.3" },
		{ { 0x00 }, 1, "0.0" },
		{ { 0x27 }, 1, "0.39" },
		{ { 0x28 }, 1, "1.0" },
		{ { 0x88, 0x37, 0x03 }, 3, "2.999.3" },
		{ { 0x2B, 0x81, 0x04, 0x00, 0x22 }, 5, "1.3.132.0.34" },
		{ { 0 }, 0, NULL },                       /* empty */
		{ { 0x2A, 0x86 }, 2, NULL },              /* unfinished arc */
		{ { 0x2A, 0x80, 0x01 }, 3, NULL },        /* arc with a leading zero septet */
		{ { 0x2A, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F }, 12, NULL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char text[64];
		int result = jg_der_oid_text(cases[i].oid, cases[i].len, text, sizeof text);
		if (cases[i].text == NULL) {
			assert_int_equal(result, JG_DER_BAD_VALUE);
			assert_string_equal(text, "");
		} else {
			assert_int_equal(result, JG_DER_OK);
			assert_string_equal(text, cases[i].text);
		}
	}
	char tiny[8];
	assert_int_equal(jg_der_oid_text(cases[0].oid, cases[0].len, tiny, sizeof tiny),
		JG_DER_BAD_VALUE);
	assert_string_equal(tiny, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(integers_are_minimal_twos_complement),
		cmocka_unit_test(small_integers),
		cmocka_unit_test(lengths_use_the_shortest_form),
		cmocka_unit_test(nested_lengths_are_back_patched),
		cmocka_unit_test(nested_exact_bytes),
		cmocka_unit_test(times_choose_utc_or_generalized),
		cmocka_unit_test(times_match_libc),
		cmocka_unit_test(times_out_of_range_fail),
		cmocka_unit_test(oid_null_boolean),
		cmocka_unit_test(bit_strings),
		cmocka_unit_test(strings),
		cmocka_unit_test(overflow_is_sticky_and_measured),
		cmocka_unit_test(nesting_misuse_fails),
		cmocka_unit_test(rsa_spki_layout),
		cmocka_unit_test(reader_walks_tlvs),
		cmocka_unit_test(reader_rejects_bad_headers),
		cmocka_unit_test(header_reader_needs_only_the_header),
		cmocka_unit_test(reader_rejects_inner_value_past_its_container),
		cmocka_unit_test(reader_rejects_every_truncation),
		cmocka_unit_test(read_time_is_strict),
		cmocka_unit_test(oid_text),
	};
	return cmocka_run_group_tests_name("der", tests, NULL, NULL);
}
