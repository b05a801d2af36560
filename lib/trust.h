/*
 * What a tool running as root may read, run or trust: files that no other
 * user can change.  Like git's safe.directory and OpenSSH's StrictModes, a
 * file another user owns or can write, or one reached through a directory
 * another user can write (where they could put a file of theirs in its
 * place), is refused, with the reason and how to override it.
 */
#ifndef TSA_TRUST_H
#define TSA_TRUST_H

#include <stdbool.h>
#include <stddef.h>

/* Paths trusted anyway, ':'-separated files or directories, or '*'. */
#define TSA_SAFE_PATHS_ENV "TSA_SAFE_PATHS"

/*
 * True when the effective user is not root (nothing is checked then), or
 * when path and everything it is reached through can be changed by root
 * alone: the file itself (owned by root, not writable by group or others),
 * every directory from / down to it (the same, or sticky like /tmp and the
 * next entry owned by root), and every symbolic link on the way followed
 * and checked the same way.  Also true when $TSA_SAFE_PATHS names path or
 * a directory above it.  Otherwise false, with one sentence in why saying
 * what another user could change and how to trust it anyway, for messages
 * such as tsa_die("%s: %s", path, why).  A path that does not exist is
 * trusted if only root could create it (the caller's open then says that
 * it is missing), not if it would be in a directory like /tmp.  A bare
 * command name is not looked up in $PATH: give the path that will be run.
 */
bool tsa_path_trusted(const char *path, char *why, size_t n);

/*
 * Open path as a tool's output file (created, or truncated), or die with
 * "prog: path: why".  As root, a file that does not exist yet is created
 * exclusively (no link followed), anywhere; an existing one that another
 * user could have replaced by a link or a file of theirs (tsa_path_trusted)
 * is refused: the records would overwrite whatever they chose (a planted
 * dns.tsa -> /etc/shadow).  A pipe or socket (>(cmd), /dev/fd/N) and
 * /dev/null hold nothing to overwrite and are opened as they are.
 */
int tsa_open_output(const char *path);

#endif
