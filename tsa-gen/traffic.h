/*
 * The traffic mix: a spawner starts activities as a Poisson process whose
 * rate makes the capture average the requested packets per second, and
 * the attack bursts are placed across the capture's span.
 */
#ifndef GEN_TRAFFIC_H
#define GEN_TRAFFIC_H

#include <stdint.h>

#include "gen.h"

struct act;

/* Schedule the spawner and the attacks (attack_pct of all packets). */
void traffic_start(struct gen *g, double attack_pct);
/* Run one step of an activity: 0 when it is over, else *next is set. */
int act_step(struct gen *g, struct act *a, uint64_t *next);

#endif
