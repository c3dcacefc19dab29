#include <stdio.h>
#include <string.h>

#include "base/ascii.h"
#include "base/file.h"
#include "base/trace.h"
#include "base/utf8.h"
#include "base/wipe.h"
#include "cmd/cmd.h"
#include "crypto/jwt.h"
#include "net/url.h"
#include "oauth/audience.h"
#include "x509/cert.h"
#include "x509/der.h"

/* A certificate file: PEM is a third larger than the DER, plus any text around it. */
#define CERT_FILE_MAX (4 * JG_CERT_DER_MAX)

/* Whether DER that is not a certificate is a private key: PKCS#1 and PKCS#8 both open with a
 * SEQUENCE whose first element is the INTEGER version, where a certificate has a SEQUENCE. */
static int der_is_private_key(const unsigned char *der, size_t len)
{
	jg_der_reader r, inner;
	jg_der_reader_init(&r, der, len);
	return jg_der_enter(&r, JG_DER_SEQUENCE, &inner) == JG_DER_OK &&
		jg_der_peek_tag(&inner) == JG_DER_INTEGER;
}

/* Replace a reader's message for a file that holds something else than a certificate. */
static jg_status not_a_certificate(const char *path, const unsigned char *text, size_t len,
	jg_error *err)
{
	if (memmem(text, len, "PRIVATE KEY-----", 16) != NULL || der_is_private_key(text, len))
		return jg_fail(err, JG_ERR_INPUT,
			"%s is a private key, not a certificate; give --cert "
			"the certificate (keygen writes it as server.crt)",
			path);
	if (memmem(text, len, "PUBLIC KEY-----", 15) != NULL)
		return jg_fail(err, JG_ERR_INPUT,
			"%s is a public key, not a certificate; give --cert "
			"the certificate uploaded to the Connected App",
			path);
	return jg_fail_context(err, JG_ERR_INPUT, "certificate %s", path);
}

jg_status jg_cmd_load_cert(const char *path, unsigned char *der, size_t cap, size_t *der_len,
	jg_cert_info *info, jg_error *err)
{
	static unsigned char text[CERT_FILE_MAX];
	size_t len = 0;
	jg_status st = jg_file_read(path, "certificate", text, sizeof text, &len, err);
	if (st == JG_OK && jg_cert_from_bytes(text, len, der, cap, der_len, err) != JG_OK)
		st = not_a_certificate(path, text, len, err);
	if (st == JG_OK && jg_cert_parse(der, *der_len, info, err) != JG_OK)
		st = not_a_certificate(path, text, len, err);
	jg_wipe(text, len); /* a private key given by mistake was in there */
	return st;
}

jg_status jg_cmd_load_key(const jg_options *o, jg_key *key, jg_enc_info *info, jg_error *err)
{
	jg_cmd_unlock u; /* on the stack: a static one would fault in a page of its own */
	if (o->key_file != NULL && o->key_env != NULL)
		return jg_fail(err, JG_ERR_USAGE, "give either --jwt-key-file or --jwt-key-env, not both");
	if (o->key_file == NULL && o->key_env == NULL)
		return jg_fail(err, JG_ERR_USAGE,
			"no private key: give --jwt-key-file PATH (or - for stdin) or --jwt-key-env VAR");
	jg_status st = jg_cmd_unlock_init(o, &u, err);
	if (st == JG_OK && o->key_file != NULL)
		st = jg_key_load_file(o->key_file, &u.unlock, key, err);
	else if (st == JG_OK)
		st = jg_key_load_env(o->key_env, &u.unlock, key, err);
	if (info != NULL)
		*info = u.unlock.info;
	jg_cmd_unlock_wipe(&u);
	return st;
}

/* The claims' texts go into the JWT as JSON strings, which must be UTF-8: refuse anything else
 * before signing, rather than let the server's refusal blame the certificate. */
static jg_status require_utf8(const jg_options *o, jg_error *err)
{
	const struct {
		const char *name, *value;
	} claims[] = { { "--client-id", o->client_id }, { "--username", o->username },
		{ "--audience", o->audience } };
	for (size_t i = 0; i < sizeof claims / sizeof claims[0]; i++) {
		if (claims[i].value != NULL && !jg_utf8_valid(claims[i].value, strlen(claims[i].value)))
			return jg_fail(err, JG_ERR_USAGE, "%s is not valid UTF-8 text; give it as UTF-8 "
				"(check the terminal's or the CI variable's encoding)", claims[i].name);
	}
	return JG_OK;
}

jg_status jg_cmd_require_grant_inputs(const jg_options *o, jg_error *err)
{
	if (o->client_id == NULL)
		return jg_fail(err, JG_ERR_USAGE,
			"missing --client-id: the Connected App's consumer key (App Manager > View)");
	if (o->username == NULL)
		return jg_fail(err, JG_ERR_USAGE, "missing --username: the Salesforce user to log in as");
	if (o->key_file == NULL && o->key_env == NULL)
		return jg_fail(err, JG_ERR_USAGE,
			"no private key: give --jwt-key-file PATH (or - for stdin) or --jwt-key-env VAR");
	return require_utf8(o, err);
}

jg_status jg_cmd_assertion_from_options(const jg_options *o, jg_assertion *a, jg_error *err)
{
	jg_url url;
	jg_status st = jg_url_parse(o->instance_url, &url, err);
	if (st != JG_OK)
		return st;
	const char *source = NULL;
	memset(a, 0, sizeof *a);
	a->issuer = o->client_id;
	a->subject = o->username;
	a->audience = jg_audience_choose(o->audience, url.host, &source);
	a->lifetime = o->lifetime;
	jg_trace("audience %s (from %s), lifetime %ld s", a->audience, source, a->lifetime);
	return JG_OK;
}

jg_status jg_cmd_emit(const jg_options *o, const char *text, size_t len, jg_error *err)
{
	if (o->output_file != NULL)
		return jg_file_write_atomic(o->output_file, text, len, 0600, 1, err);
	if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0)
		return jg_fail(err, JG_ERR_INPUT, "cannot write to standard output");
	return JG_OK;
}
