#!/bin/bash
# run-vm.sh [-k KERNEL] [-o OUTDIR] [-b TRAPMON] SCENARIO...
# Boot a lab kernel under qemu once, run each scenario's guest() as root
# inside it, bring each scenario's /out back through a virtio disk as it
# ends, then run each scenario's host() on the host. A guest kernel that
# locks up is stopped, and the scenarios it did not finish get one more
# boot. Prints one line per scenario: "PASS name",
# "PARTIAL name (not on this kernel: PARTS)", "SKIP name (kernel lacks: WHAT)"
# or "FAIL name", and exits non-zero when any failed.
#
# KERNEL (-k, or TRAPMON_LAB_KERNEL) is 6.1, Debian's packaged kernel with an
# out-of-tree netdevsim (the default), or 5.4, the vanilla longterm kernel of
# ../shared/kernels with everything built in (TRAPMON_LAB_KERNEL_IMAGE names
# another bzImage).
#
# A scenario is a shell file that defines guest() (busybox sh, in the VM, with
# $OUT as its output directory and netdevsim-scripts/nsim.sh sourced) and
# optionally host() (bash, on the host, with $OUT pointing at what guest()
# left there, $TRAPMON at the trapmon binary, $SCENARIO at the scenario
# file, $SRCDIR at the source tree and $LAB_KERNEL at the kernel). A non-zero
# return from either fails the scenario; guest() calling lab_skip (nsim.sh)
# skips it, naming the capability the kernel lacks, and lab_can leaves out
# one part the same way.
set -euo pipefail

HERE=$(dirname "$(readlink -f "$0")")
TOP=$(dirname "$HERE")
OUTDIR=
TRAPMON_BIN=${TRAPMON_BIN:-}
LAB_KERNEL=${TRAPMON_LAB_KERNEL:-6.1}
usage() { echo "usage: $0 [-k 6.1|5.4] [-o OUTDIR] [-b TRAPMON] SCENARIO..." >&2; exit 64; }
while getopts "k:o:b:" opt; do
	case $opt in
	k) LAB_KERNEL=$OPTARG ;;
	o) OUTDIR=$OPTARG ;;
	b) TRAPMON_BIN=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || usage
[ -n "$TRAPMON_BIN" ] || TRAPMON_BIN=${abs_top_builddir:-$TOP}/src/trapmon
OUTDIR=${OUTDIR:-$(mktemp -d /tmp/trapmon-lab.XXXXXX)}
mkdir -p "$OUTDIR"
OUTDIR=$(readlink -f "$OUTDIR")

CACHE=$("$HERE/prepare.sh" | tail -n1)
case $LAB_KERNEL in
6.1)
	KERNEL_IMAGE=$CACHE/vmlinuz
	KERNEL_ARCHIVES=("$CACHE/base.cpio.gz" "$CACHE/modules.cpio.gz")
	;;
5.4)
	KERNEL_IMAGE=$("$HERE/kernel54.sh") || exit 1
	KERNEL_ARCHIVES=("$CACHE/base.cpio.gz")
	;;
*)
	echo "run-vm.sh: unknown lab kernel '$LAB_KERNEL': use 6.1 or 5.4" >&2
	exit 64
	;;
esac
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# The overlay initramfs: trapmon with its libraries, scenarios and /init.
# The kernel unpacks concatenated cpio archives on top of each other.
ROOT="$WORK/root"
mkdir -p "$ROOT/lab/scenarios" "$ROOT/usr/sbin" "$ROOT/usr/bin"
if [ -x "$TRAPMON_BIN" ]; then
	# Its libraries at their host paths; the binary itself where PATH finds it.
	bin=$(readlink -f "$TRAPMON_BIN")
	"$HERE/copy-bin.sh" "$ROOT" "$bin"
	mv "$ROOT$bin" "$ROOT/usr/sbin/trapmon"
fi
# Helper binaries the scenarios run (TRAPMON_LAB_HELPERS, space separated).
for helper in ${TRAPMON_LAB_HELPERS:-}; do
	[ -x "$helper" ] || continue
	h=$(readlink -f "$helper")
	"$HERE/copy-bin.sh" "$ROOT" "$h"
	[ "$h" = "/usr/bin/$(basename "$h")" ] || mv "$ROOT$h" "$ROOT/usr/bin/$(basename "$h")"
done
cp "$HERE/nsim.sh" "$ROOT/lab/nsim.sh"
# Host variables named LAB_* reach the scenarios (e.g. LAB_SOAK_SECONDS).
env | grep '^LAB_[A-Z0-9_]*=' | sed "s/=\(.*\)/='\1'/; s/^/export /" > "$ROOT/lab/env" || true
echo "export LAB_KERNEL='$LAB_KERNEL'" >> "$ROOT/lab/env"
scenarios=()
for s in "$@"; do
	[ -f "$s" ] || { echo "run-vm.sh: no scenario $s" >&2; exit 64; }
	scenarios+=("$(readlink -f "$s")")
done
set -- "${scenarios[@]}"
names=()
for s in "$@"; do names+=("$(basename "$s" .sh)"); done
cat > "$ROOT/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:/lab
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t debugfs none /sys/kernel/debug
mount -t tmpfs none /tmp
# /run as on a real system: root's, not world-writable.
mount -t tmpfs -o mode=0755 none /run
mkdir -p /dev/shm /out
ip link set lo up
for m in $(cat /lib/modules/order 2>/dev/null); do insmod /lib/modules/$m.ko 2>/dev/null; done
. /lab/env
# Every sanitizer report lands in /out/.san, whatever the run's exit status
# or user: the runner fails the scenario on any report.
mkdir -p /out/.san && chmod 1777 /out/.san
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99:log_path=/out/.san/asan
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=99:log_path=/out/.san/ubsan
uname -r > /out/.uname
# What this kernel can do, as the guest finds it (nsim.sh: lab_caps).
(. /lab/nsim.sh; lab_caps > /out/.caps 2>&1)
cp /out/.caps /run/.lab-caps
export LAB_CAPS_FILE=/run/.lab-caps
for s in /lab/scenarios/*.sh; do
	name=${s##*/}; name=${name#??-}; name=${name%.sh}
	mkdir -p /out/$name
	echo "=== scenario $name"
	OUT=/out/$name timeout ${LAB_TIMEOUT:-240} sh -c ". /lab/env; . /lab/nsim.sh; . $s; cd \$OUT; guest" \
		> /out/$name/log 2>&1
	echo $? > /out/$name/rc
	# Reports of daemons and children too: wait for stragglers to exit.
	killall trapmon 2>/dev/null; sleep 0.3
	if [ -n "$(ls /out/.san 2>/dev/null)" ]; then
		mkdir -p /out/$name/sanitizer
		mv /out/.san/* /out/$name/sanitizer/
		echo "=== sanitizer reports" >> /out/$name/log
		cat /out/$name/sanitizer/* >> /out/$name/log
	fi
	cat /out/$name/log
	echo "=== rc $(cat /out/$name/rc)"
	# This scenario's results onto the disk now, a tar of their own at
	# the next MiB: a guest that hangs later loses none of them.
	(cd /out && tar cf /tmp/.part.tar "$name" .uname .caps) &&
		dd if=/tmp/.part.tar of=/dev/vda bs=1048576 seek=${seek:-0} 2>/dev/null && sync
	seek=$(( ${seek:-0} + ($(wc -c < /tmp/.part.tar) + 1048575) / 1048576 ))
	rm -f /tmp/.part.tar
	# Leave a clean kernel for the next scenario.
	killall dwdump trapmon 2>/dev/null
	sleep 0.2
	nsim_destroy_all() { for d in /sys/bus/netdevsim/devices/netdevsim*; do
		[ -e "$d" ] && echo "${d##*/netdevsim}" > /sys/bus/netdevsim/del_device; done; }
	nsim_destroy_all 2>/dev/null
	[ -e /lib/modules/drop_monitor.ko ] && ! grep -q '^drop_monitor ' /proc/modules &&
		insmod /lib/modules/drop_monitor.ko 2>/dev/null
	rm -rf /run/trapmon
done
poweroff -f
INIT
chmod +x "$ROOT/init"

# boot SCENARIO...: one guest that runs them; their results land in
# $OUTDIR. Sets locked_up=1 when the guest kernel locked up, or oopsed on
# its own code patching.
boot() {
	local i=0 s name
	rm -f "$ROOT"/lab/scenarios/*.sh
	for s in "$@"; do
		name=$(basename "$s" .sh)
		cp "$s" "$ROOT/lab/scenarios/$(printf %02d $i)-$name.sh"
		i=$((i + 1))
	done
	(cd "$ROOT" && find . | cpio -o -H newc --quiet | gzip -1) > "$WORK/overlay.cpio.gz"
	cat "${KERNEL_ARCHIVES[@]}" "$WORK/overlay.cpio.gz" > "$WORK/initrd.gz"
	rm -f "$WORK/out.img"
	truncate -s 512M "$WORK/out.img"
	t0=$(date +%s)
	timeout $((300 + ${LAB_TIMEOUT:-240} * $#)) qemu-system-x86_64 -m 1024 -smp 2 -nographic -no-reboot \
		-kernel "$KERNEL_IMAGE" -initrd "$WORK/initrd.gz" \
		-drive file="$WORK/out.img",format=raw,if=virtio \
		-append "console=ttyS0 quiet panic=-1 oops=panic" \
		> "$OUTDIR/console.log" 2>&1 < /dev/null &
	qpid=$!
	# A guest kernel that hangs never powers off (seen under TCG: a
	# kworker in a soft lockup for minutes). A lockup of 120 s or more is
	# no slowness: stop the guest. Kernels before 5.14 report a lockup
	# once; after one, a guest whose scenario then does not end within its
	# time limit (every scenario runs under timeout) is hung.
	locked_up=0
	lockup_seen=
	while kill -0 $qpid 2>/dev/null; do
		hung=
		if grep -Eq 'soft lockup - CPU#[0-9]+ stuck for (1[2-9][0-9]|[2-9][0-9]{2}|[0-9]{4,})s' \
			"$OUTDIR/console.log"; then
			hung=1
		elif [ -z "$lockup_seen" ] && grep -q 'soft lockup - CPU#' "$OUTDIR/console.log"; then
			lockup_seen=$(date +%s)
			ends=$(grep -c '=== rc' "$OUTDIR/console.log" || true)
		elif [ -n "$lockup_seen" ] &&
			[ $(( $(date +%s) - lockup_seen )) -gt $(( ${LAB_TIMEOUT:-240} + 30 )) ]; then
			[ "$(grep -c '=== rc' "$OUTDIR/console.log" || true)" = "$ends" ] && hung=1
			lockup_seen=	# it went on: watch again
		fi
		if [ -n "$hung" ]; then
			kill $qpid 2>/dev/null || true
			locked_up=1
			break
		fi
		sleep 5
	done
	wait $qpid || true
	[ $locked_up = 0 ] ||
		echo "run-vm.sh: the guest kernel locked up; stopped it" >> "$OUTDIR/console.log"
	# An int3 oops in kernel text is the kernel tripping over its own live
	# patching (text_poke_bp), no scenario's doing: seen under TCG on 5.4,
	# in inet_ehashfn as wget opened a connection. The emulator's, as a
	# lockup is.
	if [ $locked_up = 0 ] && grep -q 'int3: 0000 \[#' "$OUTDIR/console.log"; then
		locked_up=1
		echo "run-vm.sh: the guest kernel oopsed on a breakpoint of its own code patching" \
			>> "$OUTDIR/console.log"
	fi
	echo "$(( $(date +%s) - t0 ))" >> "$OUTDIR/boot-seconds"
	# One tar per finished scenario, each at a MiB boundary: -i reads on
	# past each one's end.
	tar -x -i -f "$WORK/out.img" -C "$OUTDIR" 2>/dev/null || true
}

# Results of an earlier run in the same OUTDIR must not count as this one's.
for name in "${names[@]}"; do rm -rf "${OUTDIR:?}/$name"; done
rm -f "$OUTDIR/boot-seconds" "$OUTDIR/console-1.log"
boot "$@"
# A lockup (or a patching oops) is the emulated kernel's, not a
# scenario's verdict: the scenarios that guest did not finish run once
# more, in a second boot, and say so. A second one leaves them failed.
if [ $locked_up = 1 ]; then
	rest=()
	for s in "$@"; do
		[ -e "$OUTDIR/$(basename "$s" .sh)/rc" ] || rest+=("$s")
	done
	hung=$(tr -d '\r' < "$OUTDIR/console.log" | sed -n 's/.*=== scenario \([^[:space:]]*\).*/\1/p' | tail -n1)
	mv "$OUTDIR/console.log" "$OUTDIR/console-1.log"
	if [ ${#rest[@]} -gt 0 ]; then
		echo "the guest kernel locked up or oopsed during scenario ${hung:-?} (console-1.log);" \
			"the ${#rest[@]} scenarios it did not finish ran in a second boot"
		boot "${rest[@]}"
	fi
fi
echo "$LAB_KERNEL" > "$OUTDIR/kernel"

failed=0
for name in "${names[@]}"; do
	dir="$OUTDIR/$name"
	rc=$(cat "$dir/rc" 2>/dev/null || echo missing)
	# A sanitizer report fails the scenario, even one that expected a
	# non-zero exit from the run that made it.
	if [ -n "$(ls "$dir/sanitizer" 2>/dev/null)" ]; then
		rc="sanitizer:$(ls "$dir/sanitizer" | tr '\n' ' ')"
	fi
	if [ "$rc" = 0 ]; then
		# host() from the same scenario file, with OUT at the results.
		src=
		for s in "$@"; do [ "$(basename "$s" .sh)" = "$name" ] && src=$s; done
		# trapmon runs on the host too (replays): its reports count.
		mkdir -p "$dir/host-sanitizer"
		if ! (set +eu; cd "$dir"; export OUT="$dir" TRAPMON="$TRAPMON_BIN" SCENARIO="$src" SRCDIR="$TOP" LAB_KERNEL LAB_CAPS_FILE="$OUTDIR/.caps"
		      export ASAN_OPTIONS="detect_leaks=1:exitcode=99:log_path=$dir/host-sanitizer/asan"
		      export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=99:log_path=$dir/host-sanitizer/ubsan"
		      . "$HERE/nsim.sh" && . "$src" || exit 1
		      if type host >/dev/null 2>&1; then host; fi) >> "$dir/log" 2>&1; then
			rc=host-failed
		fi
		if [ -n "$(ls "$dir/host-sanitizer")" ]; then
			cat "$dir"/host-sanitizer/* >> "$dir/log"
			rc="sanitizer:host"
		fi
	fi
	if [ "$rc" = 0 ] && [ -s "$dir/skipped-parts" ]; then
		echo "PARTIAL $name (not on this kernel: $(paste -sd';' "$dir/skipped-parts"))"
	elif [ "$rc" = 0 ]; then
		echo "PASS $name"
	elif [ "$rc" = 77 ] && [ -s "$dir/skip" ]; then
		echo "SKIP $name (kernel lacks: $(head -n1 "$dir/skip"))"
	else
		# The first failed check goes on the result line, which CI's
		# summary shows even where it cuts the log tail below.
		why=$(grep -m1 '^FAIL: ' "$dir/log" 2>/dev/null | cut -c7-120)
		echo "FAIL $name (rc=$rc${why:+; $why}; log: $dir/log)"
		sed 's/^/    /' "$dir/log" 2>/dev/null | tail -n 30
		failed=$((failed + 1))
	fi
done
[ $failed -eq 0 ]
