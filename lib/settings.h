/*
 * settings.ini: every tool's defaults, one [section] per tool (plus the
 * original app's [app], [geoip], [p0f], [security] sections).  Command-line
 * flags override it.  Which file: --settings FILE, else $TSA_SETTINGS, else
 * ./settings.ini, else the installed one (TSA_SYSCONFDIR/settings.ini).
 * Relative paths inside it are relative to the file's own directory.
 */
#ifndef TSA_SETTINGS_H
#define TSA_SETTINGS_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Load the settings.  path NULL means the search above; a missing file is
 * then not an error (built-in defaults apply), but an explicit path that
 * cannot be read, or a syntax error anywhere, exits 1 with file:line.  As
 * root, so does a file that another user could have changed
 * (tsa_path_trusted): wherever it was found, it is refused, not skipped.
 */
void tsa_settings_load(const char *path);
const char *tsa_settings_path(void);
/* Add settings from text (for tests and fuzzing): 0, or the bad line. */
int tsa_settings_parse_text(const char *text);
/* Forget every setting. */
void tsa_settings_reset(void);	/* NULL if none was found */

/* Raw value, or NULL when the key is absent (keys are case-insensitive). */
const char *tsa_setting(const char *section, const char *key);
/*
 * Typed values with a default for an absent key; a present but bad value
 * exits 1 naming file, section and key.
 */
const char *tsa_setting_str(const char *section, const char *key,
    const char *def);
bool tsa_setting_bool(const char *section, const char *key, bool def);
uint64_t tsa_setting_u64(const char *section, const char *key, uint64_t def);
double tsa_setting_double(const char *section, const char *key, double def);
/* A path resolved against the settings file's directory (malloc'ed). */
char *tsa_setting_path(const char *section, const char *key, const char *def);

#endif
