/*
 * measure: run one command and append what it cost to a file, for tests/bench/run.sh.
 *
 *   measure OUT TIMEOUT_S COMMAND [ARGS...]
 *
 * Appends one line to OUT:
 *
 *   WALL_US USER_US SYS_US MAXRSS_KIB STATUS
 *
 * WALL_US is the monotonic time from just before fork() to the return of wait4(); USER_US,
 * SYS_US and MAXRSS_KIB are the rusage that wait4() reports for the child: its own CPU time plus
 * that of every descendant it waited for, and the largest resident set of any one of them (the
 * same ru_maxrss that GNU time prints as %M, at microsecond rather than 10 ms resolution for
 * the times). STATUS is the exit code, 128+N after signal N, 124 after TIMEOUT_S seconds (the
 * command's process group is then killed), 127 when it could not be started.
 *
 * The command inherits stdin, stdout and stderr. It runs in a process group of its own, so
 * that a timeout also stops the children of a script; for the same reason SIGINT, SIGTERM and
 * SIGHUP sent to measure kill that group, after which measure dies of the same signal without
 * writing a line. measure exits 0 when the line was written, 2 on a usage or I/O error,
 * whatever the command's status.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* also in the Makefile's flags; here for a build by hand */
#endif

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t timed_out;
static volatile sig_atomic_t stop_signal; /* SIGINT, SIGTERM or SIGHUP received, or 0 */
static const int stop_signals[3] = { SIGINT, SIGTERM, SIGHUP };

static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
}

static void on_stop(int sig)
{
	stop_signal = sig;
}

/*
 * Install handler for sig, without SA_RESTART: a blocked wait4 returns EINTR. A signal that was
 * ignored when we started (SIGINT in a background job) stays ignored, as the shell does it.
 */
static void catch_signal(int sig, void (*handler)(int))
{
	struct sigaction old;
	if (sigaction(sig, NULL, &old) == 0 && old.sa_handler == SIG_IGN)
		return;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	(void)sigemptyset(&sa.sa_mask);
	(void)sigaction(sig, &sa, NULL);
}

static long long monotonic_us(void)
{
	struct timespec ts;
	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static long long timeval_us(struct timeval tv)
{
	return (long long)tv.tv_sec * 1000000 + tv.tv_usec;
}

/* The shell's convention for a wait status. */
static int status_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 255;
}

/* Wait for pid, killing its process group once the alarm has fired or a stop signal came. */
static int wait_child(pid_t pid, int *status, struct rusage *ru)
{
	int killed = 0;
	for (;;) {
		if ((timed_out || stop_signal) && !killed) {
			(void)kill(-pid, SIGKILL);
			(void)kill(pid, SIGKILL);
			killed = 1;
		}
		pid_t got = wait4(pid, status, 0, ru);
		if (got == pid)
			return killed;
		if (got < 0 && errno != EINTR)
			return -1;
	}
}

/* Fork and exec argv[0] in a process group of its own, with the signal dispositions we got. */
static pid_t start_child(char **argv, const struct sigaction *inherited, const int *have_inherited)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	for (size_t i = 0; i < sizeof stop_signals / sizeof stop_signals[0]; i++)
		if (have_inherited[i])
			(void)sigaction(stop_signals[i], &inherited[i], NULL);
	(void)setpgid(0, 0);
	execvp(argv[0], argv);
	(void)fprintf(stderr, "measure: cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		(void)fprintf(stderr, "usage: measure OUT TIMEOUT_S COMMAND [ARGS...]\n");
		return 2;
	}
	char *end = NULL;
	long timeout_s = strtol(argv[2], &end, 10);
	if (*argv[2] == '\0' || *end != '\0' || timeout_s < 1 || timeout_s > 3600) {
		(void)fprintf(stderr, "measure: TIMEOUT_S must be 1..3600 seconds\n");
		return 2;
	}
	FILE *out = fopen(argv[1], "ae"); /* close-on-exec: the command does not inherit it */
	if (out == NULL) {
		(void)fprintf(stderr, "measure: cannot open %s: %s\n", argv[1], strerror(errno));
		return 2;
	}

	struct sigaction inherited[3];
	int have_inherited[3];
	for (size_t i = 0; i < 3; i++)
		have_inherited[i] = sigaction(stop_signals[i], NULL, &inherited[i]) == 0;
	catch_signal(SIGALRM, on_alarm);
	for (size_t i = 0; i < 3; i++)
		catch_signal(stop_signals[i], on_stop);

	long long start = monotonic_us();
	pid_t pid = start_child(argv + 3, inherited, have_inherited);
	if (pid < 0) {
		(void)fprintf(stderr, "measure: fork: %s\n", strerror(errno));
		return 2;
	}
	(void)setpgid(pid, pid); /* also from here: no race with the child's own call */
	(void)alarm((unsigned)timeout_s);

	int status = 0;
	struct rusage ru;
	memset(&ru, 0, sizeof ru);
	int killed = wait_child(pid, &status, &ru);
	long long wall = monotonic_us() - start;
	(void)alarm(0);
	if (killed < 0) {
		(void)fprintf(stderr, "measure: wait4: %s\n", strerror(errno));
		return 2;
	}
	if (stop_signal) { /* interrupted: no figures; die of the same signal */
		(void)fclose(out);
		(void)signal(stop_signal, SIG_DFL);
		(void)raise(stop_signal);
		return 2;
	}
	int code = killed ? 124 : status_code(status);
	int written = fprintf(out, "%lld %lld %lld %ld %d\n", wall, timeval_us(ru.ru_utime),
		timeval_us(ru.ru_stime), ru.ru_maxrss, code);
	if (fclose(out) != 0 || written < 0) {
		(void)fprintf(stderr, "measure: cannot write %s\n", argv[1]);
		return 2;
	}
	return 0;
}
