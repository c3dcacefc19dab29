/*
 * The embedded trust anchors as an index (format and reasoning in src/tls/anchors.h): building one
 * from loaded anchors, writing it as C for the build, looking a DN up in it, and finding the
 * issuer Name at the start of a certificate.
 */
#include "tls/anchors.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <bearssl_hash.h>

#include "x509/cert.h"

/* --- the hash and the lookup ------------------------------------------------------------------ */

void jg_anchors_hash_dn(const unsigned char *dn, size_t len, unsigned char *hash)
{
	br_sha256_context sha;
	unsigned char full[br_sha256_SIZE];
	br_sha256_init(&sha);
	br_sha256_update(&sha, dn, len);
	br_sha256_out(&sha, full);
	memcpy(hash, full, JG_ANCHORS_HASH_LEN);
}

/* Bytes of an entry's key in the key array. */
static size_t entry_key_size(const jg_anchor_entry *e)
{
	return (size_t)e->key_len + e->exponent_len;
}

/* The anchor an entry stands for, with dn as its DN and its key at `key`. BearSSL's structures
 * take non-const pointers but never write through them. */
static void make_anchor(br_x509_trust_anchor *ta, const jg_anchor_entry *e,
	const unsigned char *key, const unsigned char *dn, size_t dn_len)
{
	memset(ta, 0, sizeof *ta);
	ta->dn.data = (unsigned char *)dn;
	ta->dn.len = dn_len;
	ta->flags = BR_X509_TA_CA;
	if (e->curve == 0) {
		ta->pkey.key_type = BR_KEYTYPE_RSA;
		ta->pkey.key.rsa = (br_rsa_public_key){ (unsigned char *)key, e->key_len,
			(unsigned char *)key + e->key_len, e->exponent_len };
	} else {
		ta->pkey.key_type = BR_KEYTYPE_EC;
		ta->pkey.key.ec = (br_ec_public_key){ e->curve, (unsigned char *)key, e->key_len };
	}
}

size_t jg_anchors_lookup(const jg_anchor_index *index, const unsigned char *dn, size_t dn_len,
	br_x509_trust_anchor *out, size_t cap)
{
	unsigned char hash[JG_ANCHORS_HASH_LEN];
	jg_anchors_hash_dn(dn, dn_len, hash);
	size_t found = 0, offset = 0;
	for (size_t i = 0; i < index->count && found < cap; i++) {
		const jg_anchor_entry *e = &index->entries[i];
		size_t size = entry_key_size(e);
		if (size > index->keys_len - offset)
			break;
		if (memcmp(e->dn_hash, hash, sizeof hash) == 0)
			make_anchor(&out[found++], e, index->keys + offset, dn, dn_len);
		offset += size;
	}
	return found;
}

/* --- building an index ------------------------------------------------------------------------ */

static int is_indexed(const br_x509_trust_anchor *ta)
{
	return (ta->flags & BR_X509_TA_CA) != 0;
}

/* Bytes of an anchor's key: modulus and exponent, or the point. */
static size_t anchor_key_size(const br_x509_trust_anchor *ta)
{
	if (ta->pkey.key_type == BR_KEYTYPE_RSA)
		return ta->pkey.key.rsa.nlen + ta->pkey.key.rsa.elen;
	return ta->pkey.key.ec.qlen;
}

size_t jg_anchors_key_bytes(const br_x509_trust_anchor *anchors, size_t count)
{
	size_t total = 0;
	for (size_t i = 0; i < count; i++)
		if (is_indexed(&anchors[i]))
			total += anchor_key_size(&anchors[i]);
	return total;
}

/* The entry of anchor number i (for messages), or why the format cannot hold it. */
static jg_status entry_of(const br_x509_trust_anchor *ta, size_t i, jg_anchor_entry *e,
	jg_error *err)
{
	memset(e, 0, sizeof *e);
	if (ta->pkey.key_type == BR_KEYTYPE_RSA) {
		const br_rsa_public_key *rsa = &ta->pkey.key.rsa;
		if (rsa->nlen == 0 || rsa->nlen > UINT16_MAX || rsa->elen == 0 || rsa->elen > UINT8_MAX)
			return jg_fail(err, JG_ERR_INPUT, "trust anchor %zu: RSA key of %zu+%zu bytes "
				"does not fit the anchor index", i, rsa->nlen, rsa->elen);
		e->key_len = (uint16_t)rsa->nlen;
		e->exponent_len = (unsigned char)rsa->elen;
	} else if (ta->pkey.key_type == BR_KEYTYPE_EC) {
		const br_ec_public_key *ec = &ta->pkey.key.ec;
		if (ec->curve <= 0 || ec->curve > UINT8_MAX || ec->qlen == 0 || ec->qlen > UINT16_MAX)
			return jg_fail(err, JG_ERR_INPUT, "trust anchor %zu: EC key (curve %d, %zu bytes) "
				"does not fit the anchor index", i, ec->curve, ec->qlen);
		e->key_len = (uint16_t)ec->qlen;
		e->curve = (unsigned char)ec->curve;
	} else {
		return jg_fail(err, JG_ERR_INPUT, "trust anchor %zu: key type %u is neither RSA nor EC",
			i, (unsigned)ta->pkey.key_type);
	}
	jg_anchors_hash_dn(ta->dn.data, ta->dn.len, e->dn_hash);
	return JG_OK;
}

/* Copy an anchor's key bytes to `to`, laid out as the format says. */
static void copy_key(unsigned char *to, const br_x509_trust_anchor *ta)
{
	if (ta->pkey.key_type == BR_KEYTYPE_RSA) {
		const br_rsa_public_key *rsa = &ta->pkey.key.rsa;
		memcpy(to, rsa->n, rsa->nlen);
		memcpy(to + rsa->nlen, rsa->e, rsa->elen);
	} else {
		memcpy(to, ta->pkey.key.ec.q, ta->pkey.key.ec.qlen);
	}
}

/* The lookup hands BearSSL at most JG_ANCHORS_MATCH_MAX anchors: no hash may have more. */
static jg_status check_matches(const jg_anchor_entry *entries, size_t count, jg_error *err)
{
	for (size_t i = 0; i < count; i++) {
		size_t same = 0;
		for (size_t j = 0; j < count; j++)
			same += memcmp(entries[i].dn_hash, entries[j].dn_hash, JG_ANCHORS_HASH_LEN) == 0;
		if (same > JG_ANCHORS_MATCH_MAX)
			return jg_fail(err, JG_ERR_INPUT, "%zu trust anchors share one DN hash (at most "
				"%d may)", same, JG_ANCHORS_MATCH_MAX);
	}
	return JG_OK;
}

jg_status jg_anchors_build(jg_anchor_index *index, jg_anchor_entry *entries,
	unsigned char *keys, size_t keys_cap, const br_x509_trust_anchor *anchors, size_t count,
	size_t *skipped, jg_error *err)
{
	memset(index, 0, sizeof *index);
	size_t n = 0, offset = 0, left_out = 0;
	for (size_t i = 0; i < count; i++) {
		const br_x509_trust_anchor *ta = &anchors[i];
		if (!is_indexed(ta)) {
			left_out++;
			continue;
		}
		jg_status status = entry_of(ta, i, &entries[n], err);
		if (status != JG_OK)
			return status;
		size_t size = entry_key_size(&entries[n]);
		if (size > keys_cap - offset)
			return jg_fail(err, JG_ERR_INPUT, "no room for the keys of the anchor index");
		copy_key(keys + offset, ta);
		offset += size;
		n++;
	}
	if (skipped != NULL)
		*skipped = left_out;
	jg_status status = check_matches(entries, n, err);
	if (status != JG_OK)
		return status;
	*index = (jg_anchor_index){ entries, n, keys, offset };
	return JG_OK;
}

/* --- C source for the build --------------------------------------------------------------------- */

/* Output errors are sticky in the stream; jg_anchors_write_c checks ferror once at the end. */
static void emit(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void emit(FILE *out, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	(void)vfprintf(out, fmt, ap);
	va_end(ap);
}

/* Hex literals, 16 a line. */
static void write_bytes(FILE *out, const unsigned char *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		emit(out, "%s0x%02X,%s", i % 16 == 0 ? "\t" : "", p[i],
			i % 16 == 15 || i + 1 == len ? "\n" : "");
}

static void write_entry(FILE *out, const jg_anchor_entry *e)
{
	emit(out, "\t{ { ");
	for (size_t i = 0; i < JG_ANCHORS_HASH_LEN; i++)
		emit(out, "0x%02X, ", e->dn_hash[i]);
	emit(out, "}, %u, %u, %u },\n", (unsigned)e->key_len, (unsigned)e->exponent_len,
		(unsigned)e->curve);
}

jg_status jg_anchors_write_c(const jg_anchor_index *index, FILE *out, jg_error *err)
{
	if (index->count == 0)
		return jg_fail(err, JG_ERR_INPUT, "no trust anchors to write");
	emit(out,
		"/* Generated by gen_anchors (src/tls/anchors.c, jg_anchors_write_c): %zu trust anchors\n"
		" * as an index, in the format src/tls/anchors.h describes. Do not edit. */\n"
		"#include \"tls/anchors.h\"\n\n"
		"static const unsigned char anchor_keys[] = {\n",
		index->count);
	write_bytes(out, index->keys, index->keys_len);
	emit(out, "};\n\nstatic const jg_anchor_entry anchor_entries[] = {\n");
	for (size_t i = 0; i < index->count; i++)
		write_entry(out, &index->entries[i]);
	emit(out, "};\n\nconst jg_anchor_index jg_anchors_embedded = {\n"
		"\tanchor_entries, %zu, anchor_keys, sizeof anchor_keys\n};\n", index->count);
	if (ferror(out) || fflush(out) != 0)
		return jg_fail(err, JG_ERR_INPUT, "cannot write the trust anchor index: %s",
			strerror(errno));
	return JG_OK;
}

/* --- the issuer of a certificate, from its first bytes ------------------------------------------ */

jg_issuer_result jg_anchors_find_issuer(const unsigned char *der, size_t len,
	const unsigned char **issuer, size_t *issuer_len)
{
	jg_cert_fields f;
	int result = jg_cert_walk_start(der, len, JG_CERT_ISSUER, &f);
	if (result != 0)
		return result == -2 ? JG_ISSUER_MORE : JG_ISSUER_BAD;
	*issuer = f.field[JG_CERT_ISSUER].whole.data;
	*issuer_len = f.field[JG_CERT_ISSUER].whole.len;
	return JG_ISSUER_FOUND;
}
