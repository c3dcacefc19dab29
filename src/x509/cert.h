/*
 * X.509 certificates (RFC 5280): reading one (PEM or DER) for `check` and `decode --cert`, and
 * walking one for the TLS layer. Names as text are x509/name.h, the signature check
 * x509/cert_verify.h, the self-signed certificate of `keygen` x509/cert_write.h.
 *
 *   Certificate ::= SEQUENCE {
 *     tbsCertificate       TBSCertificate,
 *     signatureAlgorithm   AlgorithmIdentifier,   -- SEQUENCE { OID, parameters }
 *     signatureValue       BIT STRING }           -- signature over the tbsCertificate DER
 *
 *   TBSCertificate ::= SEQUENCE {
 *     version         [0] EXPLICIT INTEGER DEFAULT v1,   -- 0, 1, 2 for v1, v2, v3
 *     serialNumber        INTEGER,
 *     signature           AlgorithmIdentifier,           -- the same as signatureAlgorithm
 *     issuer              Name,
 *     validity            SEQUENCE { notBefore Time, notAfter Time },
 *     subject             Name,
 *     subjectPublicKeyInfo SEQUENCE { AlgorithmIdentifier, BIT STRING },
 *     issuerUniqueID  [1] IMPLICIT BIT STRING OPTIONAL,
 *     subjectUniqueID [2] IMPLICIT BIT STRING OPTIONAL,
 *     extensions      [3] EXPLICIT SEQUENCE OF Extension OPTIONAL }
 *
 *   Name ::= SEQUENCE OF SET OF SEQUENCE { type OID, value ANY }  -- RDNs, most general first
 *   Time ::= UTCTime | GeneralizedTime
 *
 * Nothing here allocates; parsed fields point into the caller's DER buffer, which must outlive
 * the jg_cert_info.
 */
#ifndef JG_CERT_H
#define JG_CERT_H

#include <stddef.h>
#include <stdint.h>

#include <bearssl.h>

#include "base/error.h"
#include "x509/der.h"

/* Largest certificate accepted, DER; PEM input may be a third larger plus surrounding text. */
#define JG_CERT_DER_MAX 16384

/* Largest RSA key BearSSL computes with (its BR_MAX_RSA_SIZE, which is not in its headers). */
#define JG_CERT_RSA_MAX_BITS 4096

/* Room for a subject or issuer as text; longer names end in "...". */
#define JG_CERT_NAME_MAX 512

typedef enum jg_key_algorithm {
	JG_KEY_OTHER = 0,
	JG_KEY_RSA = 1, /* rsaEncryption, 1.2.840.113549.1.1.1 */
	JG_KEY_EC = 2   /* id-ecPublicKey, 1.2.840.10045.2.1 */
} jg_key_algorithm;

typedef struct jg_cert_info {
	int version;                      /* 1, 2 or 3 */
	jg_der_span serial;               /* INTEGER value bytes as encoded */
	char subject[JG_CERT_NAME_MAX];   /* "CN=..., O=..., C=..." */
	char issuer[JG_CERT_NAME_MAX];
	int64_t not_before, not_after;    /* epoch seconds, UTC */
	jg_der_span tbs;                  /* the whole TBSCertificate TLV: what is signed */
	jg_der_span signature_algorithm;  /* OID content bytes of signatureAlgorithm */
	jg_der_span signature;            /* signatureValue bytes, after the unused-bits byte */
	jg_der_span spki;                 /* the whole SubjectPublicKeyInfo TLV */
	jg_key_algorithm key_algorithm;
	jg_der_span rsa_modulus;          /* RSA only: big-endian, leading zeros stripped */
	jg_der_span rsa_exponent;
	unsigned key_bits;                /* RSA modulus bits; EC curve size for P-256/384/521 */
} jg_cert_info;

/*
 * The DER of the certificate in in[0..len): either DER as is (the input is one SEQUENCE TLV,
 * first byte 0x30, nothing after it) or the first "-----BEGIN CERTIFICATE-----" object of a PEM file, whatever text
 * surrounds it, LF or CRLF line ends. Writes der[0..cap), its length in *der_len. JG_ERR_INPUT
 * when there is no certificate object, its base64 is broken, or it is larger than cap. The
 * decoder state, which may have held other objects of the file (a private key given by
 * mistake), is wiped.
 */
jg_status jg_cert_from_bytes(const unsigned char *in, size_t len, unsigned char *der,
	size_t cap, size_t *der_len, jg_error *err);

/*
 * The fields of a TBSCertificate, in their order, by the tags of the layout above: [0] version
 * (optional), INTEGER serialNumber, SEQUENCE signature, issuer, validity, subject and
 * subjectPublicKeyInfo, then [1] and [2] IMPLICIT (primitive) unique IDs and [3] extensions, all
 * three optional.
 */
typedef enum jg_cert_field {
	JG_CERT_VERSION,
	JG_CERT_SERIAL,
	JG_CERT_SIGNATURE,
	JG_CERT_ISSUER,
	JG_CERT_VALIDITY,
	JG_CERT_SUBJECT,
	JG_CERT_SPKI,
	JG_CERT_ISSUER_UID,
	JG_CERT_SUBJECT_UID,
	JG_CERT_EXTENSIONS,
	JG_CERT_FIELD_COUNT
} jg_cert_field;

/* Where a walk stopped when it was not in a field: the two SEQUENCEs around the TBSCertificate,
 * bytes after its last field, or the Certificate's tail (signatureAlgorithm, signatureValue). */
enum {
	JG_CERT_AT_ENVELOPE = -1,
	JG_CERT_AT_TBS_END = JG_CERT_FIELD_COUNT,
	JG_CERT_AT_TAIL = JG_CERT_FIELD_COUNT + 1
};

/* A walked certificate: each part as a whole TLV pointing into the DER. */
typedef struct jg_cert_fields {
	jg_der_tlv tbs;
	jg_der_tlv field[JG_CERT_FIELD_COUNT]; /* an absent optional field is all zero */
	jg_der_tlv signature_algorithm;        /* the SEQUENCE after the TBSCertificate */
	jg_der_tlv signature_value;            /* the BIT STRING, unused-bits byte first */
	int stop; /* the jg_cert_field or JG_CERT_AT_* a failed walk stopped in */
} jg_cert_fields;

/*
 * The one certificate walker: open Certificate and TBSCertificate in der[0..len) (exactly one
 * Certificate, nothing after it), find each field by its tag, check that nothing follows the
 * last, then the tail: a SEQUENCE and a BIT STRING, and nothing more. Only tags and lengths are
 * checked; what the fields hold is the caller's to read. JG_DER_OK, or the reader's result with
 * f->stop saying where.
 */
int jg_cert_walk(const unsigned char *der, size_t len, jg_cert_fields *f);

/*
 * The same walk over the first len bytes of a certificate still arriving, up to and including
 * the field `last`: the two outer SEQUENCEs are read by their headers alone (their contents may
 * run past len), the fields must lie inside the TBSCertificate, which must lie inside the
 * Certificate. picohttpparser's contract: 0 when the fields up to `last` are all there (in
 * f->field), -2 when only more bytes can tell, -1 when these bytes cannot start a certificate;
 * a verdict given on some bytes stays the same with more of them. f->tbs is not set.
 */
int jg_cert_walk_start(const unsigned char *der, size_t len, jg_cert_field last,
	jg_cert_fields *f);

/* One Extension ::= SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET
 * STRING }, pointing into the DER. */
typedef struct jg_cert_extension {
	jg_der_span oid;   /* extnID's content bytes */
	int critical;
	jg_der_span value; /* extnValue's contents: the extension's own DER */
} jg_cert_extension;

/*
 * Set *list to read the Extensions of a walked certificate: [3] EXPLICIT SEQUENCE OF Extension,
 * nothing else in the [3]. A certificate without extensions gives an empty list.
 */
int jg_cert_extensions(const jg_cert_fields *f, jg_der_reader *list);

/* The next Extension of list into *ext (a BOOLEAN must be one byte). */
int jg_cert_next_extension(jg_der_reader *list, jg_cert_extension *ext);

/*
 * The first extension whose extnID is oid[0..oid_len) (content bytes: 55 1D 11 for
 * subjectAltName): JG_DER_OK with *ext, JG_DER_END when there is none, another result when
 * an extension before it is malformed.
 */
int jg_cert_find_extension(const jg_cert_fields *f, const unsigned char *oid, size_t oid_len,
	jg_cert_extension *ext);

/*
 * Parse the certificate der[0..len) (exactly one Certificate, nothing after it) into *info,
 * with the structure above checked: versions 1 to 3, both signature algorithms equal, times in
 * the RFC 5280 forms, for RSA keys a BIT STRING holding SEQUENCE { n, e } with n positive.
 * Names become text in RFC 4514 order (last RDN first), ", " between RDNs and "+" inside one:
 * CN, O, OU, C, L, ST, emailAddress and a dozen rarer types by OpenSSL's short names, other
 * types as "dotted.oid=#hex-of-DER" (RFC 4514 2.4); values of types that are not strings too;
 * characters , + " \ < > ; are escaped with a backslash; bytes that are not valid text of
 * their string type, control characters and the UTF-8 bytes of invisible format characters
 * (bidirectional overrides, zero-width spaces) as \XX hex, so that a name prints safely.
 * Extensions are checked for well-formedness only. JG_ERR_INPUT "certificate is malformed: ..."
 * otherwise.
 */
jg_status jg_cert_parse(const unsigned char *der, size_t len, jg_cert_info *info,
	jg_error *err);

#endif
