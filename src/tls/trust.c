/*
 * Trust anchors from PEM: BearSSL's PEM decoder streams each "CERTIFICATE" object's DER into a
 * buffer (one certificate, at most JG_CERT_DER_MAX bytes); at the end of the object BearSSL's
 * X.509 decoder (br_x509_decoder) reads its subject DN, public key and CA flag, which become one
 * br_x509_trust_anchor whose bytes we copy into one allocation. BearSSL's decoder, not a reader
 * of ours: what makes an anchor is what BearSSL's engine will use as one. Files are streamed in
 * small chunks, so even a large bundle is never held in memory whole.
 *
 * This file must not refer to jg_anchors_embedded: the build-time generator links it without the
 * generated index (see src/tls/trust_default.c).
 */
#include "tls/trust.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bearssl_x509.h>

#include "crypto/pem.h"
#include "x509/cert.h"

/* Longest subject DN we keep (Mozilla's longest is under 300 bytes); longer ones are skipped,
 * as when the loader copied DNs into a buffer of this size. */
#define DN_MAX 1024
/* Bytes read from a file per step. */
#define READ_CHUNK 4096

/* One pass of PEM text (a string or a file) into a set. */
typedef struct loader {
	jg_trust *trust;
	jg_error *err;
	const char *origin;  /* names the text in messages */
	jg_status status;    /* sticky: the first fatal error (cap, memory, file too large) */
	jg_pem_reader pem;   /* "CERTIFICATE" objects, their DER collected in der */
	unsigned char der[JG_CERT_DER_MAX];
	br_x509_decoder_context x509; /* reads the certificate in der */
	unsigned char dn[DN_MAX];     /* its subject DN, from the decoder's callback */
	size_t dn_len;
	int dn_overflow;     /* the DN is longer than dn: the certificate is skipped */
	size_t certificates; /* "CERTIFICATE" objects begun */
	size_t usable;       /* certificates decoded (added or already present) */
	size_t added;        /* anchors new to the set */
	size_t skipped;      /* certificates not decodable */
	size_t other;        /* "TRUSTED CERTIFICATE" objects, ignored */
	size_t read_before;  /* files passed over: read into the set already */
} loader;

struct jg_trust_file {
	dev_t dev;
	ino_t ino;
};

void jg_trust_init(jg_trust *t)
{
	memset(t, 0, sizeof *t);
}

void jg_trust_use_index(jg_trust *t, const jg_anchor_index *index)
{
	jg_trust_free(t);
	t->index = index;
}

void jg_trust_free(jg_trust *t)
{
	if (t->owned != NULL) {
		for (size_t i = 0; i < t->count; i++)
			free(t->owned[i].dn.data);
		free(t->owned);
	}
	free(t->files);
	t->files = NULL;
	t->files_count = 0;
	t->files_capacity = 0;
	t->anchors = NULL;
	t->index = NULL;
	t->owned = NULL;
	t->count = 0;
	t->capacity = 0;
}

/* 1 when the file st describes was read into t before; otherwise 0, and it is remembered (when
 * memory allows: without it, a file may only be read twice). */
static int read_before(jg_trust *t, const struct stat *st)
{
	for (size_t i = 0; i < t->files_count; i++) {
		if (t->files[i].dev == st->st_dev && t->files[i].ino == st->st_ino)
			return 1;
	}
	if (t->files_count == t->files_capacity) {
		size_t capacity = t->files_capacity ? t->files_capacity * 2 : 64;
		struct jg_trust_file *files = realloc(t->files, capacity * sizeof *files);
		if (files == NULL)
			return 0;
		t->files = files;
		t->files_capacity = capacity;
	}
	t->files[t->files_count++] = (struct jg_trust_file){ st->st_dev, st->st_ino };
	return 0;
}

/* --- the set --------------------------------------------------------------------------------- */

static int same_bytes(const unsigned char *a, size_t alen, const unsigned char *b, size_t blen)
{
	return alen == blen && memcmp(a, b, alen) == 0;
}

static int same_key(const br_x509_pkey *a, const br_x509_pkey *b)
{
	if (a->key_type != b->key_type)
		return 0;
	if (a->key_type == BR_KEYTYPE_RSA)
		return same_bytes(a->key.rsa.n, a->key.rsa.nlen, b->key.rsa.n, b->key.rsa.nlen) &&
		       same_bytes(a->key.rsa.e, a->key.rsa.elen, b->key.rsa.e, b->key.rsa.elen);
	return a->key.ec.curve == b->key.ec.curve &&
	       same_bytes(a->key.ec.q, a->key.ec.qlen, b->key.ec.q, b->key.ec.qlen);
}

/* The anchor of t with this DN and key, or NULL. */
static br_x509_trust_anchor *find_anchor(jg_trust *t, const unsigned char *dn, size_t dn_len,
	const br_x509_pkey *pkey)
{
	for (size_t i = 0; i < t->count; i++) {
		br_x509_trust_anchor *ta = &t->owned[i];
		if (same_bytes(ta->dn.data, ta->dn.len, dn, dn_len) && same_key(&ta->pkey, pkey))
			return ta;
	}
	return NULL;
}

/* An index (jg_trust_use_index) is constant: loading into it is a caller's mistake. */
static jg_status refuse_index(const jg_trust *t, const char *what, jg_error *err)
{
	if (t->index != NULL)
		return jg_fail(err, JG_ERR_INPUT, "%s: cannot add to a constant trust set", what);
	return JG_OK;
}

/* Make room for one more anchor in t->owned. */
static jg_status grow_set(jg_trust *t, const char *origin, jg_error *err)
{
	if (t->count >= JG_TRUST_ANCHORS_MAX)
		return jg_fail(err, JG_ERR_INPUT,
			"%s: too many trust anchors (more than %d); give a smaller CA set", origin,
			JG_TRUST_ANCHORS_MAX);
	if (t->count < t->capacity)
		return JG_OK;
	size_t capacity = t->capacity == 0 ? 16 : t->capacity * 2;
	if (capacity > JG_TRUST_ANCHORS_MAX)
		capacity = JG_TRUST_ANCHORS_MAX;
	br_x509_trust_anchor *owned = realloc(t->owned, capacity * sizeof *owned);
	if (owned == NULL)
		return jg_fail(err, JG_ERR_INPUT, "%s: out of memory for the trust set", origin);
	t->owned = owned;
	t->anchors = owned;
	t->capacity = capacity;
	return JG_OK;
}

/* Bytes of the key material: modulus and exponent, or the curve point. */
static size_t key_size(const br_x509_pkey *pkey)
{
	if (pkey->key_type == BR_KEYTYPE_RSA)
		return pkey->key.rsa.nlen + pkey->key.rsa.elen;
	return pkey->key.ec.qlen;
}

/* Copy DN and key (which live in the loader's DER) into one allocation, laid out DN | key. */
static jg_status store_anchor(jg_trust *t, const unsigned char *dn, size_t dn_len,
	const br_x509_pkey *pkey, unsigned flags, const char *origin, jg_error *err)
{
	jg_status status = grow_set(t, origin, err);
	if (status != JG_OK)
		return status;
	unsigned char *block = malloc(dn_len + key_size(pkey));
	if (block == NULL)
		return jg_fail(err, JG_ERR_INPUT, "%s: out of memory for the trust set", origin);
	br_x509_trust_anchor *ta = &t->owned[t->count];
	memset(ta, 0, sizeof *ta);
	memcpy(block, dn, dn_len);
	ta->dn.data = block;
	ta->dn.len = dn_len;
	ta->flags = flags;
	ta->pkey.key_type = pkey->key_type;
	unsigned char *p = block + dn_len;
	if (pkey->key_type == BR_KEYTYPE_RSA) {
		const br_rsa_public_key *rsa = &pkey->key.rsa;
		memcpy(p, rsa->n, rsa->nlen);
		memcpy(p + rsa->nlen, rsa->e, rsa->elen);
		ta->pkey.key.rsa = (br_rsa_public_key){ p, rsa->nlen, p + rsa->nlen, rsa->elen };
	} else {
		const br_ec_public_key *ec = &pkey->key.ec;
		memcpy(p, ec->q, ec->qlen);
		ta->pkey.key.ec = (br_ec_public_key){ ec->curve, p, ec->qlen };
	}
	t->count++;
	return JG_OK;
}

/* --- the loader: PEM to certificate DER to set ----------------------------------------------- */

static int visit_object(void *ctx, jg_pem_event event, const char *label,
	const unsigned char *der, size_t len);

/* Start (or, for the next file of a directory, restart) the PEM walk. */
static void loader_restart(loader *ld)
{
	jg_pem_reader_init(&ld->pem, "CERTIFICATE", ld->der, sizeof ld->der, visit_object, ld);
}

static void loader_start(loader *ld, jg_trust *t, const char *origin, jg_error *err)
{
	memset(ld, 0, sizeof *ld);
	ld->trust = t;
	ld->err = err;
	ld->origin = origin;
	ld->status = JG_OK;
	loader_restart(ld);
}

/* A certificate that cannot be an anchor (too large, cut off, not decodable): counted. */
static void skip_certificate(loader *ld)
{
	ld->skipped++;
	ld->trust->skipped++;
}

/* The decoder's DN callback: collect the subject DN (tag and length included). */
// NOLINTNEXTLINE(bugprone-easily-swappable-parameters): BearSSL's callback type
static void receive_dn(void *ctx, const void *buf, size_t len)
{
	loader *ld = ctx;
	if (ld->dn_overflow || len > sizeof ld->dn - ld->dn_len) {
		ld->dn_overflow = 1;
		return;
	}
	memcpy(ld->dn + ld->dn_len, buf, len);
	ld->dn_len += len;
}

/* Decode der[0..len) with BearSSL's X.509 decoder: its key, NULL when it cannot be decoded or
 * its subject is longer than DN_MAX. The DN is in ld->dn, the key in ld->x509. */
static const br_x509_pkey *decode_certificate(loader *ld, const unsigned char *der, size_t len)
{
	ld->dn_len = 0;
	ld->dn_overflow = 0;
	br_x509_decoder_init(&ld->x509, receive_dn, ld);
	br_x509_decoder_push(&ld->x509, der, len);
	const br_x509_pkey *pkey = br_x509_decoder_get_pkey(&ld->x509);
	return pkey == NULL || ld->dn_overflow ? NULL : pkey;
}

/* The certificate's DER is complete: keep its anchor, or count it as skipped (too large,
 * not decodable, or a subject longer than DN_MAX). */
static void end_certificate(loader *ld, const unsigned char *der, size_t len)
{
	const br_x509_pkey *pkey = decode_certificate(ld, der, len);
	if (pkey == NULL) {
		skip_certificate(ld);
		return;
	}
	unsigned flags = br_x509_decoder_isCA(&ld->x509) ? BR_X509_TA_CA : 0;
	ld->usable++;
	br_x509_trust_anchor *same = find_anchor(ld->trust, ld->dn, ld->dn_len, pkey);
	if (same != NULL) {
		/* Keep one anchor; it is a CA when any copy says so, whatever the order. */
		same->flags |= flags;
		ld->trust->duplicates++;
		return;
	}
	ld->status = store_anchor(ld->trust, ld->dn, ld->dn_len, pkey, flags, ld->origin, ld->err);
	if (ld->status == JG_OK)
		ld->added++;
}

/* The walk's events: count the objects begun, keep or skip each certificate. */
static int visit_object(void *ctx, jg_pem_event event, const char *label,
	const unsigned char *der, size_t len)
{
	loader *ld = ctx;
	switch (event) {
	case JG_PEM_BEGIN:
		/* "TRUSTED CERTIFICATE" is OpenSSL's own format (a certificate plus trust
		 * settings); like keys and parameters, it is not ours to read. */
		if (strcmp(label, "CERTIFICATE") == 0)
			ld->certificates++;
		else if (strcmp(label, "TRUSTED CERTIFICATE") == 0)
			ld->other++;
		break;
	case JG_PEM_OBJECT:
		end_certificate(ld, der, len);
		break;
	default: /* too large, or a base64 error inside it */
		skip_certificate(ld);
		break;
	}
	return ld->status != JG_OK;
}

static void loader_push(loader *ld, const unsigned char *data, size_t len)
{
	if (ld->status == JG_OK)
		(void)jg_pem_reader_push(&ld->pem, data, len);
}

/* End of text: an object still open is a certificate cut off. */
static void loader_finish(loader *ld)
{
	if (ld->status == JG_OK && jg_pem_reader_finish(&ld->pem))
		skip_certificate(ld);
}

/* The verdict on one whole text: at least one decodable certificate, or why not. */
static jg_status loader_verdict(const loader *ld, jg_error *err)
{
	if (ld->status != JG_OK || ld->usable > 0)
		return ld->status;
	if (ld->certificates > 0)
		return jg_fail(err, JG_ERR_INPUT,
			"%s: no certificate could be decoded (%zu tried: unsupported key type or "
			"malformed DER); give PEM CA certificates with RSA or EC keys",
			ld->origin, ld->certificates);
	if (ld->other > 0)
		return jg_fail(err, JG_ERR_INPUT,
			"%s: holds only OpenSSL TRUSTED CERTIFICATE objects; convert them with "
			"`openssl x509 -in FILE -out ca.pem`", ld->origin);
	return jg_fail(err, JG_ERR_INPUT,
		"%s: no certificate found; it must hold PEM \"-----BEGIN CERTIFICATE-----\" blocks",
		ld->origin);
}

jg_status jg_trust_add_pem(jg_trust *t, const unsigned char *pem, size_t len, const char *origin,
	size_t *added, jg_error *err)
{
	if (added != NULL)
		*added = 0;
	if (refuse_index(t, origin, err) != JG_OK)
		return JG_ERR_INPUT;
	loader ld;
	loader_start(&ld, t, origin, err);
	loader_push(&ld, pem, len);
	loader_finish(&ld);
	if (added != NULL)
		*added = ld.added;
	return loader_verdict(&ld, err);
}

/* --- files and directories ------------------------------------------------------------------- */

/* Stream an open file through the loader, at most JG_TRUST_FILE_MAX bytes. A read error is
 * returned (errno kept); a file too large is fatal (ld->status). */
static jg_status load_fd(loader *ld, int fd, const char *path)
{
	unsigned char buf[READ_CHUNK];
	size_t total = 0;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int saved = errno;
			if (ld->pem.inside) /* the certificate being read is cut off */
				skip_certificate(ld);
			jg_fail(ld->err, JG_ERR_INPUT, "cannot read CA file %s: %s", path,
				strerror(saved));
			errno = saved;
			return JG_ERR_INPUT;
		}
		if (n == 0)
			break;
		total += (size_t)n;
		if (total > JG_TRUST_FILE_MAX) {
			ld->status = jg_fail(ld->err, JG_ERR_INPUT,
				"CA file %s is too large (over %zu MiB); give a PEM bundle of CA "
				"certificates", path, JG_TRUST_FILE_MAX >> 20);
			return ld->status;
		}
		loader_push(ld, buf, (size_t)n);
		if (ld->status != JG_OK)
			return ld->status;
	}
	loader_finish(ld);
	return ld->status;
}

jg_status jg_trust_add_file(jg_trust *t, const char *path, jg_error *err)
{
	char origin[JG_TRUST_ORIGIN_MAX];
	(void)snprintf(origin, sizeof origin, "CA file %s", path);
	if (refuse_index(t, origin, err) != JG_OK)
		return JG_ERR_INPUT;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return jg_fail(err, JG_ERR_INPUT,
			"cannot open CA file %s: %s; give a readable PEM file of CA certificates", path,
			strerror(errno));
	struct stat st;
	int known = fstat(fd, &st) == 0;
	if (known && S_ISDIR(st.st_mode)) {
		close(fd);
		return jg_fail(err, JG_ERR_INPUT,
			"CA file %s is a directory; give a directory as --capath or SSL_CERT_DIR", path);
	}
	if (known && S_ISREG(st.st_mode) && read_before(t, &st)) {
		close(fd);
		return JG_OK;
	}
	loader ld;
	loader_start(&ld, t, origin, err);
	jg_status status = load_fd(&ld, fd, path);
	close(fd);
	return status != JG_OK ? status : loader_verdict(&ld, err);
}

/* Read one directory entry if it is (or links to) a regular file. Opened non-blocking so that
 * a FIFO cannot stall us before fstat says what it is. Unreadable entries are passed over;
 * only a fatal error (too large, cap, memory) is returned. */
static jg_status load_dir_entry(loader *ld, int dir_fd, const char *dir, const char *name)
{
	int fd = openat(dir_fd, name, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return JG_OK;
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return JG_OK;
	}
	if (read_before(ld->trust, &st)) {
		ld->read_before++;
		close(fd);
		return JG_OK;
	}
	char path[JG_TRUST_ORIGIN_MAX];
	(void)snprintf(path, sizeof path, "%s/%s", dir, name);
	load_fd(ld, fd, path);
	close(fd);
	return ld->status;
}

jg_status jg_trust_add_dir(jg_trust *t, const char *dir, jg_error *err)
{
	if (refuse_index(t, dir, err) != JG_OK)
		return JG_ERR_INPUT;
	DIR *d = opendir(dir);
	if (d == NULL)
		return jg_fail(err, JG_ERR_INPUT,
			"cannot open CA directory %s: %s; give a directory of PEM CA certificates", dir,
			strerror(errno));
	char origin[JG_TRUST_ORIGIN_MAX];
	(void)snprintf(origin, sizeof origin, "CA directory %s", dir);
	/* One loader for the whole directory: its counts say whether any file helped. Each file
	 * is finished (loader_finish) so an object cannot span two files. */
	loader ld;
	loader_start(&ld, t, origin, err);
	jg_status status = JG_OK;
	const struct dirent *entry;
	while (status == JG_OK && (entry = readdir(d)) != NULL) {
		if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
			continue;
		status = load_dir_entry(&ld, dirfd(d), dir, entry->d_name);
		loader_restart(&ld);
	}
	closedir(d);
	if (status != JG_OK)
		return status;
	if (ld.usable == 0 && (ld.read_before == 0 || t->count == 0))
		return jg_fail(err, JG_ERR_INPUT,
			"CA directory %s: no usable certificate in any of its files (%zu not "
			"decodable); it must hold PEM files of CA certificates", dir, ld.skipped);
	return JG_OK;
}
