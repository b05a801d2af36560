/*
 * Run gnuplot on the scripts tsa-plot wrote.  gnuplot reads each script
 * from a descriptor tsa-plot holds (the bytes it wrote, not whatever the
 * name in the directory holds by then) and writes the PNG to its standard
 * output, a temporary file tsa-plot created; the PNG replaces the old one
 * only when gnuplot succeeded, so a failed render leaves the previous
 * picture in place.
 */
#ifndef TSA_PLOT_GNUPLOT_H
#define TSA_PLOT_GNUPLOT_H

#include <stddef.h>
#include <sys/types.h>

#include "output.h"

struct gp_job {
	const char *name;	/* "world": world.gp's script, makes world.png */
	int script;		/* descriptor reading the script */
	pid_t pid;
	struct outfile png;
	double started;		/* monotonic seconds */
	int failed, timed_out;
};

/*
 * Run the jobs with gnuplot (an absolute path, program_find()), at most
 * parallel at a time (gnuplot is single threaded; the world map alone
 * takes most of a second).  A job still running after timeout seconds is
 * stopped: a live dashboard must not stall on one picture.  Closes every
 * job's script.  Returns the number that failed; each failure is reported
 * on stderr.
 */
size_t gnuplot_run(const char *gnuplot, unsigned timeout, struct gp_job *jobs,
    size_t n, size_t parallel);

#endif
