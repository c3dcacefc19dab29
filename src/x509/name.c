/*
 * Names as text (RFC 4514 order and escapes), and the UTF-8 rules for the text of a name.
 */
#include "x509/name.h"

#include "base/utf8.h"

#include <string.h>

/*
 * The attribute types a name shows by their short names, as OpenSSL prints them: the common
 * ones, and those of EV and eIDAS certificates. Other types show as their dotted OID.
 */
static const struct {
	unsigned char oid[11];
	size_t len;
	const char *name;
} attribute_names[] = {
	{ { 0x55, 0x04, 0x03 }, 3, "CN" },
	{ { 0x55, 0x04, 0x04 }, 3, "SN" },
	{ { 0x55, 0x04, 0x05 }, 3, "serialNumber" },
	{ { 0x55, 0x04, 0x06 }, 3, "C" },
	{ { 0x55, 0x04, 0x07 }, 3, "L" },
	{ { 0x55, 0x04, 0x08 }, 3, "ST" },
	{ { 0x55, 0x04, 0x09 }, 3, "street" },
	{ { 0x55, 0x04, 0x0A }, 3, "O" },
	{ { 0x55, 0x04, 0x0B }, 3, "OU" },
	{ { 0x55, 0x04, 0x0C }, 3, "title" },
	{ { 0x55, 0x04, 0x0F }, 3, "businessCategory" },
	{ { 0x55, 0x04, 0x11 }, 3, "postalCode" },
	{ { 0x55, 0x04, 0x2A }, 3, "GN" },
	{ { 0x55, 0x04, 0x61 }, 3, "organizationIdentifier" },
	{ { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x01 }, 9, "emailAddress" },
	{ { 0x09, 0x92, 0x26, 0x89, 0x93, 0xF2, 0x2C, 0x64, 0x01, 0x01 }, 10, "UID" },
	{ { 0x09, 0x92, 0x26, 0x89, 0x93, 0xF2, 0x2C, 0x64, 0x01, 0x19 }, 10, "DC" },
	{ { 0x2B, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x3C, 0x02, 0x01, 0x01 }, 11, "jurisdictionL" },
	{ { 0x2B, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x3C, 0x02, 0x01, 0x02 }, 11, "jurisdictionST" },
	{ { 0x2B, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x3C, 0x02, 0x01, 0x03 }, 11, "jurisdictionC" },
};

/* Most RDNs a name may have; real names have fewer than ten. */
#define NAME_MAX_RDNS 32

/* A name that does not read as DER: the message the certificate parser gives for it. */
static jg_status malformed_name(jg_error *err, const char *where, int result)
{
	return jg_fail(err, JG_ERR_INPUT, "certificate is malformed: %s: %s", where,
		jg_der_reason(result));
}

/* --- UTF-8 ------------------------------------------------------------------------------- */

/*
 * The code point of the UTF-8 sequence at s[0..len) and its size in *used, or -1 for an
 * invalid one (bad continuation, overlong form, surrogate, beyond U+10FFFF).
 */
/* Characters a terminal would act on: C0 controls, DEL and C1 controls. */
int jg_name_is_control(long code)
{
	return code < 0x20 || (code >= 0x7F && code < 0xA0);
}

/*
 * Invisible characters that change how the text around them reads: zero-width spaces and
 * joiners, the bidirectional marks, embeddings, overrides and isolates (U+202E can make a
 * name display backwards), and the byte order mark.
 */
static int is_format_control(long code)
{
	return (code >= 0x200B && code <= 0x200F) || (code >= 0x202A && code <= 0x202E) ||
		(code >= 0x2066 && code <= 0x2069) || code == 0xFEFF;
}

/* --- names as text ----------------------------------------------------------------------- */

/* A bounded text under construction; a piece that does not fit ends it with "...". */
typedef struct text_builder {
	char *buf;
	size_t cap; /* at least 4: room for "..." and the NUL */
	size_t len;
	int full;
} text_builder;

static void text_init(text_builder *t, char *buf, size_t cap)
{
	t->buf = buf;
	t->cap = cap;
	t->len = 0;
	t->full = 0;
	buf[0] = '\0';
}

static void text_append(text_builder *t, const char *piece, size_t len)
{
	if (t->full)
		return;
	if (len > t->cap - 4 - t->len) {
		memcpy(t->buf + t->len, "...", 4);
		t->len += 3;
		t->full = 1;
		return;
	}
	memcpy(t->buf + t->len, piece, len);
	t->len += len;
	t->buf[t->len] = '\0';
}

static void text_append_string(text_builder *t, const char *s)
{
	text_append(t, s, strlen(s));
}

/* Two uppercase hex digits of a byte. */
static void hex_pair(unsigned byte, char out[2])
{
	static const char digits[] = "0123456789ABCDEF";
	out[0] = digits[(byte >> 4) & 0x0F];
	out[1] = digits[byte & 0x0F];
}

/* A byte as "\XX", the RFC 4514 escape for what cannot be shown as is. */
static void text_append_byte_escape(text_builder *t, unsigned byte)
{
	char escape[3] = { '\\' };
	hex_pair(byte, escape + 1);
	text_append(t, escape, sizeof escape);
}

/*
 * One character of an attribute value: , + " \ < > ; escaped with a backslash as RFC 4514
 * says; controls, and the UTF-8 bytes of format controls, as \XX hex; the rest in UTF-8.
 */
static void text_append_code_point(text_builder *t, long code)
{
	char piece[8];
	size_t len = 0;
	if (code >= 0 && code < 0x80 && strchr(",+\"\\<>;", (int)code) != NULL && code != 0) {
		piece[len++] = '\\';
		piece[len++] = (char)code;
	} else if (code < 0 || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
		text_append(t, "\xEF\xBF\xBD", 3); /* U+FFFD, the replacement character */
		return;
	} else if (jg_name_is_control(code)) {
		text_append_byte_escape(t, (unsigned)code); /* C0 and C1 controls are below 0x100 */
		return;
	} else if (code < 0x80) {
		piece[len++] = (char)code;
	} else if (code < 0x800) {
		piece[len++] = (char)(0xC0 | (code >> 6));
		piece[len++] = (char)(0x80 | (code & 0x3F));
	} else if (code < 0x10000) {
		piece[len++] = (char)(0xE0 | (code >> 12));
		piece[len++] = (char)(0x80 | ((code >> 6) & 0x3F));
		piece[len++] = (char)(0x80 | (code & 0x3F));
	} else {
		piece[len++] = (char)(0xF0 | (code >> 18));
		piece[len++] = (char)(0x80 | ((code >> 12) & 0x3F));
		piece[len++] = (char)(0x80 | ((code >> 6) & 0x3F));
		piece[len++] = (char)(0x80 | (code & 0x3F));
	}
	if (is_format_control(code)) {
		for (size_t i = 0; i < len; i++)
			text_append_byte_escape(t, (unsigned char)piece[i]);
		return;
	}
	text_append(t, piece, len);
}

static void text_append_hex(text_builder *t, const unsigned char *bytes, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char pair[2];
		hex_pair(bytes[i], pair);
		text_append(t, pair, sizeof pair);
	}
}

/*
 * The next character of a string value p[0..len) of DER type `tag`, its size in *used, or -1
 * for a byte that does not decode (then *used is 1). UTF8String is decoded; PrintableString,
 * IA5String and VisibleString are ASCII; TeletexString is read as Latin-1, as OpenSSL does;
 * BMPString is UCS-2 and UniversalString UCS-4, both big-endian.
 */
static long next_code_point(unsigned tag, const unsigned char *p, size_t len, size_t *used)
{
	long code;
	*used = 1;
	switch (tag) {
	case JG_DER_UTF8_STRING:
		code = jg_utf8_decode(p, len, used);
		if (code < 0)
			*used = 1;
		return code;
	case JG_DER_TELETEX_STRING:
		return p[0];
	case JG_DER_BMP_STRING:
		*used = 2;
		return (long)p[0] << 8 | p[1];
	case JG_DER_UNIVERSAL_STRING: {
		*used = 4;
		uint32_t wide = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
		return wide <= 0x10FFFF ? (long)wide : 0xFFFD;
	}
	default:
		return p[0] < 0x80 ? p[0] : -1;
	}
}

/* The size of one character of a string type we show as text, 0 for other types. */
static size_t code_unit_size(unsigned tag)
{
	switch (tag) {
	case JG_DER_UTF8_STRING:
	case JG_DER_PRINTABLE_STRING:
	case JG_DER_TELETEX_STRING:
	case JG_DER_IA5_STRING:
	case JG_DER_VISIBLE_STRING:
		return 1;
	case JG_DER_BMP_STRING:
		return 2;
	case JG_DER_UNIVERSAL_STRING:
		return 4;
	default:
		return 0;
	}
}

/* An attribute value as text; a type we cannot show is "#" and the hex of its DER (RFC 4514). */
static void text_append_value(text_builder *t, const jg_der_tlv *value)
{
	size_t unit = code_unit_size(value->tag);
	if (unit == 0 || value->value.len % unit != 0) {
		text_append(t, "#", 1);
		text_append_hex(t, value->whole.data, value->whole.len);
		return;
	}
	const unsigned char *p = value->value.data;
	size_t len = value->value.len;
	for (size_t i = 0, used; i < len; i += used) {
		long code = next_code_point(value->tag, p + i, len - i, &used);
		if (code >= 0)
			text_append_code_point(t, code);
		else
			text_append_byte_escape(t, p[i]);
	}
}

/* The short name of an attribute type (*named set), or its dotted OID (*named cleared). */
static int text_append_attribute_type(text_builder *t, jg_der_span oid, int *named)
{
	for (size_t i = 0; i < sizeof attribute_names / sizeof attribute_names[0]; i++) {
		if (jg_der_span_equals(oid, attribute_names[i].oid, attribute_names[i].len)) {
			text_append_string(t, attribute_names[i].name);
			*named = 1;
			return JG_DER_OK;
		}
	}
	char dotted[128];
	*named = 0;
	int result = jg_der_oid_text(oid.data, oid.len, dotted, sizeof dotted);
	if (result == JG_DER_OK)
		text_append_string(t, dotted);
	return result;
}

/*
 * One AttributeTypeAndValue ::= SEQUENCE { type OID, value ANY }, as "TYPE=value"; a type
 * shown as a dotted OID has its value as "#" and the hex of its DER, as RFC 4514 2.4 says.
 */
static jg_status append_attribute(text_builder *t, jg_der_reader *set, jg_error *err)
{
	jg_der_reader attribute;
	jg_der_tlv type, value;
	int named = 0;
	int result = jg_der_enter(set, JG_DER_SEQUENCE, &attribute);
	if (result == JG_DER_OK)
		result = jg_der_read_expect(&attribute, JG_DER_OID, &type);
	if (result == JG_DER_OK)
		result = jg_der_read(&attribute, &value);
	if (result == JG_DER_OK)
		result = jg_der_expect_end(&attribute);
	if (result == JG_DER_OK)
		result = text_append_attribute_type(t, type.value, &named);
	if (result != JG_DER_OK)
		return malformed_name(err, "name attribute", result);
	text_append(t, "=", 1);
	if (named) {
		text_append_value(t, &value);
	} else {
		text_append(t, "#", 1);
		text_append_hex(t, value.whole.data, value.whole.len);
	}
	return JG_OK;
}

/* One RelativeDistinguishedName ::= SET OF AttributeTypeAndValue (at least one), "+"-joined. */
static jg_status append_rdn(text_builder *t, jg_der_span rdn, jg_error *err)
{
	jg_der_reader set;
	jg_der_reader_init(&set, rdn.data, rdn.len);
	if (jg_der_at_end(&set))
		return jg_fail(err, JG_ERR_INPUT, "certificate is malformed: a name has an empty part");
	for (int first = 1; !jg_der_at_end(&set); first = 0) {
		if (!first)
			text_append(t, "+", 1);
		jg_status status = append_attribute(t, &set, err);
		if (status != JG_OK)
			return status;
	}
	return JG_OK;
}

/* Name ::= SEQUENCE OF RDN, written last RDN first as RFC 4514 does: "CN=x, O=y, C=z". */
jg_status jg_name_text(jg_der_span name, char *out, size_t cap, jg_error *err)
{
	jg_der_span rdns[NAME_MAX_RDNS];
	size_t count = 0;
	jg_der_reader r;
	jg_der_reader_init(&r, name.data, name.len);
	while (!jg_der_at_end(&r)) {
		jg_der_tlv set;
		int result = jg_der_read_expect(&r, JG_DER_SET, &set);
		if (result != JG_DER_OK)
			return malformed_name(err, "name", result);
		if (count == NAME_MAX_RDNS)
			return jg_fail(err, JG_ERR_INPUT,
				"certificate is malformed: a name has more than 32 parts");
		rdns[count++] = set.value;
	}
	text_builder t;
	text_init(&t, out, cap);
	for (size_t i = count; i-- > 0;) {
		if (i != count - 1)
			text_append(&t, ", ", 2);
		jg_status status = append_rdn(&t, rdns[i], err);
		if (status != JG_OK)
			return status;
	}
	return JG_OK;
}
