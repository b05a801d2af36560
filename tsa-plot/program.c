#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tsa.h"
#include "program.h"

extern char **environ;

/* Running with root's rights: the rules below apply (as lib/trust.h's). */
static bool privileged(void)
{
	return geteuid() == 0;
}

static bool executable_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	    access(path, X_OK) == 0;
}

/* name (no slash) in $PATH, as execvp would find it; NULL if absent. */
static char *search_path(const char *name, bool root)
{
	const char *path = getenv("PATH");
	char *copy, *found = NULL;

	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	copy = tsa_strdup(path);
	/* strtok_r would skip empty entries, which mean the current
	 * directory to a shell: split by hand. */
	for (char *dir = copy, *next; dir && !found; dir = next) {
		char cand[PATH_MAX];

		next = strchr(dir, ':');
		if (next)
			*next++ = 0;
		/* As root, a relative entry ("", ".", "bin") means wherever
		 * root happens to stand: another user's directory, maybe. */
		if (root && dir[0] != '/')
			continue;
		if ((size_t)snprintf(cand, sizeof cand, "%s/%s", *dir ? dir :
		    ".", name) >= sizeof cand)
			continue;
		if (executable_file(cand))
			found = tsa_strdup(cand);
	}
	free(copy);
	return found;
}

char *program_find(const char *name)
{
	bool root = privileged();
	char *found, *real, why[2 * PATH_MAX + 256];

	if (!*name)
		tsa_die("the gnuplot program's name is empty ([plot] Gnuplot "
		    "or --gnuplot)");
	if (strchr(name, '/'))
		found = tsa_strdup(name);
	else if (!(found = search_path(name, root)))
		tsa_die("%s: not found in PATH%s (name it with --gnuplot or "
		    "[plot] Gnuplot, or use --script-only)", name, root ?
		    "'s absolute directories" : "");
	/* Resolved once, links and all: what was checked is what runs,
	 * whatever happens to the name afterwards. */
	if (!(real = realpath(found, NULL)))
		tsa_die("%s: %s", found, strerror(errno));
	if (!executable_file(real))
		tsa_die("%s: not an executable file", found);
	/* As root: the file and every directory on the way to it root's
	 * alone, as for any file a tool trusts (lib/trust.h). */
	if (!tsa_path_trusted(real, why, sizeof why))
		tsa_die("%s: %s", found, why);
	free(found);
	return real;
}

char *const *program_environment(void)
{
	/* Enough for gnuplot and its fonts: the pictures are the same as
	 * from a plain user's environment (tests/plot compare them). */
	static char *const clean[] = {
		"PATH=/usr/bin:/bin", "LC_ALL=C.UTF-8", NULL
	};

	return privileged() ? clean : environ;
}
