#include "base/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/random.h"
#include "base/wipe.h"

static jg_status open_for_reading(const char *path, const char *what, int *fd, jg_error *err)
{
	if (strcmp(path, "-") == 0) {
		*fd = STDIN_FILENO;
		return JG_OK;
	}
	*fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (*fd < 0)
		return jg_fail(err, JG_ERR_INPUT, "cannot open %s %s: %s", what, path, strerror(errno));
	struct stat st;
	if (fstat(*fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(*fd);
		return jg_fail(err, JG_ERR_INPUT, "%s %s is a directory; give the path of a file",
			what, path);
	}
	return JG_OK;
}

static jg_status read_all(int fd, const char *path, const char *what, unsigned char *buf,
	size_t cap, size_t *len, jg_error *err)
{
	size_t total = 0;
	*len = 0;
	for (;;) {
		if (total == cap) {
			/* One more byte tells "exactly cap" from "larger than cap". */
			unsigned char probe;
			ssize_t extra = read(fd, &probe, 1);
			if (extra > 0)
				return jg_fail(err, JG_ERR_INPUT, "%s %s is larger than %zu bytes; is it the right file?",
					what, path, cap);
			break;
		}
		ssize_t n = read(fd, buf + total, cap - total);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return jg_fail(err, JG_ERR_INPUT, "cannot read %s %s: %s", what, path, strerror(errno));
		if (n == 0)
			break;
		total += (size_t)n;
		*len = total; /* what a failure must wipe */
	}
	if (total == 0)
		return jg_fail(err, JG_ERR_INPUT, "%s %s is empty", what, strcmp(path, "-") == 0 ? "(stdin)" : path);
	*len = total;
	return JG_OK;
}

jg_status jg_file_read(const char *path, const char *what, unsigned char *buf, size_t cap,
	size_t *len, jg_error *err)
{
	int fd;
	*len = 0;
	jg_status st = open_for_reading(path, what, &fd, err);
	if (st != JG_OK)
		return st;
	st = read_all(fd, strcmp(path, "-") == 0 ? "(stdin)" : path, what, buf, cap, len, err);
	if (fd != STDIN_FILENO)
		close(fd);
	if (st != JG_OK)
		jg_wipe(buf, *len);
	return st;
}

static jg_status write_all_fd(int fd, const void *data, size_t len)
{
	const unsigned char *p = data;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return JG_ERR_INPUT;
		p += n;
		len -= (size_t)n;
	}
	return JG_OK;
}

/* Refuse a target that exists (no overwrite) — a symlink counts as existing, dangling or not. */
static jg_status check_target(int dirfd, const char *path, int overwrite, jg_error *err)
{
	struct stat st;
	if (fstatat(dirfd, path, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return JG_OK;
	if (S_ISDIR(st.st_mode))
		return jg_fail(err, JG_ERR_INPUT, "%s is a directory; give a file path", path);
	if (!overwrite)
		return jg_fail(err, JG_ERR_INPUT, "%s already exists; remove it or pass --force", path);
	return JG_OK;
}

/*
 * "<path>.tmp-<16 hex digits>": 64 random bits, so that no one can guess the name and put a file
 * or symlink there first (the pid used to make it predictable; O_EXCL|O_NOFOLLOW kept that safe,
 * but a planted name still made the write fail).
 */
static jg_status temporary_name(const char *path, char *out, size_t cap, jg_error *err)
{
	unsigned char r[8];
	jg_status st = jg_random_bytes(r, sizeof r, err);
	if (st != JG_OK)
		return st;
	int n = snprintf(out, cap, "%s.tmp-%02x%02x%02x%02x%02x%02x%02x%02x", path, r[0], r[1], r[2],
		r[3], r[4], r[5], r[6], r[7]);
	if (n < 0 || (size_t)n >= cap)
		return jg_fail(err, JG_ERR_INPUT, "output path %.200s is too long", path);
	return JG_OK;
}

jg_status jg_file_write_atomic_at(int dirfd, const char *path, const void *data, size_t len,
	mode_t mode, int overwrite, jg_error *err)
{
	jg_status st = check_target(dirfd, path, overwrite, err);
	if (st != JG_OK)
		return st;
	char tmp[4096];
	st = temporary_name(path, tmp, sizeof tmp, err);
	if (st != JG_OK)
		return st;
	int fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0)
		return jg_fail(err, JG_ERR_INPUT, "cannot create %s: %s", tmp, strerror(errno));
	int ok = fchmod(fd, mode) == 0 && write_all_fd(fd, data, len) == JG_OK && fsync(fd) == 0;
	int saved = errno;
	ok = (close(fd) == 0) && ok;
	if (ok && !overwrite && linkat(dirfd, tmp, dirfd, path, 0) == 0) {
		/* link() fails if the target appeared meanwhile: exclusive even against a race. */
		unlinkat(dirfd, tmp, 0);
		return JG_OK;
	}
	if (ok && overwrite && renameat(dirfd, tmp, dirfd, path) == 0)
		return JG_OK;
	if (ok)
		saved = errno;
	unlinkat(dirfd, tmp, 0);
	return jg_fail(err, JG_ERR_INPUT, "cannot write %s: %s", path, strerror(saved));
}

jg_status jg_file_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
	int overwrite, jg_error *err)
{
	return jg_file_write_atomic_at(AT_FDCWD, path, data, len, mode, overwrite, err);
}
