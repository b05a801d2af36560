/*
 * A tool's options and settings, declared once.  Each tool has one table of
 * struct tsa_opt: long and short name, the settings.ini section and key
 * that hold its default, its type, default, allowed range and help text.
 * From the table come the command-line parsing, --help, the settings
 * fallback, the validation and its messages, and --list-options, which the
 * documentation tests hold settings.ini and the man pages against.
 *
 * Every tool gets the same conventions from here: -h/--help (stdout, exit
 * 0), --version, --settings FILE, one line for a usage error (exit 2), a bad
 * value in settings.ini named by file, line, section and key (exit 2), and
 * a warning for a key no tool knows ("did you mean ...?").
 *
 * The order of precedence: the table's default, then settings.ini, then the
 * command line.
 */
#ifndef TSA_OPTS_H
#define TSA_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum tsa_opt_type {
	TSA_OPT_FLAG,		/* no argument on the command line; bool *;
				   in settings: true/false, yes/no, on/off, 1/0 */
	TSA_OPT_BOOL = TSA_OPT_FLAG,
	TSA_OPT_STR,		/* const char ** (text as given) */
	TSA_OPT_PATH,		/* const char **: a file; from settings.ini resolved
				   against the file's directory; "" is none */
	TSA_OPT_PROGRAM,	/* const char **: a program to run; a bare name is
				   looked up in PATH, a path from settings.ini is
				   resolved against the file's directory */
	TSA_OPT_U64,		/* uint64_t *, within [min, max] */
	TSA_OPT_DOUBLE,		/* double *, finite, within [min, max] */
	TSA_OPT_DURATION,	/* uint64_t * of nanoseconds: 250ms, 60s, 5m, 1h,
				   2d, or plain seconds; within [min, max] seconds */
	TSA_OPT_CHOICE,		/* const char **: one of choices[] */
	TSA_OPT_CUSTOM,		/* parse(text, dest, why, n) decides */
	TSA_OPT_COUNT,		/* int *: each -v adds one (flags only) */
};

struct tsa_opt {
	const char *name;	/* long name: "window" for --window */
	char shrt;		/* short name, or 0 */
	enum tsa_opt_type type;
	const char *arg;	/* the argument's name in --help ("W"), NULL for flags */
	const char *section;	/* settings.ini section, or NULL: command line only */
	const char *key;	/* settings.ini key */
	const char *def;	/* the default, as settings.ini would say it ("" none) */
	double min, max;	/* numbers and durations (max 0: no upper bound) */
	const char *const *choices;	/* TSA_OPT_CHOICE: NULL-terminated */
	/* TSA_OPT_CUSTOM: false with the reason in why ("not a duration ...") */
	bool (*parse)(const char *text, void *dest, char *why, size_t n);
	size_t unit_bytes;	/* U64 counts of table entries: bytes each, so that
				   a value larger than memory is refused */
	void *dest;		/* where the value goes (see the types) */
	const char *help;	/* one sentence; \n for more lines */
};

/* The end of a table. */
#define TSA_OPT_END { NULL, 0, 0, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, 0, NULL, NULL }

struct tsa_tool {
	const char *synopsis;	/* after the name: "[OPTIONS] [FILE]"; \n between forms */
	const char *about;	/* what it does, a few lines */
	const char *notes;	/* after the options (may be NULL) */
	const struct tsa_opt *opts;
};

/*
 * Parse argv against the tool's table, load the settings (--settings FILE,
 * else the search of settings.h), and fill every dest: default, then
 * settings, then command line.  Handles --help, --version, --settings and
 * --list-options itself.  Returns the index of the first operand.  Errors
 * end the program: one line, exit 2.
 */
int tsa_opts_parse(const struct tsa_tool *tool, int argc, char **argv);

/* Was the option given on the command line (not only a default or setting)? */
bool tsa_opt_given(const struct tsa_tool *tool, const char *name);
/* Did settings.ini give it a value (not empty)?  A repeatable option whose
   parse adds to a list needs this to let the command line replace the file's. */
bool tsa_opt_in_settings(const struct tsa_tool *tool, const char *name);

/* (A usage error found after parsing, operands or combinations: tsa_usage.) */

#endif
