/*
 * settings.ini: every tool's defaults, one [section] per tool (plus the
 * original app's [app], [geoip], [p0f], [security] sections).  Command-line
 * flags override it.  Which file: --settings FILE, else $TSA_SETTINGS, else
 * ./settings.ini, else the one beside the program (PREFIX/etc/tsa/settings.ini
 * once installed, the source tree's own), else /etc/tsa/settings.ini.
 * Relative paths inside it are relative to the file's own directory.
 */
#ifndef TSA_SETTINGS_H
#define TSA_SETTINGS_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Load the settings.  path NULL means the search above; a missing file is
 * then not an error (built-in defaults apply), but an explicit path that
 * cannot be read exits 1, and a line that is not a [section] or a key =
 * value exits 2 with file:line.  As root, so does a file that another user
 * could have changed (tsa_path_trusted): wherever it was found, it is
 * refused, not skipped.
 */
void tsa_settings_load(const char *path);
/* The file loaded, as an absolute path; NULL if none was found. */
const char *tsa_settings_path(void);
/* Add settings from text (for tests and fuzzing): 0, or the bad line. */
int tsa_settings_parse_text(const char *text);
/* Forget every setting. */
void tsa_settings_reset(void);

struct tsa_setting_entry {
	char *section, *key, *value;
	unsigned line;		/* in tsa_settings_path() */
	bool used;		/* some option of the tool read it */
};
/* The entry, or NULL when the key is absent (names are case-insensitive). */
struct tsa_setting_entry *tsa_setting_entry(const char *section, const char *key);
/* Every entry, in the order of the file. */
const struct tsa_setting_entry *tsa_settings_all(size_t *n);
/* Raw value, or NULL when the key is absent. */
const char *tsa_setting(const char *section, const char *key);
/* A path from the settings, resolved against the file's directory (malloc'ed). */
char *tsa_settings_resolve(const char *value);
/*
 * A file that ships with TSA (dbip-country.mmdb, world.dat): beside the
 * running program, in PREFIX/share/tsa once installed, in data/ of the
 * source tree (malloc'ed); NULL if neither has it.
 */
char *tsa_data_file(const char *name);

#endif
