/*
 * The passphrase of an encrypted key, from the environment, the first line of a file or stdin,
 * or the terminal (passphrase.h). All three fill a jg_passphrase the caller wipes; every
 * temporary copy made here is wiped before returning, and no message quotes the value.
 *
 * A line is bytes up to the first LF; a CR just before the LF is dropped (CRLF), as is the LF.
 * Up to JG_PASSPHRASE_MAX bytes are kept; one more byte is room for that CR, or for the
 * terminating NUL once the line is complete (bytes[len] is always 0 on success).
 *
 * The prompt, on /dev/tty:
 *   1. Our five signals (SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP) are blocked, the terminal's
 *      state is saved, a handler is installed for each signal not already ignored (a signal
 *      that nohup or a shell set to SIG_IGN stays ignored), and echo is turned off with ICANON
 *      and ECHONL kept: the line is still edited by the terminal, and the Enter shows.
 *      TCSAFLUSH drops what was typed before the prompt, so that it cannot become the answer.
 *   2. The prompt is written; the line is read as the terminal gives it (with ICANON a read
 *      never returns more than one line). The signals are unblocked only inside ppoll(2),
 *      while waiting for input, so the handler runs at that one place and the descriptor is
 *      non-blocking, so that a read never sleeps with the signals blocked.
 *   3. The handler puts the saved state back, resets the signal to SIG_DFL and raises it again:
 *      the process ends by that signal, with its terminal as it found it. SIGTSTP stops the
 *      process the same way (its default action), echo on while stopped; on SIGCONT the
 *      handler takes over SIGTSTP again, turns echo off again (dropping the half-typed line)
 *      and tells the reader, which writes the prompt again and reads a new line.
 *   4. Afterwards the saved state is put back (TCSAFLUSH: nothing typed ahead reaches the next
 *      reader of the terminal), the old handlers are reinstalled, and the old signal mask is
 *      restored: a signal that came meanwhile is then delivered with the terminal restored.
 * Another signal that interrupts the wait (one the program handles and returns from) only
 * makes it wait again. One prompt at a time per process (the handler's state is static).
 */
#include "base/passphrase.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "base/wipe.h"

#define TTY_PATH "/dev/tty"
#define CONFIRM_PREFIX "Verifying - " /* what openssl writes before the second prompt */
#define FILE_PIECE 64                 /* bytes per read(2) of a regular file */

/* What reading one line ended with. */
typedef enum line_result {
	LINE_MORE,     /* (internal) the line goes on */
	LINE_DONE,     /* a line, possibly empty: p->len bytes */
	LINE_EOF,      /* end of input before any byte */
	LINE_TOO_LONG, /* more than JG_PASSPHRASE_MAX bytes before the LF */
	LINE_FAILED    /* read(2) failed; the errno is kept by the caller */
} line_result;

/* The line in p is complete: LINE_DONE, NUL-terminated, or LINE_TOO_LONG past the cap. */
static line_result line_done(jg_passphrase *p)
{
	if (p->len > JG_PASSPHRASE_MAX)
		return LINE_TOO_LONG;
	p->bytes[p->len] = 0;
	return LINE_DONE;
}

/* Add byte c to the line in p; done at the LF (CR LF stripped), LINE_TOO_LONG past the cap. */
static line_result line_add(jg_passphrase *p, unsigned char c)
{
	if (c == '\n') {
		if (p->len > 0 && p->bytes[p->len - 1] == '\r')
			p->len--;
		return line_done(p);
	}
	if (p->len == sizeof p->bytes)
		return LINE_TOO_LONG;
	p->bytes[p->len++] = c;
	return LINE_MORE;
}

/* The input ended: a last line without its LF, or nothing at all. */
static line_result line_end(jg_passphrase *p)
{
	return p->len == 0 ? LINE_EOF : line_done(p);
}

/* Add what one read(2) gave, chunk[0..n) (n 0: the input ended), to the line in p. */
static line_result line_add_read(jg_passphrase *p, const unsigned char *chunk, ssize_t n)
{
	line_result r = n == 0 ? line_end(p) : LINE_MORE;
	for (ssize_t i = 0; i < n && r == LINE_MORE; i++)
		r = line_add(p, chunk[i]);
	return r;
}

static void clear(jg_passphrase *p)
{
	jg_wipe(p->bytes, sizeof p->bytes);
	p->len = 0;
}

void jg_passphrase_wipe(jg_passphrase *p)
{
	if (p != NULL)
		clear(p);
}

/* --- the environment ---------------------------------------------------------------------- */

jg_status jg_passphrase_from_env(const char *name, jg_passphrase *p, jg_error *err)
{
	clear(p);
	if (name == NULL || name[0] == '\0')
		return jg_fail(err, JG_ERR_INPUT, "no environment variable was named for the passphrase");
	const char *value = getenv(name);
	size_t len = value != NULL ? strlen(value) : 0;
	if (len == 0)
		return jg_fail(err, JG_ERR_INPUT, "environment variable %.200s is %s; export the "
			"passphrase into it", name, value == NULL ? "not set" : "empty");
	if (len > JG_PASSPHRASE_MAX)
		return jg_fail(err, JG_ERR_INPUT,
			"environment variable %.200s holds more than %d bytes; a passphrase is at most %d",
			name, JG_PASSPHRASE_MAX, JG_PASSPHRASE_MAX);
	memcpy(p->bytes, value, len);
	p->bytes[len] = 0;
	p->len = len;
	return JG_OK;
}

/* --- a file, or stdin --------------------------------------------------------------------- */

/*
 * Read the first line from fd, `piece` bytes per read(2). With piece 1 nothing after the LF is
 * consumed (stdin, pipes: the rest stays for the next reader); a larger piece reads past the
 * LF, which matters only for a file of our own.
 */
static line_result read_first_line(int fd, size_t piece, jg_passphrase *p, int *error)
{
	unsigned char chunk[FILE_PIECE];
	line_result r = LINE_MORE;
	if (piece > sizeof chunk)
		piece = sizeof chunk;
	while (r == LINE_MORE) {
		ssize_t n = read(fd, chunk, piece);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*error = errno;
			r = LINE_FAILED;
		} else {
			r = line_add_read(p, chunk, n);
		}
	}
	jg_wipe(chunk, sizeof chunk);
	return r;
}

/* The status and message for how reading `source` ("passphrase file X", "standard input") ended. */
static jg_status file_line_status(line_result r, int error, const char *source,
	const jg_passphrase *p, jg_error *err)
{
	switch (r) {
	case LINE_DONE:
		if (p->len > 0)
			return JG_OK;
		return jg_fail(err, JG_ERR_INPUT,
			"the first line of %s is empty; it must hold the passphrase", source);
	case LINE_EOF:
		return jg_fail(err, JG_ERR_INPUT,
			"%s is empty; its first line must hold the passphrase", source);
	case LINE_TOO_LONG:
		return jg_fail(err, JG_ERR_INPUT,
			"the first line of %s is longer than %d bytes; a passphrase is at most %d", source,
			JG_PASSPHRASE_MAX, JG_PASSPHRASE_MAX);
	default:
		return jg_fail(err, JG_ERR_INPUT, "cannot read %s: %s", source, strerror(error));
	}
}

/* Open path for the line; *piece is 1 unless it is a regular file (a FIFO, /dev/stdin...). */
static jg_status open_passphrase_file(const char *path, const char *source, int *fd,
	size_t *piece, jg_error *err)
{
	*fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (*fd < 0)
		return jg_fail(err, JG_ERR_INPUT, "cannot open %s: %s", source, strerror(errno));
	struct stat st;
	if (fstat(*fd, &st) != 0)
		st.st_mode = 0;
	if (S_ISDIR(st.st_mode)) {
		(void)close(*fd);
		*fd = -1;
		return jg_fail(err, JG_ERR_INPUT, "%s is a directory; give the path of a file", source);
	}
	*piece = S_ISREG(st.st_mode) ? FILE_PIECE : 1;
	return JG_OK;
}

jg_status jg_passphrase_from_file(const char *path, jg_passphrase *p, jg_error *err)
{
	char source[320];
	int fd = STDIN_FILENO, error = 0;
	size_t piece = 1; /* stdin: one byte at a time, whatever it is */
	clear(p);
	if (path == NULL || path[0] == '\0')
		return jg_fail(err, JG_ERR_INPUT, "no passphrase file was named");
	int from_stdin = strcmp(path, "-") == 0;
	if (from_stdin) {
		(void)snprintf(source, sizeof source, "standard input");
	} else {
		(void)snprintf(source, sizeof source, "passphrase file %.280s", path);
		jg_status st = open_passphrase_file(path, source, &fd, &piece, err);
		if (st != JG_OK)
			return st;
	}
	line_result r = read_first_line(fd, piece, p, &error);
	if (!from_stdin)
		(void)close(fd);
	jg_status st = file_line_status(r, error, source, p, err);
	if (st != JG_OK)
		clear(p);
	return st;
}

/* --- the terminal ------------------------------------------------------------------------- */

static const int prompt_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP };
#define PROMPT_SIGNALS (sizeof prompt_signals / sizeof prompt_signals[0])

/*
 * What the handler reads. The two termios and the sigaction are written before the handlers
 * are installed and not changed while they are; prompt_fd says whether a prompt is active.
 */
static struct termios prompt_saved; /* the terminal as we found it */
static struct termios prompt_quiet; /* the same, echo off */
static struct sigaction prompt_action;
static volatile sig_atomic_t prompt_fd = -1;
static volatile sig_atomic_t prompt_resumed; /* a stop and continue happened: ask again */

/* One prompt's bookkeeping: the terminal, the signal mask and handlers to put back. */
typedef struct tty_session {
	int fd;
	int armed;         /* the mask and handlers are ours: tty_restore must run */
	sigset_t ours;     /* the five signals */
	sigset_t old_mask; /* the mask before; unblocks ours inside ppoll */
	struct sigaction old_actions[PROMPT_SIGNALS];
	int installed[PROMPT_SIGNALS];
} tty_session;

/*
 * Restore the terminal, take the signal's default action; after a stop (SIGTSTP), take the
 * terminal again. Only async-signal-safe calls; errno is kept for the interrupted code.
 */
static void on_prompt_signal(int sig)
{
	int saved_errno = errno;
	int fd = (int)prompt_fd;
	if (fd >= 0)
		(void)tcsetattr(fd, TCSAFLUSH, &prompt_saved);
	(void)signal(sig, SIG_DFL);
	sigset_t just;
	(void)sigemptyset(&just);
	(void)sigaddset(&just, sig);
	(void)raise(sig); /* pending: the signal is blocked while its handler runs */
	(void)sigprocmask(SIG_UNBLOCK, &just, NULL); /* delivered here: the process ends or stops */
	/* Only a stop comes back, when the process is continued. */
	(void)sigaction(sig, &prompt_action, NULL);
	if (fd >= 0)
		(void)tcsetattr(fd, TCSAFLUSH, &prompt_quiet);
	prompt_resumed = 1;
	errno = saved_errno;
}

/* Install our handler for each signal not ignored, remembering the old ones. */
static void install_handlers(tty_session *s)
{
	memset(&prompt_action, 0, sizeof prompt_action);
	prompt_action.sa_handler = on_prompt_signal;
	prompt_action.sa_mask = s->ours; /* one handler at a time; no SA_RESTART: ppoll returns */
	for (size_t i = 0; i < PROMPT_SIGNALS; i++) {
		struct sigaction *old = &s->old_actions[i];
		s->installed[i] = 0;
		if (sigaction(prompt_signals[i], NULL, old) != 0)
			continue;
		if (!(old->sa_flags & SA_SIGINFO) && old->sa_handler == SIG_IGN)
			continue;
		s->installed[i] = sigaction(prompt_signals[i], &prompt_action, NULL) == 0;
	}
}

/* Steps 1 and 4 of the header comment: echo off with the signals handled, and back. */
static jg_status tty_quiet(tty_session *s, jg_error *err)
{
	struct termios now;
	if (tcgetattr(s->fd, &now) != 0)
		return jg_fail(err, JG_ERR_INPUT, "cannot ask for the passphrase: " TTY_PATH
			" is not a usable terminal: %s", strerror(errno));
	(void)sigemptyset(&s->ours);
	for (size_t i = 0; i < PROMPT_SIGNALS; i++)
		(void)sigaddset(&s->ours, prompt_signals[i]);
	(void)sigprocmask(SIG_BLOCK, &s->ours, &s->old_mask);
	s->armed = 1;
	prompt_saved = now;
	prompt_quiet = now;
	prompt_quiet.c_lflag &= (tcflag_t) ~ECHO;
	prompt_quiet.c_lflag |= ECHONL | ICANON;
	prompt_resumed = 0;
	prompt_fd = s->fd;
	install_handlers(s);
	if (tcsetattr(s->fd, TCSAFLUSH, &prompt_quiet) == 0)
		return JG_OK;
	int error = errno;
	/* prompt_saved is what is there: putting it back below changes nothing. */
	return jg_fail(err, JG_ERR_INPUT, "cannot turn off echo on " TTY_PATH ": %s", strerror(error));
}

static void tty_restore(tty_session *s)
{
	(void)tcsetattr(s->fd, TCSAFLUSH, &prompt_saved);
	for (size_t i = 0; i < PROMPT_SIGNALS; i++) {
		if (s->installed[i])
			(void)sigaction(prompt_signals[i], &s->old_actions[i], NULL);
	}
	prompt_fd = -1;
	(void)sigprocmask(SIG_SETMASK, &s->old_mask, NULL);
}

/* Wait until fd is ready for `events`, our signals unblocked meanwhile. 0, or -1 and errno. */
static int tty_wait(const tty_session *s, short events)
{
	struct pollfd pfd = { .fd = s->fd, .events = events, .revents = 0 };
	return ppoll(&pfd, 1, NULL, &s->old_mask) < 0 ? -1 : 0;
}

static int tty_write(const tty_session *s, const char *text)
{
	size_t len = strlen(text);
	while (len > 0) {
		ssize_t n = write(s->fd, text, len);
		if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			if (tty_wait(s, POLLOUT) != 0 && errno != EINTR)
				return -1;
			continue;
		}
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return -1;
		}
		text += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Write the prompt and read one line; after a stop and continue, write it again and read
 * afresh. LINE_FAILED leaves the errno in *error.
 */
static line_result tty_read_line(const tty_session *s, const char *prompt, jg_passphrase *p,
	int *error)
{
	unsigned char chunk[FILE_PIECE];
	line_result r = LINE_MORE;
	prompt_resumed = 1; /* "write the prompt" */
	while (r == LINE_MORE) {
		if (prompt_resumed) {
			prompt_resumed = 0;
			clear(p);
			if (tty_write(s, prompt) != 0)
				break;
		}
		if (tty_wait(s, POLLIN) != 0) {
			if (errno == EINTR)
				continue; /* a stop (handled above) or a signal the program handles */
			break;
		}
		ssize_t n = read(s->fd, chunk, sizeof chunk); /* ICANON: never past the line's end */
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n < 0)
			break;
		r = line_add_read(p, chunk, n);
	}
	jg_wipe(chunk, sizeof chunk);
	if (r == LINE_MORE) {
		*error = errno;
		r = LINE_FAILED;
	}
	return r;
}

/* Prompt once into p: JG_OK with a non-empty line, or the failure. */
static jg_status ask(const tty_session *s, const char *prompt, jg_passphrase *p, jg_error *err)
{
	int error = 0;
	line_result r = tty_read_line(s, prompt, p, &error);
	switch (r) {
	case LINE_DONE:
		if (p->len > 0)
			return JG_OK;
		return jg_fail(err, JG_ERR_INPUT, "no passphrase was typed (an empty line)");
	case LINE_EOF:
		(void)tty_write(s, "\n"); /* ^D shows nothing: end the prompt's line for what follows */
		return jg_fail(err, JG_ERR_INPUT, "no passphrase was typed (end of input on " TTY_PATH ")");
	case LINE_TOO_LONG:
		return jg_fail(err, JG_ERR_INPUT,
			"the passphrase typed is longer than %d bytes; a passphrase is at most %d",
			JG_PASSPHRASE_MAX, JG_PASSPHRASE_MAX);
	default:
		return jg_fail(err, JG_ERR_INPUT, "cannot read the passphrase from " TTY_PATH ": %s",
			strerror(error));
	}
}

/* The second prompt, "Verifying - <prompt>", which must give the same passphrase as p. */
static jg_status ask_again(const tty_session *s, const char *prompt, const jg_passphrase *p,
	jg_error *err)
{
	static jg_passphrase again; /* static: 1 KB off the stack; wiped before returning */
	char verify[1200];
	(void)snprintf(verify, sizeof verify, "%s%.1100s", CONFIRM_PREFIX, prompt);
	jg_status st = ask(s, verify, &again, err);
	if (st == JG_OK && (again.len != p->len || memcmp(again.bytes, p->bytes, p->len) != 0))
		st = jg_fail(err, JG_ERR_INPUT, "passphrases do not match");
	clear(&again);
	return st;
}

jg_status jg_passphrase_prompt(const char *prompt, int confirm, jg_passphrase *p, jg_error *err)
{
	tty_session s = { .fd = -1, .armed = 0 };
	clear(p);
	if (prompt == NULL)
		prompt = "Passphrase: ";
	s.fd = open(TTY_PATH, O_RDWR | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (s.fd < 0)
		return jg_fail(err, JG_ERR_INPUT, "cannot ask for the passphrase: cannot open " TTY_PATH
			": %s; give it with --passphrase-env VAR or --passphrase-file FILE", strerror(errno));
	jg_status st = tty_quiet(&s, err);
	if (st == JG_OK)
		st = ask(&s, prompt, p, err);
	if (st == JG_OK && confirm)
		st = ask_again(&s, prompt, p, err);
	if (s.armed)
		tty_restore(&s);
	(void)close(s.fd);
	if (st != JG_OK)
		clear(p);
	return st;
}

int jg_passphrase_has_tty(void)
{
	int fd = open(TTY_PATH, O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return 0;
	(void)close(fd);
	return 1;
}
