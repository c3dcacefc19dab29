/* src/heap.c through its jg_heap_* names (the unit tests keep the system's malloc). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "heap.h"

static void is_aligned_and_holds_what_was_asked(void **state)
{
	(void)state;
	static const size_t sizes[] = { 0, 1, 15, 16, 17, 100, 4095, 4096, 65535, 65536, 65537,
		200000 };
	void *blocks[sizeof sizes / sizeof sizes[0]];
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		blocks[i] = jg_heap_alloc(sizes[i]);
		assert_non_null(blocks[i]);
		assert_int_equal((uintptr_t)blocks[i] % 16, 0);
		assert_true(jg_heap_capacity(blocks[i]) >= sizes[i]);
		memset(blocks[i], (int)i + 1, sizes[i]);
	}
	/* No block overlaps another: each still holds its own byte. */
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		for (size_t j = 0; j < sizes[i]; j++)
			assert_int_equal(((unsigned char *)blocks[i])[j], (unsigned char)(i + 1));
	}
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
		jg_heap_release(blocks[i]);
}

static void small_capacities_are_powers_of_two(void **state)
{
	(void)state;
	for (size_t n = 0; n <= JG_HEAP_SMALL_MAX; n = n * 2 + 1) {
		void *p = jg_heap_alloc(n);
		size_t cap = jg_heap_capacity(p);
		assert_true(cap >= 16 && (cap & (cap - 1)) == 0);
		assert_true(cap >= n && (cap == 16 || cap / 2 < n));
		jg_heap_release(p);
	}
}

static void reuses_a_freed_block_of_the_same_class(void **state)
{
	(void)state;
	void *a = jg_heap_alloc(40);
	jg_heap_release(a);
	void *b = jg_heap_alloc(60); /* the same 64-byte class */
	assert_ptr_equal(a, b);
	void *c = jg_heap_alloc(60);
	assert_ptr_not_equal(b, c);
	jg_heap_release(b);
	jg_heap_release(c);
}

/* A freed block no longer holds what was in it (the first 8 bytes link the free list). */
static void wipes_on_release(void **state)
{
	(void)state;
	unsigned char *p = jg_heap_alloc(256);
	memset(p, 0xAB, 256);
	jg_heap_release(p);
	for (size_t i = sizeof(void *); i < 256; i++)
		assert_int_equal(p[i], 0);
}

static void resize_keeps_contents(void **state)
{
	(void)state;
	assert_non_null(jg_heap_resize(NULL, 10)); /* realloc(NULL, n) allocates */
	char *p = jg_heap_alloc(20);
	memcpy(p, "0123456789abcdefghi", 20);
	/* Within the capacity the block stays where it is. */
	assert_ptr_equal(jg_heap_resize(p, 32), p);
	/* Beyond it, through a large block and back down. */
	char *q = jg_heap_resize(p, 100000);
	assert_non_null(q);
	assert_string_equal(q, "0123456789abcdefghi");
	q[99999] = 'z';
	char *r = jg_heap_resize(q, 200000);
	assert_string_equal(r, "0123456789abcdefghi");
	assert_int_equal(r[99999], 'z');
	jg_heap_release(r);
}

static void zeroed_and_overflow_checked(void **state)
{
	(void)state;
	unsigned char *dirty = jg_heap_alloc(128);
	memset(dirty, 0xFF, 128);
	jg_heap_release(dirty);
	unsigned char *z = jg_heap_alloc_zero(16, 8); /* reuses the wiped block: still all zero */
	for (size_t i = 0; i < 128; i++)
		assert_int_equal(z[i], 0);
	jg_heap_release(z);
	errno = 0;
	assert_null(jg_heap_alloc_zero(SIZE_MAX / 2, 3));
	assert_int_equal(errno, ENOMEM);
	errno = 0;
	assert_null(jg_heap_alloc(SIZE_MAX - 8));
	assert_int_equal(errno, ENOMEM);
	jg_heap_release(NULL); /* no-op */
}

/* Run f in a child and report how it ended. */
static int child_signal(void (*f)(void))
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* cmocka catches SIGSEGV to report a crash; here it must end the child. */
		signal(SIGSEGV, SIG_DFL);
		signal(SIGABRT, SIG_DFL);
		f();
		_exit(0);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

static void double_free(void)
{
	void *p = jg_heap_alloc(32);
	jg_heap_release(p);
	jg_heap_release(p);
}

static void double_free_large(void)
{
	/* The mapping is gone after the first release: the second one faults or aborts. */
	void *p = jg_heap_alloc(1 << 20);
	jg_heap_release(p);
	jg_heap_release(p);
}

static void stray_pointer(void)
{
	static unsigned char not_ours[64];
	jg_heap_release(not_ours + 32);
}

static void interior_pointer(void)
{
	unsigned char *p = jg_heap_alloc(256);
	memset(p, 0, 256);
	jg_heap_release(p + 64);
}

static void refuses_what_it_did_not_hand_out(void **state)
{
	(void)state;
	assert_int_equal(child_signal(double_free), SIGABRT);
	int large = child_signal(double_free_large);
	assert_true(large == SIGABRT || large == SIGSEGV);
	assert_int_equal(child_signal(stray_pointer), SIGABRT);
	assert_int_equal(child_signal(interior_pointer), SIGABRT);
}

/* Many blocks of mixed sizes, freed in an order that is not the reverse of allocation, then
 * allocated again: contents stay intact throughout. */
static void survives_a_mixed_workload(void **state)
{
	(void)state;
	enum { N = 2000 };
	static unsigned char *blocks[N];
	static size_t sizes[N];
	uint32_t x = 12345;
	for (int round = 0; round < 3; round++) {
		for (size_t i = 0; i < N; i++) {
			x = x * 1103515245u + 12345u;
			sizes[i] = (x >> 8) % (i % 50 == 0 ? 100000 : 300);
			blocks[i] = jg_heap_alloc(sizes[i]);
			assert_non_null(blocks[i]);
			memset(blocks[i], (int)(i & 0xFF), sizes[i]);
		}
		for (size_t i = 0; i < N; i += 2)
			jg_heap_release(blocks[i]);
		for (size_t i = 1; i < N; i += 2) {
			for (size_t j = 0; j < sizes[i]; j++)
				assert_int_equal(blocks[i][j], (unsigned char)(i & 0xFF));
			jg_heap_release(blocks[i]);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(is_aligned_and_holds_what_was_asked),
		cmocka_unit_test(small_capacities_are_powers_of_two),
		cmocka_unit_test(reuses_a_freed_block_of_the_same_class),
		cmocka_unit_test(wipes_on_release),
		cmocka_unit_test(resize_keeps_contents),
		cmocka_unit_test(zeroed_and_overflow_checked),
		cmocka_unit_test(refuses_what_it_did_not_hand_out),
		cmocka_unit_test(survives_a_mixed_workload),
	};
	return cmocka_run_group_tests_name("heap", tests, NULL, NULL);
}
