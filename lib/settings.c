#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "settings.h"
#include "trust.h"
#include "util.h"

#ifndef TSA_SYSCONFDIR
#define TSA_SYSCONFDIR "/usr/local/etc/tsa"
#endif

struct entry {
	char *section, *key, *value;
};

static struct entry *entries;
static size_t nentries;
static char *loaded_path;

static int on_pair(void *user, const char *section, const char *key,
    const char *value)
{
	(void)user;
	for (size_t i = 0; i < nentries; i++) {
		if (strcasecmp(entries[i].section, section) == 0 &&
		    strcasecmp(entries[i].key, key) == 0) {
			free(entries[i].value);
			entries[i].value = tsa_strdup(value);
			return 1;
		}
	}
	entries = tsa_realloc(entries, (nentries + 1) * sizeof *entries);
	entries[nentries].section = tsa_strdup(section);
	entries[nentries].key = tsa_strdup(key);
	entries[nentries].value = tsa_strdup(value);
	nentries++;
	return 1;
}

static void parse(const char *path)
{
	char why[2 * PATH_MAX];
	FILE *f;
	int rc;

	/*
	 * As root, a file another user could have written is refused: its
	 * settings name programs to run and users to stay (trust.h).
	 */
	if (!tsa_path_trusted(path, why, sizeof why))
		tsa_die("%s: %s", path, why);
	if (!(f = fopen(path, "r")))
		tsa_die("%s: %s", path, strerror(errno));
	rc = ini_parse_file(f, on_pair, NULL);
	fclose(f);
	if (rc > 0)
		tsa_die("%s:%d: not a 'key = value' line or [section]", path, rc);
	if (rc < 0)
		tsa_die("%s: cannot read settings", path);
	loaded_path = tsa_strdup(path);
}

void tsa_settings_load(const char *path)
{
	const char *env = getenv("TSA_SETTINGS");

	if (path) {
		parse(path);
		return;
	}
	if (env && *env) {
		parse(env);
		return;
	}
	if (access("settings.ini", R_OK) == 0) {
		parse("settings.ini");
		return;
	}
	if (access(TSA_SYSCONFDIR "/settings.ini", R_OK) == 0)
		parse(TSA_SYSCONFDIR "/settings.ini");
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
	return ini_parse_string(text, on_pair, NULL);
}

const char *tsa_settings_path(void)
{
	return loaded_path;
}

const char *tsa_setting(const char *section, const char *key)
{
	for (size_t i = 0; i < nentries; i++)
		if (strcasecmp(entries[i].section, section) == 0 &&
		    strcasecmp(entries[i].key, key) == 0)
			return entries[i].value;
	return NULL;
}

_Noreturn static void bad(const char *section, const char *key,
    const char *value, const char *want)
{
	tsa_die("%s: [%s] %s = '%s': expected %s", loaded_path, section, key,
	    value, want);
}

const char *tsa_setting_str(const char *section, const char *key,
    const char *def)
{
	const char *v = tsa_setting(section, key);

	return v ? v : def;
}

bool tsa_setting_bool(const char *section, const char *key, bool def)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };
	const char *v = tsa_setting(section, key);

	if (!v || !*v)
		return def;
	for (int i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return true;
		if (strcasecmp(v, no[i]) == 0)
			return false;
	}
	bad(section, key, v, "true or false");
}

uint64_t tsa_setting_u64(const char *section, const char *key, uint64_t def)
{
	const char *v = tsa_setting(section, key);
	uint64_t x;

	if (!v || !*v)
		return def;
	if (!tsa_parse_u64(v, &x))
		bad(section, key, v, "a whole number");
	return x;
}

double tsa_setting_double(const char *section, const char *key, double def)
{
	const char *v = tsa_setting(section, key);
	double x;

	if (!v || !*v)
		return def;
	if (!tsa_parse_double(v, &x))
		bad(section, key, v, "a number");
	return x;
}

char *tsa_setting_path(const char *section, const char *key, const char *def)
{
	const char *v = tsa_setting(section, key);
	const char *slash;
	char *out;
	size_t dlen;

	if (!v || !*v)
		v = def;
	if (!v || !*v)
		return NULL;
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
