/*
 * How the commands open encrypted keys (cli.md, "Encrypted private keys"): the options become a
 * jg_key_unlock for the key loader (the openssl enc choices, the raw key and IV decoded from
 * hex), and the passphrase comes from --passphrase-env, --passphrase-file or the terminal, asked
 * for only once the key turns out to be encrypted. keygen --encrypt takes its passphrase here
 * too, asked twice.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/ascii.h"
#include "base/passphrase.h"
#include "base/wipe.h"
#include "cmd/cmd.h"

/*
 * The hex in environment variable `name`, the `what` ("key" or "IV") that openssl enc takes as
 * `option` (-K or -iv), into out[0..cap). JG_ERR_INPUT naming the variable, never its value.
 */
static jg_status hex_from_env(const char *name, const char *what, const char *option,
	unsigned char *out, size_t cap, size_t *len, jg_error *err)
{
	const char *value = getenv(name);
	if (value == NULL || *value == '\0')
		return jg_fail(err, JG_ERR_INPUT, "environment variable %s is %s; export the %s "
			"(openssl enc's hex %s) into it", name, value == NULL ? "not set" : "empty", what,
			option);
	if (jg_ascii_hex_decode(value, strlen(value), out, cap, len) != 0)
		return jg_fail(err, JG_ERR_INPUT, "environment variable %s does not hold the %s as openssl "
			"enc's %s takes it: an even number of hex digits, at most %zu bytes", name, what,
			option, cap);
	return JG_OK;
}

static const br_hash_class *digest_by_name(const char *name)
{
	static const struct {
		const char *name;
		const br_hash_class *hash;
	} digests[] = { { "sha256", &br_sha256_vtable }, { "sha1", &br_sha1_vtable },
		{ "sha512", &br_sha512_vtable }, { "md5", &br_md5_vtable } };
	for (size_t i = 0; name != NULL && i < sizeof digests / sizeof digests[0]; i++) {
		if (strcasecmp(name, digests[i].name) == 0)
			return digests[i].hash;
	}
	return NULL;
}

jg_status jg_cmd_read_passphrase(const jg_options *o, const char *source, int confirm,
	jg_passphrase *p, jg_error *err)
{
	if (o->passphrase_env != NULL)
		return jg_passphrase_from_env(o->passphrase_env, p, err);
	if (o->passphrase_file != NULL)
		return jg_passphrase_from_file(o->passphrase_file, p, err);
	char prompt[700];
	(void)snprintf(prompt, sizeof prompt, "Passphrase for %.600s: ", source);
	return jg_passphrase_prompt(prompt, confirm, p, err);
}

int jg_cmd_has_passphrase_source(const jg_options *o)
{
	return o->passphrase_env != NULL || o->passphrase_file != NULL || jg_passphrase_has_tty();
}

/* The key loader's jg_key_passphrase_fn: the options say where the passphrase is. */
static jg_status give_passphrase(const void *ctx, const char *origin, const jg_enc_info *info,
	unsigned char *out, size_t cap, size_t *len, jg_error *err)
{
	const jg_options *o = ctx;
	static jg_passphrase p;
	if (!jg_cmd_has_passphrase_source(o))
		return jg_key_refuse_encrypted(origin, info, err);
	jg_status st = jg_cmd_read_passphrase(o, origin, 0, &p, err);
	if (st == JG_OK && p.len > cap)
		st = jg_fail(err, JG_ERR_INPUT, "the passphrase for %s is longer than %zu bytes", origin, cap);
	if (st == JG_OK) {
		memcpy(out, p.bytes, p.len);
		*len = p.len;
	}
	jg_passphrase_wipe(&p);
	return st;
}

jg_status jg_cmd_unlock_init(const jg_options *o, jg_cmd_unlock *u, jg_error *err)
{
	memset(u, 0, sizeof *u);
	u->unlock.passphrase = give_passphrase;
	u->unlock.ctx = o;
	u->unlock.enc.cipher = o->enc_cipher != NULL ? jg_cipher_by_name(o->enc_cipher) : JG_CIPHER_NONE;
	u->unlock.enc.iterations = (unsigned long)o->enc_iter;
	u->unlock.enc.md = digest_by_name(o->enc_md);
	if (o->enc_key_env == NULL)
		return JG_OK;
	jg_status st = hex_from_env(o->enc_key_env, "key", "-K", u->raw_key, sizeof u->raw_key,
		&u->unlock.enc.raw_key_len, err);
	if (st == JG_OK)
		st = hex_from_env(o->enc_iv_env, "IV", "-iv", u->raw_iv, sizeof u->raw_iv,
			&u->unlock.enc.raw_iv_len, err);
	u->unlock.enc.raw_key = u->raw_key;
	u->unlock.enc.raw_iv = u->raw_iv;
	return st;
}

void jg_cmd_unlock_wipe(jg_cmd_unlock *u)
{
	jg_wipe(u, sizeof *u);
}
