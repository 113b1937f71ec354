#!/bin/bash
# The whole test suite on a fresh Debian bookworm machine, as root: install
# what the build and the tests need, build with -Werror and sanitizers, run
# `make check` with every test required (a skip is a failure), and print
# "N passed, N failed". The netdevsim lab boots inside `make check`.
set -uo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
export DEBIAN_FRONTEND=noninteractive

if [ "$(id -u)" != 0 ]; then
	echo "tests/run-all.sh installs packages and boots a VM: run it as root (sudo)" >&2
	exit 1
fi
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends \
	build-essential autoconf automake pkg-config \
	libmnl-dev libnl-3-dev libnl-genl-3-dev libpcap-dev libmicrohttpd-dev libcap-ng-dev \
	libsystemd-dev systemd debhelper lintian fakeroot mmdebstrap \
	libyaml-dev libcrypt-dev libgnutls28-dev openssl gnutls-bin apache2-utils \
	qemu-system-x86 busybox-static cpio linux-headers-amd64 xz-utils binutils \
	iproute2 dropwatch tshark jq curl prometheus groff-base bash-completion python3 \
	> /tmp/trapmon-apt.log 2>&1 ||
	{ tail -n 20 /tmp/trapmon-apt.log; echo "0 passed, 1 failed"; exit 1; }

autoreconf -fi > /dev/null &&
	./configure -q --enable-werror --enable-sanitizers &&
	make -j2 > /dev/null || { echo "0 passed, 1 failed"; exit 1; }

TRAPMON_REQUIRE_ALL=1 make -j2 check > check.out 2>&1
rc=$?
# Show what failed, with its log, for whoever reads CI's output.
grep -E '^(PASS|FAIL|ERROR|XPASS|SKIP|XFAIL):' check.out | grep -v '^PASS' || true
for log in $(find tests -name '*.log' ! -name test-suite.log); do
	grep -qE '^(not ok|Bail out)' "$log" && { echo "--- $log"; cat "$log"; }
done
count() { sed -n "s/^# $1: *\([0-9]*\).*/\1/p" check.out | tail -n1; }
# A lab scenario may skip on the 5.4 kernel only for a capability the guest
# lacks (tests/lab/lab.test names it); every other skip is a failure.
capskips=$(grep -c '^SKIP: .* # SKIP kernel lacks a capability' check.out)
pass=$(count PASS)
fail=$(( $(count FAIL) + $(count ERROR) + $(count XPASS) + $(count SKIP) - capskips ))
grep '^PASS: .* (not on this kernel: ' check.out | sed 's/^/lab scenario with parts left out on 5.4: /'
if [ "$capskips" -gt 0 ]; then
	echo "$capskips lab scenarios skipped on 5.4 for a capability it lacks:"
	grep '^SKIP: .* # SKIP kernel lacks a capability' check.out | sed 's/^/  /'
fi
[ -n "$pass" ] || { cat check.out | tail -n 30; pass=0; fail=$((fail + 1)); }
[ $rc -eq 0 ] || [ $fail -gt 0 ] || fail=1
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
