/*
 * jwtgrant check: what a key is (type, size, the SHA-256 of its SubjectPublicKeyInfo DER, the
 * value `openssl pkey -pubout -outform DER | sha256sum` prints) and, with --cert, whether the
 * certificate carries the same public key and is valid now.
 *
 * Output, one "name: value" a line:
 *   key: RSA 2048 bits
 *   public key SHA-256: <64 lowercase hex digits>
 *   encrypted: PBES2, PBKDF2-HMAC-SHA256 (600000 iterations), AES-256-CBC   (encrypted keys only)
 *   subject: CN=..., O=...             (--cert only, from here on)
 *   issuer: CN=..., O=...
 *   not before: 2020-01-01T00:00:00Z
 *   not after: 2049-12-31T23:59:59Z
 *   sha256 Fingerprint=AA:BB:...      (as `openssl x509 -noout -fingerprint -sha256`)
 *   key matches certificate: yes|no
 *   certificate valid now: yes|no, expired on ... (now ...)
 * Everything is printed before a failing status is returned: JG_ERR_CHECK for a mismatch or a
 * certificate outside its validity, JG_ERR_INPUT for a file that cannot be read or parsed.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "base/clock.h"
#include "base/file.h"
#include "base/wipe.h"
#include "cmd/cmd.h"
#include "crypto/sha256.h"
#include "x509/cert.h"
#include "x509/cert_verify.h"
#include "x509/der.h"

/* Warn, without failing, when the key file can be read by group or others. */
static void warn_if_readable(const char *path)
{
	struct stat st;
	if (path == NULL || strcmp(path, "-") == 0 || stat(path, &st) != 0)
		return;
	if ((st.st_mode & 077) != 0)
		(void)fprintf(stderr,
			"jwtgrant: warning: %s is readable by others (mode %04o); chmod 600 %s\n",
			path, (unsigned)(st.st_mode & 07777), path);
}

static jg_status print_key(const jg_key *key, const jg_enc_info *encryption, jg_error *err)
{
	unsigned char spki[JG_DER_RSA_SPKI_MAX];
	size_t len = 0;
	char hex[65];
	jg_status st = jg_der_rsa_spki(&key->pk, spki, sizeof spki, &len, err);
	if (st != JG_OK)
		return st;
	jg_sha256_hex(spki, len, hex);
	printf("key: RSA %u bits\npublic key SHA-256: %s\n", key->bits, hex);
	if (encryption->format != JG_ENC_NONE)
		printf("encrypted: %s\n", encryption->description);
	return JG_OK;
}

/* Append "; " and a problem to the failure list. */
static void add_problem(char *list, size_t cap, const char *problem)
{
	size_t used = strlen(list);
	(void)snprintf(list + used, cap - used, "%s%s", used > 0 ? "; " : "", problem);
}

/* Whether now lies inside the certificate's validity; a problem for the list when not. */
static void print_validity(const jg_cert_info *info, int64_t now, char *problems, size_t cap)
{
	char edge[32], at[32], why[128] = "", problem[160];
	jg_clock_iso8601(now, at);
	if (now < info->not_before) {
		jg_clock_iso8601(info->not_before, edge);
		(void)snprintf(why, sizeof why, "not valid before %s (now %s)", edge, at);
		(void)snprintf(problem, sizeof problem, "the certificate is %s", why);
	} else if (now > info->not_after) {
		jg_clock_iso8601(info->not_after, edge);
		(void)snprintf(why, sizeof why, "expired on %s (now %s)", edge, at);
		(void)snprintf(problem, sizeof problem, "the certificate %s", why);
	}
	if (why[0] == '\0') {
		printf("certificate valid now: yes\n");
		return;
	}
	printf("certificate valid now: no, %s\n", why);
	add_problem(problems, cap, problem);
}

/* Whether the certificate holds the key; a problem for the list when not. */
static void print_match(const jg_key *key, const jg_cert_info *info, char *problems, size_t cap)
{
	if (jg_cert_holds_rsa_key(info, &key->pk)) {
		printf("key matches certificate: yes\n");
		return;
	}
	printf("key matches certificate: no\n");
	char hex[65], problem[256];
	jg_sha256_hex(info->spki.data, info->spki.len, hex);
	const char *kind = "another RSA";
	if (info->key_algorithm == JG_KEY_EC)
		kind = "an EC";
	else if (info->key_algorithm != JG_KEY_RSA)
		kind = "a non-RSA";
	(void)snprintf(problem, sizeof problem,
		"key and certificate do not match: "
		"the certificate holds %s public key (SHA-256 %s)",
		kind, hex);
	add_problem(problems, cap, problem);
}

/*
 * Print what the certificate says and how it relates to the key and to now; every problem
 * found goes into problems[0..cap).
 */
static void print_certificate(const jg_key *key, const jg_cert_info *info, const unsigned char *der,
	size_t der_len, int64_t now, char *problems, size_t cap)
{
	char from[32], until[32], fingerprint[96];
	jg_clock_iso8601(info->not_before, from);
	jg_clock_iso8601(info->not_after, until);
	jg_sha256_colon_hex(der, der_len, fingerprint);
	printf("subject: %s\nissuer: %s\nnot before: %s\nnot after: %s\nsha256 Fingerprint=%s\n",
		info->subject, info->issuer, from, until, fingerprint);
	print_match(key, info, problems, cap);
	print_validity(info, now, problems, cap);
}

jg_status jg_cmd_check(const jg_options *o, jg_error *err)
{
	static jg_key key;
	static unsigned char der[JG_CERT_DER_MAX];
	jg_cert_info info = { 0 };
	jg_enc_info encryption = { 0 };
	size_t der_len = 0;
	int64_t now = 0;
	char problems[JG_ERROR_MESSAGE_MAX / 2] = "";
	jg_status st = jg_clock_now(&now, err);
	if (st == JG_OK && o->key_file != NULL && o->key_env == NULL)
		warn_if_readable(o->key_file);
	if (st == JG_OK)
		st = jg_cmd_load_key(o, &key, &encryption, err);
	if (st == JG_OK && o->cert != NULL)
		st = jg_cmd_load_cert(o->cert, der, sizeof der, &der_len, &info, err);
	if (st == JG_OK)
		st = print_key(&key, &encryption, err);
	if (st == JG_OK && o->cert != NULL)
		print_certificate(&key, &info, der, der_len, now, problems, sizeof problems);
	if (st == JG_OK && fflush(stdout) != 0)
		st = jg_fail(err, JG_ERR_INPUT, "cannot write to standard output");
	if (st == JG_OK && problems[0] != '\0')
		st = jg_fail(err, JG_ERR_CHECK, "check failed: %s", problems);
	jg_key_wipe(&key);
	return st;
}
