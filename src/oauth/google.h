/*
 * A Google service account's JSON key file (providers.md, "--provider google"): the account
 * (client_email, the assertion's iss), the key's id (private_key_id, the header's kid), the
 * token endpoint (token_uri, the aud and where the POST goes) and the private key itself
 * (private_key: PKCS#8 PEM, its line breaks written \n inside the JSON string).
 */
#ifndef JG_GOOGLE_H
#define JG_GOOGLE_H

#include "base/error.h"
#include "crypto/jwt.h"
#include "crypto/key.h"

#define JG_GOOGLE_FILE_MAX (64 * 1024) /* bytes of a key file; Google's are about 2.4 KB */

typedef struct jg_google_account {
	char client_email[JG_CLAIM_MAX + 1];
	char key_id[JG_CLAIM_MAX + 1];
	char token_uri[2048];
} jg_google_account;

/*
 * Read the key file at path ("what" names where the path came from, for messages: "--credentials"
 * or "GOOGLE_APPLICATION_CREDENTIALS") into *account and *key. JG_ERR_INPUT naming the file and
 * the fix: not JSON, another type of credentials ("authorized_user", "external_account": named),
 * a member missing or not a string, a token_uri that is not https, a key that does not load.
 * The file's text and every copy of the key are wiped.
 */
jg_status jg_google_read_account(const char *path, const char *what, jg_google_account *account,
	jg_key *key, jg_error *err);

/* The account's key file as jg_google_read_account reads it, from text[0..len) (fuzzed). */
jg_status jg_google_parse_account(const char *text, size_t len, const char *origin,
	jg_google_account *account, jg_key *key, jg_error *err);

#endif
