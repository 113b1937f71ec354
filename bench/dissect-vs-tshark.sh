#!/bin/bash
# bench/dissect-vs-tshark.sh [BUILDDIR]: the table of
# docs/dissect-vs-tshark.md. Every frame of the tcpdump test captures in
# ../shared/corpus (EQUIV_CORPUS names another directory; they are used in
# place, never copied) goes through dissect_packet() as a hardware alert's frame (bench/dissect-dump) and
# through tshark with IP reassembly off, and bench/dissect-vs-tshark.py
# compares the innermost flow: addresses, ports, IP protocol, tunnel or not.
# Prints the table and each frame that differs. Exits 1 when the frames
# that differ are not exactly the ones the document explains (KNOWN
# below), 77 when tshark, python3 or the corpus is missing. About 20 s.
set -euo pipefail

. "$(dirname "$0")/equiv-lib.sh"
DUMP=$BUILD/bench/dissect-dump
CORPUS=${EQUIV_CORPUS:-$TOP/../shared/corpus}

# The differences docs/dissect-vs-tshark.md gives reasons for: capture, frame.
KNOWN="erspan-type-ii-1.pcap 1"

equiv_need dissect-vs-tshark.sh "$DUMP"
for tool in tshark:tshark python3:python3; do
	command -v "${tool%%:*}" > /dev/null ||
		{ echo "dissect-vs-tshark.sh: SKIP: no ${tool%%:*} (apt-get install ${tool#*:})"; exit 77; }
done
compgen -G "$CORPUS/*.pcap" > /dev/null ||
	{ echo "dissect-vs-tshark.sh: SKIP: no captures in $CORPUS"; exit 77; }

work=$(mktemp -d /tmp/trapmon-vs-tshark.XXXXXX)
trap 'rm -rf "$work"' EXIT

echo "dissect-vs-tshark.sh: $(date -u +%F), $(nproc) CPUs, $(tshark --version 2>/dev/null | head -n1)"
for f in "$CORPUS"/*.pcap; do
	name=$(basename "$f")
	"$DUMP" "$f" > "$work/dump"
	tshark -r "$f" -T json -o ip.defragment:FALSE -o ipv6.defragment:FALSE > "$work/json" 2> /dev/null
	python3 "$HERE/dissect-vs-tshark.py" "$name" "$work/dump" "$work/json"
done > "$work/out"

awk '$1 == "ROW" {
	if (!n++) {
		printf "| %-24s | %6s | %5s |\n", "capture", "frames", "agree"
		printf "|%s|%s|%s|\n", "--------------------------", "-------:", "------:"
	}
	printf "| %-24s | %6d | %5d |\n", $2, $3, $4; f += $3; a += $4
} END {
	printf "| %-24s | %6s | %5s |\n", "**total**", "**" f "**", "**" a "**"
}' "$work/out"
grep -v '^ROW ' "$work/out" || true

sed -n 's/^DIFF \([^ ]*\) \([0-9]*\)$/\1 \2/p' "$work/out" | sort > "$work/seen"
echo "$KNOWN" | sort > "$work/known"
unexpected=$(comm -23 "$work/seen" "$work/known")
gone=$(comm -13 "$work/seen" "$work/known")
if grep -q '^DIFF .* \(frames\|mirror\):' "$work/out" || [ -n "$unexpected" ] || [ -n "$gone" ]; then
	[ -z "$unexpected" ] || echo "dissect-vs-tshark.sh: FAIL: frames that differ, not explained in docs/dissect-vs-tshark.md: $(echo $unexpected)"
	[ -z "$gone" ] || echo "dissect-vs-tshark.sh: FAIL: explained differences that are gone (update the document and KNOWN): $(echo $gone)"
	exit 1
fi
echo "dissect-vs-tshark.sh: only the $(wc -l < "$work/known") differences the document explains"
