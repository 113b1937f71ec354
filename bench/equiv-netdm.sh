#!/bin/bash
# bench/equiv-netdm.sh [BUILDDIR]: netdm_parse_alert() walks the attributes
# once, without libmnl (bench/RESULTS.md, "What changed"); this checks it
# against the libmnl parser it replaced (tests/fuzz/fuzz_netdm.c's
# reference) on EQUIV_NETDM_COUNT (2,000,000) mutated messages grown from
# tests/fuzz/corpus/netdm; and netdm_parse_alert_memo() against
# netdm_parse_alert() on changed copies of each message its memo learnt
# (time, length, end, one byte compared). Exits non-zero at the first
# disagreement.
# EQUIV_SEED (1) picks the mutations. Takes a few seconds.
set -euo pipefail

. "$(dirname "$0")/equiv-lib.sh"
libmnl=$(pkg-config --modversion libmnl 2>/dev/null || echo '?')
equiv_seeded equiv-netdm "${EQUIV_NETDM_COUNT:-2000000}" netdm "libmnl $libmnl"
