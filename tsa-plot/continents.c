/*
 * Which continent a country is on, as geolocation databases say it
 * (MaxMind's and DB-IP's continent codes, from GeoNames): Russia in
 * Europe, Turkey and the Caucasus in Asia, Mexico, Central America and
 * the Caribbean in North America.  The region maps colour only their own
 * continent's countries and count only their traffic.
 */
#include <string.h>

#include "plot.h"

static const struct {
	const char *code, *countries;
} continents[] = {
	{ "AF", "AO BF BI BJ BW CD CF CG CI CM CV DJ DZ EG EH ER ET GA GH GM GN "
	    "GQ GW KE KM LR LS LY MA MG ML MR MU MW MZ NA NE NG RE RW SC SD SH "
	    "SL SN SO SS ST SZ TD TG TN TZ UG YT ZA ZM ZW" },
	{ "AS", "AE AF AM AZ BD BH BN BT CC CN CX GE HK ID IL IN IO IQ IR JO JP "
	    "KG KH KP KR KW KZ LA LB LK MM MN MO MV MY NP OM PH PK PS QA SA SG "
	    "SY TH TJ TM TR TW UZ VN YE" },
	{ "EU", "AD AL AT AX BA BE BG BY CH CY CZ DE DK EE ES FI FO FR GB GG GI "
	    "GR HR HU IE IM IS IT JE LI LT LU LV MC MD ME MK MT NL NO PL PT RO "
	    "RS RU SE SI SJ SK SM UA VA XK" },
	{ "NA", "AG AI AW BB BL BM BQ BS BZ CA CR CU CW DM DO GD GL GP GT HN HT "
	    "JM KN KY LC MF MQ MS MX NI PA PM PR SV SX TC TT US VC VG VI" },
	{ "OC", "AS AU CK FJ FM GU KI MH MP NC NF NR NU NZ PF PG PN PW SB TK TL "
	    "TO TV UM VU WF WS" },
	{ "SA", "AR BO BR CL CO EC FK GF GY PE PY SR UY VE" },
	{ "AN", "AQ BV GS HM TF" },
};

const char *continent_of(const char *code)
{
	if (strlen(code) != 2)
		return NULL;
	for (size_t i = 0; i < sizeof continents / sizeof continents[0]; i++)
		for (const char *p = continents[i].countries; *p; p += p[2] ?
		    3 : 2)
			if (p[0] == code[0] && p[1] == code[1])
				return continents[i].code;
	return NULL;
}
