/*
 * The output directory and the files in it.  The directory is opened once,
 * following no link, and every file is made relative to that descriptor.
 * Each file is written under an unpredictable hidden name, created
 * exclusively (no link followed, nothing overwritten), and renamed over
 * the old one when whole: a browser never loads half a page or half a
 * picture, and no link planted in the directory is ever written through.
 */
#ifndef TSA_PLOT_OUTPUT_H
#define TSA_PLOT_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

struct outfile {
	int fd;
	FILE *f;		/* NULL when a child writes to fd */
	char name[64];		/* "world.png" */
	char tmp[96];		/* ".world.png.<16 hex digits>.tmp" */
};

/*
 * Open the directory, creating it (mode 0755) if missing.  Exits with one
 * line if it is a link or not a directory, if another user could write it
 * (owned by another user, or writable by group or others without the
 * sticky bit), or if reaching it would follow a link another user could
 * have put on the way; the last two unless shared_ok.
 */
void output_dir(const char *path, bool shared_ok);
/* The directory as the user named it, for messages. */
const char *output_path(void);

/*
 * Durable commits: each file is flushed to the disk before it is renamed
 * into place, and output_sync() flushes the directory's entries.  For the
 * final render, the one that stays; a live render is replaced within
 * seconds and needs only the atomic rename.
 */
void output_durable(bool on);
void output_sync(void);

/* Open dir/name to read it: a regular file of this user, reached through
 * no link; NULL (after a warning unless it is missing) otherwise. */
FILE *output_read(const char *name);
/* A new temporary file for dir/name, written through fd only (a child's
 * output); exits on failure. */
int outfile_create(struct outfile *o, const char *name);
/* The same, written through the returned stream. */
FILE *outfile_open(struct outfile *o, const char *name);
/*
 * Rename the whole file into place.  With keep, *keep is a new descriptor
 * reading the file from its start (gnuplot's script: the bytes written,
 * never what the name holds by then).  Returns 0, or -1 after a warning,
 * the temporary file removed.
 */
int outfile_commit(struct outfile *o, int *keep);
/* Throw the temporary file away. */
void outfile_discard(struct outfile *o);

/*
 * Temporary files in the making are removed when a signal ends the program
 * (SIGHUP, or a second SIGINT or SIGTERM: the first only makes tsa-plot
 * finish, see tsa_init) or when it exits on an error, so none is left
 * behind in the directory a web server shows.  A child writing one is
 * stopped first.
 */
void tmp_cleanup_on_signal(void);
void tmp_child(pid_t pid, int running);

#endif
