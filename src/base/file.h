/* Files: capped reads (a path, or "-" for stdin) and atomic, exclusive, no-follow writes. */
#ifndef JG_FILEIO_H
#define JG_FILEIO_H

#include <stddef.h>
#include <sys/types.h>

#include "base/error.h"

/*
 * Read the whole of `path` ("-" reads standard input) into buf, at most cap bytes. `what` names
 * the file's role in messages ("key file", "certificate"). Errors (JG_ERR_INPUT): missing,
 * unreadable, a directory, empty, or larger than cap. Symlinks are followed (key mounts and
 * /etc/ssl/certs are made of them). On failure the partly filled buffer is wiped.
 */
jg_status jg_file_read(const char *path, const char *what, unsigned char *buf, size_t cap,
	size_t *len, jg_error *err);

/*
 * Write data to `path` atomically: a temporary file beside the target with an unpredictable
 * name ("<path>.tmp-" and 16 random hex digits), created with O_CREAT|O_EXCL|O_NOFOLLOW and
 * `mode`, written, fsync'd, then renamed over the target. Without
 * `overwrite`, an existing target (or a symlink at the target) is refused and nothing changes;
 * with it, a symlink at the target is replaced, never followed. Nothing is left behind on
 * failure. Errors are JG_ERR_INPUT naming the path.
 */
jg_status jg_file_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
	int overwrite, jg_error *err);

/* The same for `path` relative to the open directory dirfd (AT_FDCWD: as above), so that a
 * directory checked through its descriptor is the one written into. */
jg_status jg_file_write_atomic_at(int dirfd, const char *path, const void *data, size_t len,
	mode_t mode, int overwrite, jg_error *err);

#endif
