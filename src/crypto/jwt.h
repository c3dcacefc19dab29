/*
 * The assertion: a JWT signed with RS256 (RFC 7519, RFC 7515).
 *
 * Byte for byte: a header and a claims object, each compact JSON with its members in the order
 * given (jg_jwt_object), strings escaped as RFC 8259 requires ('"', '\\' and control characters;
 * UTF-8 passed through; '/' not escaped), integers in decimal. Each part is base64url without
 * padding, joined by '.', and the signature is RSASSA-PKCS1-v1_5 with SHA-256 over
 * "header.claims". Salesforce's: header {"alg":"RS256","typ":"JWT"}, claims
 * {"iss":"…","sub":"…","aud":"…","exp":N,"iat":N}.
 */
#ifndef JG_JWT_H
#define JG_JWT_H

#include <stddef.h>
#include <stdint.h>

#include <bearssl.h>

#include "base/error.h"

#define JG_JWT_MAX 8192         /* an assertion's size limit, NUL included */
#define JG_CLAIM_MAX 1024       /* a string claim's size limit, in bytes */

typedef struct jg_claims {
	const char *iss; /* the Connected App's consumer key */
	const char *sub; /* the Salesforce username */
	const char *aud; /* the audience URL */
	int64_t exp;     /* expiry, epoch seconds */
	int64_t iat;     /* issued at, epoch seconds */
} jg_claims;

/* One member of a header or claims object: a string (text), JSON text written as it is (text
 * and raw: checked compact JSON, see jg_jwt_json_value), or, when text is NULL, an integer. */
typedef struct jg_jwt_member {
	const char *name;
	const char *text;
	int64_t number;
	int raw;
} jg_jwt_member;

#define JG_JWT_MEMBERS_MAX 16

/* A JSON object's members, written in the order they were added. */
typedef struct jg_jwt_object {
	jg_jwt_member members[JG_JWT_MEMBERS_MAX];
	size_t count;
	int overflow; /* a member did not fit: the object cannot be written */
} jg_jwt_object;

void jg_jwt_object_init(jg_jwt_object *o);
void jg_jwt_add_string(jg_jwt_object *o, const char *name, const char *text);
void jg_jwt_add_integer(jg_jwt_object *o, const char *name, int64_t number);
void jg_jwt_add_member(jg_jwt_object *o, const jg_jwt_member *m);

/* The compact JSON of o into out (NUL-terminated); JG_ERR_USAGE when it does not fit. */
jg_status jg_jwt_object_json(const jg_jwt_object *o, char *out, size_t cap, size_t *len,
	jg_error *err);

/*
 * Sign header.claims into out (NUL-terminated). The signature is verified with pk, the public
 * half of sk, before it is written: JG_ERR_INPUT (and out wiped) when it does not verify, so
 * that a faulty signature, which can leak the key's factors, never leaves. JG_ERR_USAGE when a
 * string member is longer than JG_CLAIM_MAX or the result does not fit. Temporaries are wiped.
 */
jg_status jg_jwt_sign_object(const jg_jwt_object *header, const jg_jwt_object *claims,
	const br_rsa_private_key *sk, const br_rsa_public_key *pk, char *out, size_t cap,
	size_t *len, jg_error *err);

/* The compact claims JSON into out (NUL-terminated). JG_ERR_USAGE when a claim is too long. */
jg_status jg_jwt_claims_json(const jg_claims *claims, char *out, size_t cap, size_t *len,
	jg_error *err);

/* Salesforce's assertion for these claims, signed as jg_jwt_sign_object signs. */
jg_status jg_jwt_sign(const jg_claims *claims, const br_rsa_private_key *sk,
	const br_rsa_public_key *pk, char *out, size_t cap, size_t *len, jg_error *err);

/*
 * What the assertion of a JWT bearer grant says (RFC 7523, section 3), its times aside. The
 * claims are written iss, sub, scope, aud, exp, iat, leaving out those that are NULL: for
 * Salesforce iss, sub, aud, exp, iat; for a Google service account iss, [sub,] scope, aud, exp,
 * iat; for a GitHub App iat, exp, iss (providers.md).
 */
typedef struct jg_assertion {
	const char *issuer;   /* iss: the client id (the Connected App's consumer key) */
	const char *subject;  /* sub: the user to log in as, or NULL */
	const char *scope;    /* scope: space-separated, or NULL */
	const char *audience; /* aud: the authorization server */
	const char *key_id;   /* the header's kid, or NULL */
	long lifetime;        /* exp - iat, in seconds */
	int jti;              /* a fresh random jti (128 bits, base64url) after iat */
	const jg_jwt_member *extra_claims;  /* after the others, in order (generic: --claim) */
	size_t extra_claim_count;
	const jg_jwt_member *extra_headers; /* after alg, typ and kid (generic: --jwt-header) */
	size_t extra_header_count;
	long backdate;        /* iat lies this many seconds before now (GitHub: 60, for drift) */
	int times_first;      /* iat, exp, iss, as GitHub's documentation writes them */
} jg_assertion;

/* Sign the assertion issued at `now` (iat now - backdate, exp iat + lifetime) into out, as
 * jg_jwt_sign_object; the header is {"alg":"RS256","typ":"JWT"[,"kid":…]}. A GitHub App's
 * has no aud (audience NULL) and its claims times first: {"iat":N,"exp":N,"iss":"…"}. */
jg_status jg_jwt_make_assertion(const jg_assertion *a, int64_t now, const br_rsa_private_key *sk,
	const br_rsa_public_key *pk, char *out, size_t cap, size_t *len, jg_error *err);

/* A compact JWT split into its three base64url parts (pointers into the caller's text). */
typedef struct jg_jwt_parts {
	const char *header, *claims, *signature;
	size_t header_len, claims_len, signature_len;
} jg_jwt_parts;

/* Split "a.b.c"; JG_ERR_INPUT unless it is three base64url parts with a non-empty header and
 * claims (an empty signature is allowed, so that decode can show an unsigned JWT). */
jg_status jg_jwt_split(const char *jwt, size_t len, jg_jwt_parts *parts, jg_error *err);

/* Decode one base64url part into out (NUL-terminated); JG_ERR_INPUT when it is not base64url. */
jg_status jg_jwt_decode_part(const char *part, size_t len, const char *name, char *out,
	size_t cap, size_t *out_len, jg_error *err);

/* Verify an RS256 signature with a public key: JG_OK, or JG_ERR_CHECK when it does not verify. */
jg_status jg_jwt_verify_rs256(const jg_jwt_parts *parts, const br_rsa_public_key *pk,
	jg_error *err);

#endif
