/*
 * Who else could change what tsa-plot writes or runs.  The live pipeline
 * runs tsa-plot as root: a directory another user can write would let
 * that user swap files under it, and a program another user could replace
 * would run as root.  Both are checked once, at start, and refused with
 * one line saying why (tsa-plot(1), SECURITY).
 */
#ifndef TSA_PLOT_TRUST_H
#define TSA_PLOT_TRUST_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

/* Running with root's rights: the program rules below apply. */
bool trust_privileged(void);

/*
 * Why another user could add, remove or replace entries of a directory
 * with this status (owned by someone else, or writable by group or others
 * without the sticky bit), written into why; false when only we (or
 * root) can.
 */
bool trust_dir_shared(const struct stat *st, char *why, size_t n);

/*
 * The program to run, as an absolute path with no link in it (malloc'ed):
 * name itself when it has a slash, else the first executable of that name
 * in $PATH.  Running as root, the file and every directory above it must
 * be root's and writable by no one else, and $PATH entries that are not
 * absolute are skipped.  Exits with one line on failure.
 */
char *trust_program(const char *name);

/*
 * The environment the program gets: the caller's own, or when running as
 * root a fixed one (a fixed PATH, a UTF-8 locale, no HOME, nothing else),
 * so that no LD_*, GNUPLOT_* or font variable reaches a program run as
 * root from whoever started the pipeline.
 */
char *const *trust_environment(void);

#endif
