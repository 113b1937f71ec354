#!/bin/bash
# bench/builds.sh OUTDIR [NAME...]: build the trees behind the columns of
# bench/RESULTS.md's first table, from this repository's history, each in
# OUTDIR/NAME (configure CFLAGS='-O2 -g', make src/trapmon):
#   before   fcea553, before the performance work
#   middle   73afebf with fcea553's src/monitor.c, include/monitor.h and
#            src/output.c: the optimized reader, parser, table and dissector
#            without the two patches (batched reads, printf-free cells),
#            which were measured uncommitted ("this tree")
#   patches  73afebf, the two patches in ("+ patches")
# Then, for each: TRAPMON=OUTDIR/NAME/src/trapmon bench/run.sh BUILDDIR
# (BUILDDIR is this tree's build, for gencap and udpsend). Needs git
# history: exits 77 in a tree without it.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
[ $# -ge 1 ] || { echo "usage: bench/builds.sh OUTDIR [before|middle|patches]..." >&2; exit 64; }
OUT=$1
shift
[ $# -gt 0 ] || set -- before middle patches
git -C "$TOP" rev-parse --verify -q fcea553^{commit} > /dev/null 2>&1 ||
	{ echo "builds.sh: SKIP: no git history with fcea553 in $TOP"; exit 77; }

for name in "$@"; do
	dir=$OUT/$name
	rm -rf "$dir"
	mkdir -p "$dir"
	case $name in
	before) git -C "$TOP" archive fcea553 | tar -x -C "$dir" ;;
	patches) git -C "$TOP" archive 73afebf | tar -x -C "$dir" ;;
	middle)
		git -C "$TOP" archive 73afebf | tar -x -C "$dir"
		for f in src/monitor.c include/monitor.h src/output.c; do
			git -C "$TOP" show "fcea553:$f" > "$dir/$f"
		done ;;
	*) echo "builds.sh: unknown tree '$name'" >&2; exit 64 ;;
	esac
	(cd "$dir" && autoreconf -fi > /dev/null 2>&1 && ./configure -q CFLAGS='-O2 -g' &&
		make -j2 src/trapmon > /dev/null)
	echo "$name: $dir/src/trapmon"
done
