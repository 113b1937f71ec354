#!/bin/bash
# bench/equiv-reader.sh [BUILDDIR]: src/replay.c reads classic pcap itself
# (bench/RESULTS.md, "What changed"); this checks that it still does what
# libpcap's reader did, on every file bench/equiv-reader derives from:
#   - gencap captures (trapmon's -w format): 200 alerts, and 30,000 alerts
#     (7 MB, so records straddle replay.c's 1 MiB reads);
#   - the tcpdump test captures in ../shared/corpus, used in place
#     (EQUIV_CORPUS names another directory; none: left out, said so);
#   - the seeds of tests/fuzz/corpus/replay;
#   - pcapng copies of two of them (editcap), which both sides hand to libpcap.
# Exits non-zero when any file reads differently. EQUIV_SEED (1) picks the
# corruptions and cut points. Takes a few seconds.
set -euo pipefail

. "$(dirname "$0")/equiv-lib.sh"
DRIVER=$BUILD/bench/equiv-reader
GENCAP=$BUILD/bench/gencap
CORPUS=${EQUIV_CORPUS:-$TOP/../shared/corpus}
equiv_need equiv-reader.sh "$DRIVER" "$GENCAP"

work=$(mktemp -d /tmp/trapmon-equiv-reader.XXXXXX)
trap 'rm -rf "$work"' EXIT

"$GENCAP" "$work/small.pcap" 200 50 > /dev/null
"$GENCAP" "$work/large.pcap" 30000 3000 7 > /dev/null
bases=("$work/small.pcap" "$work/large.pcap")
if compgen -G "$CORPUS/*.pcap" > /dev/null; then
	bases+=("$CORPUS"/*.pcap)
else
	echo "equiv-reader.sh: no captures in $CORPUS: the tcpdump corpus is left out"
fi
if command -v editcap > /dev/null; then
	editcap -F pcapng "$work/small.pcap" "$work/small.pcapng"
	bases+=("$work/small.pcapng")
	if [ -f "$CORPUS/geneve.pcap" ]; then
		editcap -F pcapng "$CORPUS/geneve.pcap" "$work/geneve.pcapng"
		bases+=("$work/geneve.pcapng")
	fi
else
	echo "equiv-reader.sh: no editcap (apt-get install wireshark-common): no pcapng files"
fi

echo "equiv-reader.sh: $(date -u +%F), $(nproc) CPUs, libpcap $(pkg-config --modversion libpcap 2>/dev/null || echo '?')"
"$DRIVER" -s "${EQUIV_SEED:-1}" -q "${bases[@]}" -F "$TOP"/tests/fuzz/corpus/replay/*.bin
