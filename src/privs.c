/* privs: -Z USER, through libcap-ng. */
#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include <cap-ng.h>

#include "errmsg.h"
#include "privs.h"

int privs_lookup(const char *user, uid_t *uid, gid_t *gid, struct errmsg *e)
{
	struct passwd *pw;
	char *end;
	long n;

	errno = 0;
	pw = getpwnam(user);
	if (!pw) {
		n = strtol(user, &end, 10);
		if (*user && !*end && n >= 0)
			pw = getpwuid((uid_t)n);
	}
	if (!pw) {
		errmsg_set(e, ENOENT, "-Z: no user '%s' on this system: give an existing user, "
			   "e.g. -Z nobody", user);
		return -1;
	}
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	return 0;
}

int privs_drop(uid_t uid, gid_t gid, struct errmsg *e)
{
	int ret;

	capng_clear(CAPNG_SELECT_BOTH);
	/* STOP, CONFIG and trap sets at exit still need CAP_NET_ADMIN. */
	if (capng_update(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED, CAP_NET_ADMIN) < 0) {
		errmsg_set(e, EPERM, "-Z: cannot keep CAP_NET_ADMIN");
		return -1;
	}
	ret = capng_change_id((int)uid, (int)gid, CAPNG_DROP_SUPP_GRP | CAPNG_CLEAR_BOUNDING);
	if (ret < 0) {
		errmsg_set(e, EPERM, "-Z: cannot switch to uid %u (libcap-ng error %d): run "
			   "trapmon as root to use -Z", (unsigned int)uid, ret);
		return -1;
	}
	if (capng_have_capability(CAPNG_EFFECTIVE, CAP_SYS_ADMIN) ||
	    !capng_have_capability(CAPNG_EFFECTIVE, CAP_NET_ADMIN)) {
		errmsg_set(e, EPERM, "-Z: capabilities are not as expected after the switch");
		return -1;
	}
	return 0;
}
