/*
 * Where the passphrase of an encrypted key comes from (cli.md, "Encrypted private keys"): an
 * environment variable, the first line of a file (or stdin), or a prompt on the terminal
 * (/dev/tty, echo off). Never the command line. The passphrase lives in a jg_passphrase, which
 * the caller wipes with jg_passphrase_wipe as soon as the key is open.
 */
#ifndef JG_PASSPHRASE_H
#define JG_PASSPHRASE_H

#include <stddef.h>

#include "base/error.h"

#define JG_PASSPHRASE_MAX 1024 /* bytes; longer is refused, naming the limit */

typedef struct jg_passphrase {
	unsigned char bytes[JG_PASSPHRASE_MAX + 1];
	size_t len;
} jg_passphrase;

/* The value of environment variable `name`. JG_ERR_INPUT when unset, empty or too long. */
jg_status jg_passphrase_from_env(const char *name, jg_passphrase *p, jg_error *err);

/*
 * The first line of the file at path ("-": stdin), without its LF or CRLF (a last line without
 * its LF counts). JG_ERR_INPUT, naming the path ("standard input" for "-"), when it cannot be
 * opened or read, is a directory, is empty, or its first line is empty or longer than
 * JG_PASSPHRASE_MAX. Stdin, and any path that is not a regular file (a pipe, /dev/stdin), is
 * read one byte at a time: nothing after the line is consumed. A regular file is read in small
 * pieces, up to the piece that holds the LF. The file's mode is not checked.
 */
jg_status jg_passphrase_from_file(const char *path, jg_passphrase *p, jg_error *err);

/* 1 when /dev/tty can be opened for reading and writing (a prompt is possible). */
int jg_passphrase_has_tty(void);

/*
 * Prompt on /dev/tty with `prompt` (e.g. "Passphrase for key file server.key: "; NULL:
 * "Passphrase: "), echo off (ICANON and ECHONL kept: the line can be edited and the Enter
 * shows), read one line; with `confirm`, ask again with "Verifying - " before the prompt, as
 * openssl does, and refuse a mismatch ("passphrases do not match"). The terminal's state is
 * restored on every path, and when SIGINT, SIGTERM, SIGHUP, SIGQUIT or SIGTSTP arrives during
 * the read: restored, then the signal's default action is taken. After a stop (SIGTSTP) and a
 * continue, echo goes off again and the prompt is written again for a new line. Signals the
 * process ignores stay ignored. JG_ERR_INPUT when /dev/tty cannot be opened, on end of input,
 * an empty or too long line, or a mismatch. Not reentrant (one prompt at a time).
 */
jg_status jg_passphrase_prompt(const char *prompt, int confirm, jg_passphrase *p, jg_error *err);

/* Erase it. */
void jg_passphrase_wipe(jg_passphrase *p);

#endif
