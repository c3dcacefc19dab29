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
#include "crypto/encrypted_impl.h"

/* One line of text, without its line end and trailing blanks; `next` is where the next starts. */
typedef struct text_line {
	const unsigned char *text;
	size_t len;
	size_t next;
} text_line;

/* The encrypted block: its label, and where the line after Proc-Type starts. */
typedef struct pem_block {
	const unsigned char *label;
	size_t label_len;
	size_t headers;
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

/* 1 when line is the header "<name>:" (name given with its colon): what follows it and
 * blanks into *value. */
static int header_value(const text_line *line, const char *name, text_line *value)
{
	if (!starts_with(line, name))
		return 0;
	*value = *line;
	size_t skip = strlen(name);
	while (skip < value->len && (value->text[skip] == ' ' || value->text[skip] == '\t'))
		skip++;
	value->text += skip;
	value->len -= skip;
	return 1;
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
	text_line line, next, value;
	memset(block, 0, sizeof *block);
	for (size_t at = 0; read_line(in, len, at, &line); at = line.next) {
		if (is_begin(&line, block) && read_line(in, len, line.next, &next) &&
			header_value(&next, "Proc-Type:", &value) && value.len == 11 &&
			memcmp(value.text, "4,ENCRYPTED", 11) == 0) {
			block->headers = next.next;
			return 1;
		}
	}
	return 0;
}

/* The cipher named in DEK-Info, or the refusal naming it (only when its name is plain). */
static jg_status read_cipher_name(const text_line *value, size_t comma, const char *origin,
	jg_enc_sealed *sealed, jg_error *err)
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
	sealed->cipher = plain ? jg_cipher_by_name(name) : JG_CIPHER_NONE;
	if (sealed->cipher != JG_CIPHER_NONE)
		return JG_OK;
	return jg_fail(err, JG_ERR_INPUT, "%s is encrypted with %s (traditional PEM), which "
		"jwtgrant does not read (it reads AES-128/192/256-CBC and DES-EDE3-CBC); re-encrypt "
		"it: %s", origin, plain ? name : "an unnamed cipher", JG_ENC_CONVERT);
}

/* DEK-Info's value, "<cipher>,<IV in hex>"; the salt is the IV's first 8 bytes. */
static jg_status read_dek_info(const text_line *value, const char *origin,
	jg_enc_sealed *sealed, jg_error *err)
{
	const unsigned char *comma = memchr(value->text, ',', value->len);
	if (comma == NULL)
		return jg_fail(err, JG_ERR_INPUT, "%s: its DEK-Info header is malformed; copy the "
			"key again", origin);
	size_t at = (size_t)(comma - value->text);
	jg_status status = read_cipher_name(value, at, origin, sealed, err);
	if (status != JG_OK)
		return status;
	size_t block_len = jg_cipher_block_len(sealed->cipher);
	size_t iv_len = 0;
	if (jg_ascii_hex_decode((const char *)comma + 1, value->len - at - 1, sealed->iv,
			sizeof sealed->iv, &iv_len) != 0 || iv_len != block_len)
		return jg_fail(err, JG_ERR_INPUT, "%s: its DEK-Info header is malformed (%s needs "
			"an IV of %zu hex digits); copy the key again", origin,
			jg_cipher_name(sealed->cipher), 2 * block_len);
	memcpy(sealed->salt, sealed->iv, 8);
	sealed->salt_len = 8;
	return JG_OK;
}

/* After Proc-Type: DEK-Info, then the base64 up to the END line (the blank line before it is
 * white space, which the base64 decoder skips). */
static jg_status read_headers(const unsigned char *in, size_t len, const char *origin,
	const pem_block *block, jg_enc_sealed *sealed, jg_error *err)
{
	text_line line, value;
	if (!read_line(in, len, block->headers, &line) || !header_value(&line, "DEK-Info:", &value))
		return jg_fail(err, JG_ERR_INPUT, "%s: its PEM header has Proc-Type: 4,ENCRYPTED "
			"but no DEK-Info line after it; copy the key again", origin);
	jg_status status = read_dek_info(&value, origin, sealed, err);
	if (status != JG_OK)
		return status;
	sealed->data = in + line.next;
	for (size_t at = line.next; read_line(in, len, at, &line); at = line.next) {
		if (starts_with(&line, "-----END ")) {
			sealed->len = (size_t)(in + at - sealed->data);
			return is_end_of(&line, block) ? JG_OK : jg_enc_fail_corrupt(origin, err);
		}
	}
	return jg_enc_fail_corrupt(origin, err);
}

jg_status jg_enc_pem_read(const unsigned char *in, size_t len, const char *origin,
	jg_enc_info *info, jg_enc_sealed *sealed, jg_error *err)
{
	pem_block block;
	if (!find_block(in, len, &block))
		return JG_OK;
	info->format = JG_ENC_TRADITIONAL;
	(void)snprintf(info->format_name, sizeof info->format_name, "traditional PEM");
	jg_status status = read_headers(in, len, origin, &block, sealed, err);
	if (status != JG_OK)
		return status;
	sealed->encoding = JG_ENC_BASE64;
	sealed->tries[0].md = &br_md5_vtable;
	sealed->count = 1;
	info->cipher = sealed->cipher;
	info->prf = &br_md5_vtable;
	(void)snprintf(info->description, sizeof info->description,
		"traditional PEM, EVP_BytesToKey-MD5, %s", jg_cipher_name(sealed->cipher));
	return JG_OK;
}
