#!/bin/bash
# The systemd lab's root filesystem: a small Debian bookworm made by
# mmdebstrap with systemd as /sbin/init, the libraries the trapmon package
# depends on (so `dpkg -i` needs no network in the guest) and the tools the
# scenario runs, packed as an initramfs archive the lab kernel unpacks and
# runs systemd from. Cached like the netdevsim build, in
# $TRAPMON_LAB_CACHE (/var/cache/trapmon-lab), keyed on this file's
# contents: a changed package list builds a new one. Prints the archive's
# path. Debian's mirror comes from the host's apt sources.
set -euo pipefail
CACHE_ROOT=${TRAPMON_LAB_CACHE:-/var/cache/trapmon-lab}
export DEBIAN_FRONTEND=noninteractive
die() { echo "systemd-rootfs: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "must run as root (mmdebstrap, apt-get): sudo $0"

# systemd as PID 1; trapmon's shared libraries (its ${shlibs:Depends});
# devlink and ip; kmod's insmod for the lab modules; busybox for wget.
PACKAGES="systemd systemd-sysv dbus iproute2 kmod busybox procps
	libmnl0 libnl-3-200 libnl-genl-3-200 libpcap0.8 libmicrohttpd12 libcap-ng0 libsystemd0
	libyaml-0-2 libgnutls30 libcrypt1"
KEY=$(md5sum < "$(readlink -f "$0")" | cut -c1-8)
CACHE="$CACHE_ROOT/systemd-rootfs-$KEY"
if [ -f "$CACHE/.complete" ]; then
	echo "$CACHE/rootfs.cpio.gz"
	exit 0
fi
command -v mmdebstrap > /dev/null || apt-get install -y -q mmdebstrap > /dev/null
rm -rf "$CACHE"
mkdir -p "$CACHE"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
t0=$(date +%s)
sources=()
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
	[ -s "$f" ] && sources+=("$f")
done
[ ${#sources[@]} -gt 0 ] || sources=(http://deb.debian.org/debian)
# The host's snapshot mirror may serve Release files past their Valid-Until.
mmdebstrap --variant=minbase --include="$(echo $PACKAGES | tr ' ' ,)" \
	--aptopt='Acquire::Check-Valid-Until "false"' \
	--dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
	--dpkgopt='path-exclude=/usr/share/locale/*' \
	bookworm "$WORK/rootfs.tar" "${sources[@]}" > "$WORK/mmdebstrap.log" 2>&1 ||
	{ tail -n 30 "$WORK/mmdebstrap.log"; die "mmdebstrap failed"; }
mkdir "$WORK/root"
tar -xf "$WORK/rootfs.tar" -C "$WORK/root"
R=$WORK/root
# A root login on the console would wait for a password: no getty.
rm -f "$R/etc/systemd/system/getty.target.wants/"*
echo trapmon-lab > "$R/etc/hostname"
# The kernel runs /init from an initramfs.
ln -sf /lib/systemd/systemd "$R/init"
(cd "$R" && find . | cpio -o -H newc --quiet | gzip -1) > "$CACHE/rootfs.cpio.gz"
echo "$(( $(date +%s) - t0 ))" > "$CACHE/prepare-seconds"
touch "$CACHE/.complete"
echo "$CACHE/rootfs.cpio.gz"
