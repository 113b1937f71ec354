#!/bin/sh
# Run one libFuzzer target for a while on a scratch copy of its seeds.
#   run.sh TARGET BINDIR SEEDDIR WORKDIR SECONDS
# The source tree is only read. Exits non-zero when the fuzzer found a
# crash, a leak, a timeout or an out-of-memory; the reproducer is left in
# WORKDIR/TARGET/artifacts/ and the log's tail is printed.
set -u
t=$1 bin=$2 seeds=$3 work=$4/$1 secs=$5

rm -rf "$work"
mkdir -p "$work/corpus" "$work/artifacts" || exit 1
if [ -d "$seeds/$t" ]; then
	cp "$seeds/$t"/* "$work/corpus/" || exit 1
	chmod -R u+w "$work/corpus"
fi
nseeds=$(ls "$work/corpus" | wc -l)
"$bin/fuzz_$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	-print_final_stats=1 -artifact_prefix="$work/artifacts/" \
	"$work/corpus" > "$work/log" 2>&1
rc=$?
found=$(ls "$work/artifacts" | wc -l)
if [ $rc -ne 0 ] || [ "$found" -ne 0 ]; then
	tail -n 60 "$work/log"
	echo "fuzz_$t: FAILED (exit $rc); reproducer(s) in $work/artifacts:"
	ls "$work/artifacts"
	echo "rerun one with: $bin/fuzz_$t FILE"
	exit 1
fi
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log")
cov=$(grep -E '^#[0-9]+' "$work/log" | tail -n 1 | sed -n 's/.* cov: \([0-9]*\) ft: \([0-9]*\) corp: \([^ ]*\).*/cov \1, ft \2, corpus \3/p')
echo "fuzz_$t: ok: ${secs}s, $nseeds seeds, $execs runs, $rate exec/s, $cov"
