/*
 * The heap of the static release binary: malloc, free, calloc and realloc for musl, in place of
 * musl's mallocng (9 KB of a binary whose size goal is 256 KiB).
 *
 * jwtgrant's own code allocates little (run-time CA files in src/trust.c); the heap serves
 * cJSON's parse trees and libc's getaddrinfo. A run is short and single-threaded, so the design
 * is the plainest that cannot corrupt itself:
 *   - a block is a 16-byte header { capacity, state } and the payload, 16-byte aligned;
 *   - small requests (up to JG_HEAP_SMALL_MAX) are rounded up to a power of two from 16 bytes,
 *     taken from that size's free list, else carved from a chunk mapped with mmap
 *     (JG_HEAP_CHUNK at a time); freed small blocks go back to their list;
 *   - larger requests get their own mapping, returned to the system when freed;
 *   - free wipes the payload first (cJSON's copies of an access token, say, do not outlive
 *     their tree), and aborts on a pointer whose header is not that of a live block: a double
 *     free or a stray pointer stops the process instead of corrupting a list.
 * Growth is bounded by what is live at once plus the power-of-two rounding (at most 2x).
 *
 * The jg_heap_* functions are always compiled (the unit tests run them under ASan); the
 * standard names are defined only when JG_OWN_HEAP is set, which the Makefile does for the
 * musl release build alone (glibc and the sanitizers keep their own allocators).
 */
#ifndef JG_HEAP_H
#define JG_HEAP_H

#include <stddef.h>

/* Largest request served from the size-class lists; larger ones get their own mapping. */
#define JG_HEAP_SMALL_MAX ((size_t)64 << 10)
/* Bytes mapped at a time for small blocks. */
#define JG_HEAP_CHUNK ((size_t)256 << 10)

/* malloc's contract: NULL (errno ENOMEM) when the system has no memory or n is absurd;
 * malloc(0) returns a unique pointer. */
void *jg_heap_alloc(size_t n);

/* calloc's contract, with the n * size overflow refused (NULL, ENOMEM). */
void *jg_heap_alloc_zero(size_t n, size_t size);

/* realloc's contract: p NULL allocates; the block keeps its place while n fits its capacity;
 * otherwise a new block receives the old contents and the old one is freed (and wiped). On
 * failure p is untouched and NULL is returned. */
void *jg_heap_resize(void *p, size_t n);

/* free's contract (NULL is a no-op); the payload is wiped; abort() on a pointer that is not a
 * live block of this heap. */
void jg_heap_release(void *p);

/* The usable bytes of a live block (its capacity, at least what was asked). */
size_t jg_heap_capacity(const void *p);

#endif
