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
 * that a timeout also stops the children of a script. measure exits 0 when the line was
 * written, 2 on a usage or I/O error, whatever the command's status.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>

static volatile sig_atomic_t timed_out;

static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
}

static long long monotonic_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
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

/* Wait for pid, killing its process group once the alarm has fired. */
static int wait_child(pid_t pid, int *status, struct rusage *ru)
{
	int killed = 0;
	for (;;) {
		pid_t got = wait4(pid, status, 0, ru);
		if (got == pid)
			return killed;
		if (got < 0 && errno != EINTR)
			return -1;
		if (timed_out && !killed) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			killed = 1;
		}
	}
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: measure OUT TIMEOUT_S COMMAND [ARGS...]\n");
		return 2;
	}
	char *end = NULL;
	long timeout_s = strtol(argv[2], &end, 10);
	if (*argv[2] == '\0' || *end != '\0' || timeout_s < 1 || timeout_s > 3600) {
		fprintf(stderr, "measure: TIMEOUT_S must be 1..3600 seconds\n");
		return 2;
	}
	FILE *out = fopen(argv[1], "a");
	if (out == NULL) {
		fprintf(stderr, "measure: cannot open %s: %s\n", argv[1], strerror(errno));
		return 2;
	}

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm; /* no SA_RESTART: wait4 returns EINTR when the alarm fires */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);

	long long start = monotonic_us();
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "measure: fork: %s\n", strerror(errno));
		return 2;
	}
	if (pid == 0) {
		setpgid(0, 0);
		execvp(argv[3], argv + 3);
		fprintf(stderr, "measure: cannot run %s: %s\n", argv[3], strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid); /* also from here: no race with the child's own call */
	alarm((unsigned)timeout_s);

	int status = 0;
	struct rusage ru;
	memset(&ru, 0, sizeof ru);
	int killed = wait_child(pid, &status, &ru);
	long long wall = monotonic_us() - start;
	alarm(0);
	if (killed < 0) {
		fprintf(stderr, "measure: wait4: %s\n", strerror(errno));
		return 2;
	}
	int code = killed ? 124 : status_code(status);
	fprintf(out, "%lld %lld %lld %ld %d\n", wall, timeval_us(ru.ru_utime),
		timeval_us(ru.ru_stime), ru.ru_maxrss, code);
	if (fclose(out) != 0) {
		fprintf(stderr, "measure: cannot write %s\n", argv[1]);
		return 2;
	}
	return 0;
}
