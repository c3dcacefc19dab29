/*
 * Key loading (src/crypto/key.h) in all its forms: PEM with any line ends and text around it, PEM
 * with literal "\n", raw DER, base64 of PEM or DER. The whole input is the key material, as a
 * file, stdin or an environment variable would hand it over.
 *
 * Checked: a loaded key is RSA of 2048 to 4096 bits whose parts point into the jg_key, and a
 * refused one leaves a one-line message without control characters and the key wiped.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_util.h"
#include "crypto/key.h"

static int inside(const unsigned char *p, size_t len, const unsigned char *buf, size_t cap)
{
	return p >= buf && len <= cap && (size_t)(p - buf) <= cap - len;
}

static int all_zero(const void *p, size_t len)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < len; i++) {
		if (b[i] != 0)
			return 0;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static jg_key key;
	jg_error err;

	memset(&err, 0, sizeof err);
	jg_status st = jg_key_load_bytes(data, size, "fuzz input", &key, &err);
	if (st == JG_OK) {
		FUZZ_CHECK(key.bits >= JG_KEY_MIN_BITS && key.bits <= JG_KEY_MAX_BITS);
		FUZZ_CHECK(key.sk.n_bitlen == key.bits);
		FUZZ_CHECK(inside(key.sk.p, key.sk.plen, key.sk_buf, sizeof key.sk_buf));
		FUZZ_CHECK(inside(key.sk.q, key.sk.qlen, key.sk_buf, sizeof key.sk_buf));
		FUZZ_CHECK(inside(key.sk.dp, key.sk.dplen, key.sk_buf, sizeof key.sk_buf));
		FUZZ_CHECK(inside(key.sk.dq, key.sk.dqlen, key.sk_buf, sizeof key.sk_buf));
		FUZZ_CHECK(inside(key.sk.iq, key.sk.iqlen, key.sk_buf, sizeof key.sk_buf));
		FUZZ_CHECK(inside(key.pk.n, key.pk.nlen, key.pk_buf, sizeof key.pk_buf));
		FUZZ_CHECK(inside(key.pk.e, key.pk.elen, key.pk_buf, sizeof key.pk_buf));
		FUZZ_CHECK(key.pk.nlen > 0 && key.pk.elen > 0);
		/* The modulus has the key's bit length: its top byte is not zero. */
		FUZZ_CHECK(key.pk.n[0] != 0 && key.pk.nlen == (key.bits + 7) / 8);
	} else {
		FUZZ_CHECK(st == JG_ERR_INPUT);
		FUZZ_CHECK(err.status == st && fuzz_terminated(err.message, sizeof err.message));
		FUZZ_CHECK(err.message[0] != '\0');
		for (const char *c = err.message; *c != '\0'; c++) /* one line, no ESC sequence */
			FUZZ_CHECK((unsigned char)*c >= 0x20 && *c != 0x7f);
		FUZZ_CHECK(all_zero(&key, sizeof key));
	}
	jg_key_wipe(&key);
	FUZZ_CHECK(all_zero(&key, sizeof key));
	return 0;
}
