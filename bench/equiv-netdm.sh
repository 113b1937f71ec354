#!/bin/bash
# bench/equiv-netdm.sh [BUILDDIR]: netdm_parse_alert() walks the attributes
# once, without libmnl (bench/RESULTS.md, "What changed"); this checks it
# against the libmnl parser it replaced (tests/fuzz/fuzz_netdm.c's
# reference) on EQUIV_NETDM_COUNT (2,000,000) mutated messages grown from
# tests/fuzz/corpus/netdm. Exits non-zero at the first disagreement.
# EQUIV_SEED (1) picks the mutations. Takes a few seconds.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
BUILD=$(cd "${1:-${abs_top_builddir:-$TOP}}" && pwd)
DRIVER=$BUILD/bench/equiv-netdm
[ -x "$DRIVER" ] || { echo "equiv-netdm.sh: no $DRIVER: make bench/equiv-netdm" >&2; exit 2; }

echo "equiv-netdm.sh: $(date -u +%F), $(nproc) CPUs, libmnl $(pkg-config --modversion libmnl 2>/dev/null || echo '?')"
"$DRIVER" -n "${EQUIV_NETDM_COUNT:-2000000}" -s "${EQUIV_SEED:-1}" "$TOP"/tests/fuzz/corpus/netdm/*.bin
