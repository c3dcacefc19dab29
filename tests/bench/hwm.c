/*
 * hwm: run one command and print its exact peak resident set, for tests/bench/run.sh.
 *
 *   hwm OUT COMMAND [ARGS...]
 *
 * Appends "0 0 0 VMHWM_KIB STATUS" to OUT (measure's line format, times left 0): the kernel's
 * high-water mark of the command's resident set (VmHWM
 * in /proc/PID/status), read while the process is stopped at its exit under ptrace, when
 * nothing of it has been released yet; and its exit code (128+N after signal N). Only the
 * command's own process is followed, not its children.
 *
 * Why: ru_maxrss (what GNU time prints as %M, and what wait4 gives measure) is folded from
 * per-CPU counters in batches, so small processes read as 0 or a step low, and GNU time adds its
 * own pre-exec footprint. VmHWM at exit is the figure itself. ptrace costs time, so this tool
 * reports memory only. Exits 0 when it wrote a figure, 2 otherwise.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

/* VmHWM of pid in KiB, or -1. */
static long read_hwm(pid_t pid)
{
	char path[64], line[256];
	(void)snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "re");
	if (f == NULL)
		return -1;
	long kib = -1;
	while (fgets(line, sizeof line, f) != NULL) {
		if (strncmp(line, "VmHWM:", 6) == 0) {
			kib = strtol(line + 6, NULL, 10);
			break;
		}
	}
	(void)fclose(f);
	return kib;
}

static int status_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 255;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		(void)fprintf(stderr, "usage: hwm OUT COMMAND [ARGS...]\n");
		return 2;
	}
	pid_t pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		/* Stopped by the kernel at execve until the parent has set the options. */
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) != 0)
			_exit(127);
		execvp(argv[2], argv + 2);
		(void)fprintf(stderr, "hwm: cannot run %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	long kib = -1;
	int status;
	for (;;) {
		if (waitpid(pid, &status, 0) != pid)
			return 2;
		if (WIFEXITED(status) || WIFSIGNALED(status))
			break;
		int sig = 0;
		if (WIFSTOPPED(status)) {
			int event = status >> 16;
			if (event == PTRACE_EVENT_EXIT)
				kib = read_hwm(pid);
			else if (WSTOPSIG(status) == SIGTRAP && event == 0)
				(void)ptrace(PTRACE_SETOPTIONS, pid, NULL, (void *)PTRACE_O_TRACEEXIT);
			else if (WSTOPSIG(status) != SIGTRAP)
				sig = WSTOPSIG(status); /* pass real signals on */
		}
		(void)ptrace(PTRACE_CONT, pid, NULL, (void *)(long)sig);
	}
	if (kib < 0)
		return 2;
	FILE *out = fopen(argv[1], "a");
	if (out == NULL)
		return 2;
	int written = fprintf(out, "0 0 0 %ld %d\n", kib, status_code(status));
	return fclose(out) == 0 && written > 0 ? 0 : 2;
}
