/*
 * The gnuplot tsa-plot runs.  The live pipeline runs tsa-plot as root: a
 * program another user could replace, found through a PATH entry that
 * means "wherever root stands", or run with the environment of whoever
 * started the pipeline (LD_PRELOAD, GNUPLOT_DRIVER_DIR, FONTCONFIG_FILE),
 * would run their code as root.  Whether a file may be trusted as root is
 * the library's rule (tsa_path_trusted); finding the program once and the
 * environment it gets are tsa-plot's.
 */
#ifndef TSA_PLOT_PROGRAM_H
#define TSA_PLOT_PROGRAM_H

/*
 * The program to run, as an absolute path with no link in it (malloc'ed):
 * name itself when it has a slash, else the first executable of that name
 * in $PATH.  Running as root, $PATH entries that are not absolute are
 * skipped, and the program must be trusted (tsa_path_trusted: root's, and
 * so is every directory on the way to it, unless $TSA_SAFE_PATHS names
 * it).  Exits with one line on failure.
 */
char *program_find(const char *name);

/*
 * The environment the program gets: the caller's own, or when running as
 * root a fixed one (a fixed PATH, a UTF-8 locale, no HOME, nothing else),
 * so that no LD_*, GNUPLOT_* or font variable reaches a program run as
 * root.
 */
char *const *program_environment(void);

#endif
