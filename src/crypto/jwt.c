#include "crypto/jwt.h"

#include <string.h>

#include "base/json_out.h"
#include "base/random.h"
#include "base/trace.h"
#include "base/wipe.h"
#include "crypto/base64.h"

void jg_jwt_object_init(jg_jwt_object *o)
{
	memset(o, 0, sizeof *o);
}

static jg_jwt_member *next_member(jg_jwt_object *o, const char *name)
{
	if (o->count == JG_JWT_MEMBERS_MAX) {
		o->overflow = 1;
		return NULL;
	}
	jg_jwt_member *m = &o->members[o->count++];
	m->name = name;
	return m;
}

void jg_jwt_add_string(jg_jwt_object *o, const char *name, const char *text)
{
	jg_jwt_member *m = next_member(o, name);
	if (m != NULL)
		m->text = text;
}

void jg_jwt_add_integer(jg_jwt_object *o, const char *name, int64_t number)
{
	jg_jwt_member *m = next_member(o, name);
	if (m != NULL)
		m->number = number;
}

void jg_jwt_add_member(jg_jwt_object *o, const jg_jwt_member *from)
{
	jg_jwt_member *m = next_member(o, from->name);
	if (m != NULL)
		*m = *from;
}

jg_status jg_jwt_object_json(const jg_jwt_object *o, char *out, size_t cap, size_t *len,
	jg_error *err)
{
	jg_out json;
	jg_out_init(&json, out, cap);
	jg_out_puts(&json, "{");
	for (size_t i = 0; i < o->count; i++) {
		const jg_jwt_member *m = &o->members[i];
		if (i > 0)
			jg_out_puts(&json, ",");
		jg_json_put_name(&json, m->name);
		if (m->text != NULL && m->raw)
			jg_out_puts(&json, m->text);
		else if (m->text != NULL)
			jg_json_put_string(&json, m->text);
		else
			jg_json_put_integer(&json, m->number);
	}
	jg_out_puts(&json, "}");
	if (json.failed || o->overflow)
		return jg_fail(err, JG_ERR_USAGE, "the JWT's JSON does not fit in %zu bytes", cap);
	*len = json.len;
	return JG_OK;
}

/* Every string member at most JG_CLAIM_MAX bytes, so that the JSON has a known bound. */
static jg_status check_lengths(const jg_jwt_object *o, jg_error *err)
{
	for (size_t i = 0; i < o->count; i++) {
		const jg_jwt_member *m = &o->members[i];
		if (m->text != NULL && strlen(m->text) > JG_CLAIM_MAX)
			return jg_fail(err, JG_ERR_USAGE, "claim %s is longer than %d bytes", m->name,
				JG_CLAIM_MAX);
	}
	return JG_OK;
}

/* Salesforce's claims: iss, sub, aud, exp, iat. */
static jg_status salesforce_claims(const jg_claims *c, jg_jwt_object *o, jg_error *err)
{
	const char *names[] = { "iss (--client-id)", "sub (--username)", "aud (--audience)" };
	const char *values[] = { c->iss, c->sub, c->aud };
	for (size_t i = 0; i < 3; i++) {
		if (values[i] == NULL || strlen(values[i]) > JG_CLAIM_MAX)
			return jg_fail(err, JG_ERR_USAGE, "claim %s is missing or longer than %d bytes",
				names[i], JG_CLAIM_MAX);
	}
	jg_jwt_object_init(o);
	jg_jwt_add_string(o, "iss", c->iss);
	jg_jwt_add_string(o, "sub", c->sub);
	jg_jwt_add_string(o, "aud", c->aud);
	jg_jwt_add_integer(o, "exp", c->exp);
	jg_jwt_add_integer(o, "iat", c->iat);
	return JG_OK;
}

jg_status jg_jwt_claims_json(const jg_claims *c, char *out, size_t cap, size_t *len, jg_error *err)
{
	jg_jwt_object o;
	jg_status st = salesforce_claims(c, &o, err);
	if (st == JG_OK && jg_jwt_object_json(&o, out, cap, len, err) != JG_OK)
		st = jg_fail(err, JG_ERR_USAGE, "the claims do not fit in %zu bytes", cap);
	return st;
}

/* {"alg":"RS256","typ":"JWT"}, then "kid" when given. */
static void rs256_header(jg_jwt_object *h, const char *key_id)
{
	jg_jwt_object_init(h);
	jg_jwt_add_string(h, "alg", "RS256");
	jg_jwt_add_string(h, "typ", "JWT");
	if (key_id != NULL)
		jg_jwt_add_string(h, "kid", key_id);
}

static int append_raw(char *out, size_t cap, size_t *pos, const char *s)
{
	size_t n = strlen(s);
	if (*pos + n >= cap)
		return -1;
	memcpy(out + *pos, s, n + 1);
	*pos += n;
	return 0;
}

/* Append base64url(data) to out at *pos. */
static int append_b64url(char *out, size_t cap, size_t *pos, const void *data, size_t n)
{
	size_t w = jg_base64_encode(data, n, out + *pos, cap - *pos, JG_B64_URL);
	if (w == (size_t)-1)
		return -1;
	*pos += w;
	return 0;
}

static void sha256(const void *data, size_t len, unsigned char out[32])
{
	br_sha256_context hc;
	br_sha256_init(&hc);
	br_sha256_update(&hc, data, len);
	br_sha256_out(&hc, out);
}

/*
 * 1 when sig (siglen bytes) is the RS256 signature of hash under pk. Checked on every signature
 * before it leaves, as keygen checks its certificate: a fault during the CRT computation (a
 * glitch, a bit flip) can give a wrong signature from which the key's factors are recovered
 * (Boneh, DeMillo and Lipton's attack on RSA-CRT), and a wrong signature is never sent.
 */
static int signature_verifies(const unsigned char *sig, size_t siglen, const unsigned char hash[32],
	const br_rsa_public_key *pk)
{
	unsigned char recovered[32];
	int ok = siglen == pk->nlen && br_rsa_pkcs1_vrfy_get_default()(sig, siglen,
		BR_HASH_OID_SHA256, sizeof recovered, pk, recovered) &&
		memcmp(recovered, hash, sizeof recovered) == 0;
	jg_wipe(recovered, sizeof recovered);
	return ok;
}

/* base64url(header) "." base64url(claims) into out at *p. */
static jg_status signing_input(const jg_jwt_object *header, const jg_jwt_object *claims,
	char *out, size_t cap, size_t *p, jg_error *err)
{
	char json[JG_JWT_MAX]; /* its base64url must fit in an assertion, so no more is needed */
	size_t jlen = 0;
	jg_status st = check_lengths(header, err);
	if (st == JG_OK)
		st = check_lengths(claims, err);
	if (st == JG_OK)
		st = jg_jwt_object_json(header, json, sizeof json, &jlen, err);
	if (st == JG_OK && append_b64url(out, cap, p, json, jlen) != 0)
		st = jg_fail(err, JG_ERR_USAGE, "the assertion does not fit in %zu bytes", cap);
	if (st == JG_OK)
		st = jg_jwt_object_json(claims, json, sizeof json, &jlen, err);
	if (st == JG_OK && (append_raw(out, cap, p, ".") || append_b64url(out, cap, p, json, jlen)))
		st = jg_fail(err, JG_ERR_USAGE, "the assertion does not fit in %zu bytes", cap);
	jg_wipe(json, sizeof json);
	return st;
}

jg_status jg_jwt_sign_object(const jg_jwt_object *header, const jg_jwt_object *claims,
	const br_rsa_private_key *sk, const br_rsa_public_key *pk, char *out, size_t cap,
	size_t *len, jg_error *err)
{
	unsigned char hash[32];
	unsigned char sig[512];
	size_t p = 0;
	jg_status st = signing_input(header, claims, out, cap, &p, err);
	if (st != JG_OK)
		goto done;
	sha256(out, p, hash);
	size_t siglen = (sk->n_bitlen + 7) / 8;
	if (siglen > sizeof sig || !br_rsa_pkcs1_sign_get_default()(BR_HASH_OID_SHA256, hash,
			sizeof hash, sk, sig)) {
		st = jg_fail(err, JG_ERR_INPUT, "signing the assertion failed: the RSA key is not usable");
		goto done;
	}
	if (!signature_verifies(sig, siglen, hash, pk)) {
		st = jg_fail(err, JG_ERR_INPUT, "the assertion's signature does not verify with the key's "
			"public half (a fault while signing, or a damaged key); nothing was sent: try again, "
			"and check the key with: jwtgrant check");
		goto done;
	}
	if (append_raw(out, cap, &p, ".") || append_b64url(out, cap, &p, sig, siglen)) {
		st = jg_fail(err, JG_ERR_USAGE, "the assertion does not fit in %zu bytes", cap);
		goto done;
	}
	*len = p;
done:
	jg_wipe(hash, sizeof hash);
	jg_wipe(sig, sizeof sig);
	if (st != JG_OK)
		jg_wipe(out, cap);
	return st;
}

jg_status jg_jwt_sign(const jg_claims *claims, const br_rsa_private_key *sk,
	const br_rsa_public_key *pk, char *out, size_t cap, size_t *len, jg_error *err)
{
	jg_jwt_object header, body;
	jg_status st = salesforce_claims(claims, &body, err);
	rs256_header(&header, NULL);
	return st == JG_OK ? jg_jwt_sign_object(&header, &body, sk, pk, out, cap, len, err) : st;
}

static int is_b64url_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		c == '-' || c == '_';
}

jg_status jg_jwt_split(const char *jwt, size_t len, jg_jwt_parts *parts, jg_error *err)
{
	memset(parts, 0, sizeof *parts);
	const char *start[3] = { jwt, NULL, NULL };
	size_t n[3] = { 0, 0, 0 };
	int part = 0;
	for (size_t i = 0; i < len; i++) {
		if (jwt[i] == '.') {
			if (++part > 2)
				return jg_fail(err, JG_ERR_INPUT, "not a JWT: more than three dot-separated parts");
			start[part] = jwt + i + 1;
			continue;
		}
		if (!is_b64url_char(jwt[i]))
			return jg_fail(err, JG_ERR_INPUT,
				"not a JWT: byte %zu is not a base64url character", i + 1);
		n[part]++;
	}
	if (part != 2 || n[0] == 0 || n[1] == 0)
		return jg_fail(err, JG_ERR_INPUT,
			"not a JWT: expected three base64url parts separated by '.' (header.claims.signature)");
	parts->header = start[0];
	parts->header_len = n[0];
	parts->claims = start[1];
	parts->claims_len = n[1];
	parts->signature = start[2];
	parts->signature_len = n[2];
	return JG_OK;
}

jg_status jg_jwt_decode_part(const char *part, size_t len, const char *name, char *out,
	size_t cap, size_t *out_len, jg_error *err)
{
	if (cap == 0 || jg_base64_decode(part, len, (unsigned char *)out, cap - 1, out_len,
			JG_B64_URL) != 0)
		return jg_fail(err, JG_ERR_INPUT, "not a JWT: the %s is not valid base64url", name);
	out[*out_len] = '\0';
	return JG_OK;
}

jg_status jg_jwt_verify_rs256(const jg_jwt_parts *parts, const br_rsa_public_key *pk,
	jg_error *err)
{
	unsigned char sig[1024], hash[32], expected[32];
	size_t siglen = 0;
	if (jg_base64_decode(parts->signature, parts->signature_len, sig, sizeof sig, &siglen,
			JG_B64_URL) != 0 || siglen == 0)
		return jg_fail(err, JG_ERR_CHECK, "signature does not verify: it is missing or not base64url");
	size_t signed_len = (size_t)(parts->signature - parts->header) - 1;
	sha256(parts->header, signed_len, expected);
	if (siglen != pk->nlen || !br_rsa_pkcs1_vrfy_get_default()(sig, siglen, BR_HASH_OID_SHA256,
			sizeof hash, pk, hash) || memcmp(hash, expected, sizeof hash) != 0)
		return jg_fail(err, JG_ERR_CHECK,
			"signature does not verify with this certificate's key (RS256)");
	return JG_OK;
}

/* 128 random bits, base64url without padding (22 characters): a jti no one can guess or repeat. */
static jg_status random_jti(char out[32], jg_error *err)
{
	unsigned char bits[16];
	jg_status st = jg_random_bytes(bits, sizeof bits, err);
	if (st == JG_OK && jg_base64_encode(bits, sizeof bits, out, 32, JG_B64_URL) == (size_t)-1)
		st = jg_fail(err, JG_ERR_INPUT, "cannot write the jti");
	return st;
}

jg_status jg_jwt_make_assertion(const jg_assertion *a, int64_t now, const br_rsa_private_key *sk,
	const br_rsa_public_key *pk, char *out, size_t cap, size_t *len, jg_error *err)
{
	jg_jwt_object header, claims;
	char jti[32];
	if (a->issuer == NULL || (a->audience == NULL && !a->times_first))
		return jg_fail(err, JG_ERR_USAGE, "the assertion needs an issuer and an audience");
	if (a->jti && random_jti(jti, err) != JG_OK)
		return JG_ERR_INPUT;
	rs256_header(&header, a->key_id);
	for (size_t i = 0; i < a->extra_header_count; i++)
		jg_jwt_add_member(&header, &a->extra_headers[i]);
	int64_t iat = now - (int64_t)a->backdate, exp = iat + (int64_t)a->lifetime;
	jg_jwt_object_init(&claims);
	if (a->times_first) {
		jg_jwt_add_integer(&claims, "iat", iat);
		jg_jwt_add_integer(&claims, "exp", exp);
	}
	jg_jwt_add_string(&claims, "iss", a->issuer);
	if (a->subject != NULL)
		jg_jwt_add_string(&claims, "sub", a->subject);
	if (a->scope != NULL)
		jg_jwt_add_string(&claims, "scope", a->scope);
	if (a->audience != NULL)
		jg_jwt_add_string(&claims, "aud", a->audience);
	if (!a->times_first) {
		jg_jwt_add_integer(&claims, "exp", exp);
		jg_jwt_add_integer(&claims, "iat", iat);
	}
	if (a->jti)
		jg_jwt_add_string(&claims, "jti", jti);
	for (size_t i = 0; i < a->extra_claim_count; i++)
		jg_jwt_add_member(&claims, &a->extra_claims[i]);
	jg_trace("assertion: iat %lld, exp %lld (%ld s later)", (long long)iat, (long long)exp,
		a->lifetime);
	return jg_jwt_sign_object(&header, &claims, sk, pk, out, cap, len, err);
}
