/*
 * After the capture is open, tsa-capture needs no privilege at all: it
 * gives up root and every capability, however it was started.
 */
#ifndef TSA_CAPTURE_PRIVILEGES_H
#define TSA_CAPTURE_PRIVILEGES_H

/*
 * As root: switch to user and its groups; user NULL, empty or "root" keeps
 * uid 0 and says so on stderr (one line, unless quiet).  In every case, whether started
 * as root or with capabilities of its own (ambient CAP_NET_RAW, file
 * capabilities), end with empty effective, permitted, inheritable and
 * ambient sets, an empty bounding set where that is allowed, and
 * no_new_privs.  Dies if that cannot be done.
 */
void privileges_drop(const char *user, int quiet);

#endif
