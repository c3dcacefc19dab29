/*
 * DER, the distinguished encoding of ASN.1 (X.690), as much of it as a certificate needs.
 *
 * Every DER value is a TLV: one tag byte, a length, then that many value bytes.
 *
 *   - Tag byte: class in bits 8-7 (00 universal, 10 context-specific), bit 6 set when the value
 *     is itself a sequence of TLVs ("constructed"), tag number in bits 5-1. Numbers 31 and
 *     above (the multi-byte form) never occur in X.509 and are refused.
 *   - Length: below 128, one byte holding it (short form); otherwise a byte 0x80|n followed by
 *     n bytes of big-endian length (long form). DER demands the shortest form: the long form
 *     only for 128 and above, with no leading zero byte. 0x80 alone ("indefinite", ended by two
 *     zero bytes) belongs to BER and is refused, as is 0xFF.
 *
 * The writer appends to a caller buffer and never writes past its capacity: the first write
 * that does not fit sets a sticky error flag and later writes only keep counting, so a caller
 * issues all its writes and checks once, with jg_der_writer_finish(). Measuring is free: a
 * writer over a NULL buffer of capacity 0 computes the length without storing anything.
 *
 * Nesting uses back-patched lengths: jg_der_begin() writes the tag and a one-byte length
 * placeholder; jg_der_end() computes the length of what was written since and, when it needs
 * the long form, moves the contents right to make room. Output stays exact DER with no temp
 * buffer, at the cost of one memmove per constructed value longer than 127 bytes.
 *
 * The reader walks a caller buffer without copying: each TLV it returns points into it.
 */
#ifndef JG_DER_H
#define JG_DER_H

#include <stddef.h>
#include <stdint.h>

#include <bearssl.h>

#include "base/error.h"

/* Universal tags, with the constructed bit where DER requires it, and context tags. */
enum {
	JG_DER_BOOLEAN = 0x01,
	JG_DER_INTEGER = 0x02,
	JG_DER_BIT_STRING = 0x03,
	JG_DER_OCTET_STRING = 0x04,
	JG_DER_NULL = 0x05,
	JG_DER_OID = 0x06,
	JG_DER_UTF8_STRING = 0x0C,
	JG_DER_PRINTABLE_STRING = 0x13,
	JG_DER_TELETEX_STRING = 0x14,
	JG_DER_IA5_STRING = 0x16,
	JG_DER_UTC_TIME = 0x17,
	JG_DER_GENERALIZED_TIME = 0x18,
	JG_DER_VISIBLE_STRING = 0x1A,
	JG_DER_UNIVERSAL_STRING = 0x1C,
	JG_DER_BMP_STRING = 0x1E,
	JG_DER_SEQUENCE = 0x30,
	JG_DER_SET = 0x31
};

/* Context-specific constructed tag [n], as in "[0] EXPLICIT" or "[3] EXPLICIT" (n below 31). */
#define JG_DER_CONTEXT(n) (0xA0u | (unsigned)(n))
/* Context-specific primitive tag [n], as in "[1] IMPLICIT BIT STRING" or a GeneralName's
 * iPAddress "[7] IMPLICIT OCTET STRING" (n below 31). */
#define JG_DER_CONTEXT_PRIMITIVE(n) (0x80u | (unsigned)(n))

/* Deepest nesting of jg_der_begin() a writer accepts; a certificate needs 7. */
#define JG_DER_MAX_DEPTH 12

/* Writer error flags (sticky, OR-ed together in jg_der_writer.error). */
enum {
	JG_DER_WRITER_OVERFLOW = 1, /* a write did not fit in the buffer */
	JG_DER_WRITER_NESTING = 2,  /* begin deeper than JG_DER_MAX_DEPTH, or end without begin */
	JG_DER_WRITER_VALUE = 4     /* a value DER cannot encode (bad time, PrintableString char) */
};

typedef struct jg_der_writer {
	unsigned char *buf;
	size_t cap;
	size_t len; /* bytes written, or that would have been written past an overflow */
	int error;  /* JG_DER_WRITER_* flags, 0 while all is well */
	size_t open[JG_DER_MAX_DEPTH]; /* offset of each open value's length placeholder */
	int depth;
} jg_der_writer;

/* A run of bytes inside a caller buffer. */
typedef struct jg_der_span {
	const unsigned char *data;
	size_t len;
} jg_der_span;

/* 1 when span holds exactly bytes[0..len). */
int jg_der_span_equals(jg_der_span span, const unsigned char *bytes, size_t len);

/* Start writing at buf[0]; buf may be NULL when cap is 0 (measuring only). */
void jg_der_writer_init(jg_der_writer *w, unsigned char *buf, size_t cap);

/*
 * Check the writer once, at the end: every begin was ended and nothing failed. On success
 * stores the encoded length in *len. Otherwise JG_ERR_INPUT, naming `what` (e.g. "certificate")
 * and, for an overflow, the size that would have been needed.
 */
jg_status jg_der_writer_finish(const jg_der_writer *w, const char *what, size_t *len,
	jg_error *err);

/* Append raw bytes (an already encoded TLV, or value bytes after a header). */
void jg_der_write_bytes(jg_der_writer *w, const void *data, size_t len);

/* Append a tag byte and the shortest length encoding for len. */
void jg_der_write_header(jg_der_writer *w, unsigned tag, size_t len);

/*
 * INTEGER (tag 0x02) holding the non-negative number whose unsigned big-endian bytes are
 * be[0..len). DER wants the fewest bytes in two's complement: leading zero bytes are stripped,
 * then one 0x00 is put back when the top bit of the first byte is set (or the number is 0, which
 * encodes as the single byte 0x00). Example: 128 is 02 02 00 80.
 */
void jg_der_write_integer(jg_der_writer *w, const unsigned char *be, size_t len);

/* INTEGER from a small non-negative number, with the same rules (2 is 02 01 02). */
void jg_der_write_small_integer(jg_der_writer *w, uint32_t value);

/*
 * OBJECT IDENTIFIER (tag 0x06) from its encoded content bytes: the first two arcs as 40*a+b,
 * then each arc in base 128, high bit set on all but its last byte. 1.2.840.113549.1.1.1 is
 * 2A 86 48 86 F7 0D 01 01 01.
 */
void jg_der_write_oid(jg_der_writer *w, const unsigned char *oid, size_t len);

/* NULL (05 00), the parameters of the RSA algorithm identifiers. */
void jg_der_write_null(jg_der_writer *w);

/* BOOLEAN: DER spells TRUE as 01 01 FF and FALSE as 01 01 00. */
void jg_der_write_boolean(jg_der_writer *w, int value);

/*
 * BIT STRING (tag 0x03): a first value byte giving the number of unused bits (0-7) at the end
 * of the last byte, then the bytes. DER wants those unused bits zero; a non-zero one, a count
 * above 7, or unused bits with no bytes sets JG_DER_WRITER_VALUE. A key usage of just
 * digitalSignature (bit 0) is one byte 0x80 with 7 unused bits: 03 02 07 80.
 */
void jg_der_write_bit_string(jg_der_writer *w, unsigned unused_bits, const unsigned char *bytes,
	size_t len);

/* OCTET STRING (tag 0x04) holding the bytes. */
void jg_der_write_octet_string(jg_der_writer *w, const unsigned char *bytes, size_t len);

/* UTF8String (tag 0x0C); the caller passes valid UTF-8, written as is. */
void jg_der_write_utf8_string(jg_der_writer *w, const char *text, size_t len);

/*
 * PrintableString (tag 0x13): only A-Z a-z 0-9, space and ' ( ) + , - . / : = ? are allowed;
 * another character sets JG_DER_WRITER_VALUE. Country codes ("C=") use it.
 */
void jg_der_write_printable_string(jg_der_writer *w, const char *text, size_t len);

/*
 * A certificate time from epoch seconds (UTC), chosen as RFC 5280 section 4.1.2.5 requires:
 * UTCTime (tag 0x17) "YYMMDDHHMMSSZ" for the years 1950 to 2049, GeneralizedTime (tag 0x18)
 * "YYYYMMDDHHMMSSZ" for the others. Years before 0 or after 9999 set JG_DER_WRITER_VALUE.
 */
void jg_der_write_time(jg_der_writer *w, int64_t epoch_seconds);

/*
 * Open a constructed value with the given tag (JG_DER_SEQUENCE, JG_DER_SET,
 * JG_DER_CONTEXT(n), or a primitive tag such as JG_DER_OCTET_STRING to wrap encoded DER in an
 * extension value); jg_der_end() closes the innermost one and fixes its length. The offset of
 * the tag byte (w->len before the call) stays the start of the finished TLV. A SET is written in
 * the order given: the caller keeps SET OF elements sorted (one-element sets always are).
 */
void jg_der_begin(jg_der_writer *w, unsigned tag);

/* Open a BIT STRING whose contents are DER written next (unused-bits byte 0 is written now). */
void jg_der_begin_bit_string(jg_der_writer *w);

/* Close the innermost open value. */
void jg_der_end(jg_der_writer *w);

/*
 * RSAPublicKey (PKCS#1): SEQUENCE { modulus INTEGER, publicExponent INTEGER }, each written
 * with jg_der_write_integer() from the key's big-endian bytes.
 */
void jg_der_write_rsa_public_key(jg_der_writer *w, const br_rsa_public_key *pk);

/*
 * SubjectPublicKeyInfo for an RSA key (RFC 5280, RFC 3279):
 *   SEQUENCE {
 *     SEQUENCE { OID rsaEncryption 1.2.840.113549.1.1.1, NULL },
 *     BIT STRING { 0 unused bits, RSAPublicKey } }
 */
void jg_der_write_rsa_spki(jg_der_writer *w, const br_rsa_public_key *pk);

/* Room enough for the SubjectPublicKeyInfo of any RSA key BearSSL handles (4096 bits). */
#define JG_DER_RSA_SPKI_MAX 1200

/*
 * The RSA SubjectPublicKeyInfo above into out[0..cap), its length in *len: the bytes that
 * `openssl pkey -pubout -outform DER` prints. JG_ERR_INPUT when it does not fit.
 */
jg_status jg_der_rsa_spki(const br_rsa_public_key *pk, unsigned char *out, size_t cap,
	size_t *len, jg_error *err);

/* --- reader ---------------------------------------------------------------------------- */

/* Reader results: 0 on success, one of these otherwise (jg_der_reason() names them). */
enum {
	JG_DER_OK = 0,
	JG_DER_END = 1,         /* no TLV left to read */
	JG_DER_TRUNCATED = 2,   /* the header runs past the end */
	JG_DER_BAD_TAG = 3,     /* multi-byte tag number */
	JG_DER_INDEFINITE = 4,  /* length byte 0x80 (BER only) */
	JG_DER_NON_MINIMAL = 5, /* long form where short would do, or leading zero length byte */
	JG_DER_BAD_LENGTH = 6,  /* length byte 0xFF, or more than 4 length bytes */
	JG_DER_OVERLONG = 7,    /* the value runs past the end of its container */
	JG_DER_UNEXPECTED = 8,  /* a TLV with another tag than the one expected */
	JG_DER_BAD_VALUE = 9,   /* a value that breaks its type's rules (time, integer, ...) */
	JG_DER_TRAILING = 10    /* bytes left after the last expected field */
};

typedef struct jg_der_reader {
	const unsigned char *data;
	size_t len; /* bytes left */
} jg_der_reader;

/* One TLV: its tag, its value bytes, and the whole encoding (header included). */
typedef struct jg_der_tlv {
	unsigned tag;
	jg_der_span value;
	jg_der_span whole;
} jg_der_tlv;

/*
 * Read only the header (tag and length) of the TLV at data[0..len), for a caller that holds
 * the first bytes of a value that is still arriving (the TLS layer reads a certificate's
 * issuer from its start). Returns the header's size (2 to 6 bytes) with *tag and *value_len
 * set, whether or not the value's bytes are there yet; -2 when the bytes end inside the header
 * ("need more"); -1 when the header breaks a rule of the file comment. picohttpparser's
 * contract: a verdict given on some bytes (-1, or a size) is the same with more bytes after
 * them. Example: 30 82 01 (a long length cut short) is -2; 30 82 01 0A is 4 with 266.
 */
int jg_der_read_header(const unsigned char *data, size_t len, unsigned *tag, size_t *value_len);

/* Read the TLVs in data[0..len). */
void jg_der_reader_init(jg_der_reader *r, const unsigned char *data, size_t len);

/* A short phrase for a reader result ("indefinite length", "length past the end", ...). */
const char *jg_der_reason(int result);

/* 1 when no byte is left. */
int jg_der_at_end(const jg_der_reader *r);

/* JG_DER_OK when no byte is left, JG_DER_TRAILING otherwise. */
int jg_der_expect_end(const jg_der_reader *r);

/* The tag of the next TLV without reading it, or -1 at the end. */
int jg_der_peek_tag(const jg_der_reader *r);

/*
 * Read the next TLV and step past it. The header is checked as the file comment says (one tag
 * byte, minimal definite length of at most 4 bytes) and the value must fit in what is left.
 */
int jg_der_read(jg_der_reader *r, jg_der_tlv *tlv);

/* jg_der_read(), then JG_DER_UNEXPECTED unless the tag is `tag`. */
int jg_der_read_expect(jg_der_reader *r, unsigned tag, jg_der_tlv *tlv);

/* Read a constructed value with tag `tag` and set *inner to read its contents. */
int jg_der_enter(jg_der_reader *r, unsigned tag, jg_der_reader *inner);

/* Step past the next TLV. */
int jg_der_skip(jg_der_reader *r);

/*
 * The epoch seconds of a UTCTime ("YYMMDDHHMMSSZ", YY below 50 meaning 20YY) or
 * GeneralizedTime ("YYYYMMDDHHMMSSZ") TLV, in the strict forms RFC 5280 allows: seconds present,
 * "Z", no fraction, each field in its range. JG_DER_BAD_VALUE otherwise, JG_DER_UNEXPECTED for
 * another tag.
 */
int jg_der_read_time(const jg_der_tlv *tlv, int64_t *epoch_seconds);

/*
 * Dotted text of OID content bytes ("1.2.840.113549") into out[0..cap), always terminated.
 * JG_DER_BAD_VALUE for bytes that are not an OID (empty, unfinished arc, arc beyond 64 bits or
 * with a leading 0x80 byte), or when the text does not fit.
 */
int jg_der_oid_text(const unsigned char *oid, size_t len, char *out, size_t cap);

#endif
