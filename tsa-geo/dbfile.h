/*
 * Reading a database file into memory that no one else can change.
 */
#ifndef TSA_GEO_DBFILE_H
#define TSA_GEO_DBFILE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Copy the regular file path into a sealed memfd (neither its size nor
 * its bytes can change) and return its descriptor, for libmaxminddb to
 * map through /proc/self/fd.  A file that changes while it is read (its
 * size, modification or change time differ before and after, or fewer
 * bytes came than it holds) is read again after a pause, a few times.
 * -1 with a one-line message in err ("path: what is wrong") on failure.
 */
int geo_file_copy(const char *path, char *err, size_t errlen);

#endif
