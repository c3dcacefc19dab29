/*
 * The token cache of grant --reuse and revoke (cli.md, "Token reuse, revocation, CI log
 * masking"). One directory, 0700 and ours; for each request tuple an entry named by the
 * lowercase hex SHA-256 of the tuple (0600, one line of JSON: the token answer's members and
 * the time obtained, never key material) and a companion "<name>.lock" (0600, never deleted)
 * whose exclusive flock is held from reading the entry to writing it, so that parallel grants
 * for one tuple make one token request.
 *
 * Every check is made with fstat on what was opened (O_NOFOLLOW, and openat on the directory
 * already opened and checked), never on a path that is opened afterwards.
 */
#ifndef JG_CACHE_H
#define JG_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "oauth/oauth.h"

#define JG_CACHE_NAME_LEN 64      /* hex digits of an entry's name */
#define JG_CACHE_ENTRY_MAX 16384  /* bytes of an entry file */

typedef struct jg_cache_entry {
	jg_provider provider; /* whose token: Salesforce's entries say none */
	int64_t obtained; /* epoch seconds (jg_clock_now) when the token was obtained */
	jg_token token;   /* a secret: wipe the entry after use */
} jg_cache_entry;

typedef struct jg_cache {
	int dirfd;                        /* the opened, checked directory, or -1 */
	int lockfd;                       /* the held <name>.lock, or -1 */
	char dir[1024];                   /* the directory's path, for messages */
	char name[JG_CACHE_NAME_LEN + 1]; /* the locked entry's name */
} jg_cache;

/* A cache that is not open (what jg_cache_close leaves too). */
void jg_cache_init(jg_cache *c);

/* The entry name of a request: SHA-256 over the fields, each followed by a NUL byte. */
void jg_cache_name(const char *const *fields, size_t count, char out[JG_CACHE_NAME_LEN + 1]);

/*
 * The directory: `option` (--cache-dir), else $JWTGRANT_CACHE_DIR, else
 * $XDG_CACHE_HOME/jwtgrant, else $HOME/.cache/jwtgrant. JG_ERR_INPUT when none is set.
 */
jg_status jg_cache_dir_choose(const char *option, char *out, size_t cap, jg_error *err);

/*
 * Open dir (created 0700 when missing, with its parent) and check what was opened: a
 * directory, not a symlink, owned by the effective user, closed to group and others.
 * JG_ERR_INPUT saying why not; the caller warns and goes on without the cache.
 */
jg_status jg_cache_open(jg_cache *c, const char *dir, jg_error *err);

/*
 * Take the exclusive lock of entry `name`, waiting until deadline_ms (jg_net_now_ms's clock):
 * JG_ERR_NETWORK when that passes (a timeout, as --max-time counts it); JG_ERR_INPUT when the
 * lock file is a symlink, not ours or open to others.
 */
jg_status jg_cache_lock(jg_cache *c, const char *name, int64_t deadline_ms, jg_error *err);

typedef enum jg_cache_read_result {
	JG_CACHE_MISS = 0, /* no entry */
	JG_CACHE_HIT,      /* *e filled */
	JG_CACHE_UNSAFE,   /* a symlink, not ours, open to others: neither read nor to be written */
	JG_CACHE_CORRUPT   /* unreadable or not an entry: ignored, to be replaced */
} jg_cache_read_result;

/* Read the locked entry into *e. UNSAFE and CORRUPT fill err with the reason (for a warning). */
jg_cache_read_result jg_cache_read(jg_cache *c, jg_cache_entry *e, jg_error *err);

/* Write the locked entry: 0600, temporary file and rename. JG_ERR_INPUT on failure. */
jg_status jg_cache_write(jg_cache *c, const jg_cache_entry *e, jg_error *err);

/* Remove the locked entry (the lock file stays). 0, or -1 when there was none. */
int jg_cache_remove(jg_cache *c);

/*
 * Remove every entry holding access_token, each under its lock (waiting until deadline_ms);
 * entries that are unsafe or unreadable are left alone. Returns how many were removed.
 */
int jg_cache_remove_token(jg_cache *c, const char *access_token, int64_t deadline_ms);

/* Release the lock and close the directory. */
void jg_cache_close(jg_cache *c);

/*
 * An entry's text: one line of JSON and a newline,
 * {"version":1,"obtained":N,"access_token":…,"instance_url":…,"id":…,"token_type":…,"scope":…}.
 * parse returns 0, or -1 when text is not such an entry (then *e is wiped).
 */
int jg_cache_entry_parse(const char *text, size_t len, jg_cache_entry *e);
jg_status jg_cache_entry_format(const jg_cache_entry *e, char *out, size_t cap, size_t *len,
	jg_error *err);

#endif
