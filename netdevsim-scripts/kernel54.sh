#!/bin/bash
# kernel54.sh: print the path of the 5.4 lab kernel, a vanilla Linux 5.4.286
# bzImage with netdevsim, drop_monitor and psample built in (no modules).
# TRAPMON_LAB_KERNEL_IMAGE names one explicitly; otherwise the shared
# kernels folder beside the checkout is searched. The image is checked
# against its recorded sha256, so a stale or damaged copy is never booted.
set -euo pipefail
HERE=$(dirname "$(readlink -f "$0")")
TOP=$(dirname "$HERE")
NAME=bzImage-5.4.286
SHA256=a2e2d78d667aa0eb70c09b398c64275dd2d76b3ad8eef65604232d8abfb3b37b

if [ -n "${TRAPMON_LAB_KERNEL_IMAGE:-}" ]; then
	candidates=("$TRAPMON_LAB_KERNEL_IMAGE")
else
	candidates=("$TOP/../shared/kernels/$NAME" "$TOP/../../shared/kernels/$NAME"
		    "/work/shared/kernels/$NAME")
fi
for k in "${candidates[@]}"; do
	[ -f "$k" ] || continue
	if [ -z "${TRAPMON_LAB_KERNEL_IMAGE:-}" ] &&
	   [ "$(sha256sum "$k" | cut -d' ' -f1)" != "$SHA256" ]; then
		echo "kernel54.sh: $k does not match the recorded sha256 of $NAME" >&2
		exit 1
	fi
	readlink -f "$k"
	exit 0
done
echo "kernel54.sh: no $NAME found (looked in ${candidates[*]}): set TRAPMON_LAB_KERNEL_IMAGE" >&2
exit 1
