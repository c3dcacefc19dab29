#include "x509/der.h"

#include "base/clock.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* 1.2.840.113549.1.1.1, rsaEncryption (RFC 3279 section 2.3.1). */
static const unsigned char oid_rsa_encryption[] = {
	0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01
};

static unsigned days_in_month(int64_t year, unsigned month)
{
	static const unsigned lengths[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	return month == 2 && leap ? 29 : lengths[month - 1];
}

static int64_t floor_divide(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && a < 0) ? q - 1 : q;
}

int jg_der_span_equals(jg_der_span span, const unsigned char *bytes, size_t len)
{
	return span.len == len && (len == 0 || memcmp(span.data, bytes, len) == 0);
}

/* --- writer ------------------------------------------------------------------------------ */

void jg_der_writer_init(jg_der_writer *w, unsigned char *buf, size_t cap)
{
	memset(w, 0, sizeof *w);
	w->buf = buf;
	w->cap = buf != NULL ? cap : 0;
}

/* Store len bytes if they fit and no overflow happened yet; count them in any case. */
static void append(jg_der_writer *w, const void *data, size_t len)
{
	if (len > SIZE_MAX - w->len) {
		w->error |= JG_DER_WRITER_OVERFLOW;
		return;
	}
	if ((w->error & JG_DER_WRITER_OVERFLOW) == 0 && len <= w->cap - w->len) {
		if (len > 0)
			memcpy(w->buf + w->len, data, len);
	} else {
		w->error |= JG_DER_WRITER_OVERFLOW;
	}
	w->len += len;
}

static void append_byte(jg_der_writer *w, unsigned value)
{
	unsigned char b = (unsigned char)value;
	append(w, &b, 1);
}

/* The DER length encoding of len into out (room for 1 + sizeof(size_t)); returns its size. */
static size_t encode_length(size_t len, unsigned char *out)
{
	if (len < 0x80) {
		out[0] = (unsigned char)len;
		return 1;
	}
	size_t count = 0;
	for (size_t rest = len; rest > 0; rest >>= 8)
		count++;
	out[0] = (unsigned char)(0x80 | count);
	for (size_t i = 0; i < count; i++)
		out[count - i] = (unsigned char)(len >> (8 * i));
	return count + 1;
}

jg_status jg_der_writer_finish(const jg_der_writer *w, const char *what, size_t *len,
	jg_error *err)
{
	*len = 0;
	if (w->error & JG_DER_WRITER_OVERFLOW)
		return jg_fail(err, JG_ERR_INPUT, "%s: does not fit in %zu bytes (needs %zu)", what,
			w->cap, w->len);
	if (w->error & JG_DER_WRITER_VALUE)
		return jg_fail(err, JG_ERR_INPUT, "%s: a value cannot be encoded in DER", what);
	if ((w->error & JG_DER_WRITER_NESTING) || w->depth != 0)
		return jg_fail(err, JG_ERR_INPUT, "%s: unbalanced DER nesting (internal error)", what);
	*len = w->len;
	return JG_OK;
}

void jg_der_write_bytes(jg_der_writer *w, const void *data, size_t len)
{
	append(w, data, len);
}

void jg_der_write_header(jg_der_writer *w, unsigned tag, size_t len)
{
	unsigned char header[1 + 1 + sizeof(size_t)];
	header[0] = (unsigned char)tag;
	size_t length_size = encode_length(len, header + 1);
	append(w, header, 1 + length_size);
}

void jg_der_write_integer(jg_der_writer *w, const unsigned char *be, size_t len)
{
	while (len > 0 && be[0] == 0) {
		be++;
		len--;
	}
	int pad = len == 0 || (be[0] & 0x80) != 0;
	jg_der_write_header(w, JG_DER_INTEGER, len + (size_t)pad);
	if (pad)
		append_byte(w, 0);
	append(w, be, len);
}

void jg_der_write_small_integer(jg_der_writer *w, uint32_t value)
{
	unsigned char be[4] = {
		(unsigned char)(value >> 24), (unsigned char)(value >> 16),
		(unsigned char)(value >> 8), (unsigned char)value
	};
	jg_der_write_integer(w, be, sizeof be);
}

void jg_der_write_oid(jg_der_writer *w, const unsigned char *oid, size_t len)
{
	jg_der_write_header(w, JG_DER_OID, len);
	append(w, oid, len);
}

void jg_der_write_null(jg_der_writer *w)
{
	jg_der_write_header(w, JG_DER_NULL, 0);
}

void jg_der_write_boolean(jg_der_writer *w, int value)
{
	jg_der_write_header(w, JG_DER_BOOLEAN, 1);
	append_byte(w, value ? 0xFF : 0x00);
}

void jg_der_write_bit_string(jg_der_writer *w, unsigned unused_bits, const unsigned char *bytes,
	size_t len)
{
	if (unused_bits > 7 || (len == 0 && unused_bits != 0) ||
		(len > 0 && (bytes[len - 1] & ((1u << unused_bits) - 1)) != 0))
		w->error |= JG_DER_WRITER_VALUE;
	jg_der_write_header(w, JG_DER_BIT_STRING, len + 1);
	append_byte(w, unused_bits);
	append(w, bytes, len);
}

void jg_der_write_octet_string(jg_der_writer *w, const unsigned char *bytes, size_t len)
{
	jg_der_write_header(w, JG_DER_OCTET_STRING, len);
	append(w, bytes, len);
}

void jg_der_write_utf8_string(jg_der_writer *w, const char *text, size_t len)
{
	jg_der_write_header(w, JG_DER_UTF8_STRING, len);
	append(w, text, len);
}

static int is_printable_string_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		(c != '\0' && strchr(" '()+,-./:=?", c) != NULL);
}

void jg_der_write_printable_string(jg_der_writer *w, const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (!is_printable_string_char(text[i]))
			w->error |= JG_DER_WRITER_VALUE;
	}
	jg_der_write_header(w, JG_DER_PRINTABLE_STRING, len);
	append(w, text, len);
}

/* Write value as `count` decimal digits at out, most significant first. */
static void put_digits(char *out, unsigned value, int count)
{
	for (int i = count - 1; i >= 0; i--) {
		out[i] = (char)('0' + value % 10);
		value /= 10;
	}
}

/* The first and last seconds of the years 0000 to 9999, the span of a four-digit year. */
#define TIME_FIRST (-62167219200LL)
#define TIME_LAST 253402300799LL

void jg_der_write_time(jg_der_writer *w, int64_t epoch_seconds)
{
	if (epoch_seconds < TIME_FIRST || epoch_seconds > TIME_LAST) {
		w->error |= JG_DER_WRITER_VALUE;
		return;
	}
	int64_t days = floor_divide(epoch_seconds, 86400);
	unsigned second_of_day = (unsigned)(epoch_seconds - days * 86400);
	int64_t year;
	unsigned month, day;
	jg_date_from_days(days, &year, &month, &day);
	int utc = year >= 1950 && year <= 2049;
	char text[16];
	char *p = text;
	if (utc) {
		put_digits(p, (unsigned)(year % 100), 2);
		p += 2;
	} else {
		put_digits(p, (unsigned)year, 4);
		p += 4;
	}
	put_digits(p, month, 2);
	put_digits(p + 2, day, 2);
	put_digits(p + 4, second_of_day / 3600, 2);
	put_digits(p + 6, second_of_day / 60 % 60, 2);
	put_digits(p + 8, second_of_day % 60, 2);
	p[10] = 'Z';
	size_t len = (size_t)(p + 11 - text);
	jg_der_write_header(w, utc ? JG_DER_UTC_TIME : JG_DER_GENERALIZED_TIME, len);
	append(w, text, len);
}

void jg_der_begin(jg_der_writer *w, unsigned tag)
{
	append_byte(w, tag);
	if (w->depth >= JG_DER_MAX_DEPTH) {
		/* Counted but not recorded, so that the matching end stays balanced. */
		w->error |= JG_DER_WRITER_NESTING;
		w->depth++;
		return;
	}
	w->open[w->depth++] = w->len;
	append_byte(w, 0); /* length placeholder, right for contents under 128 bytes */
}

void jg_der_begin_bit_string(jg_der_writer *w)
{
	jg_der_begin(w, JG_DER_BIT_STRING);
	append_byte(w, 0);
}

void jg_der_end(jg_der_writer *w)
{
	if (w->depth <= 0) {
		w->error |= JG_DER_WRITER_NESTING;
		return;
	}
	w->depth--;
	if (w->depth >= JG_DER_MAX_DEPTH)
		return;
	size_t at = w->open[w->depth];
	size_t content_len = w->len - at - 1;
	unsigned char length[1 + sizeof(size_t)];
	size_t length_size = encode_length(content_len, length);
	size_t grow = length_size - 1;
	if (grow > 0) {
		int fits = (w->error & JG_DER_WRITER_OVERFLOW) == 0 && grow <= w->cap - w->len;
		if (fits)
			memmove(w->buf + at + length_size, w->buf + at + 1, content_len);
		else
			w->error |= JG_DER_WRITER_OVERFLOW;
		w->len += grow;
	}
	if ((w->error & JG_DER_WRITER_OVERFLOW) == 0)
		memcpy(w->buf + at, length, length_size);
}

void jg_der_write_rsa_public_key(jg_der_writer *w, const br_rsa_public_key *pk)
{
	jg_der_begin(w, JG_DER_SEQUENCE);
	jg_der_write_integer(w, pk->n, pk->nlen);
	jg_der_write_integer(w, pk->e, pk->elen);
	jg_der_end(w);
}

void jg_der_write_rsa_spki(jg_der_writer *w, const br_rsa_public_key *pk)
{
	jg_der_begin(w, JG_DER_SEQUENCE);
	jg_der_begin(w, JG_DER_SEQUENCE);
	jg_der_write_oid(w, oid_rsa_encryption, sizeof oid_rsa_encryption);
	jg_der_write_null(w);
	jg_der_end(w);
	jg_der_begin_bit_string(w);
	jg_der_write_rsa_public_key(w, pk);
	jg_der_end(w);
	jg_der_end(w);
}

jg_status jg_der_rsa_spki(const br_rsa_public_key *pk, unsigned char *out, size_t cap,
	size_t *len, jg_error *err)
{
	jg_der_writer w;
	jg_der_writer_init(&w, out, cap);
	jg_der_write_rsa_spki(&w, pk);
	return jg_der_writer_finish(&w, "public key", len, err);
}

/* --- reader ------------------------------------------------------------------------------ */

void jg_der_reader_init(jg_der_reader *r, const unsigned char *data, size_t len)
{
	r->data = data;
	r->len = data != NULL ? len : 0;
}

const char *jg_der_reason(int result)
{
	static const char *const reasons[] = {
		[JG_DER_OK] = "no error",
		[JG_DER_END] = "value missing at the end",
		[JG_DER_TRUNCATED] = "truncated header",
		[JG_DER_BAD_TAG] = "multi-byte tag",
		[JG_DER_INDEFINITE] = "indefinite length (BER, not DER)",
		[JG_DER_NON_MINIMAL] = "length not in its shortest form",
		[JG_DER_BAD_LENGTH] = "length field too long",
		[JG_DER_OVERLONG] = "length past the end",
		[JG_DER_UNEXPECTED] = "unexpected tag",
		[JG_DER_BAD_VALUE] = "invalid value",
		[JG_DER_TRAILING] = "unexpected data after the last field",
	};
	if (result < 0 || (size_t)result >= sizeof reasons / sizeof reasons[0])
		return "unknown error";
	return reasons[result];
}

int jg_der_at_end(const jg_der_reader *r)
{
	return r->len == 0;
}

int jg_der_expect_end(const jg_der_reader *r)
{
	return r->len == 0 ? JG_DER_OK : JG_DER_TRAILING;
}

int jg_der_peek_tag(const jg_der_reader *r)
{
	return r->len > 0 ? r->data[0] : -1;
}

/* Decode the length field at p[0..left); sets *value and *size (bytes of the field). */
static int read_length(const unsigned char *p, size_t left, size_t *value, size_t *size)
{
	if (left < 1)
		return JG_DER_TRUNCATED;
	if (p[0] < 0x80) {
		*value = p[0];
		*size = 1;
		return JG_DER_OK;
	}
	if (p[0] == 0x80)
		return JG_DER_INDEFINITE;
	size_t count = p[0] & 0x7Fu;
	if (count > 4)
		return JG_DER_BAD_LENGTH;
	if (left - 1 < count)
		return JG_DER_TRUNCATED;
	if (p[1] == 0)
		return JG_DER_NON_MINIMAL;
	size_t len = 0;
	for (size_t i = 1; i <= count; i++)
		len = (len << 8) | p[i];
	if (len < 0x80)
		return JG_DER_NON_MINIMAL;
	*value = len;
	*size = 1 + count;
	return JG_DER_OK;
}

/*
 * The one header reader: the tag and length of the TLV at p[0..left), its header size in
 * *header. Only the header need be there. JG_DER_TRUNCATED when the bytes end inside it, and a
 * verdict reached on some bytes never changes with more of them.
 */
static int read_header(const unsigned char *p, size_t left, unsigned *tag, size_t *value_len,
	size_t *header)
{
	if (left == 0)
		return JG_DER_TRUNCATED;
	if ((p[0] & 0x1Fu) == 0x1Fu)
		return JG_DER_BAD_TAG;
	size_t length_size = 0;
	int result = read_length(p + 1, left - 1, value_len, &length_size);
	if (result != JG_DER_OK)
		return result;
	*tag = p[0];
	*header = 1 + length_size;
	return JG_DER_OK;
}

int jg_der_read_header(const unsigned char *data, size_t len, unsigned *tag, size_t *value_len)
{
	size_t header = 0;
	int result = read_header(data, len, tag, value_len, &header);
	if (result == JG_DER_TRUNCATED)
		return -2;
	return result == JG_DER_OK ? (int)header : -1;
}

int jg_der_read(jg_der_reader *r, jg_der_tlv *tlv)
{
	if (r->len == 0)
		return JG_DER_END;
	unsigned tag = 0;
	size_t value_len = 0, header = 0;
	int result = read_header(r->data, r->len, &tag, &value_len, &header);
	if (result != JG_DER_OK)
		return result;
	if (value_len > r->len - header)
		return JG_DER_OVERLONG;
	tlv->tag = tag;
	tlv->value.data = r->data + header;
	tlv->value.len = value_len;
	tlv->whole.data = r->data;
	tlv->whole.len = header + value_len;
	r->data += tlv->whole.len;
	r->len -= tlv->whole.len;
	return JG_DER_OK;
}

int jg_der_read_expect(jg_der_reader *r, unsigned tag, jg_der_tlv *tlv)
{
	jg_der_reader saved = *r;
	int result = jg_der_read(r, tlv);
	if (result == JG_DER_OK && tlv->tag != tag) {
		*r = saved;
		return JG_DER_UNEXPECTED;
	}
	return result;
}

int jg_der_enter(jg_der_reader *r, unsigned tag, jg_der_reader *inner)
{
	jg_der_tlv tlv;
	int result = jg_der_read_expect(r, tag, &tlv);
	if (result == JG_DER_OK)
		jg_der_reader_init(inner, tlv.value.data, tlv.value.len);
	return result;
}

int jg_der_skip(jg_der_reader *r)
{
	jg_der_tlv tlv;
	return jg_der_read(r, &tlv);
}

/* Parse `count` ASCII digits at text; -1 when one is not a digit. */
static long parse_digits(const unsigned char *text, int count)
{
	long value = 0;
	for (int i = 0; i < count; i++) {
		if (text[i] < '0' || text[i] > '9')
			return -1;
		value = value * 10 + (text[i] - '0');
	}
	return value;
}

int jg_der_read_time(const jg_der_tlv *tlv, int64_t *epoch_seconds)
{
	const unsigned char *text = tlv->value.data;
	size_t len = tlv->value.len;
	long year;
	if (tlv->tag == JG_DER_UTC_TIME && len == 13) {
		year = parse_digits(text, 2);
		if (year >= 0)
			year += year < 50 ? 2000 : 1900;
		text += 2;
	} else if (tlv->tag == JG_DER_GENERALIZED_TIME && len == 15) {
		year = parse_digits(text, 4);
		text += 4;
	} else {
		return tlv->tag == JG_DER_UTC_TIME || tlv->tag == JG_DER_GENERALIZED_TIME
			? JG_DER_BAD_VALUE : JG_DER_UNEXPECTED;
	}
	long month = parse_digits(text, 2), day = parse_digits(text + 2, 2);
	long hour = parse_digits(text + 4, 2), minute = parse_digits(text + 6, 2);
	long second = parse_digits(text + 8, 2);
	if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 ||
		minute < 0 || minute > 59 || second < 0 || second > 59 || text[10] != 'Z' ||
		(unsigned long)day > days_in_month(year, (unsigned)month))
		return JG_DER_BAD_VALUE;
	int64_t days = jg_days_from_date(year, (unsigned)month, (unsigned)day);
	*epoch_seconds = days * 86400 + hour * 3600 + minute * 60 + second;
	return JG_DER_OK;
}

/* Append the decimal arc to out at *used; 0 when it does not fit. */
static int append_arc(char *out, size_t cap, size_t *used, uint64_t arc, int first)
{
	int n = snprintf(out + *used, cap - *used, first ? "%" PRIu64 : ".%" PRIu64, arc);
	if (n < 0 || (size_t)n >= cap - *used)
		return 0;
	*used += (size_t)n;
	return 1;
}

int jg_der_oid_text(const unsigned char *oid, size_t len, char *out, size_t cap)
{
	if (cap == 0)
		return JG_DER_BAD_VALUE;
	out[0] = '\0';
	if (len == 0 || (oid[len - 1] & 0x80) != 0)
		return JG_DER_BAD_VALUE;
	size_t used = 0;
	uint64_t arc = 0;
	int first = 1, ok = 1;
	for (size_t i = 0; i < len && ok; i++) {
		if (arc == 0 && oid[i] == 0x80)
			ok = 0; /* an arc may not start with a zero septet */
		if (arc > (UINT64_MAX >> 7))
			ok = 0;
		arc = (arc << 7) | (oid[i] & 0x7Fu);
		if (ok && (oid[i] & 0x80) == 0) {
			if (first) {
				uint64_t top = arc < 40 ? 0 : arc < 80 ? 1 : 2;
				ok = append_arc(out, cap, &used, top, 1) &&
					append_arc(out, cap, &used, arc - 40 * top, 0);
				first = 0;
			} else {
				ok = append_arc(out, cap, &used, arc, 0);
			}
			arc = 0;
		}
	}
	if (!ok) {
		out[0] = '\0';
		return JG_DER_BAD_VALUE;
	}
	return JG_DER_OK;
}
