#!/bin/bash
# bench/equiv-dissect.sh [BUILDDIR]: the first IP header no longer clears
# key fields that are still zero (src/dissect.c, set_addrs); this checks
# that the keys did not change, against dissect.c built to clear every
# time (bench/dissect-ref.c), on EQUIV_DISSECT_COUNT (20,000,000) random
# frames grown from tests/fuzz/corpus/dissect. Exits non-zero at the first
# frame whose keys differ. EQUIV_SEED (1) picks the frames. About 10 s.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
BUILD=$(cd "${1:-${abs_top_builddir:-$TOP}}" && pwd)
DRIVER=$BUILD/bench/equiv-dissect
[ -x "$DRIVER" ] || { echo "equiv-dissect.sh: no $DRIVER: make bench/equiv-dissect" >&2; exit 2; }

echo "equiv-dissect.sh: $(date -u +%F), $(nproc) CPUs"
"$DRIVER" -n "${EQUIV_DISSECT_COUNT:-20000000}" -s "${EQUIV_SEED:-1}" "$TOP"/tests/fuzz/corpus/dissect/*.bin
