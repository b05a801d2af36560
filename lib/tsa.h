/* Everything a TSA tool includes. */
#ifndef TSA_H
#define TSA_H

#include "addr.h"
#include "hash.h"
#include "hostfacts.h"
#include "mp.h"
#include "opts.h"
#include "settings.h"
#include "stream.h"
#include "snapshot.h"
#include "trust.h"
#include "util.h"

#endif
