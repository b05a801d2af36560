#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tsa.h"
#include "gnuplot.h"
#include "output.h"

/* In the child: gnuplot on the script, in the output directory. */
_Noreturn static void child(const char *gnuplot, const char *dir,
    const char *var, const char *script)
{
	int null = open("/dev/null", O_RDONLY);

	/* tsa_init ignored SIGPIPE, and an ignored signal survives
	 * exec; the parent's cleanup handlers are not gnuplot's. */
	signal(SIGPIPE, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	if (null >= 0)
		dup2(null, 0);
	if (chdir(dir) < 0) {
		fprintf(stderr, "%s: %s: %s\n", tsa_prog, dir,
		    strerror(errno));
		_exit(127);
	}
	execlp(gnuplot, gnuplot, "-e", var, script, (char *)NULL);
	fprintf(stderr, "%s: %s: %s\n", tsa_prog, gnuplot,
	    strerror(errno));
	_exit(127);
}

static void start(const char *gnuplot, const char *dir, struct gp_job *j)
{
	char script[256], var[300], png[256];
	const char *base;

	snprintf(script, sizeof script, "%s.gp", j->name);
	snprintf(png, sizeof png, "%s.png", j->name);
	j->tmp = path_tmp(dir, png);
	tmp_register(j->tmp);
	base = strrchr(j->tmp, '/') + 1;
	/* Our own file name: no quote can be in it. */
	snprintf(var, sizeof var, "outfile='%s'", base);
	j->pid = fork();
	if (j->pid < 0)
		tsa_die("fork: %s", strerror(errno));
	if (j->pid > 0) {
		tmp_child(j->pid, 1);
		return;
	}
	child(gnuplot, dir, var, script);
}

static void finish(const char *dir, struct gp_job *j, int status)
{
	char png[256];
	struct stat st;
	char *path;

	snprintf(png, sizeof png, "%s.png", j->name);
	path = path_join(dir, png);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
	    stat(j->tmp, &st) < 0 || st.st_size == 0) {
		j->failed = 1;
		if (WIFEXITED(status))
			tsa_warn("%s/%s.gp: gnuplot failed (exit status %d); "
			    "%s left as it was", dir, j->name,
			    WEXITSTATUS(status), png);
		else
			tsa_warn("%s/%s.gp: gnuplot killed by signal %d; %s "
			    "left as it was", dir, j->name,
			    WIFSIGNALED(status) ? WTERMSIG(status) : 0, png);
		unlink(j->tmp);
	} else if (rename(j->tmp, path) < 0) {
		j->failed = 1;
		tsa_warn("%s: %s", path, strerror(errno));
		unlink(j->tmp);
	}
	free(path);
	tmp_unregister(j->tmp);
	free(j->tmp);
	j->tmp = NULL;
	j->pid = 0;
}

size_t gnuplot_run(const char *gnuplot, const char *dir, struct gp_job *jobs,
    size_t n, size_t parallel)
{
	size_t next = 0, running = 0, failed = 0;

	if (parallel < 1)
		parallel = 1;
	while (next < n || running) {
		int status;
		pid_t pid;

		if (next < n && running < parallel) {
			jobs[next].failed = 0;
			start(gnuplot, dir, &jobs[next++]);
			running++;
			continue;
		}
		pid = waitpid(-1, &status, 0);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			tsa_die("waitpid: %s", strerror(errno));
		}
		tmp_child(pid, 0);
		for (size_t i = 0; i < next; i++)
			if (jobs[i].pid == pid) {
				finish(dir, &jobs[i], status);
				failed += jobs[i].failed;
				running--;
			}
	}
	return failed;
}
