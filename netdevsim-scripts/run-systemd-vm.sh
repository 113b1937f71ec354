#!/bin/bash
# run-systemd-vm.sh -d DEB [-o OUTDIR] SCENARIO
# The systemd lab: boot Debian's 6.1 lab kernel with a Debian root
# filesystem (systemd-rootfs.sh, mmdebstrap) as its initramfs and systemd as
# PID 1, the lab's modules (netdevsim, drop_monitor, ...) loaded, the
# trapmon package DEB at /lab/trapmon.deb. A unit runs SCENARIO's guest()
# in bash (nsim.sh sourced, $OUT its output directory, `systemctl` and
# `journalctl` at hand), the output comes back through a virtio disk, and
# host() judges it on the host. Prints "PASS name" or "FAIL name".
# The busybox lab (run-vm.sh) stays for everything else: this one is only
# for what needs real systemd.
set -euo pipefail
HERE=$(dirname "$(readlink -f "$0")")
OUTDIR= DEB=
usage() { echo "usage: $0 -d DEB [-o OUTDIR] SCENARIO" >&2; exit 64; }
while getopts "d:o:" opt; do
	case $opt in
	d) DEB=$OPTARG ;;
	o) OUTDIR=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] && [ -f "$1" ] && [ -f "$DEB" ] || usage
SCENARIO=$(readlink -f "$1")
name=$(basename "$SCENARIO" .sh)
OUTDIR=${OUTDIR:-$(mktemp -d /tmp/trapmon-systemd-lab.XXXXXX)}
mkdir -p "$OUTDIR"
OUTDIR=$(readlink -f "$OUTDIR")

CACHE=$("$HERE/prepare.sh" | tail -n1)
ROOTFS=$("$HERE/systemd-rootfs.sh" | tail -n1)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# The overlay: the package, the lab's modules, the scenario and its runner.
R=$WORK/overlay
mkdir -p "$R/lab/modules" "$R/etc/systemd/system/multi-user.target.wants"
cp "$DEB" "$R/lab/trapmon.deb"
cp "$CACHE"/modules/*.ko "$CACHE/modules/order" "$R/lab/modules/"
cp "$HERE/nsim.sh" "$R/lab/nsim.sh"
cp "$SCENARIO" "$R/lab/scenario.sh"
cat > "$R/lab/run.sh" <<RUN
#!/bin/bash
# Modules first, dependencies first (no modules.dep: insmod in order).
for m in \$(cat /lab/modules/order); do insmod /lab/modules/\$m.ko 2>/dev/null; done
mkdir -p /out/$name
cd /out/$name
OUT=/out/$name timeout \${LAB_TIMEOUT:-600} bash -c '. /lab/nsim.sh; . /lab/scenario.sh; guest' > log 2>&1
echo \$? > rc
journalctl -b --no-pager > /out/boot-journal.txt 2>&1
tar cf /dev/vda -C /out .
sync
echo o > /proc/sysrq-trigger
RUN
chmod +x "$R/lab/run.sh"
cat > "$R/etc/systemd/system/lab.service" <<'UNIT'
[Unit]
Description=trapmon systemd lab scenario
After=basic.target
[Service]
Type=oneshot
ExecStart=/lab/run.sh
StandardOutput=journal+console
StandardError=journal+console
UNIT
ln -s ../lab.service "$R/etc/systemd/system/multi-user.target.wants/lab.service"
(cd "$R" && find . | cpio -o -H newc --quiet | gzip -1) > "$WORK/overlay.cpio.gz"
cat "$ROOTFS" "$WORK/overlay.cpio.gz" > "$WORK/initrd.gz"

truncate -s 64M "$WORK/out.img"
t0=$(date +%s)
timeout "${LAB_VM_TIMEOUT:-900}" qemu-system-x86_64 -m 2048 -smp 2 -nographic -no-reboot \
	-kernel "$CACHE/vmlinuz" -initrd "$WORK/initrd.gz" \
	-drive file="$WORK/out.img",format=raw,if=virtio \
	-append "console=ttyS0 panic=-1 quiet sysrq_always_enabled=1" \
	> "$OUTDIR/console.log" 2>&1 || true
echo "# systemd lab: the VM ran $(( $(date +%s) - t0 )) s"
(cd "$OUTDIR" && tar xf "$WORK/out.img" 2>/dev/null) || true
if [ ! -f "$OUTDIR/$name/rc" ]; then
	echo "FAIL $name (no results came back; console: $OUTDIR/console.log)"
	tail -n 30 "$OUTDIR/console.log" | sed 's/^/    /'
	exit 1
fi
grc=$(cat "$OUTDIR/$name/rc")
rc=0
if [ "$grc" != 0 ]; then
	sed 's/^/    /' "$OUTDIR/$name/log"
	rc=1
elif ! (OUT=$OUTDIR/$name; . "$SCENARIO"; host); then
	rc=1
fi
if [ $rc = 0 ]; then echo "PASS $name"; else echo "FAIL $name (log: $OUTDIR/$name/log)"; fi
exit $rc
