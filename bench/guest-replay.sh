# guest-replay: trapmon -r inside the lab VM, on the emulated CPU the live
# goal is measured on, where native instruction counts mislead (a libc
# vector compare that saved instructions cost more than it saved: bench/
# RESULTS.md, session 11). A flood like live-cost.sh's is captured once
# (trapmon --sw -w: the NET_DM messages as the kernel sent them), then
# replayed BENCH_RUNS times by trapmon and, with BENCH_OTHER=1, by
# trapmon-other (bench/run.sh's BENCH_LIVE_OTHER), alternating. A capture
# with no records gives each build's start-up, taken off by bench/run.sh.
# CPU is GNU time's user+sys per run (ticks of 1/100 s), summed over the
# runs. No goal: it tells whether a change to the alert's path is cheaper
# where the live goal is measured, in seconds, not live-cost.sh's minutes.
# bench/run.sh may rewrite the BENCH_* lines below.

BENCH_FLOOD=50000
BENCH_RUNS=30
BENCH_OTHER=0

# timed KEY COMMAND...: "KEY seconds" (its user+sys) into result; the
# scenario fails on a non-zero exit.
timed() {
	_key=$1
	shift
	/usr/bin/time -f '%U %S' "$@" > /dev/null 2> time.err ||
		fail "$* exited non-zero: $(head -n 3 time.err)"
	tail -n 1 time.err | awk -v k="$_key" '{print k, $1 + $2}' >> result
}

guest() {
	echo 134217728 > /proc/sys/net/core/rmem_max
	trapmon --sw --queue-len 100000 --rcvbuf 67108864 --trunc 256 -w flood.pcap \
		> /dev/null 2> capture.err &
	pid=$!
	wait_started $pid || fail "trapmon -w did not start: $(cat capture.err)"
	sent=0
	while [ $sent -lt "$BENCH_FLOOD" ]; do
		udpsend 127.0.0.1 9999 5000 > /dev/null || fail "udpsend"
		sent=$((sent + 5000))
		sleep 0.2
	done
	sleep 3
	kill -INT $pid
	wait $pid || fail "trapmon -w exited non-zero: $(cat capture.err)"
	head -c 24 flood.pcap > empty.pcap	# the file header, no records
	trapmon -r flood.pcap -j > flood.json || fail "trapmon -r exited non-zero"
	alerts=$(jq '[.flows[].packets] | add // 0' flood.json)
	echo "alerts $alerts" > result
	echo "runs $BENCH_RUNS" >> result
	tools=trapmon
	[ "$BENCH_OTHER" = 1 ] && tools="trapmon trapmon-other"
	r=0
	while [ $r -lt "$BENCH_RUNS" ]; do
		for t in $tools; do
			timed "replay_$t" $t -r flood.pcap
			timed "startup_$t" $t -r empty.pcap
		done
		r=$((r + 1))
	done
	rm -f flood.pcap	# the results leave the VM; the capture need not
	check "the flood's capture holds all $BENCH_FLOOD alerts (got $alerts)" \
		[ "$alerts" -eq "$BENCH_FLOOD" ]
	check "every run timed" [ "$(grep -c '^replay_trapmon [0-9]' result)" -eq "$BENCH_RUNS" ]
}
