#include "x509/cert.h"

#include <string.h>

#include "base/wipe.h"
#include "crypto/pem.h"

/* Object identifiers, as encoded OID content bytes. */
static const unsigned char oid_rsa_encryption[] = {           /* 1.2.840.113549.1.1.1 */
	0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01
};
static const unsigned char oid_sha256_with_rsa[] = {          /* 1.2.840.113549.1.1.11 */
	0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B
};
static const unsigned char oid_ec_public_key[] = {            /* 1.2.840.10045.2.1 */
	0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01
};
static const unsigned char oid_common_name[] = { 0x55, 0x04, 0x03 };       /* 2.5.4.3 */
static const unsigned char oid_organization[] = { 0x55, 0x04, 0x0A };      /* 2.5.4.10 */
static const unsigned char oid_basic_constraints[] = { 0x55, 0x1D, 0x13 }; /* 2.5.29.19 */
static const unsigned char oid_key_usage[] = { 0x55, 0x1D, 0x0F };         /* 2.5.29.15 */
static const unsigned char oid_subject_key_id[] = { 0x55, 0x1D, 0x0E };    /* 2.5.29.14 */

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

/* The named curves we know for EC keys, and their size. */
static const struct {
	unsigned char oid[8];
	size_t len;
	unsigned bits;
} curve_sizes[] = {
	{ { 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07 }, 8, 256 }, /* P-256 */
	{ { 0x2B, 0x81, 0x04, 0x00, 0x22 }, 5, 384 },                   /* P-384 */
	{ { 0x2B, 0x81, 0x04, 0x00, 0x23 }, 5, 521 },                   /* P-521 */
};

/* Most RDNs a name may have; real names have fewer than ten. */
#define NAME_MAX_RDNS 32

static int span_equals(jg_der_span span, const unsigned char *bytes, size_t len)
{
	return span.len == len && (len == 0 || memcmp(span.data, bytes, len) == 0);
}

static jg_status malformed(jg_error *err, const char *where, int result)
{
	return jg_fail(err, JG_ERR_INPUT, "certificate is malformed: %s: %s", where,
		jg_der_reason(result));
}

static jg_status malformed_because(jg_error *err, const char *why)
{
	return jg_fail(err, JG_ERR_INPUT, "certificate is malformed: %s", why);
}

/* --- UTF-8 ------------------------------------------------------------------------------- */

/*
 * The code point of the UTF-8 sequence at s[0..len) and its size in *used, or -1 for an
 * invalid one (bad continuation, overlong form, surrogate, beyond U+10FFFF).
 */
static long decode_utf8(const unsigned char *s, size_t len, size_t *used)
{
	size_t count;
	long code, smallest;
	if (s[0] < 0x80) {
		*used = 1;
		return s[0];
	} else if ((s[0] & 0xE0) == 0xC0) {
		count = 2, code = s[0] & 0x1F, smallest = 0x80;
	} else if ((s[0] & 0xF0) == 0xE0) {
		count = 3, code = s[0] & 0x0F, smallest = 0x800;
	} else if ((s[0] & 0xF8) == 0xF0) {
		count = 4, code = s[0] & 0x07, smallest = 0x10000;
	} else {
		return -1;
	}
	if (len < count)
		return -1;
	for (size_t i = 1; i < count; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return -1;
		code = (code << 6) | (s[i] & 0x3F);
	}
	if (code < smallest || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
		return -1;
	*used = count;
	return code;
}

/* Characters a terminal would act on: C0 controls, DEL and C1 controls. */
static int is_control(long code)
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
	} else if (is_control(code)) {
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
		code = decode_utf8(p, len, used);
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
		if (span_equals(oid, attribute_names[i].oid, attribute_names[i].len)) {
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
		return malformed(err, "name attribute", result);
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
		return malformed_because(err, "a name has an empty part");
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
static jg_status parse_name(jg_der_span name, char *out, size_t cap, jg_error *err)
{
	jg_der_span rdns[NAME_MAX_RDNS];
	size_t count = 0;
	jg_der_reader r;
	jg_der_reader_init(&r, name.data, name.len);
	while (!jg_der_at_end(&r)) {
		jg_der_tlv set;
		int result = jg_der_read_expect(&r, JG_DER_SET, &set);
		if (result != JG_DER_OK)
			return malformed(err, "name", result);
		if (count == NAME_MAX_RDNS)
			return malformed_because(err, "a name has more than 32 parts");
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

/* --- the walk ---------------------------------------------------------------------------- */

/* The TBSCertificate's fields by their tags, in order (the header comment's layout). */
static const struct {
	unsigned tag;
	int optional;
} tbs_fields[JG_CERT_FIELD_COUNT] = {
	[JG_CERT_VERSION] = { JG_DER_CONTEXT(0), 1 },
	[JG_CERT_SERIAL] = { JG_DER_INTEGER, 0 },
	[JG_CERT_SIGNATURE] = { JG_DER_SEQUENCE, 0 },
	[JG_CERT_ISSUER] = { JG_DER_SEQUENCE, 0 },
	[JG_CERT_VALIDITY] = { JG_DER_SEQUENCE, 0 },
	[JG_CERT_SUBJECT] = { JG_DER_SEQUENCE, 0 },
	[JG_CERT_SPKI] = { JG_DER_SEQUENCE, 0 },
	[JG_CERT_ISSUER_UID] = { JG_DER_CONTEXT_PRIMITIVE(1), 1 },
	[JG_CERT_SUBJECT_UID] = { JG_DER_CONTEXT_PRIMITIVE(2), 1 },
	[JG_CERT_EXTENSIONS] = { JG_DER_CONTEXT(3), 1 },
};

/* A walk over the start of a certificate cannot tell yet: more bytes are needed. */
#define WALK_MORE (-2)

/*
 * The field `which` from tbs, the TBSCertificate's contents at hand, `missing` more bytes of
 * which are still to come (0 for a whole certificate). An absent optional field leaves *out
 * zeroed. WALK_MORE when only the missing bytes can tell.
 */
static int read_field(jg_der_reader *tbs, size_t missing, jg_cert_field which, jg_der_tlv *out)
{
	unsigned tag = tbs_fields[which].tag;
	int next = jg_der_peek_tag(tbs);
	memset(out, 0, sizeof *out);
	if (next < 0 && missing > 0)
		return WALK_MORE;
	if (tbs_fields[which].optional && next != (int)tag)
		return JG_DER_OK;
	if (missing > 0) {
		unsigned header_tag = 0;
		size_t value_len = 0;
		int header = jg_der_read_header(tbs->data, tbs->len, &header_tag, &value_len);
		if (header == -2)
			return WALK_MORE;
		if (header > 0 && header_tag == tag && value_len > tbs->len - (size_t)header)
			return value_len - (tbs->len - (size_t)header) <= missing ? WALK_MORE
				: JG_DER_OVERLONG;
	}
	return jg_der_read_expect(tbs, tag, out);
}

/* The fields up to `last` into f; f->stop says where a failure happened. */
static int walk_fields(jg_der_reader *tbs, size_t missing, jg_cert_field last,
	jg_cert_fields *f)
{
	for (int i = 0; i <= (int)last; i++) {
		f->stop = i;
		int result = read_field(tbs, missing, (jg_cert_field)i, &f->field[i]);
		if (result != JG_DER_OK)
			return result;
	}
	return JG_DER_OK;
}

int jg_cert_walk(const unsigned char *der, size_t len, jg_cert_fields *f)
{
	jg_der_reader top, cert, tbs;
	memset(f, 0, sizeof *f);
	f->stop = JG_CERT_AT_ENVELOPE;
	jg_der_reader_init(&top, der, len);
	int result = jg_der_enter(&top, JG_DER_SEQUENCE, &cert);
	if (result == JG_DER_OK)
		result = jg_der_expect_end(&top);
	if (result == JG_DER_OK)
		result = jg_der_read_expect(&cert, JG_DER_SEQUENCE, &f->tbs);
	if (result != JG_DER_OK)
		return result;
	jg_der_reader_init(&tbs, f->tbs.value.data, f->tbs.value.len);
	result = walk_fields(&tbs, 0, JG_CERT_EXTENSIONS, f);
	if (result != JG_DER_OK)
		return result;
	f->stop = JG_CERT_AT_TBS_END;
	result = jg_der_expect_end(&tbs);
	if (result != JG_DER_OK)
		return result;
	f->stop = JG_CERT_AT_TAIL;
	result = jg_der_read_expect(&cert, JG_DER_SEQUENCE, &f->signature_algorithm);
	if (result == JG_DER_OK)
		result = jg_der_read_expect(&cert, JG_DER_BIT_STRING, &f->signature_value);
	if (result == JG_DER_OK)
		result = jg_der_expect_end(&cert);
	return result;
}

int jg_cert_walk_start(const unsigned char *der, size_t len, jg_cert_field last,
	jg_cert_fields *f)
{
	unsigned tag = 0;
	size_t cert_len = 0, tbs_len = 0;
	memset(f, 0, sizeof *f);
	f->stop = JG_CERT_AT_ENVELOPE;
	int cert_header = jg_der_read_header(der, len, &tag, &cert_len);
	if (cert_header < 0 || tag != JG_DER_SEQUENCE)
		return cert_header < 0 ? cert_header : -1;
	size_t at = (size_t)cert_header;
	int tbs_header = jg_der_read_header(der + at, len - at, &tag, &tbs_len);
	if (tbs_header < 0 || tag != JG_DER_SEQUENCE)
		return tbs_header < 0 ? tbs_header : -1;
	if ((size_t)tbs_header > cert_len || tbs_len > cert_len - (size_t)tbs_header)
		return -1;
	at += (size_t)tbs_header;
	size_t at_hand = len - at < tbs_len ? len - at : tbs_len;
	jg_der_reader tbs;
	jg_der_reader_init(&tbs, der + at, at_hand);
	int result = walk_fields(&tbs, tbs_len - at_hand, last, f);
	return result == JG_DER_OK ? 0 : result == WALK_MORE ? -2 : -1;
}

int jg_cert_extensions(const jg_cert_fields *f, jg_der_reader *list)
{
	const jg_der_tlv *extensions = &f->field[JG_CERT_EXTENSIONS];
	jg_der_reader wrapper;
	jg_der_reader_init(list, NULL, 0);
	if (extensions->whole.data == NULL)
		return JG_DER_OK;
	jg_der_reader_init(&wrapper, extensions->value.data, extensions->value.len);
	int result = jg_der_enter(&wrapper, JG_DER_SEQUENCE, list);
	if (result == JG_DER_OK)
		result = jg_der_expect_end(&wrapper);
	return result;
}

int jg_cert_next_extension(jg_der_reader *list, jg_cert_extension *ext)
{
	jg_der_reader extension;
	jg_der_tlv id, field;
	memset(ext, 0, sizeof *ext);
	int result = jg_der_enter(list, JG_DER_SEQUENCE, &extension);
	if (result == JG_DER_OK)
		result = jg_der_read_expect(&extension, JG_DER_OID, &id);
	if (result == JG_DER_OK && jg_der_peek_tag(&extension) == JG_DER_BOOLEAN) {
		result = jg_der_read(&extension, &field);
		if (result == JG_DER_OK && field.value.len != 1)
			result = JG_DER_BAD_VALUE;
		if (result == JG_DER_OK)
			ext->critical = field.value.data[0] != 0;
	}
	if (result == JG_DER_OK)
		result = jg_der_read_expect(&extension, JG_DER_OCTET_STRING, &field);
	if (result == JG_DER_OK)
		result = jg_der_expect_end(&extension);
	if (result == JG_DER_OK) {
		ext->oid = id.value;
		ext->value = field.value;
	}
	return result;
}

int jg_cert_find_extension(const jg_cert_fields *f, const unsigned char *oid, size_t oid_len,
	jg_cert_extension *ext)
{
	jg_der_reader list;
	int result = jg_cert_extensions(f, &list);
	while (result == JG_DER_OK) {
		if (jg_der_at_end(&list))
			return JG_DER_END;
		result = jg_cert_next_extension(&list, ext);
		if (result == JG_DER_OK && span_equals(ext->oid, oid, oid_len))
			return JG_DER_OK;
	}
	return result;
}

/* --- parsing ----------------------------------------------------------------------------- */

/* The part of the certificate a walk stopped in, as the parser's messages name it. */
static const char *stop_name(int stop)
{
	static const char *const names[] = {
		[JG_CERT_VERSION] = "version",
		[JG_CERT_SERIAL] = "serial number",
		[JG_CERT_SIGNATURE] = "signature algorithm",
		[JG_CERT_ISSUER] = "issuer",
		[JG_CERT_VALIDITY] = "validity",
		[JG_CERT_SUBJECT] = "subject",
		[JG_CERT_SPKI] = "public key",
		[JG_CERT_ISSUER_UID] = "extensions",
		[JG_CERT_SUBJECT_UID] = "extensions",
		[JG_CERT_EXTENSIONS] = "extensions",
		[JG_CERT_AT_TBS_END] = "extensions",
		[JG_CERT_AT_TAIL] = "signature",
	};
	if (stop < 0 || (size_t)stop >= sizeof names / sizeof names[0])
		return "certificate";
	return names[stop];
}

/* A reader over the contents of a field the walk found. */
static void read_contents(jg_der_reader *r, const jg_der_tlv *field)
{
	jg_der_reader_init(r, field->value.data, field->value.len);
}

/*
 * AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL }, the TLV `whole`
 * found by the walk: *oid gets the OID bytes, *params the parameters (params->whole.data NULL
 * when absent).
 */
static int read_algorithm(const jg_der_tlv *whole, jg_der_span *oid, jg_der_tlv *params)
{
	jg_der_reader inner;
	jg_der_tlv oid_tlv;
	int result = JG_DER_OK;
	memset(params, 0, sizeof *params);
	read_contents(&inner, whole);
	result = jg_der_read_expect(&inner, JG_DER_OID, &oid_tlv);
	if (result != JG_DER_OK)
		return result;
	*oid = oid_tlv.value;
	if (!jg_der_at_end(&inner))
		result = jg_der_read(&inner, params);
	if (result != JG_DER_OK)
		return result;
	return jg_der_expect_end(&inner);
}

/* version [0] EXPLICIT INTEGER { v1(0), v2(1), v3(2) } DEFAULT v1. */
static jg_status parse_version(const jg_der_tlv *field, int *version, jg_error *err)
{
	*version = 1;
	if (field->whole.data == NULL)
		return JG_OK;
	jg_der_reader explicit;
	jg_der_tlv number;
	read_contents(&explicit, field);
	int result = jg_der_read_expect(&explicit, JG_DER_INTEGER, &number);
	if (result == JG_DER_OK)
		result = jg_der_expect_end(&explicit);
	if (result != JG_DER_OK)
		return malformed(err, "version", result);
	if (number.value.len != 1 || number.value.data[0] > 2)
		return malformed_because(err, "unknown version");
	*version = number.value.data[0] + 1;
	return JG_OK;
}

/* Validity ::= SEQUENCE { notBefore Time, notAfter Time }. */
static jg_status parse_validity(const jg_der_tlv *field, jg_cert_info *info, jg_error *err)
{
	jg_der_reader validity;
	jg_der_tlv not_before, not_after;
	read_contents(&validity, field);
	int result = jg_der_read(&validity, &not_before);
	if (result == JG_DER_OK)
		result = jg_der_read(&validity, &not_after);
	if (result == JG_DER_OK)
		result = jg_der_expect_end(&validity);
	if (result == JG_DER_OK)
		result = jg_der_read_time(&not_before, &info->not_before);
	if (result == JG_DER_OK)
		result = jg_der_read_time(&not_after, &info->not_after);
	if (result != JG_DER_OK)
		return malformed(err, "validity", result);
	return JG_OK;
}

/* A positive INTEGER value without its leading zero bytes; 0 when negative or zero. */
static int strip_positive(jg_der_span value, jg_der_span *out)
{
	if (value.len == 0 || (value.data[0] & 0x80) != 0)
		return 0;
	while (value.len > 0 && value.data[0] == 0) {
		value.data++;
		value.len--;
	}
	*out = value;
	return value.len > 0;
}

/* Bits of a big-endian number whose first byte is not zero. */
static unsigned bit_length(jg_der_span number)
{
	unsigned bits = (unsigned)(number.len - 1) * 8;
	for (unsigned top = number.data[0]; top != 0; top >>= 1)
		bits++;
	return bits;
}

/*
 * RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }, the SPKI bits: both
 * numbers positive, without their leading zero bytes.
 */
static jg_status read_rsa_numbers(jg_der_span bits, jg_der_span *n, jg_der_span *e,
	jg_error *err)
{
	jg_der_reader outer, key;
	jg_der_tlv modulus, exponent;
	jg_der_reader_init(&outer, bits.data, bits.len);
	int result = jg_der_enter(&outer, JG_DER_SEQUENCE, &key);
	if (result == JG_DER_OK)
		result = jg_der_expect_end(&outer);
	if (result == JG_DER_OK)
		result = jg_der_read_expect(&key, JG_DER_INTEGER, &modulus);
	if (result == JG_DER_OK)
		result = jg_der_read_expect(&key, JG_DER_INTEGER, &exponent);
	if (result == JG_DER_OK)
		result = jg_der_expect_end(&key);
	if (result != JG_DER_OK)
		return malformed(err, "RSA public key", result);
	if (!strip_positive(modulus.value, n) || !strip_positive(exponent.value, e))
		return malformed_because(err, "RSA public key: a number is not positive");
	return JG_OK;
}

static jg_status parse_rsa_key(jg_der_span bits, jg_cert_info *info, jg_error *err)
{
	jg_status status = read_rsa_numbers(bits, &info->rsa_modulus, &info->rsa_exponent, err);
	if (status != JG_OK)
		return status;
	info->key_algorithm = JG_KEY_RSA;
	info->key_bits = bit_length(info->rsa_modulus);
	return JG_OK;
}

/* The index in curve_sizes of the named curve whose OID bytes are `oid`, or -1. */
static int find_curve(jg_der_span oid)
{
	for (size_t i = 0; i < sizeof curve_sizes / sizeof curve_sizes[0]; i++) {
		if (span_equals(oid, curve_sizes[i].oid, curve_sizes[i].len))
			return (int)i;
	}
	return -1;
}

/* The size of the named curve in EC parameters, 0 when not one we know. */
static unsigned curve_bits(const jg_der_tlv *params)
{
	if (params->whole.data == NULL || params->tag != JG_DER_OID)
		return 0;
	int curve = find_curve(params->value);
	return curve < 0 ? 0 : curve_sizes[curve].bits;
}

/* SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, key BIT STRING }. */
static jg_status parse_public_key(const jg_der_tlv *spki, jg_cert_info *info, jg_error *err)
{
	jg_der_reader r;
	jg_der_tlv algorithm, params, key;
	jg_der_span oid;
	read_contents(&r, spki);
	int result = jg_der_read_expect(&r, JG_DER_SEQUENCE, &algorithm);
	if (result == JG_DER_OK)
		result = read_algorithm(&algorithm, &oid, &params);
	if (result == JG_DER_OK)
		result = jg_der_read_expect(&r, JG_DER_BIT_STRING, &key);
	if (result == JG_DER_OK)
		result = jg_der_expect_end(&r);
	if (result != JG_DER_OK)
		return malformed(err, "public key", result);
	if (key.value.len < 1 || key.value.data[0] != 0)
		return malformed_because(err, "public key bits are not whole bytes");
	info->spki = spki->whole;
	jg_der_span bits = { key.value.data + 1, key.value.len - 1 };
	if (span_equals(oid, oid_rsa_encryption, sizeof oid_rsa_encryption))
		return parse_rsa_key(bits, info, err);
	if (span_equals(oid, oid_ec_public_key, sizeof oid_ec_public_key)) {
		info->key_algorithm = JG_KEY_EC;
		info->key_bits = curve_bits(&params);
	}
	return JG_OK;
}

/*
 * The end of a TBSCertificate: issuerUniqueID [1] and subjectUniqueID [2] (only from version
 * 2), then extensions [3] (only in version 3): a non-empty list of Extensions, each only
 * checked for well-formedness.
 */
static jg_status parse_extensions(const jg_cert_fields *f, int version, jg_error *err)
{
	if (version < 2 && (f->field[JG_CERT_ISSUER_UID].whole.data != NULL ||
		f->field[JG_CERT_SUBJECT_UID].whole.data != NULL))
		return malformed(err, "extensions", JG_DER_UNEXPECTED);
	if (f->field[JG_CERT_EXTENSIONS].whole.data == NULL)
		return JG_OK;
	if (version != 3)
		return malformed_because(err, "extensions in a certificate before version 3");
	jg_der_reader list;
	jg_cert_extension extension;
	int result = jg_cert_extensions(f, &list);
	if (result == JG_DER_OK && jg_der_at_end(&list))
		result = JG_DER_END;
	while (result == JG_DER_OK && !jg_der_at_end(&list))
		result = jg_cert_next_extension(&list, &extension);
	if (result != JG_DER_OK)
		return malformed(err, "extensions", result);
	return JG_OK;
}

/* The TBSCertificate's fields, in the order of the header comment. */
static jg_status parse_tbs(const jg_cert_fields *f, jg_cert_info *info, jg_error *err)
{
	jg_der_tlv params;
	jg_der_span oid;
	jg_status status = parse_version(&f->field[JG_CERT_VERSION], &info->version, err);
	if (status != JG_OK)
		return status;
	info->serial = f->field[JG_CERT_SERIAL].value;
	if (info->serial.len == 0)
		return malformed(err, "serial number", JG_DER_BAD_VALUE);
	int result = read_algorithm(&f->field[JG_CERT_SIGNATURE], &oid, &params);
	if (result != JG_DER_OK)
		return malformed(err, "signature algorithm", result);
	status = parse_name(f->field[JG_CERT_ISSUER].value, info->issuer, sizeof info->issuer,
		err);
	if (status == JG_OK)
		status = parse_validity(&f->field[JG_CERT_VALIDITY], info, err);
	if (status == JG_OK)
		status = parse_name(f->field[JG_CERT_SUBJECT].value, info->subject,
			sizeof info->subject, err);
	if (status == JG_OK)
		status = parse_public_key(&f->field[JG_CERT_SPKI], info, err);
	if (status == JG_OK)
		status = parse_extensions(f, info->version, err);
	return status;
}

/* The Certificate's tail: signatureAlgorithm, the same as the TBSCertificate's, and the
 * signatureValue in whole bytes. */
static jg_status parse_signature(const jg_cert_fields *f, jg_cert_info *info, jg_error *err)
{
	jg_der_tlv params;
	jg_der_span oid;
	const jg_der_tlv *algorithm = &f->signature_algorithm, *signature = &f->signature_value;
	int result = read_algorithm(algorithm, &oid, &params);
	if (result != JG_DER_OK)
		return malformed(err, "signature", result);
	const jg_der_span *tbs_algorithm = &f->field[JG_CERT_SIGNATURE].whole;
	if (!span_equals(algorithm->whole, tbs_algorithm->data, tbs_algorithm->len))
		return malformed_because(err, "the two signature algorithms differ");
	if (signature->value.len < 1 || signature->value.data[0] != 0)
		return malformed_because(err, "signature bits are not whole bytes");
	info->signature_algorithm = oid;
	info->signature.data = signature->value.data + 1;
	info->signature.len = signature->value.len - 1;
	return JG_OK;
}

jg_status jg_cert_parse(const unsigned char *der, size_t len, jg_cert_info *info,
	jg_error *err)
{
	jg_cert_fields f;
	memset(info, 0, sizeof *info);
	int result = jg_cert_walk(der, len, &f);
	if (result != JG_DER_OK)
		return malformed(err, stop_name(f.stop), result);
	info->tbs = f.tbs.whole;
	jg_status status = parse_tbs(&f, info, err);
	if (status == JG_OK)
		status = parse_signature(&f, info, err);
	return status;
}

/* --- reading PEM or DER ------------------------------------------------------------------ */

/* What the PEM walk found: the end of the first CERTIFICATE object, if any. */
typedef struct certificate_search {
	int found;
	jg_pem_event outcome; /* JG_PEM_OBJECT, JG_PEM_TOO_LARGE or JG_PEM_BROKEN */
	size_t len;
} certificate_search;

static int take_first_certificate(void *ctx, jg_pem_event event, const char *label,
	const unsigned char *der, size_t len)
{
	certificate_search *search = ctx;
	(void)label;
	(void)der;
	if (event == JG_PEM_BEGIN)
		return 0;
	search->found = 1;
	search->outcome = event;
	search->len = len;
	return 1;
}

/* DER input: exactly one SEQUENCE TLV (text that merely starts with "0" is not). */
static int is_one_der_sequence(const unsigned char *in, size_t len)
{
	jg_der_reader r;
	jg_der_tlv tlv;
	jg_der_reader_init(&r, in, len);
	return jg_der_read_expect(&r, JG_DER_SEQUENCE, &tlv) == JG_DER_OK && jg_der_at_end(&r);
}

jg_status jg_cert_from_bytes(const unsigned char *in, size_t len, unsigned char *der,
	size_t cap, size_t *der_len, jg_error *err)
{
	*der_len = 0;
	if (is_one_der_sequence(in, len)) {
		if (len > cap)
			return jg_fail(err, JG_ERR_INPUT, "certificate is larger than %zu bytes", cap);
		memcpy(der, in, len);
		*der_len = len;
		return JG_OK;
	}
	/* The bytes go straight into der; other objects of the file (a private key given by
	 * mistake) are not collected, and the decoder state is wiped at the end. */
	certificate_search search = { 0, JG_PEM_OBJECT, 0 };
	jg_pem_reader reader;
	jg_pem_reader_init(&reader, "CERTIFICATE", der, cap, take_first_certificate, &search);
	(void)jg_pem_reader_push(&reader, in, len);
	(void)jg_pem_reader_finish(&reader);
	if (!search.found)
		return jg_fail(err, JG_ERR_INPUT,
			"no certificate found: expected PEM with a BEGIN CERTIFICATE line, or DER");
	if (search.outcome == JG_PEM_BROKEN)
		return jg_fail(err, JG_ERR_INPUT, "certificate PEM is malformed: bad base64");
	if (search.outcome == JG_PEM_TOO_LARGE)
		return jg_fail(err, JG_ERR_INPUT, "certificate is larger than %zu bytes", cap);
	*der_len = search.len;
	return JG_OK;
}

/* --- signatures -------------------------------------------------------------------------- */

static void sha256(const unsigned char *data, size_t len, unsigned char out[32])
{
	br_sha256_context context;
	br_sha256_init(&context);
	br_sha256_update(&context, data, len);
	br_sha256_out(&context, out);
}

/* 1 when sig[0..sig_len) is a PKCS#1 v1.5 SHA-256 signature of `hash` under pk. */
static int rsa_sha256_verifies(const unsigned char *sig, size_t sig_len,
	const unsigned char hash[32], const br_rsa_public_key *pk)
{
	unsigned char recovered[32];
	br_rsa_pkcs1_vrfy verify = br_rsa_pkcs1_vrfy_get_default();
	return verify(sig, sig_len, BR_HASH_OID_SHA256, sizeof recovered, pk, recovered) == 1 &&
		memcmp(recovered, hash, sizeof recovered) == 0;
}

jg_status jg_cert_verify_self_signed(const jg_cert_info *info, jg_error *err)
{
	if (info->key_algorithm != JG_KEY_RSA)
		return jg_fail(err, JG_ERR_INPUT, "certificate signature: the key is not RSA");
	if (!span_equals(info->signature_algorithm, oid_sha256_with_rsa, sizeof oid_sha256_with_rsa))
		return jg_fail(err, JG_ERR_INPUT,
			"certificate signature: the algorithm is not sha256WithRSAEncryption");
	if (info->key_bits > JG_CERT_RSA_MAX_BITS)
		return jg_fail(err, JG_ERR_INPUT,
			"certificate signature: RSA keys above %d bits are not supported", JG_CERT_RSA_MAX_BITS);
	br_rsa_public_key pk = {
		(unsigned char *)info->rsa_modulus.data, info->rsa_modulus.len,
		(unsigned char *)info->rsa_exponent.data, info->rsa_exponent.len
	};
	unsigned char hash[32];
	sha256(info->tbs.data, info->tbs.len, hash);
	if (info->signature.len != (info->key_bits + 7) / 8 ||
		!rsa_sha256_verifies(info->signature.data, info->signature.len, hash, &pk))
		return jg_fail(err, JG_ERR_CHECK,
			"certificate signature does not verify with its own public key");
	return JG_OK;
}

/*
 * Sign tbs with req->sk into sig (room for JG_CERT_RSA_MAX_BITS bits), then check the signature
 * with req->pk: a mismatched public key, or a faulty CRT computation, fails here.
 */
static jg_status sign_tbs(const jg_cert_request *req, const unsigned char *tbs, size_t tbs_len,
	unsigned char *sig, size_t *sig_len, jg_error *err)
{
	unsigned char hash[32];
	sha256(tbs, tbs_len, hash);
	*sig_len = (req->sk->n_bitlen + 7) / 8;
	br_rsa_pkcs1_sign sign = br_rsa_pkcs1_sign_get_default();
	if (sign(BR_HASH_OID_SHA256, hash, sizeof hash, req->sk, sig) != 1)
		return jg_fail(err, JG_ERR_INPUT, "certificate: signing failed: the RSA key is invalid");
	if (!rsa_sha256_verifies(sig, *sig_len, hash, req->pk))
		return jg_fail(err, JG_ERR_INPUT,
			"certificate: the public key does not match the private key");
	return JG_OK;
}

/* --- writing ----------------------------------------------------------------------------- */

/* Text for a certificate name: valid UTF-8 without control characters, 1 to 64 characters. */
static jg_status check_name_text(const char *what, const char *text, jg_error *err)
{
	size_t len = strlen(text), chars = 0;
	for (size_t i = 0, used; i < len; i += used, chars++) {
		long code = decode_utf8((const unsigned char *)text + i, len - i, &used);
		if (code < 0 || is_control(code))
			return jg_fail(err, JG_ERR_USAGE,
				"certificate %s: not printable UTF-8 text", what);
	}
	if (chars == 0 || chars > JG_CERT_CN_MAX)
		return jg_fail(err, JG_ERR_USAGE, "certificate %s: must have 1 to %d characters", what,
			JG_CERT_CN_MAX);
	return JG_OK;
}

/* The first and last seconds DER times can express: 0000-01-01T00:00:00Z, 9999-12-31T23:59:59Z. */
#define TIME_FIRST (-62167219200LL)
#define TIME_LAST 253402300799LL

/* Check req and copy its serial with the top bit cleared, so that the INTEGER is positive. */
static jg_status check_request(const jg_cert_request *req, unsigned char *serial,
	jg_error *err)
{
	if (req->sk == NULL || req->pk == NULL || req->common_name == NULL)
		return jg_fail(err, JG_ERR_USAGE, "certificate: key or subject missing");
	if (req->sk->n_bitlen < 1024 || req->sk->n_bitlen > JG_CERT_RSA_MAX_BITS)
		return jg_fail(err, JG_ERR_INPUT,
			"certificate: RSA keys must have 1024 to %d bits", JG_CERT_RSA_MAX_BITS);
	jg_status status = check_name_text("subject", req->common_name, err);
	if (status == JG_OK && req->organization != NULL)
		status = check_name_text("organization", req->organization, err);
	if (status != JG_OK)
		return status;
	unsigned any = 0;
	memcpy(serial, req->serial, JG_CERT_SERIAL_LEN);
	serial[0] &= 0x7F;
	for (size_t i = 0; i < JG_CERT_SERIAL_LEN; i++)
		any |= serial[i];
	if (any == 0)
		return jg_fail(err, JG_ERR_USAGE, "certificate serial: must not be zero");
	if (req->not_before < TIME_FIRST || req->not_after > TIME_LAST ||
		req->not_before >= req->not_after)
		return jg_fail(err, JG_ERR_USAGE,
			"certificate validity: must end after it starts, within the years 0 to 9999");
	return JG_OK;
}

/* SEQUENCE { OID sha256WithRSAEncryption, NULL } */
static void write_signature_algorithm(jg_der_writer *w)
{
	jg_der_begin(w, JG_DER_SEQUENCE);
	jg_der_write_oid(w, oid_sha256_with_rsa, sizeof oid_sha256_with_rsa);
	jg_der_write_null(w);
	jg_der_end(w);
}

/* RelativeDistinguishedName with one attribute: SET { SEQUENCE { OID, UTF8String } } */
static void write_rdn(jg_der_writer *w, const unsigned char *oid, size_t oid_len,
	const char *value)
{
	jg_der_begin(w, JG_DER_SET);
	jg_der_begin(w, JG_DER_SEQUENCE);
	jg_der_write_oid(w, oid, oid_len);
	jg_der_write_utf8_string(w, value, strlen(value));
	jg_der_end(w);
	jg_der_end(w);
}

/* Name: SEQUENCE { RDN O (when given), RDN CN } */
static void write_name(jg_der_writer *w, const jg_cert_request *req)
{
	jg_der_begin(w, JG_DER_SEQUENCE);
	if (req->organization != NULL)
		write_rdn(w, oid_organization, sizeof oid_organization, req->organization);
	write_rdn(w, oid_common_name, sizeof oid_common_name, req->common_name);
	jg_der_end(w);
}

/*
 * The subjectKeyIdentifier: the leftmost 160 bits of the SHA-256 of the DER RSAPublicKey (the
 * subjectPublicKey BIT STRING's value), RFC 7093 section 2 method 1. RFC 5280's SHA-1 method
 * would link BearSSL's SHA-1 (1.4 KB) for this alone; the identifier only has to be unique.
 */
static jg_status compute_key_id(const br_rsa_public_key *pk, unsigned char key_id[20],
	jg_error *err)
{
	unsigned char der[JG_DER_RSA_SPKI_MAX];
	size_t len;
	jg_der_writer w;
	jg_der_writer_init(&w, der, sizeof der);
	jg_der_write_rsa_public_key(&w, pk);
	jg_status status = jg_der_writer_finish(&w, "public key", &len, err);
	if (status != JG_OK)
		return status;
	unsigned char digest[32];
	br_sha256_context context;
	br_sha256_init(&context);
	br_sha256_update(&context, der, len);
	br_sha256_out(&context, digest);
	memcpy(key_id, digest, 20);
	return JG_OK;
}

/* Extension: SEQUENCE { OID, [BOOLEAN TRUE,] OCTET STRING { ... } }, closed by end_extension. */
static void begin_extension(jg_der_writer *w, const unsigned char *oid, size_t oid_len,
	int critical)
{
	jg_der_begin(w, JG_DER_SEQUENCE);
	jg_der_write_oid(w, oid, oid_len);
	if (critical)
		jg_der_write_boolean(w, 1);
	jg_der_begin(w, JG_DER_OCTET_STRING);
}

static void end_extension(jg_der_writer *w)
{
	jg_der_end(w);
	jg_der_end(w);
}

/* [3] { SEQUENCE { basicConstraints, keyUsage, subjectKeyIdentifier } } */
static void write_extensions(jg_der_writer *w, const unsigned char key_id[20])
{
	static const unsigned char digital_signature = 0x80; /* bit 0, 7 unused bits */
	jg_der_begin(w, JG_DER_CONTEXT(3));
	jg_der_begin(w, JG_DER_SEQUENCE);
	begin_extension(w, oid_basic_constraints, sizeof oid_basic_constraints, 1);
	jg_der_begin(w, JG_DER_SEQUENCE); /* cA DEFAULT FALSE, no pathLen: empty */
	jg_der_end(w);
	end_extension(w);
	begin_extension(w, oid_key_usage, sizeof oid_key_usage, 1);
	jg_der_write_bit_string(w, 7, &digital_signature, 1);
	end_extension(w);
	begin_extension(w, oid_subject_key_id, sizeof oid_subject_key_id, 0);
	jg_der_write_octet_string(w, key_id, 20);
	end_extension(w);
	jg_der_end(w);
	jg_der_end(w);
}

/* TBSCertificate of a self-signed v3 certificate, as jg_cert_write_self_signed() lists. */
static void write_tbs(jg_der_writer *w, const jg_cert_request *req, const unsigned char *serial,
	const unsigned char key_id[20])
{
	jg_der_begin(w, JG_DER_SEQUENCE);
	jg_der_begin(w, JG_DER_CONTEXT(0));
	jg_der_write_small_integer(w, 2);
	jg_der_end(w);
	jg_der_write_integer(w, serial, JG_CERT_SERIAL_LEN);
	write_signature_algorithm(w);
	write_name(w, req);
	jg_der_begin(w, JG_DER_SEQUENCE);
	jg_der_write_time(w, req->not_before);
	jg_der_write_time(w, req->not_after);
	jg_der_end(w);
	write_name(w, req);
	jg_der_write_rsa_spki(w, req->pk);
	write_extensions(w, key_id);
	jg_der_end(w);
}

jg_status jg_cert_write_self_signed(const jg_cert_request *req, unsigned char *out, size_t cap,
	size_t *len, jg_error *err)
{
	unsigned char serial[JG_CERT_SERIAL_LEN], key_id[20], sig[JG_CERT_RSA_MAX_BITS / 8];
	*len = 0;
	jg_status status = check_request(req, serial, err);
	if (status == JG_OK)
		status = compute_key_id(req->pk, key_id, err);
	if (status != JG_OK)
		return status;
	jg_der_writer w;
	jg_der_writer_init(&w, out, cap);
	jg_der_begin(&w, JG_DER_SEQUENCE);
	size_t tbs_start = w.len;
	write_tbs(&w, req, serial, key_id);
	/* When the TBSCertificate did not fit, go on with a blank signature of the right size so
	 * that the error can tell the size needed. */
	size_t sig_len = (req->sk->n_bitlen + 7) / 8;
	memset(sig, 0, sizeof sig);
	if (w.error == 0) {
		status = sign_tbs(req, out + tbs_start, w.len - tbs_start, sig, &sig_len, err);
		if (status != JG_OK)
			return status;
	}
	write_signature_algorithm(&w);
	jg_der_write_bit_string(&w, 0, sig, sig_len);
	jg_der_end(&w);
	return jg_der_writer_finish(&w, "certificate", len, err);
}

/* --- text forms -------------------------------------------------------------------------- */

void jg_sha256_hex(const unsigned char *data, size_t len, char out[65])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char hash[32];
	sha256(data, len, hash);
	for (size_t i = 0; i < sizeof hash; i++) {
		out[2 * i] = digits[hash[i] >> 4];
		out[2 * i + 1] = digits[hash[i] & 0x0F];
	}
	out[64] = '\0';
}

void jg_fingerprint_colon_hex(const unsigned char *data, size_t len, char out[96])
{
	static const char digits[] = "0123456789ABCDEF";
	unsigned char hash[32];
	sha256(data, len, hash);
	for (size_t i = 0; i < sizeof hash; i++) {
		out[3 * i] = digits[hash[i] >> 4];
		out[3 * i + 1] = digits[hash[i] & 0x0F];
		out[3 * i + 2] = i + 1 < sizeof hash ? ':' : '\0';
	}
}
