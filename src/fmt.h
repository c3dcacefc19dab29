/*
 * Formatted output without libc's printf family, whose implementation in a static musl binary
 * brings floating-point, wide-character and positional-argument code we never use (~11 KB).
 *
 * The grammar is the part of printf that our sources use, and nothing more:
 *
 *     %[flags][width][.precision][length]conversion
 *
 *     flags       any of '-' (left-justify) and '0' (pad numbers with zeros)
 *     width       decimal digits, or '*' (an int argument; negative means '-' and its size)
 *     precision   '.' then decimal digits (none means 0), or '.*' (an int argument; negative
 *                 means no precision)
 *     length      hh h l ll z j t, for the integer conversions only
 *     conversion  d i (signed), u x X o (unsigned), c (an int, written as one byte),
 *                 s (a string; NULL is written "(null)", or "" with a precision below 6),
 *                 and "%%" (a bare percent sign: no flags, width, precision or length)
 *
 * For every such conversion the bytes and the return value are those of glibc's printf (the
 * unit test and fuzz/fuzz_fmt.c compare the two). Rules as in C: a precision on an integer is
 * its minimum number of digits and turns off the '0' flag, a precision of 0 writes the value 0
 * as no digits at all, '-' wins over '0', and '0' pads c and s with spaces, as glibc does.
 *
 * Anything else (a '+', ' ', '#' or '\'' flag, the 'L' or 'q' length, a length on c or s, the
 * conversions p n e f g a and the like, positional "%1$d", a '%' at the end of the format) is
 * not supported. Since the type of its argument is then unknown, no argument is read from
 * there on (not even its '*' width): the rest of the format, from that '%', is written as it
 * stands. GCC checks every call against printf's rules (the format attributes below), so this
 * is a guard against a slip, not a feature.
 *
 * Errors, as in glibc: the return value is -1 (errno EOVERFLOW) when the output would be longer
 * than INT_MAX or a width or precision in the format is above INT_MAX; the stream functions
 * also return -1 when fwrite fails.
 */
#ifndef JG_FMT_H
#define JG_FMT_H

/* For clang's static analyzer (clang-tidy), these are declared as libc's printf family is: in a
 * system header. A call of an unknown function outside one makes it assume that every global
 * may have changed (options tables included), which yields false findings at our call sites;
 * these functions, like libc's, touch nothing but their arguments and the stream. */
#ifdef __clang_analyzer__
#pragma clang system_header
#endif

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/*
 * Where jg_vformat writes, set up by the caller with every other field zero:
 *   - a buffer: buf and cap are the caller's buffer (cap 0 stores nothing; buf may then be
 *     NULL). At most cap - 1 bytes are stored, then a NUL when cap > 0.
 *   - a stream: file is the stream; buf and cap (at least 1) are a staging buffer, passed to
 *     fwrite whenever it is full and at the end, so that a short message reaches an unbuffered
 *     stderr in one write.
 */
typedef struct jg_sink {
	char *buf;
	size_t cap;
	size_t used;  /* bytes now in buf */
	size_t total; /* bytes of output so far, stored or not */
	FILE *file;   /* NULL for a buffer */
	int failed;   /* a write failed, or a width or precision was out of range */
} jg_sink;

/* Format into sink; returns the length of the whole output (snprintf's contract) or -1. */
int jg_vformat(jg_sink *sink, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* As snprintf and vsnprintf: out holds the first cap - 1 bytes and a NUL (when cap > 0); the
 * return value is the length the whole output has, whether or not it fit. */
int jg_snprintf(char *out, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int jg_vsnprintf(char *out, size_t cap, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

/* As fprintf, vfprintf and printf: the number of bytes written, or -1. */
int jg_fprintf(FILE *file, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int jg_vfprintf(FILE *file, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
int jg_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
