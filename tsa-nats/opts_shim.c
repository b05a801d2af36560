/*
 * TEMPORARY: the few parts of lib/opts.h that tsa-nats uses, until the
 * library's implementation (lib/opts.c) lands on main.  Delete this file
 * then.  It follows the header's contract: default, then settings.ini,
 * then the command line; --help, --settings; one line and exit 2 for a
 * usage error.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opts.h"
#include "tsa.h"

static bool given[64];

static bool set_value(const struct tsa_opt *o, const char *text, bool settings,
    char *why, size_t n)
{
	uint64_t u;

	switch (o->type) {
	case TSA_OPT_FLAG:
		if (!text) {
			*(bool *)o->dest = true;
			return true;
		}
		if (!strcmp(text, "true") || !strcmp(text, "yes") ||
		    !strcmp(text, "on") || !strcmp(text, "1"))
			*(bool *)o->dest = true;
		else if (!strcmp(text, "false") || !strcmp(text, "no") ||
		    !strcmp(text, "off") || !strcmp(text, "0"))
			*(bool *)o->dest = false;
		else {
			snprintf(why, n, "not true or false: %s", text);
			return false;
		}
		return true;
	case TSA_OPT_PATH:
		if (settings && *text) {
			*(const char **)o->dest = tsa_setting_path(o->section,
			    o->key, "");
			return true;
		}
		/* fall through */
	case TSA_OPT_STR:
	case TSA_OPT_PROGRAM:
		*(const char **)o->dest = text;
		return true;
	case TSA_OPT_U64:
		if (!tsa_parse_u64(text, &u) || u < o->min ||
		    (o->max > 0 && u > o->max)) {
			snprintf(why, n, "not a number from %.0f%s%.0f: %s", o->min,
			    o->max > 0 ? " to " : " up", o->max > 0 ? o->max : 0,
			    text);
			return false;
		}
		*(uint64_t *)o->dest = u;
		return true;
	case TSA_OPT_DURATION:
		if (!tsa_parse_duration(text, &u) || u < o->min * 1e9 ||
		    (o->max > 0 && u > o->max * 1e9)) {
			snprintf(why, n, "not a duration (250ms, 60s, 5m, 1h, 2d): %s",
			    text);
			return false;
		}
		*(uint64_t *)o->dest = u;
		return true;
	case TSA_OPT_CHOICE:
		for (int i = 0; o->choices[i]; i++) {
			if (!strcmp(o->choices[i], text)) {
				*(const char **)o->dest = o->choices[i];
				return true;
			}
		}
		snprintf(why, n, "not one of the choices: %s", text);
		return false;
	case TSA_OPT_CUSTOM:
		return o->parse(text, o->dest, why, n);
	default:
		snprintf(why, n, "internal error: option type %d", o->type);
		return false;
	}
}

static void help(const struct tsa_tool *tool)
{
	const char *s = tool->synopsis, *nl;

	for (int first = 1; *s; first = 0) {
		nl = strchr(s, '\n');
		printf("%s %s %.*s\n", first ? "usage:" : "      ", tsa_prog,
		    (int)(nl ? nl - s : (long)strlen(s)), s);
		if (!nl)
			break;
		s = nl + 1;
	}
	printf("%s\n\n", tool->about);
	for (const struct tsa_opt *o = tool->opts; o->name; o++) {
		char left[64];

		snprintf(left, sizeof left, "%s%c%s--%s%s%s",
		    o->shrt ? "-" : "   ", o->shrt ? o->shrt : ' ',
		    o->shrt ? ", " : "", o->name, o->arg ? " " : "",
		    o->arg ? o->arg : "");
		printf("  %-24s %s", left, o->help);
		if (o->def && *o->def)
			printf(" (default %s)", o->def);
		putchar('\n');
	}
	printf("  %-24s %s\n", "    --settings FILE", "settings file (section [nats])");
	printf("  %-24s %s\n", "-h, --help", "this help");
	if (tool->notes)
		printf("\n%s\n", tool->notes);
	exit(0);
}

int tsa_opts_parse(const struct tsa_tool *tool, int argc, char **argv)
{
	struct option lo[70];
	char shorts[140] = ":h";
	const char *settings = NULL;
	const char *text[64] = { 0 };
	char why[300];
	int n = 0, c, idx;

	for (const struct tsa_opt *o = tool->opts; o->name; o++, n++) {
		lo[n] = (struct option){ o->name,
		    o->type == TSA_OPT_FLAG ? no_argument : required_argument,
		    NULL, 256 + n };
		if (o->shrt) {
			size_t l = strlen(shorts);
			shorts[l] = o->shrt;
			shorts[l + 1] = o->type == TSA_OPT_FLAG ? 0 : ':';
			shorts[l + 2] = 0;
		}
	}
	lo[n] = (struct option){ "settings", required_argument, NULL, 200 };
	lo[n + 1] = (struct option){ "help", no_argument, NULL, 'h' };
	lo[n + 2] = (struct option){ NULL, 0, NULL, 0 };
	opterr = 0;
	while ((c = getopt_long(argc, argv, shorts, lo, &idx)) != -1) {
		int i = -1;

		if (c == 'h')
			help(tool);
		if (c == 200) {
			settings = optarg;
			continue;
		}
		if (c == ':')
			tsa_usage("%s needs an argument", argv[optind - 1]);
		if (c == '?')
			tsa_usage("unknown option %s", argv[optind - 1]);
		if (c >= 256)
			i = c - 256;
		else
			for (int j = 0; j < n; j++)
				if (tool->opts[j].shrt == c)
					i = j;
		if (i < 0)
			tsa_usage("unknown option %s", argv[optind - 1]);
		given[i] = true;
		text[i] = tool->opts[i].type == TSA_OPT_FLAG ? "true" : optarg;
	}
	tsa_settings_load(settings);
	for (int i = 0; i < n; i++) {
		const struct tsa_opt *o = &tool->opts[i];
		const char *s = o->section ? tsa_setting(o->section, o->key) : NULL;

		if (o->def && *o->def && !set_value(o, o->def, false, why, sizeof why))
			tsa_die("internal error: --%s default: %s", o->name, why);
		if (s && !text[i] && *s && !set_value(o, s, true, why, sizeof why)) {
			tsa_warn("%s: [%s] %s: %s", tsa_settings_path(), o->section,
			    o->key, why);
			exit(2);
		}
		if (text[i] && !set_value(o, text[i], false, why, sizeof why))
			tsa_usage("--%s: %s", o->name, why);
	}
	return optind;
}

bool tsa_opt_given(const struct tsa_tool *tool, const char *name)
{
	int i = 0;

	for (const struct tsa_opt *o = tool->opts; o->name; o++, i++)
		if (!strcmp(o->name, name))
			return given[i];
	return false;
}

void tsa_usage_error(const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	tsa_usage("%s", line);
}
