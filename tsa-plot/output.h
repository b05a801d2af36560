/*
 * Files a viewer may be looking at while they change: each is written to a
 * hidden temporary name in the same directory and renamed over the old one
 * when whole, so a browser never loads half a page or half a picture.
 */
#ifndef TSA_PLOT_OUTPUT_H
#define TSA_PLOT_OUTPUT_H

#include <stdio.h>
#include <sys/types.h>

struct outfile {
	char *path, *tmp;
	FILE *f;
};

/* dir/name; the caller frees. */
char *path_join(const char *dir, const char *name);
/* dir/.name.PID.tmp, the temporary name of dir/name; the caller frees. */
char *path_tmp(const char *dir, const char *name);
/* Create the directory (one level) if it is missing; exits on failure. */
void output_dir(const char *dir);

/*
 * Temporary files in the making are removed when SIGINT, SIGTERM or SIGHUP
 * ends the program (a live dashboard is usually stopped that way), so
 * none is left behind in the directory a web server shows.
 */
void tmp_cleanup_on_signal(void);
void tmp_register(const char *path);
void tmp_unregister(const char *path);
/* A child writing a temporary file: stopped first, then the file goes. */
void tmp_child(pid_t pid, int running);

/* Open the temporary file; exits on failure. */
FILE *outfile_open(struct outfile *o, const char *dir, const char *name);
/* Close and rename into place; exits on a write error. */
void outfile_commit(struct outfile *o);

#endif
