#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tsa.h"
#include "output.h"

#define MAX_TMP 32	/* scripts, PNGs being drawn, the page */

static const char *volatile tmp_paths[MAX_TMP];
static volatile pid_t children[MAX_TMP];

static void on_signal(int sig)
{
	/* kill(), waitpid() and unlink() are async-signal-safe; the paths
	 * stay allocated while registered.  A gnuplot still drawing would
	 * write its file after we removed it: stop it first. */
	for (int i = 0; i < MAX_TMP; i++)
		if (children[i] > 0) {
			kill(children[i], SIGTERM);
			waitpid(children[i], NULL, 0);
		}
	for (int i = 0; i < MAX_TMP; i++)
		if (tmp_paths[i])
			unlink(tmp_paths[i]);
	signal(sig, SIG_DFL);
	raise(sig);
}

void tmp_cleanup_on_signal(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

void tmp_register(const char *path)
{
	for (int i = 0; i < MAX_TMP; i++)
		if (!tmp_paths[i]) {
			tmp_paths[i] = path;
			return;
		}
}

void tmp_unregister(const char *path)
{
	for (int i = 0; i < MAX_TMP; i++)
		if (tmp_paths[i] == path)
			tmp_paths[i] = NULL;
}

void tmp_child(pid_t pid, int running)
{
	for (int i = 0; i < MAX_TMP; i++)
		if (running ? children[i] == 0 : children[i] == pid) {
			children[i] = running ? pid : 0;
			return;
		}
}

char *path_join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = tsa_malloc(n);

	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

char *path_tmp(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 32;
	char *p = tsa_malloc(n);

	snprintf(p, n, "%s/.%s.%ld.tmp", dir, name, (long)getpid());
	return p;
}

void output_dir(const char *dir)
{
	struct stat st;

	if (mkdir(dir, 0777) == 0)
		return;
	if (errno != EEXIST)
		tsa_die("%s: %s", dir, strerror(errno));
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		tsa_die("%s: not a directory", dir);
}

FILE *outfile_open(struct outfile *o, const char *dir, const char *name)
{
	o->path = path_join(dir, name);
	o->tmp = path_tmp(dir, name);
	tmp_register(o->tmp);
	if (!(o->f = fopen(o->tmp, "w")))
		tsa_die("%s: %s", o->tmp, strerror(errno));
	return o->f;
}

void outfile_commit(struct outfile *o)
{
	int bad = ferror(o->f);

	if (fclose(o->f) != 0 || bad) {
		unlink(o->tmp);
		tsa_die("%s: write error", o->tmp);
	}
	if (rename(o->tmp, o->path) < 0) {
		int e = errno;
		unlink(o->tmp);
		tsa_die("%s: %s", o->path, strerror(e));
	}
	tmp_unregister(o->tmp);
	free(o->path);
	free(o->tmp);
	o->f = NULL;
}
