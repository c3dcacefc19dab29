#include "tls/tls_error.h"

#include <stddef.h>

#include <bearssl.h>

/*
 * One entry per code of bearssl_ssl.h and bearssl_x509.h (BearSSL 0.6), in their order. The
 * meaning is read from what the engine or the minimal X.509 validator does when it sets the
 * code (src/ssl/ssl_hs_client.t0, src/x509/x509_minimal.t0); "the server" is who sent what
 * failed, as jwtgrant is always the client. tests/unit/test_tls_error.c checks that every code
 * of the headers is here.
 */
static const jg_tls_error_entry entries[] = {
	{ BR_ERR_BAD_PARAM, "BR_ERR_BAD_PARAM", "jwtgrant gave the TLS engine a bad parameter",
		"report this as a bug" },
	{ BR_ERR_BAD_STATE, "BR_ERR_BAD_STATE", "jwtgrant used the TLS engine in the wrong state",
		"report this as a bug" },
	{ BR_ERR_UNSUPPORTED_VERSION, "BR_ERR_UNSUPPORTED_VERSION",
		"the server chose a TLS version other than 1.2, the only one jwtgrant speaks",
		"the server may require TLS 1.3, which BearSSL lacks" },
	{ BR_ERR_BAD_VERSION, "BR_ERR_BAD_VERSION",
		"the server sent a record whose version is not the one agreed", NULL },
	{ BR_ERR_BAD_LENGTH, "BR_ERR_BAD_LENGTH", "the server sent a record of impossible length",
		"is this port speaking TLS at all?" },
	{ BR_ERR_TOO_LARGE, "BR_ERR_TOO_LARGE",
		"the server sent a record larger than TLS allows (over 16 KiB of data)", NULL },
	{ BR_ERR_BAD_MAC, "BR_ERR_BAD_MAC",
		"a record from the server failed its integrity check (corrupted or altered on the way)",
		NULL },
	{ BR_ERR_NO_RANDOM, "BR_ERR_NO_RANDOM", "no source of randomness for TLS",
		"the system must provide getrandom() or /dev/urandom" },
	{ BR_ERR_UNKNOWN_TYPE, "BR_ERR_UNKNOWN_TYPE", "the server sent a record of unknown type",
		"is this port speaking TLS at all?" },
	{ BR_ERR_UNEXPECTED, "BR_ERR_UNEXPECTED",
		"the server sent a message that does not belong at this point of the handshake", NULL },
	{ BR_ERR_BAD_CCS, "BR_ERR_BAD_CCS", "the server sent a malformed ChangeCipherSpec", NULL },
	{ BR_ERR_BAD_ALERT, "BR_ERR_BAD_ALERT", "the server sent a malformed alert", NULL },
	{ BR_ERR_BAD_HANDSHAKE, "BR_ERR_BAD_HANDSHAKE", "the server sent a malformed handshake message",
		NULL },
	{ BR_ERR_OVERSIZED_ID, "BR_ERR_OVERSIZED_ID",
		"the server sent a session ID longer than 32 bytes", NULL },
	{ BR_ERR_BAD_CIPHER_SUITE, "BR_ERR_BAD_CIPHER_SUITE",
		"the server chose a cipher suite jwtgrant did not offer", NULL },
	{ BR_ERR_BAD_COMPRESSION, "BR_ERR_BAD_COMPRESSION",
		"the server chose a compression method jwtgrant did not offer", NULL },
	{ BR_ERR_BAD_FRAGLEN, "BR_ERR_BAD_FRAGLEN",
		"the server answered with a maximum fragment length other than the one asked for", NULL },
	{ BR_ERR_BAD_SECRENEG, "BR_ERR_BAD_SECRENEG",
		"the server's secure renegotiation data is wrong", NULL },
	{ BR_ERR_EXTRA_EXTENSION, "BR_ERR_EXTRA_EXTENSION",
		"the server sent an extension jwtgrant did not ask for, or one twice", NULL },
	{ BR_ERR_BAD_SNI, "BR_ERR_BAD_SNI", "the server's server-name extension is malformed", NULL },
	{ BR_ERR_BAD_HELLO_DONE, "BR_ERR_BAD_HELLO_DONE", "the server sent a malformed ServerHelloDone",
		NULL },
	{ BR_ERR_LIMIT_EXCEEDED, "BR_ERR_LIMIT_EXCEEDED",
		"the server sent something beyond BearSSL's limits (a key over 4096 bits, too many "
		"signature algorithms or client-certificate authorities)", NULL },
	{ BR_ERR_BAD_FINISHED, "BR_ERR_BAD_FINISHED",
		"the server's Finished message does not match the handshake (altered on the way)", NULL },
	{ BR_ERR_RESUME_MISMATCH, "BR_ERR_RESUME_MISMATCH",
		"the server resumed a session with another version or cipher suite", NULL },
	{ BR_ERR_INVALID_ALGORITHM, "BR_ERR_INVALID_ALGORITHM",
		"the server chose an algorithm jwtgrant does not support (a curve, a signature or a hash "
		"function for its key exchange)", NULL },
	{ BR_ERR_BAD_SIGNATURE, "BR_ERR_BAD_SIGNATURE",
		"the server's signature over its key exchange does not verify with its certificate's key",
		NULL },
	{ BR_ERR_WRONG_KEY_USAGE, "BR_ERR_WRONG_KEY_USAGE",
		"the server certificate's key is of the wrong type or its key usage forbids this key "
		"exchange", "the server needs a certificate with digitalSignature in its keyUsage" },
	{ BR_ERR_NO_CLIENT_AUTH, "BR_ERR_NO_CLIENT_AUTH",
		"the server requires a client certificate (mutual TLS), which jwtgrant does not send", NULL },
	{ BR_ERR_IO, "BR_ERR_IO", "the connection failed or was closed during TLS", NULL },
	{ BR_ERR_X509_INVALID_VALUE, "BR_ERR_X509_INVALID_VALUE",
		"a certificate of the chain holds an invalid value", NULL },
	{ BR_ERR_X509_TRUNCATED, "BR_ERR_X509_TRUNCATED", "a certificate of the chain is truncated",
		NULL },
	{ BR_ERR_X509_EMPTY_CHAIN, "BR_ERR_X509_EMPTY_CHAIN", "the server sent no certificate at all",
		NULL },
	{ BR_ERR_X509_INNER_TRUNC, "BR_ERR_X509_INNER_TRUNC",
		"a certificate of the chain is malformed: an inner element runs past its container", NULL },
	{ BR_ERR_X509_BAD_TAG_CLASS, "BR_ERR_X509_BAD_TAG_CLASS",
		"a certificate of the chain is malformed: a tag of an unsupported class", NULL },
	{ BR_ERR_X509_BAD_TAG_VALUE, "BR_ERR_X509_BAD_TAG_VALUE",
		"a certificate of the chain is malformed: an unsupported tag", NULL },
	{ BR_ERR_X509_INDEFINITE_LENGTH, "BR_ERR_X509_INDEFINITE_LENGTH",
		"a certificate of the chain uses an indefinite length (BER, not DER)", NULL },
	{ BR_ERR_X509_EXTRA_ELEMENT, "BR_ERR_X509_EXTRA_ELEMENT",
		"a certificate of the chain is malformed: an element too many", NULL },
	{ BR_ERR_X509_UNEXPECTED, "BR_ERR_X509_UNEXPECTED",
		"a certificate of the chain is malformed: an element where another was expected", NULL },
	{ BR_ERR_X509_NOT_CONSTRUCTED, "BR_ERR_X509_NOT_CONSTRUCTED",
		"a certificate of the chain is malformed: a primitive element where a constructed one "
		"belongs", NULL },
	{ BR_ERR_X509_NOT_PRIMITIVE, "BR_ERR_X509_NOT_PRIMITIVE",
		"a certificate of the chain is malformed: a constructed element where a primitive one "
		"belongs", NULL },
	{ BR_ERR_X509_PARTIAL_BYTE, "BR_ERR_X509_PARTIAL_BYTE",
		"a certificate of the chain has a BIT STRING that is not whole bytes", NULL },
	{ BR_ERR_X509_BAD_BOOLEAN, "BR_ERR_X509_BAD_BOOLEAN",
		"a certificate of the chain has a malformed BOOLEAN", NULL },
	{ BR_ERR_X509_OVERFLOW, "BR_ERR_X509_OVERFLOW",
		"a certificate of the chain holds a value out of range", NULL },
	{ BR_ERR_X509_BAD_DN, "BR_ERR_X509_BAD_DN",
		"a certificate of the chain has a malformed distinguished name", NULL },
	{ BR_ERR_X509_BAD_TIME, "BR_ERR_X509_BAD_TIME",
		"a certificate of the chain has a malformed validity date", NULL },
	{ BR_ERR_X509_UNSUPPORTED, "BR_ERR_X509_UNSUPPORTED",
		"a certificate of the chain uses an algorithm jwtgrant does not support (such as an RSA-PSS "
		"or SHA-1 signature, or a key on an unsupported curve)",
		"the server needs a chain signed with RSA PKCS#1 v1.5 or ECDSA over SHA-256, SHA-384 or "
		"SHA-512" },
	{ BR_ERR_X509_LIMIT_EXCEEDED, "BR_ERR_X509_LIMIT_EXCEEDED",
		"a key or signature in the chain is larger than BearSSL handles (RSA over 4096 bits)", NULL },
	{ BR_ERR_X509_WRONG_KEY_TYPE, "BR_ERR_X509_WRONG_KEY_TYPE",
		"a certificate's key is not of the type its use requires (RSA or EC for the cipher suite)",
		NULL },
	{ BR_ERR_X509_BAD_SIGNATURE, "BR_ERR_X509_BAD_SIGNATURE",
		"a certificate's signature does not verify with its issuer's key", NULL },
	{ BR_ERR_X509_TIME_UNKNOWN, "BR_ERR_X509_TIME_UNKNOWN",
		"the current time is unknown, so certificate validity cannot be checked",
		"fix the system clock" },
	{ BR_ERR_X509_EXPIRED, "BR_ERR_X509_EXPIRED",
		"a certificate of the chain is expired or not yet valid",
		"if the local clock is wrong, fix it" },
	{ BR_ERR_X509_DN_MISMATCH, "BR_ERR_X509_DN_MISMATCH",
		"a certificate of the chain was not issued by the one after it (a certificate from another "
		"chain, or one missing)", "the server should send its own chain, leaf first" },
	{ BR_ERR_X509_BAD_SERVER_NAME, "BR_ERR_X509_BAD_SERVER_NAME",
		"the server certificate is for another host name", NULL },
	{ BR_ERR_X509_CRITICAL_EXTENSION, "BR_ERR_X509_CRITICAL_EXTENSION",
		"a certificate of the chain has a critical extension BearSSL does not support (such as "
		"nameConstraints or policy constraints on an intermediate CA)",
		"the chain cannot be validated by jwtgrant; the server needs a chain without it" },
	{ BR_ERR_X509_NOT_CA, "BR_ERR_X509_NOT_CA",
		"a certificate that signs another in the chain is not a CA, or the chain is longer than "
		"its path length allows", NULL },
	{ BR_ERR_X509_FORBIDDEN_KEY_USAGE, "BR_ERR_X509_FORBIDDEN_KEY_USAGE",
		"a certificate's keyUsage forbids its use here (a CA key that may not sign certificates)",
		NULL },
	{ BR_ERR_X509_WEAK_PUBLIC_KEY, "BR_ERR_X509_WEAK_PUBLIC_KEY",
		"a key of the chain is too small to trust (RSA under 1024 bits)", NULL },
	{ BR_ERR_X509_NOT_TRUSTED, "BR_ERR_X509_NOT_TRUSTED",
		"the chain does not lead to a trusted root",
		"behind a TLS-inspecting proxy, pass its CA with --cacert" },
};

const jg_tls_error_entry *jg_tls_error_find(int code)
{
	for (size_t i = 0; i < sizeof entries / sizeof entries[0]; i++) {
		if (entries[i].code == code)
			return &entries[i];
	}
	return NULL;
}

/* The alerts of RFC 5246 7.2 (TLS 1.2), the older ones it keeps, and RFC 8446's additions. */
static const struct {
	int number;
	const char *name;
} alerts[] = {
	{ 0, "close_notify" },
	{ 10, "unexpected_message" },
	{ 20, "bad_record_mac" },
	{ 21, "decryption_failed" },
	{ 22, "record_overflow" },
	{ 30, "decompression_failure" },
	{ 40, "handshake_failure" },
	{ 41, "no_certificate" },
	{ 42, "bad_certificate" },
	{ 43, "unsupported_certificate" },
	{ 44, "certificate_revoked" },
	{ 45, "certificate_expired" },
	{ 46, "certificate_unknown" },
	{ 47, "illegal_parameter" },
	{ 48, "unknown_ca" },
	{ 49, "access_denied" },
	{ 50, "decode_error" },
	{ 51, "decrypt_error" },
	{ 60, "export_restriction" },
	{ 70, "protocol_version" },
	{ 71, "insufficient_security" },
	{ 80, "internal_error" },
	{ 86, "inappropriate_fallback" },
	{ 90, "user_canceled" },
	{ 100, "no_renegotiation" },
	{ 109, "missing_extension" },
	{ 110, "unsupported_extension" },
	{ 111, "certificate_unobtainable" },
	{ 112, "unrecognized_name" },
	{ 113, "bad_certificate_status_response" },
	{ 114, "bad_certificate_hash_value" },
	{ 115, "unknown_psk_identity" },
	{ 116, "certificate_required" },
	{ 120, "no_application_protocol" },
};

const char *jg_tls_error_alert_name(int alert)
{
	for (size_t i = 0; i < sizeof alerts / sizeof alerts[0]; i++) {
		if (alerts[i].number == alert)
			return alerts[i].name;
	}
	return NULL;
}
