#!/usr/bin/env python3
"""Run a command on a pseudo-terminal, as a person at a terminal would, and answer its prompts;
for the end-to-end tests of passphrase prompts (echo off while typing, back on afterwards, the
terminal restored when a signal ends the prompt).

    pty_run.py [--timeout S] [--prompt-suffix TEXT] [--stdin F] [--stdout F] [--stderr F]
               [--answer TEXT | --eof | --signal-at-prompt SIG]... -- COMMAND [ARGS...]

The command runs in a new session whose controlling terminal is a new pty, in its own process
group in the foreground of that terminal (a small job-control "shell" in between, so that
SIGTSTP really stops it, as under an interactive shell). Its stdin, stdout and stderr are the
terminal unless --stdin/--stdout/--stderr name files (stdout and stderr are then created).

A prompt is output that ends with --prompt-suffix (default ": ") and is followed by 0.1 s of
quiet. At each prompt the terminal's ECHO flag is read (from the slave side, which this script
keeps open) and the next action is taken, in the order given:
  --answer TEXT          type TEXT and Enter
  --eof                  type the end-of-file character (^D) on an empty line
  --key-at-prompt ^X     type the control character ^X (^C, ^Z, ^\\, ^D...) as a key, without
                         Enter: the terminal turns ^C, ^\\ and ^Z into SIGINT, SIGQUIT and
                         SIGTSTP itself, flushing the line as it does for a person
  --signal-at-prompt SIG send SIG (INT, TERM, HUP, QUIT, TSTP, ... with or without "SIG") to
                         the command's process group, as the terminal's keys do; after a stop
                         (TSTP, STOP, TTIN, TTOU) the ECHO flag is read while it is stopped and
                         the job is brought back to the foreground and continued (like `fg`)
A prompt with no action left is reported and left waiting (until the command ends or the
timeout). A prompt still waiting, with no new output, 0.5 s after a signal that neither ended
nor stopped the command (one it ignores or handles) is taken again, as a new prompt. Everything is bounded by --timeout (default 20 s): then the command is killed.

The report, on stdout, one item a line (TEXT escaped: \\n \\r \\t \\\\ and \\xNN):
  prompt: TEXT                  the last line of output at each prompt
  echo-during-prompt: on|off    ECHO at that prompt
  action: answer|eof|key ^X|signal SIG|none
  stopped: SIG                  after a stop signal; then
  echo-while-stopped: on|off
  continued: yes
  timeout: yes                  when --timeout passed (the command was killed)
  exit: N                       the exit code (128 + N for a signal, as the shell says)
  signal: SIG                   when a signal ended the command
  error: TEXT                   when the command could not be run (exit: 127)
  echo-after: on|off            ECHO once the command has ended
  answer-echoed: no|yes         whether an answer's text came back on the line where it was
                                typed (the terminal's echo)
  output: TEXT                  all the terminal's output
  --- output ---                then that output as it came, CR LF made LF
pty_run.py exits 0 when the command ended by itself, 124 on timeout, 2 on a usage error.
Python's standard library only; Linux.
"""
import argparse
import errno
import fcntl
import os
import select
import signal
import sys
import termios
import time

STOP_SIGNALS = {signal.SIGTSTP, signal.SIGSTOP, signal.SIGTTIN, signal.SIGTTOU}
QUIET = 0.1  # seconds without output after a candidate prompt
HOLD = 0.5   # seconds after a signal that neither ended nor stopped the command


def signal_number(name):
    name = name.upper()
    if name.isdigit():
        return signal.Signals(int(name))
    if not name.startswith("SIG"):
        name = "SIG" + name
    try:
        return signal.Signals[name]
    except KeyError:
        raise argparse.ArgumentTypeError("unknown signal " + name) from None


def control_key(text):
    """"^C" (or "C") -> b"\\x03"."""
    letter = text[1:] if text.startswith("^") and len(text) == 2 else text
    if len(letter) != 1 or not 0x40 <= ord(letter.upper()) <= 0x5F:
        raise argparse.ArgumentTypeError("not a control key: %s (write ^C, ^Z, ^D...)" % text)
    return bytes([ord(letter.upper()) - 0x40])


def parse_args(argv):
    ap = argparse.ArgumentParser(description="Run a command on a pty and answer its prompts.")
    ap.add_argument("--timeout", type=float, default=20.0)
    ap.add_argument("--prompt-suffix", default=": ")
    ap.add_argument("--stdin")
    ap.add_argument("--stdout")
    ap.add_argument("--stderr")
    ap.add_argument("--answer", dest="actions", action="append",
                    type=lambda text: ("answer", text))
    ap.add_argument("--eof", dest="actions", action="append_const", const=("eof", None))
    ap.add_argument("--key-at-prompt", dest="actions", action="append",
                    type=lambda key: ("key", control_key(key)))
    ap.add_argument("--signal-at-prompt", dest="actions", action="append",
                    type=lambda name: ("signal", signal_number(name)))
    ap.add_argument("command", nargs=argparse.REMAINDER)
    args = ap.parse_args(argv)
    if args.command and args.command[0] == "--":
        args.command = args.command[1:]
    if not args.command:
        ap.error("no command given (after --)")
    args.actions = args.actions or []
    return args


def escape(data):
    out = []
    for b in data:
        c = chr(b)
        if c == "\\":
            out.append("\\\\")
        elif c == "\n":
            out.append("\\n")
        elif c == "\r":
            out.append("\\r")
        elif c == "\t":
            out.append("\\t")
        elif 0x20 <= b < 0x7F:
            out.append(c)
        else:
            out.append("\\x%02x" % b)
    return "".join(out)


def signal_name(num):
    try:
        return signal.Signals(num).name[3:]
    except ValueError:
        return str(num)


# --- the child side: session leader, then the job -------------------------------------------

def send(fd, line):
    os.write(fd, (line + "\n").encode())


def open_stdio(args, tty):
    """The job's descriptors 0, 1, 2: the terminal, or the files named."""
    fds = [tty, tty, tty]
    if args.stdin:
        fds[0] = os.open(args.stdin, os.O_RDONLY)
    for i, path in ((1, args.stdout), (2, args.stderr)):
        if path:
            fds[i] = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    return fds


def run_job(args, tty, report):
    """In the grandchild: own process group in the foreground, then exec the command."""
    try:
        os.setpgid(0, 0)
        os.tcsetpgrp(tty, os.getpid())  # SIGTTOU is ignored here (inherited), as shells do
        fds = open_stdio(args, tty)
        for target, fd in enumerate(fds):
            if fd == target:
                os.set_inheritable(fd, True)
            else:
                os.dup2(fd, target)
        # what the "shell" ignores, and what Python ignores (SIGPIPE, SIGXFSZ), back to default
        for sig in (signal.SIGTTOU, signal.SIGTTIN, signal.SIGINT, signal.SIGPIPE, signal.SIGXFSZ):
            signal.signal(sig, signal.SIG_DFL)
        os.execvp(args.command[0], args.command)
    except OSError as e:
        send(report, "error: cannot run %s: %s" % (args.command[0], e.strerror))
    os._exit(127)


def wait_job(pid, tty, report, control):
    """In the child (the session leader): report the job's stops and its end, like a shell."""
    send(report, "pid %d" % pid)
    while True:
        try:
            _, status = os.waitpid(pid, os.WUNTRACED)
        except InterruptedError:
            continue
        if os.WIFSTOPPED(status):
            os.tcsetpgrp(tty, os.getpgrp())  # the terminal back to the "shell" while stopped
            send(report, "stopped %d" % os.WSTOPSIG(status))
            if os.read(control, 1) != b"c":
                os.killpg(pid, signal.SIGKILL)
                continue
            os.tcsetpgrp(tty, pid)  # `fg`: the foreground again, then continue
            os.killpg(pid, signal.SIGCONT)
            continue
        if os.WIFSIGNALED(status):
            send(report, "signal %d" % os.WTERMSIG(status))
        else:
            send(report, "exit %d" % os.WEXITSTATUS(status))
        os._exit(0)


def session_leader(args, slave_name, report, control):
    try:
        os.setsid()
        tty = os.open(slave_name, os.O_RDWR)
        fcntl.ioctl(tty, termios.TIOCSCTTY, 0)
        # SIGHUP stays: if this script dies, the terminal hangs up and the job goes with it
        for sig in (signal.SIGTTOU, signal.SIGTTIN, signal.SIGINT):
            signal.signal(sig, signal.SIG_IGN)
        pid = os.fork()
        if pid == 0:
            run_job(args, tty, report)
        try:
            os.setpgid(pid, pid)
        except OSError:
            pass  # the job did it first
        wait_job(pid, tty, report, control)
    except BaseException as e:  # anything: report it, never return into the parent's code
        try:
            send(report, "error: %s" % e)
        finally:
            os._exit(127)


# --- the parent side: read the terminal, answer the prompts ----------------------------------

class Run:
    def __init__(self, args):
        self.args = args
        self.output = bytearray()
        self.seen = 0            # output up to here is not a prompt any more
        self.last_output = time.monotonic()
        self.report = []
        self.status = b""        # lines from the session leader
        self.pid = None          # the job (its process group has the same number)
        self.leader = None
        self.end = None          # ("exit", N) / ("signal", N)
        self.error = None        # why the command could not be run
        self.actions = list(args.actions)
        self.answers_after = []  # (answer, output length when typed)
        self.deadline = time.monotonic() + args.timeout
        self.hold_until = 0.0    # a prompt signalled is not taken again before this

    def echo(self):
        try:
            return "on" if termios.tcgetattr(self.slave)[3] & termios.ECHO else "off"
        except termios.error:
            return "unknown"

    def start(self):
        self.master, self.slave = os.openpty()
        slave_name = os.ttyname(self.slave)
        report_r, report_w = os.pipe()
        control_r, control_w = os.pipe()
        self.leader = os.fork()
        if self.leader == 0:
            os.close(self.master)
            os.close(report_r)
            os.close(control_w)
            os.set_inheritable(report_w, False)
            os.set_inheritable(control_r, False)
            session_leader(self.args, slave_name, report_w, control_r)
        os.close(report_w)
        os.close(control_r)
        self.report_fd, self.control = report_r, control_w
        os.set_blocking(self.master, False)

    def read_status(self, line):
        word, _, rest = line.partition(" ")
        if word == "pid":
            self.pid = int(rest)
        elif word == "stopped":
            self.on_stop(int(rest))
        elif word in ("exit", "signal"):
            self.end = (word, int(rest))
        elif word == "error:":
            self.error = rest  # the exit (127) follows

    def on_stop(self, sig):
        self.report.append("stopped: " + signal_name(sig))
        self.report.append("echo-while-stopped: " + self.echo())
        os.write(self.control, b"c")
        self.report.append("continued: yes")
        self.seen = len(self.output)

    def pump(self, wait):
        """Read what the terminal and the session leader have, waiting at most `wait` s."""
        fds = [self.master] + ([self.report_fd] if self.report_fd is not None else [])
        ready, _, _ = select.select(fds, [], [], max(0.0, wait))
        if self.master in ready:
            try:
                data = os.read(self.master, 65536)
            except OSError as e:
                data = b"" if e.errno in (errno.EIO, errno.EAGAIN) else None
                if data is None:
                    raise
            if data:
                self.output += data
                self.last_output = time.monotonic()
        if self.report_fd in ready:
            data = os.read(self.report_fd, 4096)
            if not data:
                os.close(self.report_fd)
                self.report_fd = None
                if self.end is None:  # the session leader died without a word
                    self.end = ("exit", 127)
            self.status += data
            while b"\n" in self.status:
                line, _, self.status = self.status.partition(b"\n")
                self.read_status(line.decode(errors="replace"))

    def at_prompt(self):
        pending = bytes(self.output[self.seen:])
        now = time.monotonic()
        return (self.end is None and self.pid is not None and pending
                and pending.endswith(self.args.prompt_suffix.encode())
                and now - self.last_output >= QUIET and now >= self.hold_until)

    def answer_prompt(self):
        start, pending = self.seen, bytes(self.output[self.seen:])
        self.seen = len(self.output)
        last_line = pending.replace(b"\r", b"").split(b"\n")[-1]
        self.report.append("prompt: " + escape(last_line))
        self.report.append("echo-during-prompt: " + self.echo())
        if not self.actions:
            self.report.append("action: none")
            return
        kind, value = self.actions.pop(0)
        if kind == "answer":
            self.report.append("action: answer")
            self.answers_after.append((value, len(self.output)))
            os.write(self.master, value.encode() + b"\n")
        elif kind == "eof":
            self.report.append("action: eof")
            os.write(self.master, bytes([termios.tcgetattr(self.slave)[6][termios.VEOF][0]]))
        elif kind == "key":
            self.report.append("action: key ^" + chr(value[0] + 0x40))
            os.write(self.master, value)
            self.seen, self.hold_until = start, time.monotonic() + HOLD
        else:
            self.report.append("action: signal " + signal_name(value))
            os.killpg(self.pid, value)
            if value not in STOP_SIGNALS:
                # still there, and silent, in a moment: the same prompt waits again
                self.seen, self.hold_until = start, time.monotonic() + HOLD

    def loop(self):
        while self.end is None and time.monotonic() < self.deadline:
            self.pump(min(QUIET / 2, self.deadline - time.monotonic()))
            if self.at_prompt():
                self.answer_prompt()
        # the last output: what the terminal still holds once the command has ended
        quiet_until = time.monotonic() + 0.3
        while time.monotonic() < min(quiet_until, self.deadline + 1):
            before = len(self.output)
            self.pump(0.05)
            if len(self.output) != before:
                quiet_until = time.monotonic() + 0.3

    def kill(self):
        for pid, group in ((self.pid, True), (self.leader, False)):
            if pid:
                try:
                    (os.killpg if group else os.kill)(pid, signal.SIGKILL)
                except OSError:
                    pass

    def finish(self):
        timed_out = self.end is None
        if timed_out:
            self.kill()
            self.report.append("timeout: yes")
        try:
            os.waitpid(self.leader, 0)
        except ChildProcessError:
            pass
        self.write_report()
        return 124 if timed_out else 0

    def echo_line(self, at):
        """What the terminal wrote back for a line typed when the output was `at` long."""
        return bytes(self.output[at:]).split(b"\n", 1)[0]

    def write_report(self):
        kind, value = self.end or ("timeout", None)
        if kind == "exit":
            self.report.append("exit: %d" % value)
        elif kind == "signal":
            self.report.append("exit: %d" % (128 + value))
            self.report.append("signal: " + signal_name(value))
        if self.error:
            self.report.append("error: " + self.error)
        self.report.append("echo-after: " + self.echo())
        echoed = any(a and a.encode() in self.echo_line(at) for a, at in self.answers_after)
        self.report.append("answer-echoed: " + ("yes" if echoed else "no"))
        self.report.append("output: " + escape(bytes(self.output)))
        self.report.append("--- output ---")
        text = bytes(self.output).replace(b"\r\n", b"\n").decode(errors="backslashreplace")
        sys.stdout.write("\n".join(self.report) + "\n" + text)
        if text and not text.endswith("\n"):
            sys.stdout.write("\n")
        sys.stdout.flush()


def main(argv):
    args = parse_args(argv)
    run = Run(args)
    run.start()
    try:
        run.loop()
    finally:
        code = run.finish()
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
