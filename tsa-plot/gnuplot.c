#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tsa.h"
#include "gnuplot.h"
#include "program.h"

/*
 * In the child: the script on standard input, the PNG's temporary file on
 * standard output, nothing else open.  -d: no gnuplotrc or ~/.gnuplot, so
 * the pictures are the script's alone.  /dev/fd/0 as the file (not '-'):
 * gnuplot runs it as a batch file, stopping at the first error with the
 * line number, as 'gnuplot world.gp' would.  outfile='' sends the PNG to
 * standard output (gp_begin).
 */
_Noreturn static void child(const char *gnuplot, int script, int png,
    const sigset_t *mask)
{
	char *argv[] = { (char *)gnuplot, "-d", "-e", "outfile=''",
		"/dev/fd/0", NULL };

	sigprocmask(SIG_SETMASK, mask, NULL);	/* gnuplot_run's, not ours */

	/* tsa_init ignored SIGPIPE, and an ignored signal survives exec;
	 * the parent's handlers are not gnuplot's.  A Ctrl-C or a service
	 * manager's stop reaches every process of the pipeline: the figure
	 * being drawn is finished all the same, for the final page (tsa-plot
	 * stops gnuplot itself when it must, with SIGKILL).  gnuplot installs
	 * its own SIGINT handler, which gives up the script: a process group
	 * of its own keeps a terminal's Ctrl-C away from it. */
	signal(SIGPIPE, SIG_DFL);
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_DFL);
	setpgid(0, 0);
	/* Above 2 first, so that neither dup2 closes the other's source. */
	script = fcntl(script, F_DUPFD, 3);
	png = fcntl(png, F_DUPFD, 3);
	if (script < 0 || png < 0 || dup2(script, 0) < 0 || dup2(png, 1) < 0) {
		fprintf(stderr, "%s: gnuplot's descriptors: %s\n", tsa_prog,
		    strerror(errno));
		_exit(127);
	}
	close_range(3, ~0U, 0);
	execve(gnuplot, argv, program_environment());
	fprintf(stderr, "%s: %s: %s\n", tsa_prog, gnuplot, strerror(errno));
	_exit(127);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void start(const char *gnuplot, struct gp_job *j,
    const sigset_t *mask)
{
	char png[64];

	snprintf(png, sizeof png, "%s.png", j->name);
	outfile_create(&j->png, png);
	j->started = now();
	j->timed_out = 0;
	j->pid = fork();
	if (j->pid < 0)
		tsa_die("fork: %s", strerror(errno));
	if (j->pid == 0)
		child(gnuplot, j->script, j->png.fd, mask);
	setpgid(j->pid, j->pid);	/* as the child does: whichever is first */
	tmp_child(j->pid, 1);
	close(j->script);
	j->script = -1;
}

/* Did gnuplot write a whole PNG?  Checked on the descriptor: the name in
 * the directory is not trusted. */
static int is_png(int fd)
{
	static const unsigned char sig[8] = "\x89PNG\r\n\x1a\n";
	unsigned char head[8];
	struct stat st;

	return fstat(fd, &st) == 0 && st.st_size > (off_t)sizeof sig &&
	    pread(fd, head, sizeof head, 0) == (ssize_t)sizeof head &&
	    memcmp(head, sig, sizeof sig) == 0;
}

static void finish(struct gp_job *j, int status, unsigned timeout)
{
	const char *dir = output_path();

	if (WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
	    is_png(j->png.fd)) {
		j->failed = outfile_commit(&j->png, NULL) < 0;
	} else {
		j->failed = 1;
		if (j->timed_out)
			tsa_warn("%s/%s.gp: gnuplot still drawing after %u s "
			    "([plot] GnuplotTimeout), stopped; %s.png left as "
			    "it was", dir, j->name, timeout, j->name);
		else if (!WIFEXITED(status))
			tsa_warn("%s/%s.gp: gnuplot killed by signal %d; "
			    "%s.png left as it was", dir, j->name,
			    WIFSIGNALED(status) ? WTERMSIG(status) : 0,
			    j->name);
		else if (WEXITSTATUS(status) != 0)
			tsa_warn("%s/%s.gp: gnuplot failed (exit status %d); "
			    "%s.png left as it was", dir, j->name,
			    WEXITSTATUS(status), j->name);
		else
			tsa_warn("%s/%s.gp: gnuplot wrote no PNG; %s.png left "
			    "as it was", dir, j->name, j->name);
		outfile_discard(&j->png);
	}
	j->pid = 0;
}

/*
 * Wait for a child's end until the oldest running job's time is up, then
 * stop that job (waitpid then reaps it).  SIGCHLD is blocked meanwhile,
 * so that sigtimedwait() can wait for it.
 */
static void wait_or_stop(struct gp_job *jobs, size_t next,
    const sigset_t *chld, unsigned timeout)
{
	struct gp_job *oldest = NULL;
	struct timespec ts;
	double left;

	for (size_t i = 0; i < next; i++)
		if (jobs[i].pid > 0 && !jobs[i].timed_out &&
		    (!oldest || jobs[i].started < oldest->started))
			oldest = &jobs[i];
	if (!oldest) {		/* all stopped: their ends are on the way */
		sigwaitinfo(chld, NULL);
		return;
	}
	left = oldest->started + timeout - now();
	if (left <= 0) {
		kill(oldest->pid, SIGKILL);
		oldest->timed_out = 1;
		return;
	}
	ts.tv_sec = (time_t)left;
	ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
	sigtimedwait(chld, NULL, &ts);
}

size_t gnuplot_run(const char *gnuplot, unsigned timeout, struct gp_job *jobs,
    size_t n, size_t parallel)
{
	size_t next = 0, running = 0, failed = 0;
	sigset_t chld, old;

	if (parallel < 1)
		parallel = 1;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &old);
	while (next < n || running) {
		int status;
		pid_t pid;

		if (next < n && running < parallel) {
			jobs[next].failed = 0;
			start(gnuplot, &jobs[next++], &old);
			running++;
			continue;
		}
		pid = waitpid(-1, &status, WNOHANG);
		if (pid == 0) {
			wait_or_stop(jobs, next, &chld, timeout);
			continue;
		}
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			tsa_die("waitpid: %s", strerror(errno));
		}
		tmp_child(pid, 0);
		for (size_t i = 0; i < next; i++)
			if (jobs[i].pid == pid) {
				finish(&jobs[i], status, timeout);
				failed += jobs[i].failed;
				running--;
			}
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return failed;
}
