/*
 * Option tables (opts.h): parsing, settings fallback, validation, --help
 * and --list-options, all from a tool's one table.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "opts.h"
#include "settings.h"
#include "util.h"

#ifndef TSA_VERSION
#define TSA_VERSION "unknown"
#endif

#define MAX_OPTS 64

/* Options every tool has, after its own (their ids are past the table's). */
enum { B_HELP, B_VERSION, B_SETTINGS, B_LIST, B_VALUES, NBUILTIN };
static const struct { const char *name; char shrt; const char *arg, *help; } builtin[] = {
	{ "help", 'h', NULL, "this help, then exit" },
	{ "version", 0, NULL, "the version, then exit" },
	{ "settings", 0, "FILE", "the settings file (default: $TSA_SETTINGS,\n"
	    "./settings.ini, the installed one)" },
	{ "list-options", 0, NULL, "the option table, tab-separated" },
	{ "values", 0, NULL, "each option's value from the defaults, settings\n"
	    "and command line (paths resolved), tab-separated" },
};

/* Sections of settings.ini that some tool reads (for "unknown section"). */
static const char *const known_sections[] = {
	"app", "capture", "geoip", "p0f", "filter", "print", "aggregate", "security",
	"plot", "gen", "nats", NULL,
};

static const struct tsa_tool *parsed;	/* the table tsa_opt_given asks about */
static bool given[MAX_OPTS];
static bool set_in_settings[MAX_OPTS];

static size_t count(const struct tsa_opt *o)
{
	size_t n = 0;

	while (o[n].name)
		n++;
	if (n > MAX_OPTS)
		tsa_die("internal error: more than %d options", MAX_OPTS);
	return n;
}

static long long phys_bytes(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);

	return pages > 0 && size > 0 ? (long long)pages * size : LLONG_MAX;
}

/* Strings made here live as long as the process, reachable from here. */
static char *kept[MAX_OPTS];
static size_t nkept;

static const char *keep(char *p)
{
	if (nkept < MAX_OPTS)
		kept[nkept++] = p;
	return p;
}

/* The range as words for a message. */
static void range_words(const struct tsa_opt *o, char *buf, size_t n)
{
	if (o->max > 0)
		snprintf(buf, n, "from %.15g to %.15g", o->min, o->max);
	else
		snprintf(buf, n, "at least %.15g", o->min);
}

/*
 * Check and convert text for option o into dest; false with the reason.
 * from_settings: a path is resolved against the settings file.
 */
static bool convert(const struct tsa_opt *o, const char *text, bool from_settings,
    char *why, size_t n)
{
	char r[96];
	uint64_t u;
	double d;
	int b;

	switch (o->type) {
	case TSA_OPT_FLAG:
		if ((b = tsa_parse_bool(text)) < 0) {
			snprintf(why, n, "is not true or false");
			return false;
		}
		*(bool *)o->dest = b;
		return true;
	case TSA_OPT_COUNT:
		return true;
	case TSA_OPT_STR:
	case TSA_OPT_PROGRAM:
		/* A name is looked up in PATH; a path in settings.ini is
		   relative to the file, as every path in it. */
		*(const char **)o->dest = from_settings && strchr(text, '/') ?
		    keep(tsa_settings_resolve(text)) : text;
		return true;
	case TSA_OPT_PATH:
		*(const char **)o->dest = from_settings && *text ?
		    keep(tsa_settings_resolve(text)) : text;
		return true;
	case TSA_OPT_CHOICE:
		for (const char *const *c = o->choices; *c; c++) {
			if (strcasecmp(text, *c) == 0) {
				*(const char **)o->dest = *c;
				return true;
			}
		}
		snprintf(why, n, "is not one of:");
		for (const char *const *c = o->choices; *c; c++)
			snprintf(why + strlen(why), n - strlen(why), " %s", *c);
		return false;
	case TSA_OPT_CUSTOM:
		return o->parse(text, o->dest, why, n);
	case TSA_OPT_U64:
		if (!tsa_parse_u64(text, &u)) {
			snprintf(why, n, "is not a whole number");
			return false;
		}
		if ((double)u < o->min || (o->max > 0 && (double)u > o->max)) {
			range_words(o, r, sizeof r);
			snprintf(why, n, "is out of range (%s)", r);
			return false;
		}
		if (o->unit_bytes && (long double)u * o->unit_bytes > phys_bytes()) {
			snprintf(why, n, "needs %.1f GiB, more than this machine's "
			    "%.1f GiB of memory", (double)u * (double)o->unit_bytes / (1 << 30),
			    (double)phys_bytes() / (1 << 30));
			return false;
		}
		*(uint64_t *)o->dest = u;
		return true;
	case TSA_OPT_DOUBLE:
		if (!tsa_parse_double(text, &d)) {
			snprintf(why, n, "is not a number");
			return false;
		}
		if (d < o->min || (o->max > 0 && d > o->max)) {
			range_words(o, r, sizeof r);
			snprintf(why, n, "is out of range (%s)", r);
			return false;
		}
		*(double *)o->dest = d;
		return true;
	case TSA_OPT_DURATION:
		if (!tsa_parse_duration(text, &u)) {
			snprintf(why, n, "is not a duration (250ms, 60s, 5m, 1h, 2d)");
			return false;
		}
		if ((double)u < o->min * 1e9 || (o->max > 0 && (double)u > o->max * 1e9)) {
			range_words(o, r, sizeof r);
			snprintf(why, n, "is out of range (%s seconds)", r);
			return false;
		}
		*(uint64_t *)o->dest = u;
		return true;
	}
	snprintf(why, n, "cannot be read");
	return false;
}

static bool owns_section(const struct tsa_opt *opts, const char *section)
{
	for (const struct tsa_opt *o = opts; o->name; o++)
		if (o->section && strcasecmp(o->section, section) == 0)
			return true;
	return false;
}

/*
 * Keys of the tool's own sections that no option reads, and sections no
 * tool reads: a misspelling would otherwise be ignored without a word.
 */
static void warn_unknown(const struct tsa_opt *opts)
{
	size_t n;
	const struct tsa_setting_entry *e = tsa_settings_all(&n);

	for (size_t i = 0; i < n; i++) {
		const char *best = NULL;
		size_t bd = 4;
		bool known = false;

		if (owns_section(opts, e[i].section)) {
			for (const struct tsa_opt *o = opts; o->name; o++) {
				size_t d;
				if (!o->section || strcasecmp(o->section, e[i].section))
					continue;
				if ((d = tsa_edit_distance(o->key, e[i].key)) == 0)
					known = true;
				else if (d < bd) {
					bd = d;
					best = o->key;
				}
			}
			if (known)
				continue;
			tsa_warn("%s:%u: unknown key [%s] %s%s%s%s", tsa_settings_path(),
			    e[i].line, e[i].section, e[i].key,
			    best ? " (did you mean " : "", best ? best : "",
			    best ? "?)" : "");
			continue;
		}
		for (const char *const *s = known_sections; *s; s++)
			if (strcasecmp(*s, e[i].section) == 0)
				known = true;
		/* Said once per section, at its first key. */
		for (size_t j = 0; j < i && !known; j++)
			if (strcasecmp(e[j].section, e[i].section) == 0)
				known = true;
		if (!known)
			tsa_warn("%s:%u: unknown section [%s]", tsa_settings_path(),
			    e[i].line, e[i].section);
	}
}

/* The default as --help shows it. */
static void show_default(const struct tsa_opt *o, char *buf, size_t n)
{
	buf[0] = '\0';
	if (o->section)
		snprintf(buf, n, "[%s] %s", o->section, o->key);
	if (o->def && *o->def)
		snprintf(buf + strlen(buf), n - strlen(buf), "%sdefault %s",
		    *buf ? ", " : "", o->def);
}

/* One option's help: the names in a column, the text beside and below. */
static void help_line(char shrt, const char *name, const char *arg,
    const char *help, const char *dflt)
{
	char left[64];
	const char *p = help;

	snprintf(left, sizeof left, "  %s%c%s--%s%s%s", shrt ? "-" : " ",
	    shrt ? shrt : ' ', shrt ? ", " : "  ", name, arg ? " " : "",
	    arg ? arg : "");
	printf("%-28s", left);
	if (strlen(left) >= 28)
		printf("\n%28s", "");
	for (;;) {
		const char *nl = strchr(p, '\n');
		int len = nl ? (int)(nl - p) : (int)strlen(p);
		printf("%.*s\n", len, p);
		if (!nl)
			break;
		p = nl + 1;
		printf("%28s", "");
	}
	if (dflt && *dflt)
		printf("%28s(%s)\n", "", dflt);
}

static void print_help(const struct tsa_tool *t)
{
	const char *s = t->synopsis;
	char d[200];

	printf("Usage: ");
	for (;;) {
		const char *nl = strchr(s, '\n');
		printf("%s %.*s\n", tsa_prog, nl ? (int)(nl - s) : (int)strlen(s), s);
		if (!nl)
			break;
		s = nl + 1;
		printf("       ");
	}
	printf("%s\n\nOptions:\n", t->about);
	for (const struct tsa_opt *o = t->opts; o->name; o++) {
		show_default(o, d, sizeof d);
		help_line(o->shrt, o->name, o->arg, o->help, d);
	}
	for (int i = 0; i < NBUILTIN; i++)
		help_line(builtin[i].shrt, builtin[i].name, builtin[i].arg,
		    builtin[i].help, NULL);
	if (t->notes)
		printf("\n%s\n", t->notes);
	printf("\nSettings: tsa-settings(5); more: man %s.\n", tsa_prog);
}

static const char *type_name(enum tsa_opt_type t)
{
	static const char *const names[] = {
		[TSA_OPT_FLAG] = "flag", [TSA_OPT_STR] = "text",
		[TSA_OPT_PATH] = "path", [TSA_OPT_PROGRAM] = "program",
		[TSA_OPT_U64] = "count", [TSA_OPT_DOUBLE] = "number",
		[TSA_OPT_DURATION] = "duration", [TSA_OPT_CHOICE] = "choice",
		[TSA_OPT_CUSTOM] = "custom", [TSA_OPT_COUNT] = "repeat",
	};
	return names[t];
}

/* name, short, type, section, key, default, min, max: for the docs tests. */
static void list_options(const struct tsa_tool *t)
{
	for (const struct tsa_opt *o = t->opts; o->name; o++)
		printf("%s\t%c\t%s\t%s\t%s\t%s\t%.15g\t%.15g\n", o->name,
		    o->shrt ? o->shrt : '-', type_name(o->type),
		    o->section ? o->section : "-", o->key ? o->key : "-",
		    o->def ? o->def : "", o->min, o->max);
	for (int i = 0; i < NBUILTIN; i++)
		printf("%s\t%c\tbuiltin\t-\t-\t\t0\t0\n", builtin[i].name,
		    builtin[i].shrt ? builtin[i].shrt : '-');
}

/*
 * --values: name and value of each option as parsing left it, for scripts
 * (scripts/demo) that must act as the tool would without reading
 * settings.ini a second way.  text[i] is what last set option i.
 */
static void print_values(const struct tsa_tool *t, const char *const *text)
{
	for (size_t i = 0; t->opts[i].name; i++) {
		const struct tsa_opt *o = &t->opts[i];
		const char *v = text[i] ? text[i] : "";

		if (o->type == TSA_OPT_FLAG)
			v = *(bool *)o->dest ? "true" : "false";
		else if (o->type == TSA_OPT_PATH || o->type == TSA_OPT_PROGRAM ||
		    o->type == TSA_OPT_CHOICE)
			v = *(const char **)o->dest ? *(const char **)o->dest : "";
		if (o->type == TSA_OPT_COUNT)
			printf("%s\t%d\n", o->name, *(int *)o->dest);
		else
			printf("%s\t%s\n", o->name, v);
	}
}

/* The option name as the user wrote it, for messages. */
static void spelled(const struct tsa_opt *o, bool as_short, char *buf, size_t n)
{
	if (as_short)
		snprintf(buf, n, "-%c", o->shrt);
	else
		snprintf(buf, n, "--%s", o->name);
}

int tsa_opts_parse(const struct tsa_tool *tool, int argc, char **argv)
{
	const struct tsa_opt *opts = tool->opts;
	size_t n = count(opts);
	struct option lo[MAX_OPTS + NBUILTIN + 1];
	char so[3 * (MAX_OPTS + NBUILTIN) + 3], why[400], name[80];
	const char *settings = NULL;
	size_t k = 0, s = 0;
	int c, idx;
	/* Static so that an exit from here (--help, a usage error) leaves it
	   reachable rather than a leak in a sanitizer's eyes. */
	static struct { int opt; bool as_short; const char *arg; } *seen;
	size_t nseen = 0;
	const char *text[MAX_OPTS] = { 0 };
	bool values = false;

	parsed = tool;
	memset(given, 0, sizeof given);
	memset(set_in_settings, 0, sizeof set_in_settings);
	/* Options and operands in any order, as GNU tools take them ("--"
	   ends the options); ":" first: missing arguments reported here. */
	so[s++] = ':';
	for (size_t i = 0; i < n; i++) {
		bool arg = opts[i].type != TSA_OPT_FLAG && opts[i].type != TSA_OPT_COUNT;
		lo[k++] = (struct option){ opts[i].name,
		    arg ? required_argument : no_argument, NULL, 256 + (int)i };
		if (opts[i].shrt) {
			so[s++] = opts[i].shrt;
			if (arg)
				so[s++] = ':';
		}
	}
	for (int i = 0; i < NBUILTIN; i++) {
		lo[k++] = (struct option){ builtin[i].name,
		    builtin[i].arg ? required_argument : no_argument, NULL, 1000 + i };
		if (builtin[i].shrt)
			so[s++] = builtin[i].shrt;
	}
	lo[k] = (struct option){ NULL, 0, NULL, 0 };
	so[s] = '\0';

	seen = tsa_calloc((size_t)argc + 1, sizeof *seen);
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, so, lo, &idx)) != -1) {
		int id = -1;
		bool as_short = false;

		if (c == '?') {
			if (optopt)
				tsa_usage("unknown option -%c", optopt);
			tsa_usage("unknown option %s", argv[optind - 1]);
		}
		if (c == ':') {
			const char *o = argv[optind - 1];
			if (optopt && o[0] == '-' && o[1] != '-')
				tsa_usage("-%c needs an argument", optopt);
			tsa_usage("%s needs an argument", o);
		}
		if (c >= 256 && c < 1000) {
			id = c - 256;
		} else if (c >= 1000) {
			id = (int)n + (c - 1000);
		} else {
			as_short = true;
			for (size_t i = 0; i < n; i++)
				if (opts[i].shrt == c)
					id = (int)i;
			for (int i = 0; i < NBUILTIN && id < 0; i++)
				if (builtin[i].shrt == c)
					id = (int)n + i;
		}
		if (id == (int)n + B_HELP) {
			print_help(tool);
			exit(0);
		}
		if (id == (int)n + B_VERSION) {
			printf("%s (TSA) %s\n", tsa_prog, TSA_VERSION);
			exit(0);
		}
		if (id == (int)n + B_LIST) {
			list_options(tool);
			exit(0);
		}
		if (id == (int)n + B_SETTINGS) {
			settings = optarg;
			continue;
		}
		if (id == (int)n + B_VALUES) {
			values = true;
			continue;
		}
		seen[nseen].opt = id;
		seen[nseen].as_short = as_short;
		seen[nseen].arg = optarg;
		nseen++;
	}
	tsa_settings_load(settings && strcmp(settings, "-") ? settings : NULL);

	/* Defaults, then settings, then the command line, in its order. */
	for (size_t i = 0; i < n; i++) {
		const struct tsa_opt *o = &opts[i];
		struct tsa_setting_entry *e;

		if (o->type == TSA_OPT_COUNT) {
			*(int *)o->dest = 0;
			continue;
		}
		if (o->def && !convert(o, o->def, false, why, sizeof why))
			tsa_die("internal error: --%s: default \"%s\" %s", o->name,
			    o->def, why);
		text[i] = o->def;
		if (!o->def && o->type == TSA_OPT_FLAG)
			*(bool *)o->dest = false;
		if (!o->section || !(e = tsa_setting_entry(o->section, o->key)))
			continue;
		e->used = true;
		/* An empty value means the default, as in the original app. */
		if (!*e->value && o->type != TSA_OPT_STR && o->type != TSA_OPT_PATH)
			continue;
		if (!convert(o, e->value, true, why, sizeof why)) {
			fprintf(stderr, "%s: %s:%u: [%s] %s: \"%s\" %s\n", tsa_prog,
			    tsa_settings_path(), e->line, e->section, e->key,
			    e->value, why);
			exit(2);
		}
		text[i] = e->value;
		set_in_settings[i] = true;
	}
	warn_unknown(opts);
	for (size_t i = 0; i < nseen; i++) {
		const struct tsa_opt *o = &opts[seen[i].opt];

		given[seen[i].opt] = true;
		if (o->type == TSA_OPT_COUNT) {
			(*(int *)o->dest)++;
			continue;
		}
		if (o->type == TSA_OPT_FLAG) {
			*(bool *)o->dest = true;
			continue;
		}
		if (!convert(o, seen[i].arg, false, why, sizeof why)) {
			spelled(o, seen[i].as_short, name, sizeof name);
			tsa_usage("%s: \"%s\" %s", name, seen[i].arg, why);
		}
		text[seen[i].opt] = seen[i].arg;
	}
	free(seen);
	seen = NULL;
	if (values) {
		print_values(tool, text);
		exit(0);
	}
	return optind;
}

/* The flag of the option called name, or NULL: one of the arrays above. */
static const bool *flag_of(const struct tsa_tool *tool, const char *name,
    const bool *flags)
{
	if (tool != parsed)
		return NULL;
	for (size_t i = 0; tool->opts[i].name; i++)
		if (strcmp(tool->opts[i].name, name) == 0)
			return &flags[i];
	return NULL;
}

bool tsa_opt_given(const struct tsa_tool *tool, const char *name)
{
	const bool *f = flag_of(tool, name, given);

	return f && *f;
}

bool tsa_opt_in_settings(const struct tsa_tool *tool, const char *name)
{
	const bool *f = flag_of(tool, name, set_in_settings);

	return f && *f;
}
