/*
 * Giving up privileges once the capture is open, with the system calls
 * themselves (prctl, capset): libcap is not needed for "none at all".
 *
 * Switching from root to another user clears the effective, permitted and
 * ambient sets, but not the inheritable set, and a process started as an
 * ordinary user with ambient CAP_NET_RAW keeps it for its whole run: so
 * every set is emptied explicitly, whoever we are.  The bounding set can
 * only be emptied while CAP_SETPCAP is held (as root, before switching
 * user); emptied, not even uid 0 regains a capability through execve.
 */
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "privileges.h"
#include "util.h"

/* The three sets as capget/capset see them (two 32-bit words each). */
static int caps_get(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };

	return (int)syscall(SYS_capget, &h, d);
}

static int have_cap(int cap)
{
	struct __user_cap_data_struct d[2];

	return caps_get(d) == 0 && (d[cap / 32].effective >> (cap % 32) & 1);
}

/* Empty the bounding set, if allowed; a kernel knows caps 0 to the first
   one PR_CAPBSET_READ refuses. */
static void drop_bounding(void)
{
	int c;

	if (!have_cap(CAP_SETPCAP))
		return;
	for (c = 0; prctl(PR_CAPBSET_READ, c, 0, 0, 0) >= 0; c++)
		if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0)
			tsa_die("cannot drop capability %d from the bounding set: %s",
			    c, strerror(errno));
}

/* Empty the ambient, effective, permitted and inheritable sets, and make
   sure they are empty. */
static void drop_all(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	int c;

	/* EINVAL: a kernel older than 4.3, which has no ambient set. */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 &&
	    errno != EINVAL)
		tsa_die("cannot clear the ambient capabilities: %s", strerror(errno));
	memset(d, 0, sizeof d);
	if (syscall(SYS_capset, &h, d) < 0)
		tsa_die("cannot drop capabilities: %s", strerror(errno));
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		tsa_die("cannot set no_new_privs: %s", strerror(errno));
	/* Check, rather than trust, the result. */
	if (caps_get(d) < 0 || d[0].effective || d[0].permitted ||
	    d[0].inheritable || d[1].effective || d[1].permitted ||
	    d[1].inheritable)
		tsa_die("cannot drop capabilities: some are still held");
	for (c = 0; prctl(PR_CAPBSET_READ, c, 0, 0, 0) >= 0; c++)
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, c, 0, 0) > 0)
			tsa_die("cannot drop capabilities: ambient %d is still set", c);
}

void privileges_drop(const char *user, int quiet)
{
	struct passwd *pw;

	drop_bounding();
	if (geteuid() == 0 && (user == NULL || *user == '\0' ||
	    strcmp(user, "root") == 0)) {
		if (!quiet)
			tsa_warn("staying root as asked (user \"%s\"), but with no "
			    "capabilities", user ? user : "");
	} else if (geteuid() == 0) {
		errno = 0;
		if ((pw = getpwnam(user)) == NULL)
			tsa_die("user %s: %s", user,
			    errno ? strerror(errno) : "no such user");
		if (initgroups(pw->pw_name, pw->pw_gid) < 0 ||
		    setgid(pw->pw_gid) < 0 || setuid(pw->pw_uid) < 0)
			tsa_die("cannot switch to user %s: %s", user,
			    strerror(errno));
		/* Make sure there is no way back. */
		if (pw->pw_uid != 0 && setuid(0) == 0)
			tsa_die("cannot drop root privileges");
	}
	drop_all();
}
