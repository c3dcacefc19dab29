/*
 * Helpers shared by the fuzz targets: a check that aborts (so that libFuzzer records the input
 * as a crash) and the way a target cuts its input into pieces.
 *
 * Split control, used by the targets that feed a streaming decoder: the input starts with
 *
 *     one byte    its low 3 bits are k, the number of size bytes that follow (0..7); the other
 *                 bits are the target's own flags
 *     k bytes     piece sizes: piece i is size[i mod k] + 1 bytes long (k = 0: one piece)
 *
 * and the rest is the data. A mutation of the first bytes thus moves every cut, and seeds need
 * only one leading zero byte to mean "the data, whole".
 */
#ifndef JG_FUZZ_UTIL_H
#define JG_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Abort with the failed condition: an invariant of the code under test does not hold. */
#define FUZZ_CHECK(cond)                                                                   \
	do {                                                                               \
		if (!(cond)) {                                                             \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, \
				#cond);                                                    \
			abort();                                                           \
		}                                                                          \
	} while (0)

typedef struct fuzz_split {
	unsigned flags;         /* the high 5 bits of the first byte, shifted down */
	const uint8_t *sizes;   /* k piece sizes, minus one */
	size_t count;           /* k */
	const uint8_t *data;    /* what is left: the data to feed */
	size_t len;
} fuzz_split;

/* Read the split control at the start of in[0..len); 0, or -1 when the input is too short. */
static inline int fuzz_split_read(const uint8_t *in, size_t len, fuzz_split *s)
{
	if (len < 1)
		return -1;
	s->flags = (unsigned)in[0] >> 3;
	s->count = in[0] & 7u;
	if (len - 1 < s->count)
		return -1;
	s->sizes = in + 1;
	s->data = in + 1 + s->count;
	s->len = len - 1 - s->count;
	return 0;
}

/* The length of piece number i, for data of which `left` bytes are not fed yet. */
static inline size_t fuzz_split_piece(const fuzz_split *s, size_t i, size_t left)
{
	size_t n = s->count == 0 ? left : (size_t)s->sizes[i % s->count] + 1;
	return n < left ? n : left;
}

/* A heap copy of data[0..len) of exactly len bytes (at least one byte is allocated), so that
 * ASan reports any read past the end; NUL-terminated copies use fuzz_strdup. */
static inline char *fuzz_copy(const void *data, size_t len)
{
	char *p = malloc(len > 0 ? len : 1);
	FUZZ_CHECK(p != NULL);
	if (len > 0)
		memcpy(p, data, len);
	return p;
}

/* An uninitialised heap buffer of exactly len bytes (at least one is allocated). */
static inline char *fuzz_alloc(size_t len)
{
	char *p = malloc(len > 0 ? len : 1);
	FUZZ_CHECK(p != NULL);
	return p;
}

/* data[0..len) up to its first NUL, as a NUL-terminated heap string. */
static inline char *fuzz_strdup(const void *data, size_t len)
{
	const char *nul = memchr(data, '\0', len);
	size_t n = nul != NULL ? (size_t)(nul - (const char *)data) : len;
	char *p = malloc(n + 1);
	FUZZ_CHECK(p != NULL);
	memcpy(p, data, n);
	p[n] = '\0';
	return p;
}

/* Whether s (cap bytes) holds a NUL: every string an API fills must end within its array. */
static inline int fuzz_terminated(const char *s, size_t cap)
{
	return memchr(s, '\0', cap) != NULL;
}

#endif
