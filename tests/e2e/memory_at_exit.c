/*
 * memory_at_exit: run a command and save what its writable memory holds as it exits, for
 * tests/e2e/grant_memory.sh.
 *
 *   memory_at_exit OUT COMMAND [ARGS...]
 *
 * The command runs under ptrace (through any exec, as env's) and is stopped at its exit
 * (PTRACE_O_TRACEEXIT), after main has returned and the atexit handlers ran, before the kernel
 * frees anything. Every page of its writable mappings (data, bss, heap, stack, anonymous maps)
 * that is resident or swapped (/proc/PID/pagemap) is read through /proc/PID/mem and appended to
 * OUT; pages never touched are left out. (A sanitizer's terabytes of reserved address space
 * would take hours to walk: not for sanitizer builds.) The command then goes on to exit; its
 * standard streams are the ones this program was given.
 *
 * (tests/bench/hwm.c stops a command at its exit the same way, to read its peak RSS.)
 *
 * Exits with the command's exit code (128+N after signal N), or 125 when the memory could not
 * be read. Only the command's own process is followed, not its children.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096UL
#define PAGEMAP_PRESENT (UINT64_C(1) << 63)
#define PAGEMAP_SWAPPED (UINT64_C(1) << 62)

/* Appends the touched pages of [start, end) to out; 0 on success. */
static int save_range(int mem, int pagemap, uintptr_t start, uintptr_t end, FILE *out)
{
	static unsigned char page[PAGE];
	for (uintptr_t p = start; p < end; p += PAGE) {
		uint64_t entry = 0;
		if (pread(pagemap, &entry, sizeof entry, (off_t)(p / PAGE * sizeof entry)) !=
			(ssize_t)sizeof entry)
			return -1;
		if ((entry & (PAGEMAP_PRESENT | PAGEMAP_SWAPPED)) == 0)
			continue;
		if (pread(mem, page, PAGE, (off_t)p) != (ssize_t)PAGE)
			continue; /* a guard page, or one that went away */
		if (fwrite(page, 1, PAGE, out) != PAGE)
			return -1;
	}
	return 0;
}

/* Appends every writable mapping's touched pages of pid to the file at path; 0 on success. */
static int save_memory(pid_t pid, const char *path)
{
	char name[64], line[512];
	int rc = -1;
	(void)snprintf(name, sizeof name, "/proc/%d/maps", (int)pid);
	FILE *maps = fopen(name, "re");
	(void)snprintf(name, sizeof name, "/proc/%d/mem", (int)pid);
	int mem = open(name, O_RDONLY | O_CLOEXEC);
	(void)snprintf(name, sizeof name, "/proc/%d/pagemap", (int)pid);
	int pagemap = open(name, O_RDONLY | O_CLOEXEC);
	FILE *out = fopen(path, "we");
	if (maps != NULL && mem >= 0 && pagemap >= 0 && out != NULL) {
		rc = 0;
		while (rc == 0 && fgets(line, sizeof line, maps) != NULL) {
			uintptr_t start = 0, end = 0;
			char perms[8] = "";
			if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR " %7s", &start, &end, perms) == 3 &&
				perms[1] == 'w')
				rc = save_range(mem, pagemap, start, end, out);
		}
	}
	if (out != NULL && fclose(out) != 0)
		rc = -1;
	if (maps != NULL)
		(void)fclose(maps);
	if (mem >= 0)
		(void)close(mem);
	if (pagemap >= 0)
		(void)close(pagemap);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		(void)fprintf(stderr, "usage: memory_at_exit OUT COMMAND [ARGS...]\n");
		return 125;
	}
	pid_t pid = fork();
	if (pid < 0)
		return 125;
	if (pid == 0) {
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) != 0)
			_exit(125);
		execvp(argv[2], argv + 2);
		_exit(127);
	}
	int status = 0, saved = 0, first = 1;
	for (;;) {
		if (waitpid(pid, &status, 0) != pid)
			return 125;
		if (WIFEXITED(status))
			return saved ? WEXITSTATUS(status) : 125;
		if (WIFSIGNALED(status))
			return saved ? 128 + WTERMSIG(status) : 125;
		int sig = WIFSTOPPED(status) ? WSTOPSIG(status) : 0;
		if (first) { /* the stop at exec */
			first = 0;
			sig = 0;
			(void)ptrace(PTRACE_SETOPTIONS, pid, NULL,
				(void *)(PTRACE_O_TRACEEXIT | PTRACE_O_TRACEEXEC));
		} else if (status >> 8 == (SIGTRAP | (PTRACE_EVENT_EXEC << 8))) {
			sig = 0; /* a program it runs in its place, as env does */
		} else if (status >> 8 == (SIGTRAP | (PTRACE_EVENT_EXIT << 8))) {
			sig = 0;
			if (save_memory(pid, argv[1]) != 0) {
				(void)kill(pid, SIGKILL);
				(void)waitpid(pid, &status, 0);
				return 125;
			}
			saved = 1;
		}
		(void)ptrace(PTRACE_CONT, pid, NULL, (void *)(long)sig);
	}
}
