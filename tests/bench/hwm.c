/*
 * hwm: run one command and print its exact peak resident set, for tests/bench/run.sh.
 *
 *   hwm OUT COMMAND [ARGS...]
 *
 * Appends "FILE_KIB ANON_KIB 0 VMHWM_KIB STATUS" to OUT (measure's line format, with the
 * resident set's parts where measure has its times): the kernel's high-water mark of the
 * command's resident set (VmHWM in /proc/PID/status), read while the process is stopped at its
 * exit under ptrace, when nothing of it has been released yet; the file-backed and anonymous
 * parts of the resident set at that moment (RssFile, RssAnon: for a static binary, RssFile is
 * its own pages); and its exit code (128+N after signal N). Only the command's own process is
 * followed, not its children.
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

/* The resident-set figures of pid's status, in KiB, each -1 when absent. */
struct rss {
	long hwm, file, anon;
};

/* The KiB of a "Name:   N kB" line into *out when the line starts with name. */
static void read_field(const char *line, const char *name, long *out)
{
	size_t n = strlen(name);
	if (strncmp(line, name, n) == 0)
		*out = strtol(line + n, NULL, 10);
}

static struct rss read_rss(pid_t pid)
{
	struct rss r = { -1, -1, -1 };
	char path[64], line[256];
	(void)snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "re");
	if (f == NULL)
		return r;
	while (fgets(line, sizeof line, f) != NULL) {
		read_field(line, "VmHWM:", &r.hwm);
		read_field(line, "RssFile:", &r.file);
		read_field(line, "RssAnon:", &r.anon);
	}
	(void)fclose(f);
	return r;
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
	struct rss r = { -1, -1, -1 };
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
				r = read_rss(pid);
			else if (WSTOPSIG(status) == SIGTRAP && event == 0)
				(void)ptrace(PTRACE_SETOPTIONS, pid, NULL, (void *)PTRACE_O_TRACEEXIT);
			else if (WSTOPSIG(status) != SIGTRAP)
				sig = WSTOPSIG(status); /* pass real signals on */
		}
		(void)ptrace(PTRACE_CONT, pid, NULL, (void *)(long)sig);
	}
	if (r.hwm < 0)
		return 2;
	FILE *out = fopen(argv[1], "a");
	if (out == NULL)
		return 2;
	int written = fprintf(out, "%ld %ld 0 %ld %d\n", r.file < 0 ? 0 : r.file,
		r.anon < 0 ? 0 : r.anon, r.hwm, status_code(status));
	return fclose(out) == 0 && written > 0 ? 0 : 2;
}
