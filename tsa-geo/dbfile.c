/*
 * A database file copied into memory of our own.  libmaxminddb maps the
 * file it opens: when someone rewrites that file in place (cp over it, a
 * truncation, a download into it), pages of the mapping vanish and the
 * next lookup ends the process with SIGBUS, no message, the rest of the
 * stream lost.  A rename over the file (geoipupdate) is harmless, but
 * nothing makes everyone rename.  So the file is read once, with read
 * calls that cannot fault, into a memfd that nobody else holds; sealed, the
 * memfd can no longer change size or content, and libmaxminddb maps it
 * through /proc/self/fd.  The cost is memory the size of the database
 * (shared memory, counted in the process's RSS as pages are touched).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dbfile.h"

/* Tries when the file changes while it is read, and the pause after each. */
#define TRIES 4
#define PAUSE_MS 250

/* Did anything that a write or truncation changes differ between a and b? */
static bool changed(const struct stat *a, const struct stat *b)
{
	return a->st_ino != b->st_ino || a->st_dev != b->st_dev ||
	    a->st_size != b->st_size ||
	    a->st_mtim.tv_sec != b->st_mtim.tv_sec ||
	    a->st_mtim.tv_nsec != b->st_mtim.tv_nsec ||
	    a->st_ctim.tv_sec != b->st_ctim.tv_sec ||
	    a->st_ctim.tv_nsec != b->st_ctim.tv_nsec;
}

/*
 * One attempt: 1 and the sealed memfd in *out, 0 if the file changed while
 * it was read, -1 with a message in err.
 */
static int copy_once(const char *path, int *out, char *err, size_t errlen)
{
	struct stat before, after;
	int in, mem = -1, rc = -1;
	off_t done = 0;

	/* O_NONBLOCK: a FIFO named as a database must not hang the open. */
	if ((in = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0) {
		snprintf(err, errlen, "%s: %s (scripts/setup fetches the default "
		    "database)", path, strerror(errno));
		return -1;
	}
	if (fstat(in, &before) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (S_ISDIR(before.st_mode)) {
		snprintf(err, errlen, "%s: is a directory", path);
		goto out;
	}
	if (!S_ISREG(before.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		goto out;
	}
	if (before.st_size == 0) {
		snprintf(err, errlen, "%s: empty file, not a MaxMind DB file", path);
		goto out;
	}
	mem = memfd_create("tsa-geo database", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (mem < 0) {
		snprintf(err, errlen, "%s: cannot make a copy in memory: %s", path,
		    strerror(errno));
		goto out;
	}
	/* Up to the end of the file, whatever size it has come to have. */
	for (;;) {
		ssize_t n = sendfile(mem, in, NULL, 1 << 30);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "%s: %s", path, errno == ENOSPC ||
			    errno == ENOMEM ? "no memory for a copy of it" :
			    strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		done += n;
	}
	if (fstat(in, &after) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (changed(&before, &after) || done != after.st_size) {
		rc = 0;
		goto out;
	}
	if (fcntl(mem, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE |
	    F_SEAL_SEAL) < 0) {
		snprintf(err, errlen, "%s: cannot seal the copy in memory: %s",
		    path, strerror(errno));
		goto out;
	}
	*out = mem;
	mem = -1;
	rc = 1;
out:
	if (mem >= 0)
		close(mem);
	close(in);
	return rc;
}

int geo_file_copy(const char *path, char *err, size_t errlen)
{
	for (int i = 0; i < TRIES; i++) {
		int fd, rc = copy_once(path, &fd, err, errlen);
		if (rc != 0)
			return rc > 0 ? fd : -1;
		if (i + 1 < TRIES)
			nanosleep(&(struct timespec){ 0, PAUSE_MS * 1000000L }, NULL);
	}
	snprintf(err, errlen, "%s: changed while being read, %d times in %.1f s "
	    "(is it being written in place? replace it by renaming a complete "
	    "file over it)", path, TRIES, TRIES * PAUSE_MS / 1000.0);
	return -1;
}
