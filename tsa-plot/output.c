#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tsa.h"
#include "output.h"

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
	free(o->path);
	free(o->tmp);
	o->f = NULL;
}
