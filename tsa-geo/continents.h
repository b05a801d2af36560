/*
 * Countries to continents, for databases that give countries only.
 */
#ifndef TSA_GEO_CONTINENTS_H
#define TSA_GEO_CONTINENTS_H

#include <stddef.h>

/* "EU" for "DE"; NULL for a code not in the table.  cc: two letters. */
const char *geo_continent(const char *cc);

#endif
