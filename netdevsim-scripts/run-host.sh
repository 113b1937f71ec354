#!/bin/bash
# run-host.sh [-o OUTDIR] SCENARIO...
# Run lab scenarios on this host, with no VM, when its kernel has
# netdevsim, drop_monitor and devlink (many distribution kernels ship them).
# Same scenarios, same guest()/host() contract and result lines as
# run-vm.sh; scenarios probe this kernel's capabilities (lab_has). Needs root and trapmon, devlink, dwdump, jq and tshark on PATH.
set -uo pipefail
HERE=$(dirname "$(readlink -f "$0")")
OUTDIR=$(mktemp -d /tmp/trapmon-host.XXXXXX)
if [ "${1:-}" = -o ]; then OUTDIR=$2; shift 2; fi
[ "$(id -u)" = 0 ] || { echo "run-host.sh: run as root" >&2; exit 1; }
modprobe -q netdevsim drop_monitor 2>/dev/null
[ -d /sys/bus/netdevsim ] || { echo "run-host.sh: this kernel has no netdevsim: use run-vm.sh" >&2; exit 1; }
export TRAPMON=${TRAPMON:-$(command -v trapmon)}
failed=0
for s in "$@"; do
	name=$(basename "$s" .sh)
	dir="$OUTDIR/$name"
	mkdir -p "$dir"
	(cd "$dir" && export OUT="$dir" && . "$HERE/nsim.sh" && . "$(readlink -f "$s")" && guest &&
	 if type host > /dev/null 2>&1; then host; fi) > "$dir/log" 2>&1
	rc=$?
	# Leave a clean kernel for the next scenario, as the VM runner does.
	(. "$HERE/nsim.sh"; nsim_destroy_all)
	if [ $rc -eq 0 ] && [ -s "$dir/skipped-parts" ]; then
		echo "PARTIAL $name (not on this kernel: $(paste -sd';' "$dir/skipped-parts"))"
	elif [ $rc -eq 0 ]; then
		echo "PASS $name"
	elif [ $rc -eq 77 ] && [ -s "$dir/skip" ]; then
		echo "SKIP $name (kernel lacks: $(head -n1 "$dir/skip"))"
	else
		echo "FAIL $name (log: $dir/log)"; failed=$((failed + 1))
	fi
done
[ $failed -eq 0 ]
