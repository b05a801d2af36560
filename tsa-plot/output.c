#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tsa.h"
#include "output.h"

#define MAX_TMP 32	/* scripts, PNGs being drawn, the page */

static int dir_fd = -1;
static char *dir_path;
static bool durable;

/* What the signal handler removes: plain arrays, no allocation. */
static struct {
	volatile sig_atomic_t used;
	char name[sizeof ((struct outfile *)0)->tmp];
} tmps[MAX_TMP];
static volatile pid_t children[MAX_TMP];

static void tmp_register(const char *name)
{
	for (int i = 0; i < MAX_TMP; i++)
		if (!tmps[i].used) {
			memcpy(tmps[i].name, name, sizeof tmps[i].name);
			tmps[i].used = 1;
			return;
		}
}

static void tmp_unregister(const char *name)
{
	for (int i = 0; i < MAX_TMP; i++)
		if (tmps[i].used && strcmp(tmps[i].name, name) == 0) {
			tmps[i].used = 0;
			return;
		}
}

/* kill(), waitpid() and unlinkat() are async-signal-safe.  A gnuplot
 * still drawing would write its file after we removed it: stop it first
 * (SIGKILL: gnuplot ignores the pipeline's SIGINT and SIGTERM). */
static void cleanup(void)
{
	for (int i = 0; i < MAX_TMP; i++)
		if (children[i] > 0) {
			kill(children[i], SIGKILL);
			waitpid(children[i], NULL, 0);
			children[i] = 0;
		}
	for (int i = 0; i < MAX_TMP; i++)
		if (tmps[i].used) {
			unlinkat(dir_fd, tmps[i].name, 0);
			tmps[i].used = 0;
		}
}

/* The library's handlers of SIGINT and SIGTERM (tsa_init). */
static struct sigaction lib_int, lib_term;

/*
 * The first SIGINT or SIGTERM is the library's: it sets a flag, and
 * tsa-plot reads on to the end of its input (tsa-aggregate's final
 * snapshot) and draws the final page.  A second one, or SIGHUP, ends
 * tsa-plot now, without leaving temporary files behind.
 */
static void on_signal(int sig)
{
	const struct sigaction *lib = sig == SIGINT ? &lib_int :
	    sig == SIGTERM ? &lib_term : NULL;

	if (lib && !tsa_interrupted() && lib->sa_handler != SIG_DFL &&
	    lib->sa_handler != SIG_IGN) {
		lib->sa_handler(sig);
		return;
	}
	cleanup();
	signal(sig, SIG_DFL);
	raise(sig);
}

void tmp_cleanup_on_signal(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;	/* as the library's */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, NULL, &lib_int);
	sigaction(SIGTERM, NULL, &lib_term);
	/* A signal ignored at start stays so (nohup, a background job). */
	if (lib_int.sa_handler != SIG_IGN)
		sigaction(SIGINT, &sa, NULL);
	if (lib_term.sa_handler != SIG_IGN)
		sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	atexit(cleanup);	/* tsa_die() on the way */
}

void tmp_child(pid_t pid, int running)
{
	for (int i = 0; i < MAX_TMP; i++)
		if (running ? children[i] == 0 : children[i] == pid) {
			children[i] = running ? pid : 0;
			return;
		}
}

/* "uid 1000 (alice)" */
static void owner_text(uid_t uid, char *out, size_t n)
{
	struct passwd *pw = getpwuid(uid);

	if (pw)
		snprintf(out, n, "uid %ld (%s)", (long)uid, pw->pw_name);
	else
		snprintf(out, n, "uid %ld", (long)uid);
}

/*
 * Could another user add, remove or replace entries of the directory:
 * owned by someone else (but root), or writable by group or others
 * without the sticky bit?  Why, in why.
 */
static bool dir_shared(const struct stat *st, char *why, size_t n)
{
	char who[96];

	if (st->st_uid != geteuid() && st->st_uid != 0) {
		owner_text(st->st_uid, who, sizeof who);
		snprintf(why, n, "owned by %s", who);
		return true;
	}
	/* With the sticky bit, only a file's owner may rename or remove it
	 * (as in /tmp); names tsa-plot has not made yet are unpredictable
	 * and created exclusively, so others can add nothing it would use. */
	if ((st->st_mode & (S_IWGRP | S_IWOTH)) && !(st->st_mode & S_ISVTX)) {
		snprintf(why, n, "writable by %s (mode %04o)",
		    st->st_mode & S_IWOTH ? "every user" : "its group",
		    (unsigned)(st->st_mode & 07777));
		return true;
	}
	return false;
}

/* Open the root or the working directory to walk a path from. */
static int walk_start(const char *path, bool absolute, bool *shared,
    char *why, size_t n)
{
	int fd = open(absolute ? "/" : ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	struct stat st;

	if (fd < 0 || fstat(fd, &st) < 0)
		tsa_die("%s: %s", path, strerror(errno));
	*shared = dir_shared(&st, why, n);
	return fd;
}

/*
 * The directory that will hold the output directory, reached one name at a
 * time.  A symbolic link on the way is followed only if nobody else could
 * have put it there: in a directory no other user can write, and owned by
 * root or by us (a link in a sticky directory like /tmp may be anyone's).
 * Otherwise a link another user planted in a directory of theirs
 * (-o /home/eve/x/plots, with x -> /root) would steer a root tsa-plot into
 * a directory of the attacker's choosing.  Returns its descriptor (O_PATH).
 */
#define MAX_LINKS 40
static int open_parent(const char *path, const char *dir, bool shared_ok)
{
	char rest[PATH_MAX], tmp[PATH_MAX], target[PATH_MAX], name[NAME_MAX + 1];
	char why[160];
	const char *p = rest;
	bool shared;
	int fd, links = 0;

	if (snprintf(rest, sizeof rest, "%s", dir) >= (int)sizeof rest)
		tsa_die("%s: %s", path, strerror(ENAMETOOLONG));
	fd = walk_start(path, rest[0] == '/', &shared, why, sizeof why);
	for (;;) {
		struct stat st;
		size_t len;
		ssize_t k;
		int nfd;

		while (*p == '/')
			p++;
		if (!*p)
			return fd;
		len = strcspn(p, "/");
		if (len > NAME_MAX)
			tsa_die("%s: %s", path, strerror(ENAMETOOLONG));
		memcpy(name, p, len);
		name[len] = 0;
		p += len;
		if (strcmp(name, ".") == 0)
			continue;
		nfd = openat(fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (nfd < 0 || fstat(nfd, &st) < 0)
			tsa_die("%s: %s: %s", path, name, strerror(errno));
		if (S_ISDIR(st.st_mode)) {
			close(fd);
			fd = nfd;
			shared = dir_shared(&st, why, sizeof why);
			continue;
		}
		close(nfd);
		if (!S_ISLNK(st.st_mode))
			tsa_die("%s: %s: not a directory", path, name);
		if (!shared_ok && (shared ||
		    (st.st_uid != 0 && st.st_uid != geteuid()))) {
			char who[96];

			if (!shared) {
				owner_text(st.st_uid, who, sizeof who);
				snprintf(why, sizeof why, "the link is owned "
				    "by %s", who);
			}
			tsa_die("%s: refusing to follow the symbolic link %s: "
			    "another user could have put it there (%s%s; name "
			    "the directory without it, or --allow-shared-dir)",
			    path, name, shared ? "its directory is " : "", why);
		}
		if (++links > MAX_LINKS)
			tsa_die("%s: %s", path, strerror(ELOOP));
		k = readlinkat(fd, name, target, sizeof target - 1);
		if (k < 0)
			tsa_die("%s: %s: %s", path, name, strerror(errno));
		target[k] = 0;
		/* Go on with the link's target, then what followed it. */
		if (snprintf(tmp, sizeof tmp, "%s/%s", target, p) >=
		    (int)sizeof tmp)
			tsa_die("%s: %s", path, strerror(ENAMETOOLONG));
		memcpy(rest, tmp, strlen(tmp) + 1);
		p = rest;
		if (target[0] == '/') {
			close(fd);
			fd = walk_start(path, true, &shared, why, sizeof why);
		}
	}
}

void output_dir(const char *path, bool shared_ok)
{
	size_t n = strlen(path);
	struct stat st;
	char why[160], *copy, *slash;
	const char *parent, *last;
	int pfd;

	/* "out/" names out itself: a trailing slash would make open()
	 * follow a link there. */
	while (n > 1 && path[n - 1] == '/')
		n--;
	dir_path = tsa_strndup(path, n);
	/* The directory above and the last name ("/" is "." in the root). */
	copy = tsa_strdup(dir_path);
	if (!(slash = strrchr(copy, '/'))) {
		parent = ".";
		last = copy;
	} else {
		*slash = 0;
		parent = *copy ? copy : "/";
		last = slash[1] ? slash + 1 : ".";
	}
	pfd = open_parent(dir_path, parent, shared_ok);
	if (mkdirat(pfd, last, 0755) < 0 && errno != EEXIST)
		tsa_die("%s: %s", dir_path, strerror(errno));
	dir_fd = openat(pfd, last, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (dir_fd < 0) {
		int e = errno;

		/* O_DIRECTORY may win over O_NOFOLLOW: ENOTDIR for a link. */
		if (e == ELOOP || (e == ENOTDIR && fstatat(pfd, last, &st,
		    AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)))
			tsa_die("%s: a symbolic link; tsa-plot writes into no "
			    "directory through a link (name the directory "
			    "itself)", dir_path);
		tsa_die("%s: %s", dir_path, e == ENOTDIR ? "not a directory" :
		    strerror(e));
	}
	close(pfd);
	free(copy);
	if (fstat(dir_fd, &st) < 0)
		tsa_die("%s: %s", dir_path, strerror(errno));
	if (!shared_ok && dir_shared(&st, why, sizeof why))
		tsa_die("%s: refusing to write there: %s, so another user "
		    "could replace what tsa-plot writes (use a directory only "
		    "you can write, or --allow-shared-dir)", dir_path, why);
}

const char *output_path(void)
{
	return dir_path;
}

void output_durable(bool on)
{
	durable = on;
}

void output_sync(void)
{
	if (fsync(dir_fd) < 0 && errno != EINVAL)
		tsa_warn("%s: %s", dir_path, strerror(errno));
}

int outfile_create(struct outfile *o, const char *name)
{
	static const char hex[] = "0123456789abcdef";

	memset(o, 0, sizeof *o);
	if (strlen(name) >= sizeof o->name)
		tsa_die("%s/%s: name too long", dir_path, name);
	strcpy(o->name, name);
	/* 64 random bits: a name nobody can guess, so nobody can be there
	 * first; O_EXCL and O_NOFOLLOW make sure of it if they were. */
	for (int tries = 0; tries < 16; tries++) {
		uint8_t r[8];
		char suffix[17];

		if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r)
			tsa_die("getrandom: %s", strerror(errno));
		for (int i = 0; i < 8; i++) {
			suffix[2 * i] = hex[r[i] >> 4];
			suffix[2 * i + 1] = hex[r[i] & 15];
		}
		suffix[16] = 0;
		snprintf(o->tmp, sizeof o->tmp, ".%s.%s.tmp", name, suffix);
		tmp_register(o->tmp);
		o->fd = openat(dir_fd, o->tmp, O_RDWR | O_CREAT | O_EXCL |
		    O_NOFOLLOW | O_CLOEXEC, 0644);
		if (o->fd >= 0)
			return o->fd;
		tmp_unregister(o->tmp);
		if (errno != EEXIST)
			break;
	}
	tsa_die("%s/%s: %s", dir_path, o->tmp, strerror(errno));
}

FILE *output_read(const char *name)
{
	struct stat st;
	FILE *f;
	int fd = openat(dir_fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC);

	if (fd < 0) {
		if (errno == ELOOP)
			tsa_warn("%s/%s: a symbolic link; not read", dir_path,
			    name);
		else if (errno != ENOENT)
			tsa_warn("%s/%s: %s; not read", dir_path, name,
			    strerror(errno));
		return NULL;
	}
	/* Only a file of our own: one another user put there (the directory
	 * may be shared with --allow-shared-dir) is not ours to believe. */
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_uid != geteuid()) {
		tsa_warn("%s/%s: not a regular file of this user; not read",
		    dir_path, name);
		close(fd);
		return NULL;
	}
	if (!(f = fdopen(fd, "r"))) {
		close(fd);
		return NULL;
	}
	return f;
}

FILE *outfile_open(struct outfile *o, const char *name)
{
	outfile_create(o, name);
	/* The stream gets its own descriptor: o->fd outlives fclose(). */
	int fd = fcntl(o->fd, F_DUPFD_CLOEXEC, 0);

	if (fd < 0 || !(o->f = fdopen(fd, "w")))
		tsa_die("%s/%s: %s", dir_path, o->tmp, strerror(errno));
	return o->f;
}

void outfile_discard(struct outfile *o)
{
	if (o->f)
		fclose(o->f);
	if (o->fd >= 0)
		close(o->fd);
	unlinkat(dir_fd, o->tmp, 0);
	tmp_unregister(o->tmp);
	o->f = NULL;
	o->fd = -1;
}

int outfile_commit(struct outfile *o, int *keep)
{
	int e = 0;

	if (o->f) {
		bool bad = ferror(o->f);
		if (fclose(o->f) != 0)
			e = errno;
		else if (bad)	/* the write's errno is long gone */
			e = EIO;
		o->f = NULL;
	}
	if (!e && durable && fsync(o->fd) < 0 && errno != EINVAL)
		e = errno;
	if (e) {
		tsa_warn("%s/%s: write error: %s", dir_path, o->tmp,
		    strerror(e));
		outfile_discard(o);
		return -1;
	}
	if (renameat(dir_fd, o->tmp, dir_fd, o->name) < 0) {
		tsa_warn("%s/%s: %s", dir_path, o->name, strerror(errno));
		outfile_discard(o);
		return -1;
	}
	tmp_unregister(o->tmp);
	if (keep) {
		lseek(o->fd, 0, SEEK_SET);
		*keep = o->fd;
	} else
		close(o->fd);
	o->fd = -1;
	return 0;
}
