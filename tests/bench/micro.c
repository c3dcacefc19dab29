/*
 * micro: the two costs inside one grant that dominate its CPU time, timed on jwtgrant's own code
 * (linked against build/release/libjg.a, libbearssl.a and cjson.o by tests/bench/run.sh).
 *
 *   micro sign KEY COUNT
 *       Load the RSA key from the file KEY, then build and sign COUNT RS256 assertions with
 *       jg_jwt_sign (claims JSON, base64url, SHA-256, RSASSA-PKCS1-v1_5, and the check of each
 *       signature against the public key that a grant makes before sending: all of it), after
 *       3 unmeasured ones. The last one is verified again here, so a broken signer cannot look
 *       fast. Prints:
 *           sign BITS CPU_MEDIAN CPU_MIN CPU_MAX WALL_MEDIAN
 *
 *   micro handshake PORT CACERT COUNT
 *       COUNT times (after 3 unmeasured): connect to 127.0.0.1:PORT, run jg_tls_handshake with
 *       the server name "localhost" trusting the CA file CACERT, send close_notify, close.
 *       Only the handshake call is timed. Prints:
 *           handshake CPU_MEDIAN CPU_MIN CPU_MAX WALL_MEDIAN WALL_MIN WALL_MAX
 *
 * All figures are microseconds: CPU from CLOCK_PROCESS_CPUTIME_ID (this process only, so the
 * server's work is not in it), wall from CLOCK_MONOTONIC. Exit 0, or 1 with a message.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* also in the Makefile's flags; here for a build by hand */
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/error.h"
#include "crypto/jwt.h"
#include "crypto/key.h"
#include "net/net.h"
#include "tls/tls.h"
#include "tls/trust.h"

#define WARM_UP 3
#define COUNT_MAX 10000

static double cpu_samples[COUNT_MAX];
static double wall_samples[COUNT_MAX];
static jg_key key; /* large: kept off the stack */
static jg_tls tls; /* idem */
static char jwt[JG_JWT_MAX];

static double clock_us(clockid_t id)
{
	struct timespec ts;
	(void)clock_gettime(id, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Sort samples[0..n) and return the median (the mean of the middle two when n is even). */
static double sort_median(double *samples, int n)
{
	qsort(samples, (size_t)n, sizeof samples[0], compare_doubles);
	return n % 2 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2;
}

/* A whole number in [low, high] into *value; 0 (after a message naming what) when it is not. */
static int parse_number(const char *text, long low, long high, const char *what, int *value)
{
	char *end = NULL;
	long v = strtol(text, &end, 10);
	if (*text == '\0' || *end != '\0' || v < low || v > high) {
		(void)fprintf(stderr, "micro: %s must be %ld..%ld\n", what, low, high);
		return 0;
	}
	*value = (int)v;
	return 1;
}

static int fail(const char *what, const jg_error *err)
{
	(void)fprintf(stderr, "micro: %s: %s\n", what, err->message);
	return 1;
}

static int bench_sign(const char *path, int count)
{
	jg_error err;
	memset(&err, 0, sizeof err);
	if (jg_key_load_file(path, NULL, &key, &err) != JG_OK)
		return fail("loading the key", &err);

	int64_t now = (int64_t)time(NULL);
	jg_claims claims = { "3MVG9TESTCLIENTID", "ci@example.com", "https://login.salesforce.com",
		now + 180, now };
	size_t len = 0;
	for (int i = -WARM_UP; i < count; i++) {
		double cpu0 = clock_us(CLOCK_PROCESS_CPUTIME_ID), wall0 = clock_us(CLOCK_MONOTONIC);
		if (jg_jwt_sign(&claims, &key.sk, &key.pk, jwt, sizeof jwt, &len, &err) != JG_OK)
			return fail("signing", &err);
		double cpu1 = clock_us(CLOCK_PROCESS_CPUTIME_ID), wall1 = clock_us(CLOCK_MONOTONIC);
		if (i >= 0) {
			cpu_samples[i] = cpu1 - cpu0;
			wall_samples[i] = wall1 - wall0;
		}
	}

	jg_jwt_parts parts;
	if (jg_jwt_split(jwt, len, &parts, &err) != JG_OK ||
		jg_jwt_verify_rs256(&parts, &key.pk, &err) != JG_OK)
		return fail("verifying the last signature", &err);
	unsigned bits = key.bits;
	jg_key_wipe(&key);

	double cpu = sort_median(cpu_samples, count), wall = sort_median(wall_samples, count);
	return printf("sign %u %.1f %.1f %.1f %.1f\n", bits, cpu, cpu_samples[0],
		       cpu_samples[count - 1], wall) < 0;
}

/* One connection: connect, handshake (timed into *cpu and *wall), close_notify, close. */
static int handshake_once(int port, const jg_trust *trust, double *cpu, double *wall)
{
	jg_error err;
	memset(&err, 0, sizeof err);
	int64_t deadline = jg_net_now_ms() + 10000;
	int fd = -1;
	if (jg_net_connect("127.0.0.1", port, 5000, deadline, &fd, &err) != JG_OK)
		return fail("connecting", &err);
	double cpu0 = clock_us(CLOCK_PROCESS_CPUTIME_ID), wall0 = clock_us(CLOCK_MONOTONIC);
	jg_status st =
		jg_tls_handshake(&tls, fd, "localhost", trust, (int64_t)time(NULL), deadline, &err);
	*cpu = clock_us(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
	*wall = clock_us(CLOCK_MONOTONIC) - wall0;
	if (st == JG_OK)
		jg_tls_close(&tls);
	jg_net_close(fd);
	return st == JG_OK ? 0 : fail("TLS handshake", &err);
}

static int bench_handshake(int port, const char *cacert, int count)
{
	jg_error err;
	memset(&err, 0, sizeof err);
	jg_trust trust;
	jg_trust_init(&trust);
	if (jg_trust_add_file(&trust, cacert, &err) != JG_OK) {
		jg_trust_free(&trust);
		return fail("loading the CA file", &err);
	}
	int rc = 0;
	for (int i = -WARM_UP; i < count && rc == 0; i++) {
		double cpu = 0, wall = 0;
		rc = handshake_once(port, &trust, &cpu, &wall);
		if (i >= 0) {
			cpu_samples[i] = cpu;
			wall_samples[i] = wall;
		}
	}
	jg_trust_free(&trust);
	if (rc != 0)
		return rc;
	double cpu = sort_median(cpu_samples, count), wall = sort_median(wall_samples, count);
	return printf("handshake %.1f %.1f %.1f %.1f %.1f %.1f\n", cpu, cpu_samples[0],
		       cpu_samples[count - 1], wall, wall_samples[0], wall_samples[count - 1]) < 0;
}

int main(int argc, char **argv)
{
	int count = 0, port = 0;
	if (argc == 4 && strcmp(argv[1], "sign") == 0) {
		if (!parse_number(argv[3], 1, COUNT_MAX, "COUNT", &count))
			return 2;
		return bench_sign(argv[2], count);
	}
	if (argc == 5 && strcmp(argv[1], "handshake") == 0) {
		if (!parse_number(argv[2], 1, 65535, "PORT", &port) ||
			!parse_number(argv[4], 1, COUNT_MAX, "COUNT", &count))
			return 2;
		return bench_handshake(port, argv[3], count);
	}
	(void)fprintf(stderr, "usage: micro sign KEY COUNT | micro handshake PORT CACERT COUNT\n");
	return 2;
}
