/*
 * Encrypted private keys (src/crypto/encrypted.h): jg_enc_detect, then jg_enc_open with the
 * passphrase of the seeds ("seed", test material only), over PKCS#8 PBES2 (PEM and DER),
 * traditional PEM, `openssl enc` files and raw `-nosalt -K -iv` ciphertext.
 *
 * The first input byte chooses the options, the rest is the key material:
 *
 *   bit 0      a raw key and IV (00 01 02 ... and F0 E0 D0 ..., as long as the cipher wants)
 *   bits 1-2   --enc-cipher: 0 the default (AES-256-CBC), 1 AES-128, 2 AES-192, 3 DES-EDE3
 *   bits 3-4   --enc-md: 0 none (the three derivations), 1 MD5, 2 SHA-1, 3 SHA-512
 *
 * --enc-iter is 1, so that the seeds' `openssl enc -pbkdf2 -iter 1` files open quickly.
 *
 * Checked: detect and open either succeed or fail with JG_ERR_INPUT and a one-line message;
 * their strings end inside their arrays; open agrees with detect on the format; a success has
 * a plaintext that fits and a derivation named; a failure leaves the output wiped.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_util.h"
#include "crypto/encrypted.h"

#define OUT_CAP 4096 /* below smoke.sh's -max_len, so that "too large" is reached too */

static const unsigned char raw_key[32] = {
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e,
	0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d,
	0x1e, 0x1f
};
static const unsigned char raw_iv[16] = {
	0xf0, 0xe0, 0xd0, 0xc0, 0xb0, 0xa0, 0x90, 0x80, 0x70, 0x60, 0x50, 0x40, 0x30, 0x20, 0x10,
	0x00
};

static void choose_options(unsigned flags, jg_enc_options *opts)
{
	static const jg_cipher ciphers[] = { JG_CIPHER_NONE, JG_CIPHER_AES_128_CBC,
		JG_CIPHER_AES_192_CBC, JG_CIPHER_DES_EDE3_CBC };
	const br_hash_class *const mds[] = { NULL, &br_md5_vtable, &br_sha1_vtable,
		&br_sha512_vtable };
	memset(opts, 0, sizeof *opts);
	opts->cipher = ciphers[(flags >> 1) & 3];
	opts->md = mds[(flags >> 3) & 3];
	opts->iterations = 1;
	if (flags & 1) {
		jg_cipher c = opts->cipher != JG_CIPHER_NONE ? opts->cipher : JG_CIPHER_AES_256_CBC;
		opts->raw_key = raw_key;
		opts->raw_key_len = jg_cipher_key_len(c);
		opts->raw_iv = raw_iv;
		opts->raw_iv_len = jg_cipher_block_len(c);
	}
}

static int all_zero(const unsigned char *p, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (p[i] != 0)
			return 0;
	}
	return 1;
}

static void check_message(jg_status st, const jg_error *err)
{
	FUZZ_CHECK(st == JG_ERR_INPUT);
	FUZZ_CHECK(err->status == st && fuzz_terminated(err->message, sizeof err->message));
	FUZZ_CHECK(err->message[0] != '\0' && strchr(err->message, '\n') == NULL);
}

static void check_info(const jg_enc_info *info)
{
	FUZZ_CHECK(fuzz_terminated(info->format_name, sizeof info->format_name));
	FUZZ_CHECK(fuzz_terminated(info->description, sizeof info->description));
	FUZZ_CHECK(fuzz_terminated(info->derivation, sizeof info->derivation));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned char pass[] = "seed";
	if (size < 1)
		return 0;
	jg_enc_options opts;
	choose_options(data[0], &opts);
	char *in = fuzz_copy(data + 1, size - 1);
	unsigned char *out = (unsigned char *)fuzz_alloc(OUT_CAP);
	jg_enc_info info, opened;
	jg_error err;
	memset(&err, 0, sizeof err);
	jg_status st = jg_enc_detect((const unsigned char *)in, size - 1, "fuzz", &opts, &info,
		&err);
	check_info(&info);
	if (st != JG_OK)
		check_message(st, &err);
	/*
	 * A PKCS#8 header may ask for up to 10,000,000 PBKDF2 iterations (the cap), seconds of
	 * hashing that libFuzzer would report as a timeout: above 1,000 only the parse is fuzzed.
	 */
	if (st == JG_OK && info.format != JG_ENC_NONE && info.iterations <= 1000) {
		size_t out_len = 1;
		memset(&err, 0, sizeof err);
		st = jg_enc_open((const unsigned char *)in, size - 1, "fuzz", &opts, pass,
			sizeof pass - 1, &opened, out, OUT_CAP, &out_len, &err);
		check_info(&opened);
		FUZZ_CHECK(opened.format == info.format);
		if (st == JG_OK) {
			FUZZ_CHECK(out_len > 0 && out_len <= OUT_CAP);
			FUZZ_CHECK(opened.derivation[0] != '\0');
		} else {
			check_message(st, &err);
			FUZZ_CHECK(out_len == 0 && all_zero(out, OUT_CAP));
		}
	}
	free(out);
	free(in);
	return 0;
}
