#!/bin/bash
# demo.sh: one command on a fresh Debian machine (as root) that builds
# trapmon, boots the netdevsim lab and shows trapmon's tables for real
# hardware-drop alerts from netdevsim's traps.
set -euo pipefail
HERE=$(dirname "$(readlink -f "$0")")
TOP=$(dirname "$HERE")
export DEBIAN_FRONTEND=noninteractive
[ "$(id -u)" = 0 ] || { echo "demo.sh installs packages and boots a VM: run it as root (sudo)" >&2; exit 1; }

if [ ! -x "$TOP/src/trapmon" ]; then
	echo "Building trapmon..." >&2
	apt-get update -q >/dev/null
	apt-get install -y -q --no-install-recommends build-essential autoconf automake \
		pkg-config libmnl-dev libnl-3-dev libnl-genl-3-dev libpcap-dev libmicrohttpd-dev libcap-ng-dev >/dev/null
	(cd "$TOP" && autoreconf -fi >/dev/null && ./configure -q && make -j2 >/dev/null)
fi
echo "Preparing the netdevsim lab (cached after the first run)..." >&2
"$HERE/prepare.sh" >/dev/null
out=$(mktemp -d /tmp/trapmon-demo.XXXXXX)
echo "Booting Debian's 6.1 kernel under qemu..." >&2
"$HERE/run-vm.sh" -o "$out" -b "$TOP/src/trapmon" "$HERE/demo-scenario.sh" > "$out/summary" || true
cat "$out/demo-scenario/log"
grep -q '^PASS' "$out/summary"
