/*
 * src/base/passphrase.c, the sources that need no terminal: an environment variable (unset,
 * empty, too long: named, never quoted), the first line of a file (LF, CRLF, no LF at the end,
 * empty file, empty first line, a line one byte too long, missing, a directory), and stdin
 * ("-"), of which exactly one line is consumed: the rest stays readable, from a pipe as from a
 * file. The prompt without a controlling terminal (a child in a new session) fails, naming
 * /dev/tty and the two options. The prompt itself is tested on a pseudo-terminal by
 * tests/mock/pty_run.py.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h> /* mkdtemp, setenv */
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/passphrase.h"

#define VAR "JG_TEST_PASSPHRASE"

static char dir[64];

static int make_dir(void **state)
{
	(void)state;
	(void)snprintf(dir, sizeof dir, "/tmp/jg-test-passphrase.XXXXXX");
	return mkdtemp(dir) != NULL ? 0 : -1;
}

static int remove_dir(void **state)
{
	(void)state;
	return rmdir(dir) == 0 ? 0 : -1; /* each test removes what it made */
}

/* Every byte of p zero and its length 0: what a failure must leave. */
static void assert_wiped(const jg_passphrase *p)
{
	assert_int_equal(p->len, 0);
	for (size_t i = 0; i < sizeof p->bytes; i++)
		assert_int_equal(p->bytes[i], 0);
}

static void assert_passphrase(const jg_passphrase *p, const char *want)
{
	assert_int_equal(p->len, strlen(want));
	assert_memory_equal(p->bytes, want, p->len);
	assert_int_equal(p->bytes[p->len], 0);
}

/* A string of n copies of c (n < 4096). */
static const char *repeat(char c, size_t n)
{
	static char buf[4096];
	assert_true(n < sizeof buf);
	memset(buf, c, n);
	buf[n] = '\0';
	return buf;
}

/* --- the environment ---------------------------------------------------------------------- */

static void env_value_is_taken(void **state)
{
	(void)state;
	jg_passphrase p;
	jg_error err;
	assert_int_equal(setenv(VAR, "correct horse battery", 1), 0);
	assert_int_equal(jg_passphrase_from_env(VAR, &p, &err), JG_OK);
	assert_passphrase(&p, "correct horse battery");
	jg_passphrase_wipe(&p);
	assert_wiped(&p);
	assert_int_equal(setenv(VAR, repeat('k', JG_PASSPHRASE_MAX), 1), 0);
	assert_int_equal(jg_passphrase_from_env(VAR, &p, &err), JG_OK);
	assert_int_equal(p.len, JG_PASSPHRASE_MAX);
	jg_passphrase_wipe(&p);
	assert_int_equal(unsetenv(VAR), 0);
}

static void env_unset_empty_or_too_long_is_refused_by_name(void **state)
{
	(void)state;
	jg_passphrase p;
	jg_error err;
	assert_int_equal(unsetenv(VAR), 0);
	assert_int_equal(jg_passphrase_from_env(VAR, &p, &err), JG_ERR_INPUT);
	assert_string_equal(err.message,
		"environment variable " VAR " is not set; export the passphrase into it");
	assert_wiped(&p);
	assert_int_equal(setenv(VAR, "", 1), 0);
	assert_int_equal(jg_passphrase_from_env(VAR, &p, &err), JG_ERR_INPUT);
	assert_string_equal(err.message,
		"environment variable " VAR " is empty; export the passphrase into it");
	assert_int_equal(setenv(VAR, repeat('s', JG_PASSPHRASE_MAX + 1), 1), 0);
	assert_int_equal(jg_passphrase_from_env(VAR, &p, &err), JG_ERR_INPUT);
	assert_non_null(strstr(err.message, VAR));
	assert_non_null(strstr(err.message, "more than 1024 bytes"));
	assert_null(strstr(err.message, "ssss")); /* never the value */
	assert_wiped(&p);
	assert_int_equal(jg_passphrase_from_env(NULL, &p, &err), JG_ERR_INPUT);
	assert_int_equal(unsetenv(VAR), 0);
}

/* --- files -------------------------------------------------------------------------------- */

/* Write len bytes of data to dir/name; the path goes to path. */
static void put_file(const char *name, const char *data, size_t len, char *path, size_t cap)
{
	(void)snprintf(path, cap, "%s/%s", dir, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	assert_int_equal(close(fd), 0);
}

/* The status of reading `data` as a passphrase file; p holds what was read. */
static jg_status read_file_with(const char *data, size_t len, jg_passphrase *p, jg_error *err)
{
	char path[128];
	put_file("pass.txt", data, len, path, sizeof path);
	jg_status st = jg_passphrase_from_file(path, p, err);
	assert_int_equal(unlink(path), 0);
	return st;
}

#define READ_TEXT(text, p, err) read_file_with(text, sizeof text - 1, p, err)

static void file_first_line_without_lf_or_crlf(void **state)
{
	(void)state;
	jg_passphrase p;
	jg_error err;
	assert_int_equal(READ_TEXT("pass word\nsecond line\n", &p, &err), JG_OK);
	assert_passphrase(&p, "pass word");
	assert_int_equal(READ_TEXT("windows\r\nsecond\r\n", &p, &err), JG_OK);
	assert_passphrase(&p, "windows");
	assert_int_equal(READ_TEXT("no newline at the end", &p, &err), JG_OK);
	assert_passphrase(&p, "no newline at the end");
	assert_int_equal(READ_TEXT("a\rb\n", &p, &err), JG_OK); /* a CR inside stays */
	assert_passphrase(&p, "a\rb");
	assert_int_equal(READ_TEXT(" spaces kept \t\n", &p, &err), JG_OK);
	assert_passphrase(&p, " spaces kept \t");
	jg_passphrase_wipe(&p);
}

static void file_empty_or_empty_first_line_is_refused(void **state)
{
	(void)state;
	jg_passphrase p;
	jg_error err;
	char want[256];
	assert_int_equal(READ_TEXT("", &p, &err), JG_ERR_INPUT);
	(void)snprintf(want, sizeof want,
		"passphrase file %s/pass.txt is empty; its first line must hold the passphrase", dir);
	assert_string_equal(err.message, want);
	assert_wiped(&p);
	assert_int_equal(READ_TEXT("\nsecret on line two\n", &p, &err), JG_ERR_INPUT);
	(void)snprintf(want, sizeof want,
		"the first line of passphrase file %s/pass.txt is empty; it must hold the passphrase", dir);
	assert_string_equal(err.message, want);
	assert_wiped(&p);
	assert_int_equal(READ_TEXT("\r\nsecret\n", &p, &err), JG_ERR_INPUT);
	assert_non_null(strstr(err.message, "is empty"));
}

static void file_line_length_limit(void **state)
{
	(void)state;
	jg_passphrase p;
	jg_error err;
	char text[JG_PASSPHRASE_MAX + 8];
	memset(text, 'a', sizeof text);
	text[JG_PASSPHRASE_MAX] = '\n';
	assert_int_equal(read_file_with(text, JG_PASSPHRASE_MAX + 1, &p, &err), JG_OK);
	assert_int_equal(p.len, JG_PASSPHRASE_MAX);
	text[JG_PASSPHRASE_MAX] = '\r';
	text[JG_PASSPHRASE_MAX + 1] = '\n';
	assert_int_equal(read_file_with(text, JG_PASSPHRASE_MAX + 2, &p, &err), JG_OK);
	assert_int_equal(p.len, JG_PASSPHRASE_MAX);
	text[JG_PASSPHRASE_MAX] = 'a';
	text[JG_PASSPHRASE_MAX + 1] = '\n';
	assert_int_equal(read_file_with(text, JG_PASSPHRASE_MAX + 2, &p, &err), JG_ERR_INPUT);
	assert_non_null(strstr(err.message, "the first line of passphrase file"));
	assert_non_null(strstr(err.message, "is longer than 1024 bytes"));
	assert_null(strstr(err.message, "aaaa"));
	assert_wiped(&p);
	assert_int_equal(read_file_with(text, JG_PASSPHRASE_MAX + 1, &p, &err), JG_ERR_INPUT);
	assert_wiped(&p);
	text[JG_PASSPHRASE_MAX] = '\r'; /* 1024 bytes and a CR, then the end: the CR counts */
	assert_int_equal(read_file_with(text, JG_PASSPHRASE_MAX + 1, &p, &err), JG_ERR_INPUT);
	assert_int_equal(READ_TEXT("x\n", &p, &err), JG_OK);
	assert_passphrase(&p, "x");
	jg_passphrase_wipe(&p);
}

static void file_missing_or_directory_is_named(void **state)
{
	(void)state;
	jg_passphrase p;
	jg_error err;
	char path[128], want[256];
	(void)snprintf(path, sizeof path, "%s/missing.txt", dir);
	assert_int_equal(jg_passphrase_from_file(path, &p, &err), JG_ERR_INPUT);
	(void)snprintf(want, sizeof want,
		"cannot open passphrase file %s: No such file or directory", path);
	assert_string_equal(err.message, want);
	assert_int_equal(jg_passphrase_from_file(dir, &p, &err), JG_ERR_INPUT);
	(void)snprintf(want, sizeof want,
		"passphrase file %s is a directory; give the path of a file", dir);
	assert_string_equal(err.message, want);
	assert_int_equal(jg_passphrase_from_file("", &p, &err), JG_ERR_INPUT);
	assert_wiped(&p);
}

static void file_readable_by_others_is_read(void **state)
{
	(void)state;
	jg_passphrase p;
	jg_error err;
	char path[128];
	put_file("shared.txt", "shared\n", 7, path, sizeof path);
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(jg_passphrase_from_file(path, &p, &err), JG_OK);
	assert_passphrase(&p, "shared");
	jg_passphrase_wipe(&p);
	assert_int_equal(unlink(path), 0);
}

/* --- stdin -------------------------------------------------------------------------------- */

/* Read "-" with fd as standard input; fd 0 is put back after. */
static jg_status read_stdin_from(int fd, jg_passphrase *p, jg_error *err)
{
	int saved = dup(STDIN_FILENO);
	assert_true(saved >= 0);
	assert_int_equal(dup2(fd, STDIN_FILENO), STDIN_FILENO);
	jg_status st = jg_passphrase_from_file("-", p, err);
	assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
	assert_int_equal(close(saved), 0);
	return st;
}

/* A pipe holding `text`, its write end closed; returns the read end. */
static int pipe_with(const char *text)
{
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	size_t len = strlen(text);
	assert_int_equal(write(fds[1], text, len), (ssize_t)len);
	assert_int_equal(close(fds[1]), 0);
	return fds[0];
}

static void assert_rest(int fd, const char *want)
{
	char rest[256];
	ssize_t n = read(fd, rest, sizeof rest - 1);
	assert_true(n >= 0);
	rest[n] = '\0';
	assert_string_equal(rest, want);
}

static void stdin_pipe_gives_one_line_and_keeps_the_rest(void **state)
{
	(void)state;
	jg_passphrase p;
	jg_error err;
	int fd = pipe_with("from a pipe\r\n-----BEGIN PRIVATE KEY-----\nrest\n");
	assert_int_equal(read_stdin_from(fd, &p, &err), JG_OK);
	assert_passphrase(&p, "from a pipe");
	assert_rest(fd, "-----BEGIN PRIVATE KEY-----\nrest\n");
	assert_int_equal(close(fd), 0);
	fd = pipe_with("");
	assert_int_equal(read_stdin_from(fd, &p, &err), JG_ERR_INPUT);
	assert_string_equal(err.message,
		"standard input is empty; its first line must hold the passphrase");
	assert_int_equal(close(fd), 0);
	fd = pipe_with("\nnext\n");
	assert_int_equal(read_stdin_from(fd, &p, &err), JG_ERR_INPUT);
	assert_string_equal(err.message,
		"the first line of standard input is empty; it must hold the passphrase");
	assert_rest(fd, "next\n");
	assert_int_equal(close(fd), 0);
	jg_passphrase_wipe(&p);
}

static void stdin_file_offset_stops_after_the_line(void **state)
{
	(void)state;
	jg_passphrase p;
	jg_error err;
	char path[128];
	put_file("stdin.txt", "line one\nline two\n", 18, path, sizeof path);
	int fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(read_stdin_from(fd, &p, &err), JG_OK);
	assert_passphrase(&p, "line one");
	assert_int_equal(lseek(fd, 0, SEEK_CUR), 9);
	assert_rest(fd, "line two\n");
	assert_int_equal(close(fd), 0);
	assert_int_equal(unlink(path), 0);
	jg_passphrase_wipe(&p);
}

/* A path that is a pipe (/dev/fd/N, as `<(...)` and /dev/stdin are) is read byte by byte too. */
static void pipe_path_gives_one_line_and_keeps_the_rest(void **state)
{
	(void)state;
	jg_passphrase p;
	jg_error err;
	char path[64];
	int fd = pipe_with("through /dev/fd\nleft for later\n");
	(void)snprintf(path, sizeof path, "/dev/fd/%d", fd);
	assert_int_equal(jg_passphrase_from_file(path, &p, &err), JG_OK);
	assert_passphrase(&p, "through /dev/fd");
	assert_rest(fd, "left for later\n");
	assert_int_equal(close(fd), 0);
	jg_passphrase_wipe(&p);
}

/* --- the terminal ------------------------------------------------------------------------- */

/*
 * In a child without a controlling terminal (a new session): no tty, and the prompt fails
 * naming /dev/tty and the two options. The child's exit code says which check failed.
 */
static int prompt_without_terminal(void)
{
	jg_passphrase p;
	jg_error err;
	if (setsid() < 0)
		return 10;
	if (jg_passphrase_has_tty())
		return 11;
	if (jg_passphrase_prompt("Passphrase for test: ", 0, &p, &err) != JG_ERR_INPUT)
		return 12;
	const char *start = "cannot ask for the passphrase: cannot open /dev/tty: ";
	if (strncmp(err.message, start, strlen(start)) != 0)
		return 13;
	if (strstr(err.message, "--passphrase-env VAR or --passphrase-file FILE") == NULL)
		return 14;
	return p.len == 0 ? 0 : 15;
}

static void prompt_without_terminal_fails(void **state)
{
	(void)state;
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(prompt_without_terminal());
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void wipe_erases_everything(void **state)
{
	(void)state;
	jg_passphrase p;
	memset(p.bytes, 0xA5, sizeof p.bytes);
	p.len = 17;
	jg_passphrase_wipe(&p);
	assert_wiped(&p);
	jg_passphrase_wipe(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(env_value_is_taken),
		cmocka_unit_test(env_unset_empty_or_too_long_is_refused_by_name),
		cmocka_unit_test(file_first_line_without_lf_or_crlf),
		cmocka_unit_test(file_empty_or_empty_first_line_is_refused),
		cmocka_unit_test(file_line_length_limit),
		cmocka_unit_test(file_missing_or_directory_is_named),
		cmocka_unit_test(file_readable_by_others_is_read),
		cmocka_unit_test(stdin_pipe_gives_one_line_and_keeps_the_rest),
		cmocka_unit_test(stdin_file_offset_stops_after_the_line),
		cmocka_unit_test(pipe_path_gives_one_line_and_keeps_the_rest),
		cmocka_unit_test(prompt_without_terminal_fails),
		cmocka_unit_test(wipe_erases_everything),
	};
	return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
