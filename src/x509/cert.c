/*
 * Reading certificates: the one walker (by the tags of cert.h), the parser on top of it, and
 * finding the DER in PEM or DER input.
 */
#include "x509/cert.h"

#include <string.h>

#include "crypto/pem.h"
#include "x509/name.h"

/* Object identifiers, as encoded OID content bytes. */
static const unsigned char oid_rsa_encryption[] = {           /* 1.2.840.113549.1.1.1 */
	0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01
};
static const unsigned char oid_ec_public_key[] = {            /* 1.2.840.10045.2.1 */
	0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01
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

static jg_status malformed(jg_error *err, const char *where, int result)
{
	return jg_fail(err, JG_ERR_INPUT, "certificate is malformed: %s: %s", where,
		jg_der_reason(result));
}

static jg_status malformed_because(jg_error *err, const char *why)
{
	return jg_fail(err, JG_ERR_INPUT, "certificate is malformed: %s", why);
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
		if (result == JG_DER_OK && jg_der_span_equals(ext->oid, oid, oid_len))
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
		if (jg_der_span_equals(oid, curve_sizes[i].oid, curve_sizes[i].len))
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
	if (jg_der_span_equals(oid, oid_rsa_encryption, sizeof oid_rsa_encryption))
		return parse_rsa_key(bits, info, err);
	if (jg_der_span_equals(oid, oid_ec_public_key, sizeof oid_ec_public_key)) {
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
	status = jg_name_text(f->field[JG_CERT_ISSUER].value, info->issuer, sizeof info->issuer,
		err);
	if (status == JG_OK)
		status = parse_validity(&f->field[JG_CERT_VALIDITY], info, err);
	if (status == JG_OK)
		status = jg_name_text(f->field[JG_CERT_SUBJECT].value, info->subject,
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
	if (!jg_der_span_equals(algorithm->whole, tbs_algorithm->data, tbs_algorithm->len))
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
