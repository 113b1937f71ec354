/* privs: -Z USER. After setup, trapmon runs as USER keeping only
 * CAP_NET_ADMIN, which stopping the drop monitor and restoring trap actions
 * need. Done with libcap-ng.
 */
#ifndef TRAPMON_PRIVS_H
#define TRAPMON_PRIVS_H

#include <sys/types.h>

struct errmsg;

/* Resolve USER (name or number). Returns 0 or -1 with e set. */
int privs_lookup(const char *user, uid_t *uid, gid_t *gid, struct errmsg *e);

/* Become uid/gid with CAP_NET_ADMIN only. Returns 0 or -1 with e set. */
int privs_drop(uid_t uid, gid_t gid, struct errmsg *e);

#endif
