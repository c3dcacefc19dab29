#include "oauth/cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <bearssl.h>
#include <cJSON.h>

#include "base/clock.h"
#include "base/file.h"
#include "base/json_out.h"
#include "base/wipe.h"
#include "crypto/sha256.h"
#include "net/net.h"

#define ENTRY_VERSION 1
#define LOCK_SUFFIX ".lock"

void jg_cache_init(jg_cache *c)
{
	memset(c, 0, sizeof *c);
	c->dirfd = -1;
	c->lockfd = -1;
}

void jg_cache_name(const char *const *fields, size_t count, char out[JG_CACHE_NAME_LEN + 1])
{
	br_sha256_context h;
	unsigned char sum[32];
	br_sha256_init(&h);
	for (size_t i = 0; i < count; i++)
		br_sha256_update(&h, fields[i], strlen(fields[i]) + 1); /* with its NUL */
	br_sha256_out(&h, sum);
	jg_sha256_digest_hex(sum, out);
}

/* --- the directory ------------------------------------------------------------------------ */

static int nonempty(const char *s)
{
	return s != NULL && *s != '\0';
}

jg_status jg_cache_dir_choose(const char *option, char *out, size_t cap, jg_error *err)
{
	const char *env = getenv("JWTGRANT_CACHE_DIR"), *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	int n;
	if (nonempty(option))
		n = snprintf(out, cap, "%s", option);
	else if (nonempty(env))
		n = snprintf(out, cap, "%s", env);
	else if (nonempty(xdg))
		n = snprintf(out, cap, "%s/jwtgrant", xdg);
	else if (nonempty(home))
		n = snprintf(out, cap, "%s/.cache/jwtgrant", home);
	else
		return jg_fail(err, JG_ERR_INPUT, "no token cache directory: HOME is not set; give "
			"--cache-dir DIR");
	if (n < 0 || (size_t)n >= cap)
		return jg_fail(err, JG_ERR_INPUT, "the token cache path is longer than %zu bytes", cap - 1);
	return JG_OK;
}

/*
 * What makes an opened file unsafe to trust with a token: not ours, or open to group or others.
 * NULL when it is safe; `why` has room for the reason.
 */
static const char *unsafe_reason(const struct stat *st, char *why, size_t cap)
{
	if (st->st_uid != geteuid()) {
		(void)snprintf(why, cap, "it is owned by uid %u, not by this user (uid %u)",
			(unsigned)st->st_uid, (unsigned)geteuid());
		return why;
	}
	if ((st->st_mode & 077) != 0) {
		(void)snprintf(why, cap, "it is open to group or others (mode %04o)",
			(unsigned)(st->st_mode & 07777));
		return why;
	}
	return NULL;
}

/* mkdir 0700 of path's parent, then of path, when missing (an existing one is checked later). */
static void make_directory(const char *path)
{
	char parent[sizeof ((jg_cache *)0)->dir];
	(void)snprintf(parent, sizeof parent, "%s", path);
	char *slash = strrchr(parent, '/');
	if (slash != NULL && slash != parent) {
		*slash = '\0';
		(void)mkdir(parent, 0700);
	}
	(void)mkdir(path, 0700);
}

jg_status jg_cache_open(jg_cache *c, const char *dir, jg_error *err)
{
	jg_cache_init(c);
	(void)snprintf(c->dir, sizeof c->dir, "%s", dir);
	make_directory(dir);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		struct stat lst;
		if (lstat(dir, &lst) == 0 && S_ISLNK(lst.st_mode))
			return jg_fail(err, JG_ERR_INPUT, "the token cache %s is a symlink; not using it "
				"(give --cache-dir a real directory)", dir);
		return jg_fail(err, JG_ERR_INPUT, "the token cache %s cannot be opened: %s", dir,
			e == ENOTDIR ? "it is not a directory" : strerror(e));
	}
	struct stat st;
	char why[96];
	const char *unsafe = fstat(fd, &st) != 0 ? "fstat failed" : unsafe_reason(&st, why, sizeof why);
	if (unsafe != NULL) {
		close(fd);
		return jg_fail(err, JG_ERR_INPUT, "the token cache %s is not safe: %s; not using it "
			"(chmod 700 it, or give --cache-dir a directory of your own)", dir, unsafe);
	}
	c->dirfd = fd;
	return JG_OK;
}

/* --- the lock ----------------------------------------------------------------------------- */

/* Open (creating it 0600) and check the lock file of name; -1 with err filled when unsafe. */
static int open_lock_file(const jg_cache *c, const char *name, jg_error *err)
{
	char lock_name[JG_CACHE_NAME_LEN + sizeof LOCK_SUFFIX];
	(void)snprintf(lock_name, sizeof lock_name, "%s%s", name, LOCK_SUFFIX);
	int fd = openat(c->dirfd, lock_name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		(void)jg_fail(err, JG_ERR_INPUT, "the token cache lock %s/%s cannot be opened: %s%s; "
			"not using the cache", c->dir, lock_name, strerror(errno),
			errno == ELOOP ? " (a symlink)" : "");
		return -1;
	}
	struct stat st;
	char why[96];
	const char *unsafe = fstat(fd, &st) != 0 ? "fstat failed" : !S_ISREG(st.st_mode) ?
		"it is not a regular file" : unsafe_reason(&st, why, sizeof why);
	if (unsafe != NULL) {
		close(fd);
		(void)jg_fail(err, JG_ERR_INPUT, "the token cache lock %s/%s is not safe: %s; not using "
			"the cache", c->dir, lock_name, unsafe);
		return -1;
	}
	return fd;
}

/* flock, tried every 10 ms until deadline_ms: 0 when held, -1 when the time ran out. */
static int lock_until(int fd, int64_t deadline_ms)
{
	for (;;) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			return 0;
		if (errno != EWOULDBLOCK && errno != EINTR)
			return -1;
		if (jg_net_now_ms() >= deadline_ms)
			return -1;
		jg_clock_sleep_ms(10);
	}
}

jg_status jg_cache_lock(jg_cache *c, const char *name, int64_t deadline_ms, jg_error *err)
{
	int64_t started = jg_net_now_ms();
	int fd = open_lock_file(c, name, err);
	if (fd < 0)
		return JG_ERR_INPUT;
	if (lock_until(fd, deadline_ms) != 0) {
		close(fd);
		return jg_fail(err, JG_ERR_NETWORK, "timed out after %lld ms waiting for the token cache "
			"lock %s/%s%s, which another jwtgrant holds (raise --max-time)",
			(long long)(jg_net_now_ms() - started), c->dir, name, LOCK_SUFFIX);
	}
	c->lockfd = fd;
	(void)snprintf(c->name, sizeof c->name, "%s", name);
	return JG_OK;
}

/* --- entries ------------------------------------------------------------------------------ */

/* Read the opened entry fd into buf (NUL-terminated): its length, or -1 (unreadable, too big). */
static long read_entry_file(int fd, char *buf, size_t cap)
{
	size_t len = 0;
	for (;;) {
		ssize_t n = read(fd, buf + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		len += (size_t)n;
		if (len == cap - 1)
			return -1;
	}
	buf[len] = '\0';
	return (long)len;
}

/* Open entry `name` for reading and check it. MISS, UNSAFE (err filled) or HIT with *fd set. */
static jg_cache_read_result open_entry(const jg_cache *c, const char *name, int *fd, jg_error *err)
{
	*fd = openat(c->dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (*fd < 0 && errno == ENOENT)
		return JG_CACHE_MISS;
	if (*fd < 0) {
		(void)jg_fail(err, JG_ERR_INPUT, "the token cache entry %s/%s cannot be opened: %s%s; "
			"not reusing it", c->dir, name, strerror(errno), errno == ELOOP ? " (a symlink)" : "");
		return JG_CACHE_UNSAFE;
	}
	struct stat st;
	char why[96];
	const char *unsafe = fstat(*fd, &st) != 0 ? "fstat failed" : !S_ISREG(st.st_mode) ?
		"it is not a regular file" : unsafe_reason(&st, why, sizeof why);
	if (unsafe != NULL) {
		close(*fd);
		(void)jg_fail(err, JG_ERR_INPUT, "the token cache entry %s/%s is not safe: %s; not "
			"reusing or replacing it", c->dir, name, unsafe);
		return JG_CACHE_UNSAFE;
	}
	return JG_CACHE_HIT;
}

static jg_cache_read_result read_named(const jg_cache *c, const char *name, jg_cache_entry *e,
	jg_error *err)
{
	static char text[JG_CACHE_ENTRY_MAX];
	int fd;
	jg_cache_read_result r = open_entry(c, name, &fd, err);
	if (r != JG_CACHE_HIT)
		return r;
	long len = read_entry_file(fd, text, sizeof text);
	close(fd);
	if (len < 0 || jg_cache_entry_parse(text, (size_t)len, e) != 0) {
		(void)jg_fail(err, JG_ERR_INPUT, "the token cache entry %s/%s is not one jwtgrant wrote; "
			"ignoring and replacing it", c->dir, name);
		r = JG_CACHE_CORRUPT;
	}
	jg_wipe(text, len > 0 ? (size_t)len : 0);
	return r;
}

jg_cache_read_result jg_cache_read(jg_cache *c, jg_cache_entry *e, jg_error *err)
{
	return read_named(c, c->name, e, err);
}

jg_status jg_cache_write(jg_cache *c, const jg_cache_entry *e, jg_error *err)
{
	static char text[JG_CACHE_ENTRY_MAX];
	size_t len = 0;
	jg_status st = jg_cache_entry_format(e, text, sizeof text, &len, err);
	if (st == JG_OK)
		st = jg_file_write_atomic_at(c->dirfd, c->name, text, len, 0600, 1, err);
	jg_wipe(text, sizeof text);
	if (st != JG_OK)
		return jg_fail_context(err, JG_ERR_INPUT, "the token cache entry in %s was not written",
			c->dir);
	return JG_OK;
}

int jg_cache_remove(jg_cache *c)
{
	return unlinkat(c->dirfd, c->name, 0) == 0 ? 0 : -1;
}

static int is_entry_name(const char *name)
{
	size_t n = strspn(name, "0123456789abcdef");
	return n == JG_CACHE_NAME_LEN && name[n] == '\0';
}

/* Remove entry `name` under its lock when it holds access_token; 1 when removed. */
static int remove_if_holding(jg_cache *c, const char *name, const char *access_token,
	int64_t deadline_ms)
{
	static jg_cache_entry e;
	jg_error ignored;
	int removed = 0;
	if (jg_cache_lock(c, name, deadline_ms, &ignored) != JG_OK)
		return 0;
	if (read_named(c, name, &e, &ignored) == JG_CACHE_HIT &&
		strcmp(e.token.access_token, access_token) == 0)
		removed = jg_cache_remove(c) == 0;
	jg_wipe(&e, sizeof e);
	close(c->lockfd);
	c->lockfd = -1;
	return removed;
}

int jg_cache_remove_token(jg_cache *c, const char *access_token, int64_t deadline_ms)
{
	int fd = dup(c->dirfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (d == NULL) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	int removed = 0;
	for (struct dirent *de = readdir(d); de != NULL; de = readdir(d)) {
		if (is_entry_name(de->d_name))
			removed += remove_if_holding(c, de->d_name, access_token, deadline_ms);
	}
	closedir(d);
	return removed;
}

void jg_cache_close(jg_cache *c)
{
	if (c->lockfd >= 0)
		close(c->lockfd); /* releases the flock */
	if (c->dirfd >= 0)
		close(c->dirfd);
	jg_cache_init(c);
}

/* --- an entry's text ---------------------------------------------------------------------- */

/* The entry's members besides version and obtained: a token answer's. */
static void token_members(const jg_token *t, const char *names[5], const char *values[5])
{
	static const char *const n[5] = { "access_token", "instance_url", "id", "token_type", "scope" };
	const char *v[5] = { t->access_token, t->instance_url, t->id, t->token_type, t->scope };
	for (size_t i = 0; i < 5; i++) {
		names[i] = n[i];
		values[i] = v[i];
	}
}

/* A GitHub token's installation, permissions (compact JSON, as checked when read) and
 * repository selection, as jg_github_token_extras reads them back. */
static void put_github_members(jg_out *o, const jg_token *t)
{
	jg_out_puts(o, ",\"installation_id\":");
	jg_json_put_integer(o, t->installation_id);
	if (t->permissions[0] != '\0') {
		jg_out_puts(o, ",\"permissions\":");
		jg_out_puts(o, t->permissions);
	}
	if (t->repository_selection[0] != '\0') {
		jg_out_puts(o, ",\"repository_selection\":");
		jg_json_put_string(o, t->repository_selection);
	}
}

jg_status jg_cache_entry_format(const jg_cache_entry *e, char *out, size_t cap, size_t *len,
	jg_error *err)
{
	const char *names[5], *values[5];
	jg_out o;
	jg_out_init(&o, out, cap);
	jg_out_puts(&o, "{\"version\":");
	jg_json_put_integer(&o, ENTRY_VERSION);
	jg_out_puts(&o, ",\"obtained\":");
	jg_json_put_integer(&o, (long long)e->obtained);
	int other = e->provider != JG_PROVIDER_SALESFORCE && e->provider != 0;
	if (other) {
		jg_out_puts(&o, ",\"provider\":");
		jg_json_put_string(&o, jg_provider_name(e->provider));
	}
	if (other && e->token.expires_in > 0) {
		jg_out_puts(&o, ",\"expires_in\":");
		jg_json_put_integer(&o, e->token.expires_in);
		jg_out_puts(&o, ",\"expires_at\":");
		jg_json_put_integer(&o, (long long)e->token.expires_at);
	}
	token_members(&e->token, names, values);
	for (size_t i = 0; i < 5; i++) {
		jg_out_puts(&o, ",");
		jg_json_put_name(&o, names[i]);
		jg_json_put_string(&o, values[i]);
	}
	if (e->provider == JG_PROVIDER_GITHUB)
		put_github_members(&o, &e->token);
	jg_out_puts(&o, "}\n");
	if (o.failed) {
		jg_wipe(out, cap);
		return jg_fail(err, JG_ERR_INPUT, "the token cache entry does not fit in %zu bytes", cap);
	}
	*len = o.len;
	return JG_OK;
}

/* A whole number member in [0, 2^53], the range a double holds exactly. */
static int integer_member(const cJSON *json, const char *name, int64_t *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(json, name);
	if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0 && v->valuedouble <= 9007199254740992.0))
		return -1;
	*out = (int64_t)v->valuedouble;
	return (double)*out == v->valuedouble ? 0 : -1;
}

/* Whether [p, end) is only JSON white space (what may follow the object). */
static int only_white_space(const char *p, const char *end)
{
	for (; p != NULL && p < end; p++) {
		if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
			return 0;
	}
	return p != NULL;
}

/* "provider": absent in Salesforce's entries, "google", "generic" or "github" in the others'. */
static int entry_provider(const cJSON *json, jg_cache_entry *e)
{
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(json, "provider");
	e->provider = JG_PROVIDER_SALESFORCE;
	if (p == NULL)
		return 0;
	if (cJSON_IsString(p) && strcmp(p->valuestring, "google") == 0)
		e->provider = JG_PROVIDER_GOOGLE;
	else if (cJSON_IsString(p) && strcmp(p->valuestring, "generic") == 0)
		e->provider = JG_PROVIDER_GENERIC;
	else if (cJSON_IsString(p) && strcmp(p->valuestring, "github") == 0)
		e->provider = JG_PROVIDER_GITHUB;
	else
		return -1;
	return 0;
}

/* "expires_at" where the token said when it expires (expires_in): then it must be there. */
static int entry_expiry(const cJSON *json, jg_cache_entry *e)
{
	if (e->token.expires_in <= 0)
		return cJSON_GetObjectItemCaseSensitive(json, "expires_at") == NULL ? 0 : -1;
	return integer_member(json, "expires_at", &e->token.expires_at) == 0 &&
		e->token.expires_at > e->obtained ? 0 : -1;
}

int jg_cache_entry_parse(const char *text, size_t len, jg_cache_entry *e)
{
	int64_t version = 0;
	memset(e, 0, sizeof *e);
	if (!jg_oauth_strict_json_text(text, len))
		return -1;
	const char *end = NULL;
	cJSON *json = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	int ok = cJSON_IsObject(json) && only_white_space(end, text + len) &&
		integer_member(json, "version", &version) == 0 &&
		version == ENTRY_VERSION && integer_member(json, "obtained", &e->obtained) == 0 &&
		entry_provider(json, e) == 0 &&
		jg_oauth_token_from_json(json, e->provider, &e->token) == 0 &&
		entry_expiry(json, e) == 0;
	cJSON_Delete(json); /* frees through jg_wipe_free (main.c): the token's copy is wiped */
	if (!ok)
		jg_wipe(e, sizeof *e);
	return ok ? 0 : -1;
}
