/*
 * src/base/file.c: jg_file_write_atomic's temporary file has an unpredictable name (issue 12,
 * item 16e). With the pid in its name, anyone could plant "<path>.tmp-<pid>" (a file, or a
 * symlink to somewhere else) and make the write fail; with 64 random bits, a planted name is
 * never the one used. The mode is the one given, nothing is left beside the target, and an
 * existing target is refused without overwrite.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h> /* mkdtemp */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/file.h"

static char dir[64];

static int make_dir(void **state)
{
	(void)state;
	(void)snprintf(dir, sizeof dir, "/tmp/jg-test-file.XXXXXX");
	return mkdtemp(dir) != NULL ? 0 : -1;
}

static int remove_dir(void **state)
{
	(void)state;
	return rmdir(dir) == 0 ? 0 : -1; /* each test removes what it made */
}

static size_t entries_in_dir(void)
{
	size_t n = 0;
	DIR *d = opendir(dir);
	assert_non_null(d);
	for (struct dirent *e = readdir(d); e != NULL; e = readdir(d))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static void planted_pid_name_does_not_stop_the_write(void **state)
{
	(void)state;
	char path[128], planted[192], link_target[160];
	jg_error err;
	(void)snprintf(path, sizeof path, "%s/out.txt", dir);
	(void)snprintf(planted, sizeof planted, "%s.tmp-%ld", path, (long)getpid());
	(void)snprintf(link_target, sizeof link_target, "%s/elsewhere", dir);
	assert_int_equal(symlink(link_target, planted), 0);
	assert_int_equal(jg_file_write_atomic(path, "secret\n", 7, 0600, 0, &err), JG_OK);
	struct stat st;
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(st.st_size, 7);
	assert_int_equal(lstat(link_target, &st), -1); /* nothing written through the planted link */
	assert_int_equal(entries_in_dir(), 2);          /* out.txt and the planted link, no temp */
	assert_int_equal(unlink(planted), 0);
	assert_int_equal(unlink(path), 0);
}

static void mode_as_given_and_no_overwrite(void **state)
{
	(void)state;
	char path[128];
	jg_error err;
	struct stat st;
	(void)snprintf(path, sizeof path, "%s/cert.pem", dir);
	assert_int_equal(jg_file_write_atomic(path, "a", 1, 0644, 0, &err), JG_OK);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_int_equal(jg_file_write_atomic(path, "b", 1, 0644, 0, &err), JG_ERR_INPUT);
	assert_non_null(strstr(err.message, "already exists"));
	assert_int_equal(jg_file_write_atomic(path, "bb", 2, 0600, 1, &err), JG_OK);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 2);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(entries_in_dir(), 1);
	assert_int_equal(unlink(path), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(planted_pid_name_does_not_stop_the_write),
		cmocka_unit_test(mode_as_given_and_no_overwrite),
	};
	return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
