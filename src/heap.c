#include "heap.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "wipe.h"

/* Header states: a live block, a block on a free list, a block with its own mapping. */
#define STATE_LIVE ((uintptr_t)0x6a67486c69766521u)  /* "jgHlive!" */
#define STATE_FREE ((uintptr_t)0x6a674866726565a5u)
#define STATE_LARGE ((uintptr_t)0x6a67484c41524745u)

#define HEADER 16u
#define MIN_SHIFT 4u                                   /* 16 bytes */
#define CLASSES 13u                                    /* 16 B .. 64 KiB */

typedef struct block {
	size_t capacity; /* payload bytes (small) or the whole mapping's length (large) */
	uintptr_t state;
} block;

typedef struct free_block {
	struct free_block *next;
} free_block;

static free_block *free_lists[CLASSES];
static unsigned char *chunk_next, *chunk_end;

static block *header_of(const void *p)
{
	return (block *)(void *)((unsigned char *)(uintptr_t)p - HEADER);
}

static void *payload_of(block *b)
{
	return (unsigned char *)b + HEADER;
}

/* The size class whose capacity (16 << class) is the smallest that holds n. */
static unsigned class_of(size_t n)
{
	unsigned c = 0;
	while (((size_t)1 << (c + MIN_SHIFT)) < n)
		c++;
	return c;
}

static void *map(size_t len)
{
	void *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return m == MAP_FAILED ? NULL : m;
}

static void *alloc_large(size_t n)
{
	size_t page = 4096;
	if (n > SIZE_MAX / 2 - HEADER - page) {
		errno = ENOMEM;
		return NULL;
	}
	size_t len = (n + HEADER + page - 1) / page * page;
	block *b = map(len);
	if (b == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	b->capacity = len;
	b->state = STATE_LARGE;
	return payload_of(b);
}

/* A fresh block of the class from the current chunk, mapping a new chunk when it is used up
 * (the rest of the old one is left unused). */
static block *carve(size_t capacity)
{
	size_t need = HEADER + capacity;
	if (chunk_next == NULL || (size_t)(chunk_end - chunk_next) < need) {
		unsigned char *c = map(JG_HEAP_CHUNK);
		if (c == NULL)
			return NULL;
		chunk_next = c;
		chunk_end = c + JG_HEAP_CHUNK;
	}
	block *b = (block *)(void *)chunk_next;
	chunk_next += need;
	b->capacity = capacity;
	return b;
}

void *jg_heap_alloc(size_t n)
{
	if (n > JG_HEAP_SMALL_MAX)
		return alloc_large(n);
	unsigned c = class_of(n);
	block *b;
	if (free_lists[c] != NULL) {
		free_block *f = free_lists[c];
		b = header_of(f);
		if (b->state != STATE_FREE)
			abort();
		free_lists[c] = f->next;
		f->next = NULL;
	} else {
		b = carve((size_t)1 << (c + MIN_SHIFT));
		if (b == NULL) {
			errno = ENOMEM;
			return NULL;
		}
	}
	b->state = STATE_LIVE;
	return payload_of(b);
}

void *jg_heap_alloc_zero(size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	void *p = jg_heap_alloc(n * size);
	if (p != NULL)
		memset(p, 0, n * size);
	return p;
}

/* The header of a block handed out by this heap, or abort(). */
static block *live_block(const void *p)
{
	block *b = header_of(p);
	if (b->state != STATE_LIVE && b->state != STATE_LARGE)
		abort();
	return b;
}

size_t jg_heap_capacity(const void *p)
{
	block *b = live_block(p);
	return b->state == STATE_LARGE ? b->capacity - HEADER : b->capacity;
}

void jg_heap_release(void *p)
{
	if (p == NULL)
		return;
	block *b = live_block(p);
	if (b->state == STATE_LARGE) {
		/* Unmapped pages are gone from the process (the kernel zeroes them for reuse). */
		(void)munmap(b, b->capacity);
		return;
	}
	jg_wipe(p, b->capacity);
	b->state = STATE_FREE;
	unsigned c = class_of(b->capacity);
	free_block *f = p;
	f->next = free_lists[c];
	free_lists[c] = f;
}

void *jg_heap_resize(void *p, size_t n)
{
	if (p == NULL)
		return jg_heap_alloc(n);
	size_t capacity = jg_heap_capacity(p);
	if (n <= capacity)
		return p;
	void *q = jg_heap_alloc(n);
	if (q == NULL)
		return NULL;
	memcpy(q, p, capacity);
	jg_heap_release(p);
	return q;
}

#ifdef JG_OWN_HEAP
/* The standard names, for the musl release build only (see heap.h). */
void *malloc(size_t n)
{
	return jg_heap_alloc(n);
}

void *calloc(size_t n, size_t size)
{
	return jg_heap_alloc_zero(n, size);
}

void *realloc(void *p, size_t n)
{
	return jg_heap_resize(p, n);
}

void free(void *p)
{
	jg_heap_release(p);
}
#endif
