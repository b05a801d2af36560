/*
 * Run gnuplot on the scripts tsa-plot wrote: each into a temporary PNG that
 * replaces the old one only when gnuplot succeeded, so a failed render
 * leaves the previous picture in place.
 */
#ifndef TSA_PLOT_GNUPLOT_H
#define TSA_PLOT_GNUPLOT_H

#include <stddef.h>
#include <sys/types.h>

struct gp_job {
	const char *name;	/* "world": runs world.gp, makes world.png */
	pid_t pid;
	char *tmp;		/* temporary PNG name, in the directory */
	int failed;
};

/*
 * Run the jobs in dir, at most parallel at a time (gnuplot is single
 * threaded; the world map alone takes most of a second).  Returns the
 * number that failed; each failure is reported on stderr.
 */
size_t gnuplot_run(const char *gnuplot, const char *dir, struct gp_job *jobs,
    size_t n, size_t parallel);

#endif
