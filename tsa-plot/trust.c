#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tsa.h"
#include "trust.h"

extern char **environ;

bool trust_privileged(void)
{
	return geteuid() == 0;
}

/* "uid 1000 (alice)" */
static void owner_text(uid_t uid, char *out, size_t n)
{
	struct passwd *pw = getpwuid(uid);

	if (pw)
		snprintf(out, n, "uid %ld (%s)", (long)uid, pw->pw_name);
	else
		snprintf(out, n, "uid %ld", (long)uid);
}

bool trust_dir_shared(const struct stat *st, char *why, size_t n)
{
	char who[96];

	if (st->st_uid != geteuid() && st->st_uid != 0) {
		owner_text(st->st_uid, who, sizeof who);
		snprintf(why, n, "owned by %s", who);
		return true;
	}
	/* With the sticky bit, only a file's owner may rename or remove it
	 * (as in /tmp); names tsa-plot has not made yet are unpredictable
	 * and created exclusively, so others can add nothing it would use. */
	if ((st->st_mode & (S_IWGRP | S_IWOTH)) && !(st->st_mode & S_ISVTX)) {
		snprintf(why, n, "writable by %s (mode %04o)",
		    st->st_mode & S_IWOTH ? "every user" : "its group",
		    (unsigned)(st->st_mode & 07777));
		return true;
	}
	return false;
}

/*
 * Could anyone but root have changed this file, or the directory holding
 * it, or replaced an entry on the way to them?  Every component is
 * root's, so a sticky directory further up (/tmp) is safe: only root may
 * rename or remove root's entries there.  The program's own directory
 * gets no such excuse (sticky false).
 */
static bool not_roots(const char *path, bool sticky, char *why, size_t n)
{
	struct stat st;
	char who[96];

	if (stat(path, &st) < 0) {
		snprintf(why, n, "%s: %s", path, strerror(errno));
		return true;
	}
	if (st.st_uid != 0) {
		owner_text(st.st_uid, who, sizeof who);
		snprintf(why, n, "%s is owned by %s, not root", path, who);
		return true;
	}
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) &&
	    !(sticky && (st.st_mode & S_ISVTX))) {
		snprintf(why, n, "%s is writable by %s (mode %04o)", path,
		    st.st_mode & S_IWOTH ? "every user" : "its group",
		    (unsigned)(st.st_mode & 07777));
		return true;
	}
	return false;
}

static bool executable_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	    access(path, X_OK) == 0;
}

/* name (no slash) in $PATH, as execvp would find it; NULL if absent. */
static char *search_path(const char *name, bool privileged)
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
		if (privileged && dir[0] != '/')
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

char *trust_program(const char *name)
{
	bool privileged = trust_privileged();
	char *found, *real, why[PATH_MAX + 128];

	if (!*name)
		tsa_die("the gnuplot program's name is empty ([plot] Gnuplot "
		    "or --gnuplot)");
	if (strchr(name, '/'))
		found = tsa_strdup(name);
	else if (!(found = search_path(name, privileged)))
		tsa_die("%s: not found in PATH%s (name it with --gnuplot or "
		    "[plot] Gnuplot, or use --script-only)", name, privileged ?
		    "'s absolute directories" : "");
	/* Resolved once, links and all: what was checked is what runs,
	 * whatever happens to the name afterwards. */
	if (!(real = realpath(found, NULL)))
		tsa_die("%s: %s", found, strerror(errno));
	if (!executable_file(real))
		tsa_die("%s: not an executable file", found);
	if (privileged) {
		/* The file, then every directory up to the root. */
		char *dir = tsa_strdup(real), *slash;
		bool bad = not_roots(real, false, why, sizeof why);

		for (int up = 0; !bad && (slash = strrchr(dir, '/')); up++) {
			slash[slash == dir] = 0;
			bad = not_roots(dir, up > 0, why, sizeof why);
			if (slash == dir)
				break;
		}
		free(dir);
		if (bad)
			tsa_die("%s: refusing to run it as root: %s", found, why);
	}
	free(found);
	return real;
}

char *const *trust_environment(void)
{
	/* Enough for gnuplot and its fonts: the pictures are the same as
	 * from a plain user's environment (tests/plot compare them). */
	static char *const clean[] = {
		"PATH=/usr/bin:/bin", "LC_ALL=C.UTF-8", NULL
	};

	return trust_privileged() ? clean : environ;
}
