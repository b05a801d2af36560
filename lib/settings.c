/*
 * settings.ini: read whole, each entry with the line it came from, so that
 * a bad value is named by file and line.  The format is the plain INI of
 * the original app: [section], key = value, comments on lines of their own
 * beginning with ';' or '#', or after a value from a ';' after a space.  Names are case-insensitive, a key given twice
 * keeps its last value, and lines have no length limit.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "settings.h"
#include "trust.h"
#include "util.h"

static struct tsa_setting_entry *entries;
static size_t nentries;
static char *loaded_path;

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t' || *s == '\r')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
	    e[-1] == '\n'))
		*--e = '\0';
	return s;
}

static void put(const char *section, const char *key, const char *value,
    unsigned line)
{
	for (size_t i = 0; i < nentries; i++) {
		if (strcasecmp(entries[i].section, section) == 0 &&
		    strcasecmp(entries[i].key, key) == 0) {
			free(entries[i].value);
			entries[i].value = tsa_strdup(value);
			entries[i].line = line;
			return;
		}
	}
	entries = tsa_realloc(entries, (nentries + 1) * sizeof *entries);
	entries[nentries].section = tsa_strdup(section);
	entries[nentries].key = tsa_strdup(key);
	entries[nentries].value = tsa_strdup(value);
	entries[nentries].line = line;
	entries[nentries].used = false;
	nentries++;
}

/* One line of text (NUL-terminated, newline removed): 0 or -1 if bad. */
static int parse_line(char *text, char *section, size_t seclen, unsigned line)
{
	char *s = trim(text), *eq, *key, *e;

	if (*s == '\0' || *s == ';' || *s == '#')
		return 0;
	if (*s == '[') {
		if (!(e = strchr(s, ']')) || *trim(e + 1) != '\0')
			return -1;
		*e = '\0';
		s = trim(s + 1);
		if (!*s || strlen(s) >= seclen)
			return -1;
		memcpy(section, s, strlen(s) + 1);
		return 0;
	}
	if (!(eq = strchr(s, '=')) || !section[0])
		return -1;
	*eq = '\0';
	key = trim(s);
	if (!*key)
		return -1;
	/* A comment after a value begins with ';' after a space, as in inih. */
	for (e = eq + 1; *e; e++)
		if (*e == ';' && (e[-1] == ' ' || e[-1] == '\t')) {
			*e = '\0';
			break;
		}
	put(section, key, trim(eq + 1), line);
	return 0;
}

/* Parse text of n bytes: 0, or the number of the first bad line. */
static unsigned parse_text(const char *text, size_t n)
{
	char section[128] = "", *buf = tsa_malloc(n + 1);
	unsigned line = 0, bad = 0;
	size_t i = 0;

	while (i < n) {
		size_t j = i;

		while (j < n && text[j] != '\n')
			j++;
		memcpy(buf, text + i, j - i);
		buf[j - i] = '\0';
		line++;
		/* A NUL inside a line is not text: the line is bad. */
		if ((memchr(text + i, '\0', j - i) || parse_line(buf, section,
		    sizeof section, line) < 0) && !bad)
			bad = line;
		i = j + 1;
	}
	free(buf);
	return bad;
}

static void parse_file(const char *path)
{
	char why[2 * PATH_MAX], *abs, *text = NULL;
	size_t len = 0, cap = 0;
	unsigned bad;
	FILE *f;

	/*
	 * As root, a file another user could have written is refused: its
	 * settings name programs to run and users to stay (trust.h).
	 */
	if (!tsa_path_trusted(path, why, sizeof why))
		tsa_die("%s: %s", path, why);
	if (!(f = fopen(path, "r")))
		tsa_die("%s: %s", path, strerror(errno));
	for (;;) {
		if (len == cap)
			text = tsa_realloc(text, cap = cap ? 2 * cap : 8192);
		size_t got = fread(text + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f))
		tsa_die("%s: %s", path, strerror(errno));
	fclose(f);
	/* Messages name the file as the tool found it, wherever run from. */
	abs = realpath(path, NULL);
	loaded_path = abs ? abs : tsa_strdup(path);
	if ((bad = parse_text(text, len)) != 0) {
		fprintf(stderr, "%s: %s:%u: not a 'key = value' line or a [section]\n",
		    tsa_prog, loaded_path, bad);
		exit(2);
	}
	free(text);
}

/*
 * The directory of the running program (bin/ of the source tree or
 * PREFIX/bin once installed), for the files that ship with it.
 */
static const char *exe_dir(void)
{
	static char dir[PATH_MAX];
	ssize_t n;
	char *slash;

	if (dir[0])
		return dir;
	n = readlink("/proc/self/exe", dir, sizeof dir - 1);
	if (n <= 0 || (size_t)n >= sizeof dir - 1) {
		dir[0] = '\0';
		return NULL;
	}
	dir[n] = '\0';
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	return dir;
}

/* DIR/../rel if it exists (malloc'ed), else NULL. */
static char *beside_exe(const char *rel)
{
	const char *d = exe_dir();
	char *p;

	if (!d)
		return NULL;
	p = tsa_malloc(strlen(d) + strlen(rel) + 5);
	sprintf(p, "%s/../%s", d, rel);
	if (access(p, R_OK) == 0)
		return p;
	free(p);
	return NULL;
}

char *tsa_data_file(const char *name)
{
	char rel[PATH_MAX];
	char *p;

	/* Installed: PREFIX/share/tsa/NAME; the source tree: data/NAME. */
	snprintf(rel, sizeof rel, "share/tsa/%s", name);
	if ((p = beside_exe(rel)) != NULL)
		return p;
	snprintf(rel, sizeof rel, "data/%s", name);
	return beside_exe(rel);
}

void tsa_settings_load(const char *path)
{
	const char *env = getenv("TSA_SETTINGS");
	char *found;

	if (path) {
		parse_file(path);
		return;
	}
	if (env && *env) {
		parse_file(env);
		return;
	}
	if (access("settings.ini", R_OK) == 0) {
		parse_file("settings.ini");
		return;
	}
	/* Installed: PREFIX/etc/tsa/settings.ini; the source tree's own. */
	if ((found = beside_exe("etc/tsa/settings.ini")) != NULL ||
	    (found = beside_exe("settings.ini")) != NULL) {
		parse_file(found);
		free(found);
		return;
	}
	if (access("/etc/tsa/settings.ini", R_OK) == 0)
		parse_file("/etc/tsa/settings.ini");
}

void tsa_settings_reset(void)
{
	for (size_t i = 0; i < nentries; i++) {
		free(entries[i].section);
		free(entries[i].key);
		free(entries[i].value);
	}
	free(entries);
	entries = NULL;
	nentries = 0;
	free(loaded_path);
	loaded_path = NULL;
}

int tsa_settings_parse_text(const char *text)
{
	return (int)parse_text(text, strlen(text));
}

const char *tsa_settings_path(void)
{
	return loaded_path;
}

struct tsa_setting_entry *tsa_setting_entry(const char *section,
    const char *key)
{
	for (size_t i = 0; i < nentries; i++)
		if (strcasecmp(entries[i].section, section) == 0 &&
		    strcasecmp(entries[i].key, key) == 0)
			return &entries[i];
	return NULL;
}

const struct tsa_setting_entry *tsa_settings_all(size_t *n)
{
	*n = nentries;
	return entries;
}

const char *tsa_setting(const char *section, const char *key)
{
	const struct tsa_setting_entry *e = tsa_setting_entry(section, key);

	return e ? e->value : NULL;
}

char *tsa_settings_resolve(const char *v)
{
	const char *slash;
	char *out;
	size_t dlen;

	/* Relative to the settings file, so settings work from any directory. */
	if (v[0] == '/' || !loaded_path || !(slash = strrchr(loaded_path, '/')))
		return tsa_strdup(v);
	dlen = (size_t)(slash - loaded_path);
	out = tsa_malloc(dlen + strlen(v) + 2);
	memcpy(out, loaded_path, dlen);
	out[dlen] = '/';
	strcpy(out + dlen + 1, v);
	return out;
}
