#!/bin/bash
# demo.sh [--kernel 6.1|5.4]: one command on a fresh Debian machine (as
# root) that builds trapmon, boots the netdevsim lab and shows trapmon's
# tables for real hardware-drop alerts from netdevsim's traps. --kernel 5.4
# runs the same demo on the older kernel: vanilla Linux 5.4, the first with
# hardware drops in NET_DM, without trap policers and without BPF links.
set -euo pipefail
HERE=$(dirname "$(readlink -f "$0")")
TOP=$(dirname "$HERE")
export DEBIAN_FRONTEND=noninteractive
KERNEL=${TRAPMON_LAB_KERNEL:-6.1}
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) KERNEL=${2:-}; shift 2 || { echo "usage: $0 [--kernel 6.1|5.4]" >&2; exit 64; } ;;
	--kernel=*) KERNEL=${1#--kernel=}; shift ;;
	*) echo "usage: $0 [--kernel 6.1|5.4]" >&2; exit 64 ;;
	esac
done
case $KERNEL in
6.1) what="Debian's 6.1 kernel" ;;
5.4) what="Linux 5.4 (the older-kernel demo)" ;;
*) echo "demo.sh: unknown kernel '$KERNEL': use 6.1 or 5.4" >&2; exit 64 ;;
esac
[ "$(id -u)" = 0 ] || { echo "demo.sh installs packages and boots a VM: run it as root (sudo)" >&2; exit 1; }

if [ ! -x "$TOP/src/trapmon" ]; then
	echo "Building trapmon..." >&2
	apt-get update -q >/dev/null
	apt-get install -y -q --no-install-recommends build-essential autoconf automake \
		pkg-config libmnl-dev libnl-3-dev libnl-genl-3-dev libpcap-dev libmicrohttpd-dev libcap-ng-dev \
		libyaml-dev libcrypt-dev libgnutls28-dev >/dev/null
	(cd "$TOP" && autoreconf -fi >/dev/null && ./configure -q && make -j2 >/dev/null)
fi
echo "Preparing the netdevsim lab (cached after the first run)..." >&2
"$HERE/prepare.sh" >/dev/null
out=$(mktemp -d /tmp/trapmon-demo.XXXXXX)
echo "Booting $what under qemu..." >&2
"$HERE/run-vm.sh" -k "$KERNEL" -o "$out" -b "$TOP/src/trapmon" "$HERE/demo-scenario.sh" > "$out/summary" || true
cat "$out/demo-scenario/log"
grep -q '^PASS' "$out/summary"
