#!/bin/bash
# bench/equiv-dissect.sh [BUILDDIR]: the first IP header no longer clears
# key fields that are still zero (src/dissect.c, set_addrs); this checks
# that the keys did not change, against dissect.c built to clear every
# time (bench/dissect-ref.c), on EQUIV_DISSECT_COUNT (20,000,000) random
# frames grown from tests/fuzz/corpus/dissect. Exits non-zero at the first
# frame whose keys differ. EQUIV_SEED (1) picks the frames. About 10 s.
set -euo pipefail

. "$(dirname "$0")/equiv-lib.sh"
equiv_seeded equiv-dissect "${EQUIV_DISSECT_COUNT:-20000000}" dissect
