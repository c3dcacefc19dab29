/*
 * jwtgrant keygen: a new RSA key (PKCS#8 PEM, mode 0600) and a self-signed certificate for it
 * (PEM, mode 0644) to upload to the Connected App, then the fingerprints, the validity and the
 * steps that remain in Salesforce.
 *
 * Order of work, so that a failure changes nothing: every option is checked, then both output
 * paths (an existing file or symlink refuses without --force, a directory always, and each
 * must lie in a directory that takes new files), then the key and the certificate are made in
 * memory, and only then written: the key first, each file through a temporary beside it and a
 * rename, so an old file is replaced whole and the key is 0600 from its first byte. When the
 * certificate cannot be written after all, a key this run created is removed again.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/file.h"
#include "base/wipe.h"
#include "cmd/cmd.h"
#include "crypto/keygen.h"
#include "crypto/pem.h"
#include "crypto/sha256.h"
#include "x509/cert.h"
#include "x509/cert_write.h"
#include "x509/der.h"

#define DAYS_MIN 1
#define DAYS_MAX 9999
#define SECONDS_PER_DAY 86400
/* notBefore lies this far in the past, so that a verifier whose clock is a little behind
 * ours already accepts the certificate. */
#define BACKDATE_SECONDS 300

/* What keygen made, for the summary. */
typedef struct keygen_result {
	char fingerprint[96]; /* SHA-256 of the certificate DER, colon hex */
	char public_key[65];  /* SHA-256 of the SubjectPublicKeyInfo DER, hex */
	int64_t not_before, not_after;
} keygen_result;

/*
 * A certificate name from the command line: 1 to JG_CERT_CN_MAX characters (UTF-8 sequences
 * counted once) and no control characters. The certificate writer checks the UTF-8 itself.
 */
static jg_status check_name(const char *option, const char *text, jg_error *err)
{
	size_t chars = 0;
	for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7F)
			return jg_fail(err, JG_ERR_USAGE, "%s: control characters are not allowed",
				option);
		if ((*p & 0xC0) != 0x80)
			chars++;
	}
	if (chars == 0 || chars > JG_CERT_CN_MAX)
		return jg_fail(err, JG_ERR_USAGE, "%s: give 1 to %d characters", option,
			JG_CERT_CN_MAX);
	return JG_OK;
}

static jg_status check_options(const jg_options *o, jg_error *err)
{
	if (!jg_keygen_bits_allowed(o->bits))
		return jg_fail(err, JG_ERR_USAGE, "--bits: %ld is not one of 2048, 3072, 4096",
			o->bits);
	if (o->days < DAYS_MIN || o->days > DAYS_MAX)
		return jg_fail(err, JG_ERR_USAGE, "--days: %ld is not from %d to %d", o->days,
			DAYS_MIN, DAYS_MAX);
	jg_status st = check_name("--subject", o->subject, err);
	if (st == JG_OK && o->org != NULL)
		st = check_name("--org", o->org, err);
	if (st != JG_OK)
		return st;
	if (strcmp(o->key_out, o->cert_out) == 0)
		return jg_fail(err, JG_ERR_USAGE, "--key-out and --cert-out name the same file %s",
			o->key_out);
	return JG_OK;
}

/* Whether the directory that will hold path exists and lets us create files in it. */
static jg_status check_directory(const char *path, jg_error *err)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	size_t len = slash == NULL ? 0 : slash == path ? 1 : (size_t)(slash - path);
	if (len >= sizeof dir)
		return jg_fail(err, JG_ERR_INPUT, "output path %.200s is too long", path);
	memcpy(dir, len > 0 ? path : ".", len > 0 ? len : 1);
	dir[len > 0 ? len : 1] = '\0';
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return jg_fail(err, JG_ERR_INPUT, "cannot write %s: directory %s does not exist",
			path, dir);
	if (access(dir, W_OK | X_OK) != 0)
		return jg_fail(err, JG_ERR_INPUT,
			"cannot write %s: directory %s is not writable: %s", path, dir,
			strerror(errno));
	return JG_OK;
}

/*
 * May keygen write `path`? Not when something is there (lstat: a symlink counts, dangling or
 * not) and --force was not given, never over a directory, and only into a directory that
 * takes new files. *exists tells whether something was there.
 */
static jg_status check_output(const char *path, int force, int *exists, jg_error *err)
{
	struct stat st;
	*exists = 0;
	if (lstat(path, &st) == 0) {
		*exists = 1;
		if (S_ISDIR(st.st_mode))
			return jg_fail(err, JG_ERR_INPUT, "%s is a directory; give a file path",
				path);
		if (!force)
			return jg_fail(err, JG_ERR_INPUT,
				"%s already exists; nothing was written "
				"(pass --force to replace the key and certificate)",
				path);
	} else if (errno != ENOENT) {
		return jg_fail(err, JG_ERR_INPUT, "cannot use %s: %s", path, strerror(errno));
	}
	return check_directory(path, err);
}

/* The self-signed certificate of key, as DER in der[0..cap); fills the summary. */
static jg_status make_certificate(const jg_options *o, const jg_key *key, int64_t now,
	unsigned char *der, size_t cap, size_t *len, keygen_result *result, jg_error *err)
{
	jg_cert_request req = {
		.sk = &key->sk,
		.pk = &key->pk,
		.common_name = o->subject,
		.organization = o->org,
		.not_before = now - BACKDATE_SECONDS,
		.not_after = now + (int64_t)o->days * SECONDS_PER_DAY,
	};
	jg_status st = jg_random_bytes(req.serial, sizeof req.serial, err);
	if (st == JG_OK)
		st = jg_cert_write_self_signed(&req, der, cap, len, err);
	if (st != JG_OK)
		return st;
	unsigned char spki[JG_DER_RSA_SPKI_MAX];
	size_t spki_len = 0;
	st = jg_der_rsa_spki(&key->pk, spki, sizeof spki, &spki_len, err);
	if (st != JG_OK)
		return st;
	jg_sha256_hex(spki, spki_len, result->public_key);
	jg_sha256_colon_hex(der, *len, result->fingerprint);
	result->not_before = req.not_before;
	result->not_after = req.not_after;
	return JG_OK;
}

/*
 * Write the key, then the certificate. When the certificate fails, a key that did not exist
 * before is removed again; a key that replaced an old one (--force) cannot be taken back, and
 * the message says so.
 */
static jg_status write_outputs(const jg_options *o, const char *key_pem, size_t key_len,
	const char *cert_pem, size_t cert_len, int key_existed, jg_error *err)
{
	jg_status st = jg_file_write_atomic(o->key_out, key_pem, key_len, 0600, o->force, err);
	if (st != JG_OK)
		return st;
	st = jg_file_write_atomic(o->cert_out, cert_pem, cert_len, 0644, o->force, err);
	if (st == JG_OK)
		return JG_OK;
	char why[JG_ERROR_MESSAGE_MAX];
	(void)snprintf(why, sizeof why, "%s", err->message);
	if (!key_existed && unlink(o->key_out) == 0)
		return jg_fail(err, st, "%s; removed the new key %s again, nothing was written",
			why, o->key_out);
	return jg_fail(err, st,
		"%s; %s now holds a new key without its certificate: run keygen "
		"again with --force",
		why, o->key_out);
}

/*
 * What remains to do in Salesforce, for both kinds of app: orgs created since Spring '26 make
 * External Client Apps (Salesforce Help, "Configure a JWT Bearer Flow" and "Preauthorize User
 * App Access Through External Client App Policies"); older orgs keep Connected Apps.
 */
static void print_next_steps(const jg_options *o)
{
	printf("\nNext steps in Salesforce, for an External Client App (new orgs):\n");
	printf("  1. Setup > External Client Apps Manager > your app > Edit Settings > OAuth Settings:\n"
	       "     Enable OAuth (scopes api and refresh_token), tick \"Enable JWT Bearer Flow\"\n"
	       "     and upload %s.\n", o->cert_out);
	printf("  2. The app's Edit Policies > OAuth Policies: Permitted Users \"Admin approved users\n"
	       "     are pre-authorized\"; select the user's profile or permission set.\n");
	printf("  3. Copy the consumer key (Settings > OAuth Settings > Consumer Key and Secret).\n");
	printf("For a Connected App (older orgs):\n");
	printf("  1. Setup > App Manager > your Connected App > Edit: tick \"Use digital signatures\"\n"
	       "     and upload %s; Selected OAuth Scopes: api and refresh_token.\n", o->cert_out);
	printf("  2. Manage > Edit Policies: Permitted Users \"Admin approved users are\n"
	       "     pre-authorized\"; then add the user's profile or permission set.\n");
	printf("  3. Copy the consumer key (App Manager > View > Manage Consumer Details).\n");
	printf("Then:\n  jwtgrant grant --client-id <consumer key> --jwt-key-file %s --username <user>%s\n"
	       "  (sandbox: add --instance-url https://test.salesforce.com)\n", o->key_out,
		o->encrypt ? " \\\n      --passphrase-env <VAR>" : "");
}

static void print_summary(const jg_options *o, const jg_key *key, const keygen_result *r)
{
	char from[32], until[32];
	jg_clock_iso8601(r->not_before, from);
	jg_clock_iso8601(r->not_after, until);
	if (o->encrypt)
		printf("wrote %s: RSA %u-bit private key (PKCS#8 PEM, mode 0600), encrypted: PBES2, "
		       "PBKDF2-HMAC-SHA256 (%ld iterations), AES-256-CBC\n", o->key_out, key->bits,
			o->kdf_iter);
	else
		printf("wrote %s: RSA %u-bit private key (PKCS#8 PEM, mode 0600)\n", o->key_out,
			key->bits);
	printf("wrote %s: self-signed certificate (PEM, mode 0644)\n", o->cert_out);
	printf("sha256 Fingerprint=%s\n", r->fingerprint);
	printf("public key SHA-256: %s\n", r->public_key);
	printf("not before: %s\n", from);
	printf("not after: %s (%ld days)\n", until, o->days);
	print_next_steps(o);
}

/*
 * --encrypt: the passphrase, before any work (asked twice on a terminal). A run that cannot
 * have one fails here, having made and written nothing.
 */
static jg_status take_passphrase(const jg_options *o, jg_passphrase *p, jg_error *err)
{
	if (!o->encrypt)
		return JG_OK;
	if (!jg_cmd_has_passphrase_source(o))
		return jg_fail(err, JG_ERR_INPUT, "keygen --encrypt needs a passphrase and there is no "
			"terminal to ask on: give it with --passphrase-env VAR or --passphrase-file FILE");
	char source[600];
	(void)snprintf(source, sizeof source, "the new key %.500s", o->key_out);
	return jg_cmd_read_passphrase(o, source, 1, p, err);
}

/* The key's PEM: plain PKCS#8, or encrypted with the passphrase (--encrypt). */
static jg_status key_pem_text(const jg_options *o, const jg_key *key, const jg_passphrase *p,
	char *out, size_t cap, size_t *len, jg_error *err)
{
	if (!o->encrypt)
		return jg_keygen_private_pem(key, out, cap, len, err);
	return jg_keygen_encrypted_pem(key, p->bytes, p->len, (unsigned long)o->kdf_iter, out, cap,
		len, err);
}

jg_status jg_cmd_keygen(const jg_options *o, jg_error *err)
{
	static jg_passphrase passphrase;
	static jg_key key;
	static char key_pem[JG_KEYGEN_PEM_MAX];
	static unsigned char cert_der[JG_CERT_DER_MAX];
	static char cert_pem[2 * JG_CERT_DER_MAX];
	size_t key_len = 0, cert_len = 0, cert_pem_len = 0;
	int key_existed = 0, cert_existed = 0;
	int64_t now = 0;
	keygen_result result = { 0 };
	jg_status st = check_options(o, err);
	if (st == JG_OK)
		st = jg_clock_now(&now, err);
	if (st == JG_OK)
		st = check_output(o->key_out, o->force, &key_existed, err);
	if (st == JG_OK)
		st = check_output(o->cert_out, o->force, &cert_existed, err);
	if (st == JG_OK)
		st = take_passphrase(o, &passphrase, err);
	if (st == JG_OK)
		st = jg_keygen_rsa((unsigned)o->bits, &key, err);
	if (st == JG_OK)
		st = key_pem_text(o, &key, &passphrase, key_pem, sizeof key_pem, &key_len, err);
	jg_passphrase_wipe(&passphrase);
	if (st == JG_OK)
		st = make_certificate(o, &key, now, cert_der, sizeof cert_der, &cert_len, &result,
			err);
	if (st == JG_OK)
		st = jg_pem_write("CERTIFICATE", cert_der, cert_len, cert_pem, sizeof cert_pem,
			&cert_pem_len, err);
	if (st == JG_OK)
		st = write_outputs(o, key_pem, key_len, cert_pem, cert_pem_len, key_existed, err);
	if (st == JG_OK) {
		print_summary(o, &key, &result);
		if (fflush(stdout) != 0)
			st = jg_fail(err, JG_ERR_INPUT, "cannot write to standard output");
	}
	jg_key_wipe(&key);
	jg_wipe(key_pem, sizeof key_pem);
	return st;
}
