/*
 * Traditional encrypted PEM, RFC 1421's header lines as OpenSSL 1.x wrote them for
 * `genrsa -des3` and `rsa -aes256`:
 *
 *   -----BEGIN RSA PRIVATE KEY-----
 *   Proc-Type: 4,ENCRYPTED
 *   DEK-Info: AES-256-CBC,5F4DCC3B5AA765D61D8327DEB882CF99
 *
 *   base64 of the ciphertext, in lines
 *   -----END RSA PRIVATE KEY-----
 *
 * DEK-Info names the cipher (AES-128-CBC, AES-192-CBC, AES-256-CBC or DES-EDE3-CBC are read)
 * and gives the IV in hex. The key is EVP_BytesToKey(MD5, passphrase, salt = the first 8 bytes
 * of the IV, one iteration); the plaintext is the key's DER with PKCS#7 padding: PKCS#1 under
 * "RSA PRIVATE KEY", PKCS#8 under "PRIVATE KEY" (the key loader judges what it holds).
 *
 * BearSSL's PEM decoder stops at the header lines (':' is not base64), so the block is read
 * here by lines: any text before the BEGIN line, LF or CRLF line ends, trailing blanks ignored,
 * the blank line after the headers optional.
 */
#include "crypto/encrypted.h"

#include <stdio.h>
#include <string.h>

#include "base/ascii.h"
#include "base/wipe.h"
#include "crypto/encrypted_impl.h"
#include "crypto/kdf.h"

/* One line of text, without its line end and trailing blanks; `next` is where the next starts. */
typedef struct text_line {
	const unsigned char *text;
	size_t len;
	size_t next;
} text_line;

/* The encrypted block: where its label, its DEK-Info line and its base64 are. */
typedef struct pem_block {
	const unsigned char *label;
	size_t label_len;
	size_t headers;  /* start of the line after Proc-Type */
	size_t body;     /* start of the base64 */
	size_t body_end; /* start of the END line, or the end of the text */
	int ended;       /* an END line with the BEGIN line's label was found */
	jg_cipher cipher;
	unsigned char iv[JG_CIPHER_MAX_BLOCK];
} pem_block;

/* The line starting at text[at]; 0 past the end. */
static int read_line(const unsigned char *text, size_t len, size_t at, text_line *line)
{
	if (at >= len)
		return 0;
	const unsigned char *newline = memchr(text + at, '\n', len - at);
	size_t end = newline != NULL ? (size_t)(newline - text) : len;
	line->text = text + at;
	line->len = end - at;
	line->next = newline != NULL ? end + 1 : len;
	while (line->len > 0 && (line->text[line->len - 1] == '\r' ||
		line->text[line->len - 1] == ' ' || line->text[line->len - 1] == '\t'))
		line->len--;
	return 1;
}

static int starts_with(const text_line *line, const char *prefix)
{
	size_t n = strlen(prefix);
	return line->len >= n && memcmp(line->text, prefix, n) == 0;
}

/* What follows "<name>:" and blanks on a header line. */
static text_line header_value(const text_line *line, const char *name)
{
	text_line value = *line;
	size_t skip = strlen(name);
	while (skip < value.len && (value.text[skip] == ' ' || value.text[skip] == '\t'))
		skip++;
	value.text += skip;
	value.len -= skip;
	return value;
}

/* "-----BEGIN <label>-----": the label into the block. */
static int is_begin(const text_line *line, pem_block *block)
{
	static const char begin[] = "-----BEGIN ", dashes[] = "-----";
	size_t head = sizeof begin - 1, tail = sizeof dashes - 1;
	if (!starts_with(line, begin) || line->len < head + tail + 1 ||
		memcmp(line->text + line->len - tail, dashes, tail) != 0)
		return 0;
	block->label = line->text + head;
	block->label_len = line->len - head - tail;
	return 1;
}

static int is_end_of(const text_line *line, const pem_block *block)
{
	static const char end[] = "-----END ", dashes[] = "-----";
	size_t head = sizeof end - 1, tail = sizeof dashes - 1;
	return line->len == head + block->label_len + tail && starts_with(line, end) &&
		memcmp(line->text + head, block->label, block->label_len) == 0 &&
		memcmp(line->text + head + block->label_len, dashes, tail) == 0;
}

/* The first BEGIN line followed by "Proc-Type: 4,ENCRYPTED"; 0 when there is none. */
static int find_block(const unsigned char *in, size_t len, pem_block *block)
{
	text_line line, next;
	memset(block, 0, sizeof *block);
	for (size_t at = 0; read_line(in, len, at, &line); at = line.next) {
		if (!is_begin(&line, block) || !read_line(in, len, line.next, &next) ||
			!starts_with(&next, "Proc-Type:"))
			continue;
		text_line value = header_value(&next, "Proc-Type:");
		if (value.len == 11 && memcmp(value.text, "4,ENCRYPTED", 11) == 0) {
			block->headers = next.next;
			return 1;
		}
	}
	return 0;
}

/* The cipher named in DEK-Info, or the refusal naming it (only when its name is plain). */
static jg_status read_cipher_name(const text_line *value, size_t comma, const char *origin,
	pem_block *block, jg_error *err)
{
	char name[32];
	int plain = comma > 0 && comma < sizeof name;
	for (size_t i = 0; plain && i < comma; i++) {
		unsigned char c = value->text[i];
		plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			(c >= '0' && c <= '9') || c == '-';
		name[i] = (char)c;
	}
	name[plain ? comma : 0] = '\0';
	block->cipher = plain ? jg_cipher_by_name(name) : JG_CIPHER_NONE;
	if (block->cipher != JG_CIPHER_NONE)
		return JG_OK;
	return jg_fail(err, JG_ERR_INPUT, "%s is encrypted with %s (traditional PEM), which "
		"jwtgrant does not read (it reads AES-128/192/256-CBC and DES-EDE3-CBC); re-encrypt "
		"it: " JG_ENC_CONVERT, origin, plain ? name : "an unnamed cipher");
}

/* "DEK-Info: <cipher>,<IV in hex>" */
static jg_status read_dek_info(const text_line *line, const char *origin, pem_block *block,
	jg_error *err)
{
	text_line value = header_value(line, "DEK-Info:");
	const unsigned char *comma = memchr(value.text, ',', value.len);
	if (comma == NULL)
		return jg_fail(err, JG_ERR_INPUT, "%s: its DEK-Info header is malformed; copy the "
			"key again", origin);
	size_t at = (size_t)(comma - value.text);
	jg_status status = read_cipher_name(&value, at, origin, block, err);
	if (status != JG_OK)
		return status;
	size_t block_len = jg_cipher_block_len(block->cipher);
	size_t iv_len = 0;
	if (jg_ascii_hex_decode((const char *)comma + 1, value.len - at - 1, block->iv,
			sizeof block->iv, &iv_len) != 0 || iv_len != block_len)
		return jg_fail(err, JG_ERR_INPUT, "%s: its DEK-Info header is malformed (%s needs "
			"an IV of %zu hex digits); copy the key again", origin,
			jg_cipher_name(block->cipher), 2 * block_len);
	return JG_OK;
}

/* After Proc-Type: DEK-Info, blank lines, then the base64 up to the END line. */
static jg_status read_headers(const unsigned char *in, size_t len, const char *origin,
	pem_block *block, jg_error *err)
{
	text_line line;
	if (!read_line(in, len, block->headers, &line) || !starts_with(&line, "DEK-Info:"))
		return jg_fail(err, JG_ERR_INPUT, "%s: its PEM header has Proc-Type: 4,ENCRYPTED "
			"but no DEK-Info line after it; copy the key again", origin);
	jg_status status = read_dek_info(&line, origin, block, err);
	if (status != JG_OK)
		return status;
	size_t at = line.next;
	while (read_line(in, len, at, &line) && line.len == 0)
		at = line.next;
	block->body = at;
	block->body_end = len;
	for (; read_line(in, len, at, &line); at = line.next) {
		if (starts_with(&line, "-----END ")) {
			block->body_end = at;
			block->ended = is_end_of(&line, block);
			break;
		}
	}
	return JG_OK;
}

jg_status jg_enc_pem_detect(const unsigned char *in, size_t len, const char *origin,
	jg_enc_info *info, jg_error *err)
{
	pem_block block;
	if (!find_block(in, len, &block))
		return JG_OK;
	info->format = JG_ENC_TRADITIONAL;
	(void)snprintf(info->format_name, sizeof info->format_name, "traditional PEM");
	jg_status status = read_headers(in, len, origin, &block, err);
	if (status == JG_OK) {
		info->cipher = block.cipher;
		info->prf = &br_md5_vtable;
		(void)snprintf(info->description, sizeof info->description,
			"traditional PEM, EVP_BytesToKey-MD5, %s", jg_cipher_name(block.cipher));
	}
	return status;
}

jg_status jg_enc_pem_open(const unsigned char *in, size_t len, const char *origin,
	const unsigned char *pass, size_t pass_len, jg_enc_info *info, unsigned char *out,
	size_t cap, size_t *out_len, jg_error *err)
{
	pem_block block;
	if (!find_block(in, len, &block))
		return jg_enc_fail_corrupt(origin, err);
	jg_status status = read_headers(in, len, origin, &block, err);
	if (status != JG_OK)
		return status;
	size_t n = 0;
	if (!block.ended)
		return jg_enc_fail_corrupt(origin, err);
	status = jg_enc_decode_base64(in + block.body, block.body_end - block.body, origin, out,
		cap, &n, err);
	if (status != JG_OK)
		return status;
	if (n == 0 || n % jg_cipher_block_len(block.cipher) != 0)
		return jg_enc_fail_corrupt(origin, err);
	unsigned char key[JG_CIPHER_MAX_KEY];
	if (jg_evp_bytes_to_key(&br_md5_vtable, pass, pass_len, block.iv, key,
		jg_cipher_key_len(block.cipher), NULL, 0) != 0)
		return jg_fail(err, JG_ERR_INPUT, "%s: EVP_BytesToKey failed", origin);
	int wrong = jg_cbc_decrypt(block.cipher, key, block.iv, out, n, out_len) != 0 ||
		!jg_enc_is_der_sequence(out, *out_len);
	jg_wipe(key, sizeof key);
	if (wrong)
		return jg_enc_fail_wrong(origin, err);
	(void)snprintf(info->derivation, sizeof info->derivation, "EVP_BytesToKey-MD5");
	return JG_OK;
}
