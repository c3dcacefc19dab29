/*
 * Shared by the HTTP unit tests (test_http.c: requests, head parser, chunked decoder;
 * test_http_reader.c: the answer reader): inputs placed against a guard page, and generated
 * inputs built into one static buffer. Each test file includes it once.
 */
#ifndef JG_TEST_HTTP_UTIL_H
#define JG_TEST_HTTP_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/*
 * A guard page: inputs are copied so that their last byte is the last byte before a PROT_NONE
 * page, so a parser that reads one byte too far faults (under any build, not only ASan).
 */
static char *guard_base;
static size_t guard_usable;

static void map_guard(void)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	guard_usable = ((600000 + page - 1) / page) * page;
	void *p = mmap(NULL, guard_usable + page, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(p != MAP_FAILED);
	guard_base = p;
	assert_int_equal(mprotect(guard_base + guard_usable, page, PROT_NONE), 0);
}

static char *at_guard(const char *src, size_t n)
{
	if (guard_base == NULL)
		map_guard();
	assert_true(n <= guard_usable);
	char *dst = guard_base + guard_usable - n;
	if (n > 0)
		memcpy(dst, src, n);
	return dst;
}

/* Generated inputs, built with appends into one static buffer. */
static char gen[200000];
static size_t gen_len;

static void gen_reset(void)
{
	gen_len = 0;
	gen[0] = '\0';
}

static void gen_add(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void gen_add(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(gen + gen_len, sizeof gen - gen_len, fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && (size_t)n < sizeof gen - gen_len);
	gen_len += (size_t)n;
}

static void gen_repeat(char c, size_t n)
{
	assert_true(gen_len + n < sizeof gen);
	memset(gen + gen_len, c, n);
	gen_len += n;
	gen[gen_len] = '\0';
}

/* A head with `count` header fields, in gen. */
static void gen_headers(size_t count)
{
	gen_reset();
	gen_add("HTTP/1.1 200 OK\r\n");
	for (size_t i = 0; i < count; i++)
		gen_add("X-Header-%zu: value %zu\r\n", i, i);
	gen_add("\r\n");
}

/* How an input is split into pieces: all at once, one byte at a time, or (n > 0) n bytes first. */
enum { WHOLE = 0, BYTEWISE = -1 };

#endif
