/*
 * Is a path safe for root to read or run?  The path is resolved here one
 * name at a time, as the kernel would, so that every directory consulted
 * on the way is checked, including those that symbolic links lead
 * through: who can replace an entry of a directory is who can write the
 * directory (or, in a sticky one like /tmp, the entry's owner).  Once
 * every step is root's alone, no other user can change what the path
 * names between this check and its use, so there is no race to close.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "trust.h"
#include "util.h"

#define MAX_LINKS 40	/* as the kernel's ELOOP */

static void user_name(uid_t u, char *buf, size_t n)
{
	struct passwd *pw = getpwuid(u);

	if (pw)
		snprintf(buf, n, "%s (uid %u)", pw->pw_name, (unsigned)u);
	else
		snprintf(buf, n, "uid %u", (unsigned)u);
}

static const char *writers(mode_t m)
{
	return m & S_IWOTH ? "every user" : "its group";
}

/* A directory others may add to, but whose entries only their owner can
 * rename or remove. */
static bool sticky_open(const struct stat *st)
{
	return S_ISDIR(st->st_mode) && (st->st_mode & S_ISVTX) &&
	    (st->st_mode & (S_IWGRP | S_IWOTH));
}

/* Can anyone but root change st (not a link), the entry p? */
static bool judge(const char *p, const struct stat *st, char *why, size_t n)
{
	char u[64];

	if (st->st_uid != 0) {
		user_name(st->st_uid, u, sizeof u);
		snprintf(why, n, "%s%s is owned by %s",
		    S_ISDIR(st->st_mode) ? "directory " : "", p, u);
		return false;
	}
	/* Writing to a device (/dev/null) changes nothing another reads. */
	if (S_ISCHR(st->st_mode))
		return true;
	if (!(st->st_mode & (S_IWGRP | S_IWOTH)))
		return true;
	if (S_ISDIR(st->st_mode)) {
		if (st->st_mode & S_ISVTX)
			return true;	/* its entries are judged by owner */
		snprintf(why, n, "directory %s is writable by %s (mode %04o), "
		    "so another user could put a file of theirs there", p,
		    writers(st->st_mode), (unsigned)(st->st_mode & 07777));
		return false;
	}
	snprintf(why, n, "%s is writable by %s (mode %04o)", p,
	    writers(st->st_mode), (unsigned)(st->st_mode & 07777));
	return false;
}

/* The walk; false with the reason (without the advice) in why. */
static bool walk(const char *path, char *why, size_t n)
{
	char cur[PATH_MAX], rest[PATH_MAX], tmp[PATH_MAX], target[PATH_MAX];
	size_t clen = 0;	/* cur: the resolved part, no links; "" is / */
	int links = 0;
	struct stat st;
	bool sticky;		/* cur is a sticky directory others write */
	const char *p;

	if (!*path) {
		snprintf(why, n, "empty path");
		return false;
	}
	if (path[0] == '/') {
		if (snprintf(rest, sizeof rest, "%s", path) >= (int)sizeof rest)
			goto too_long;
	} else {
		if (!getcwd(tmp, sizeof tmp)) {
			snprintf(why, n, "current directory: %s", strerror(errno));
			return false;
		}
		if (snprintf(rest, sizeof rest, "%s/%s", tmp, path) >=
		    (int)sizeof rest)
			goto too_long;
	}
	cur[0] = 0;
	if (lstat("/", &st) < 0 || !judge("/", &st, why, n))
		return false;
	sticky = sticky_open(&st);
	p = rest;
	for (;;) {
		while (*p == '/')
			p++;
		if (!*p)
			return true;
		const char *e = strchrnul(p, '/');
		size_t len = (size_t)(e - p);
		if (len == 1 && p[0] == '.') {
			p = e;
			continue;
		}
		if (len == 2 && p[0] == '.' && p[1] == '.') {
			/* cur has no links: its parent is its text's parent. */
			char *s = strrchr(cur, '/');
			clen = s ? (size_t)(s - cur) : 0;
			cur[clen] = 0;
			if (lstat(clen ? cur : "/", &st) < 0) {
				snprintf(why, n, "%s: %s", clen ? cur : "/",
				    strerror(errno));
				return false;
			}
			sticky = sticky_open(&st);
			p = e;
			continue;
		}
		if (clen + 1 + len >= sizeof cur)
			goto too_long;
		size_t at = clen;
		cur[clen++] = '/';
		memcpy(cur + clen, p, len);
		clen += len;
		cur[clen] = 0;
		if (lstat(cur, &st) < 0) {
			/*
			 * Missing where only root can create it: nothing to
			 * distrust, and the caller's open will say it is
			 * missing.  In /tmp, anyone could create it next.
			 */
			if (errno == ENOENT && !sticky)
				return true;
			if (errno == ENOENT)
				snprintf(why, n, "%s does not exist, and every user "
				    "can create it", cur);
			else
				snprintf(why, n, "%s: %s", cur, strerror(errno));
			return false;
		}
		if (S_ISLNK(st.st_mode)) {
			char u[64];
			ssize_t k;
			if (sticky && st.st_uid != 0) {
				user_name(st.st_uid, u, sizeof u);
				snprintf(why, n, "symbolic link %s, in a directory "
				    "every user can write, is owned by %s", cur, u);
				return false;
			}
			if (++links > MAX_LINKS) {
				snprintf(why, n, "%s: %s", path, strerror(ELOOP));
				return false;
			}
			if ((k = readlink(cur, target, sizeof target)) < 0) {
				snprintf(why, n, "%s: %s", cur, strerror(errno));
				return false;
			}
			if ((size_t)k >= sizeof target)
				goto too_long;
			target[k] = 0;
			/* Go on from the link's directory with its target. */
			if (snprintf(tmp, sizeof tmp, "%s%s", target, e) >=
			    (int)sizeof tmp)
				goto too_long;
			memcpy(rest, tmp, strlen(tmp) + 1);
			p = rest;
			clen = target[0] == '/' ? 0 : at;
			cur[clen] = 0;
			if (lstat(clen ? cur : "/", &st) < 0) {
				snprintf(why, n, "%s: %s", clen ? cur : "/",
				    strerror(errno));
				return false;
			}
			sticky = sticky_open(&st);
			continue;
		}
		if (!judge(cur, &st, why, n))
			return false;
		if (S_ISDIR(st.st_mode)) {
			sticky = sticky_open(&st);
			p = e;
			continue;
		}
		/* Anything else ends the path. */
		if (*e) {
			snprintf(why, n, "%s: %s", cur, strerror(ENOTDIR));
			return false;
		}
		return true;
	}
too_long:
	snprintf(why, n, "%s: %s", path, strerror(ENAMETOOLONG));
	return false;
}

/* Does $TSA_SAFE_PATHS name real, or a directory above it? */
static bool listed(const char *real)
{
	const char *env = getenv(TSA_SAFE_PATHS_ENV);
	char entry[PATH_MAX], *r;
	bool ok = false;

	if (!env)
		return false;
	while (*env && !ok) {
		size_t len = strcspn(env, ":");
		if (len == 1 && env[0] == '*')
			return true;
		if (len > 0 && len < sizeof entry) {
			memcpy(entry, env, len);
			entry[len] = 0;
			if ((r = realpath(entry, NULL)) != NULL) {
				size_t rl = strlen(r);
				ok = strcmp(r, "/") == 0 || (strncmp(real, r, rl) == 0 &&
				    (real[rl] == 0 || real[rl] == '/'));
				free(r);
			}
		}
		env += len + (env[len] == ':');
	}
	return ok;
}

bool tsa_path_trusted(const char *path, char *why, size_t n)
{
	char reason[PATH_MAX + 200];
	char *real;
	bool ok;

	if (geteuid() != 0)
		return true;
	real = realpath(path, NULL);
	if (real && listed(real)) {
		free(real);
		return true;
	}
	ok = walk(path, reason, sizeof reason);
	if (!ok)
		snprintf(why, n, "not trusted as root: %s; to trust it anyway, "
		    "set %s=%s", reason, TSA_SAFE_PATHS_ENV, real ? real : path);
	free(real);
	return ok;
}

int tsa_open_output(const char *path)
{
	char why[PATH_MAX + 300];
	struct stat st;
	int fd;

	if (geteuid() == 0) {
		/* A new file, made here and now, overwrites nothing and
		 * follows no link, wherever it is. */
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, 0666);
		if (fd >= 0)
			return fd;
		if (errno != EEXIST)
			tsa_die("%s: %s", path, strerror(errno));
		if (stat(path, &st) == 0 && (S_ISFIFO(st.st_mode) ||
		    S_ISSOCK(st.st_mode) || strcmp(path, "/dev/null") == 0))
			;
		else if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) &&
		    !tsa_path_trusted(path, why, sizeof why))
			tsa_die("%s: a symbolic link that another user could have "
			    "put there; refusing to write through it as root", path);
		else if (!tsa_path_trusted(path, why, sizeof why))
			tsa_die("%s: %s", path, why);
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		tsa_die("%s: %s", path, strerror(errno));
	return fd;
}
