# live-cost: the CPU that trapmon --sw and dwdump spend on the same flood of
# software drops, against the batching floor (bench/nlfloor: the same
# datagrams in trapmon's batches, counted and nothing else), in the
# netdevsim lab VM (netdevsim-scripts/run-vm.sh, with -b a trapmon built
# without sanitizers and udpsend and nlfloor among TRAPMON_LAB_HELPERS;
# bench/run.sh does both).
#
# udpsend sends FLOOD datagrams to a closed port (NO_SOCKET drops), in paced
# chunks. In "sequential" mode (the default) each tool runs alone and
# starts the drop monitor itself with the same options: kernel queue
# QUEUE, receive buffer RCVBUF, truncation 256. Per round: nlfloor,
# trapmon --sw, dwdump and trapmon --sw -w FILE (capture on), the order
# rotated by one each round and run backwards every other round, so that
# neither drift nor a neighbour favours any. Without nlfloor
# in the VM its turns are skipped. In "concurrent" mode both listen to one flood at once (dwdump
# starts the monitor, trapmon listens passively). A tool's CPU is
# utime+stime from /proc/PID/stat, after the flood has drained minus
# before it, so start-up is not counted. trapmon's JSON table says how
# many alerts it counted and what was lost (kernel queue, socket).
#
# With BENCH_OTHER=1 a second trapmon build, trapmon-other in the guest
# (bench/run.sh's BENCH_LIVE_OTHER), is a fifth tool of each sequential
# round, run as trapmon --sw is: two builds compared in one boot, whose
# floor is the same for both. With BENCH_OTHER_FLOOR=1 a second nlfloor,
# nlfloor-other (BENCH_LIVE_OTHER_FLOOR), is one more: the floor of a build
# whose batches or rest differ (include/rx.h), so that such a build is
# measured against its own floor.
#
# guest() writes $OUT/result, "key value" lines per round; host() prints
# it and fails when an alert was not counted or was lost. bench/run.sh may
# rewrite the BENCH_* lines below.

BENCH_MODE=sequential
BENCH_FLOOD=50000
BENCH_CHUNK=5000
BENCH_QUEUE=100000
BENCH_RCVBUF=67108864
BENCH_ROUNDS=4
BENCH_OTHER=0
BENCH_OTHER_FLOOR=0

# utime+stime of PID, in clock ticks.
cpu_ticks() {
	sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'
}

# Wait until none of the PIDs' CPU time moves for a second (flood drained).
settle() {
	prev=
	i=0
	while [ $i -lt 90 ]; do
		now=
		for p in "$@"; do now="$now $(cpu_ticks "$p")"; done
		[ "$now" = "$prev" ] && return 0
		prev=$now
		sleep 1
		i=$((i + 1))
	done
	return 1
}

sw_dropped() {
	dwdump -s 2>&1 | awk '/^Software/ {sw = 1} /^Hardware/ {sw = 0} sw && /Tail dropped/ {print $3}'
}

flood() {
	sent=0
	while [ $sent -lt "$BENCH_FLOOD" ]; do
		n=$BENCH_CHUNK
		[ $((sent + n)) -gt "$BENCH_FLOOD" ] && n=$((BENCH_FLOOD - sent))
		udpsend 127.0.0.1 9999 $n > /dev/null || fail "udpsend"
		sent=$((sent + n))
		sleep 0.2
	done
}

start_dwdump() {
	if [ "$1" = passive ]; then
		dwdump -p -w /dev/null -b "$BENCH_RCVBUF" > dw.out 2> dw.err &
	else
		dwdump -o sw -w /dev/null -l "$BENCH_QUEUE" -b "$BENCH_RCVBUF" -t 256 \
			> dw.out 2> dw.err &
	fi
	dw=$!
	sleep 2
	kill -0 $dw || fail "dwdump did not start: $(cat dw.err)"
}

# start_floor [BINARY]: BINARY (nlfloor) with the round's options.
start_floor() {
	"${1:-nlfloor}" -l "$BENCH_QUEUE" -b "$BENCH_RCVBUF" -t 256 > fl.out 2> fl.err &
	fl=$!
	wait_line fl.err 'started' $fl || fail "${1:-nlfloor} did not start: $(cat fl.err)"
}

# start_trapmon capture|passive|active [BINARY]: BINARY (trapmon) with
# the round's options.
start_trapmon() {
	bin=${2:-trapmon}
	if [ "$1" = capture ]; then
		rm -f /tmp/live-cost.pcap
		trapmon --sw --queue-len "$BENCH_QUEUE" --rcvbuf "$BENCH_RCVBUF" --trunc 256 -j \
			-w /tmp/live-cost.pcap > tm.json 2> tm.err &
		tm=$!
		wait_started $tm || fail "trapmon -w did not start: $(cat tm.err)"
	elif [ "$1" = passive ]; then
		trapmon --sw --passive --rcvbuf "$BENCH_RCVBUF" -j > tm.json 2> tm.err &
		tm=$!
		sleep 2
		kill -0 $tm || fail "trapmon did not start: $(cat tm.err)"
	else
		"$bin" --sw --queue-len "$BENCH_QUEUE" --rcvbuf "$BENCH_RCVBUF" --trunc 256 -j \
			> tm.json 2> tm.err &
		tm=$!
		wait_started $tm || fail "$bin did not start: $(cat tm.err)"
	fi
}

# measure LABEL PID...: one flood with PIDs listening; $ticks gets their
# CPU ticks, in order.
measure() {
	label=$1
	shift
	settle "$@"
	k0=$(sw_dropped)
	before=
	for p in "$@"; do before="$before $(cpu_ticks "$p")"; done
	s0=$(date +%s)
	flood
	s1=$(date +%s)
	settle "$@" || echo "warning: CPU still moving after 90 s"
	after=
	for p in "$@"; do after="$after $(cpu_ticks "$p")"; done
	k1=$(sw_dropped)
	ticks=$(echo "$before|$after" | awk -F'|' '{n = split($1, a, " "); split($2, b, " ");
		for (i = 1; i <= n; i++) printf("%s%d", (i > 1) ? " " : "", b[i] - a[i])}')
	echo "${label}_send_seconds $((s1 - s0))" >> result
	echo "${label}_kernel_queue_drops $((k1 - k0))" >> result
}

# trapmon_result TOOL: what that trapmon counted; a short count keeps every
# row of its table, to tell a drop trapmon missed from one the kernel
# made elsewhere (another reason, another port).
trapmon_result() {
	counted=$(jq '[.flows[] | select(.trap == "NO_SOCKET" and .dport == 9999) | .packets] | add // 0' tm.json)
	echo "counted $counted $1" >> result
	[ "$counted" = "$BENCH_FLOOD" ] ||
		echo "short_rows $1 $(jq -c '[.flows[] | [.trap, .sport, .dport, .packets]]' tm.json)" >> result
	echo "trapmon_kernel_queue $(jq '.loss.kernel_queue_sw' tm.json)" >> result
	echo "socket_overruns $(jq '.loss.socket_overruns' tm.json)" >> result
	cp tm.json "tm.$r.json"
}

guest() {
	# dwdump sets its buffer with SO_RCVBUF, capped by rmem_max; trapmon
	# forces it. Let both have the same.
	echo $((BENCH_RCVBUF * 2)) > /proc/sys/net/core/rmem_max
	echo "mode $BENCH_MODE" > result
	echo "clk_tck $(getconf CLK_TCK 2>/dev/null || echo 100)" >> result
	echo "flood $BENCH_FLOOD" >> result
	r=1
	while [ $r -le "$BENCH_ROUNDS" ]; do
		echo "round $r" >> result
		if [ "$BENCH_MODE" = concurrent ]; then
			start_dwdump active
			start_trapmon passive
			measure both $tm $dw
			echo "trapmon_ticks ${ticks% *}" >> result
			echo "dwdump_ticks ${ticks#* }" >> result
			kill -INT $tm
			wait $tm
			kill -INT $dw
			wait $dw
			trapmon_result trapmon
		else
			# Rotate the order, so drift favours none.
			tools="nlfloor trapmon dwdump trapmon_w"
			[ "$BENCH_OTHER" = 1 ] && tools="$tools other"
			[ "$BENCH_OTHER_FLOOR" = 1 ] && tools="$tools other_floor"
			k=1
			while [ $k -lt $(((r - 1) % $(echo $tools | wc -w) + 1)) ]; do
				tools="${tools#* } ${tools%% *}"
				k=$((k + 1))
			done
			# Rotation alone keeps each tool's neighbours (trapmon
			# would always follow nlfloor): every other round runs
			# backwards.
			[ $((r % 2)) = 0 ] &&
				tools=$(echo $tools | awk '{for (i = NF; i > 0; i--) printf "%s%s", $i, (i > 1 ? " " : "\n")}')
			for tool in $tools; do
				if [ $tool = nlfloor ] || [ $tool = other_floor ]; then
					bin=nlfloor key=floor
					[ $tool = other_floor ] && bin=nlfloor-other key=other_floor
					command -v $bin > /dev/null || continue
					start_floor $bin
					measure $key $fl
					echo "${key}_ticks $ticks" >> result
					kill -INT $fl
					wait $fl
					awk -v k=$key '{print k "_" $1, $2; print k "_" $3, $4}' fl.out >> result
				elif [ $tool = trapmon_w ]; then
					start_trapmon capture
					measure trapmon_w $tm
					echo "trapmon_w_ticks $ticks" >> result
					kill -INT $tm
					wait $tm
					trapmon_result trapmon_w
					echo "capture_bytes $(wc -c < /tmp/live-cost.pcap)" >> result
				elif [ $tool = other ]; then
					start_trapmon active trapmon-other
					measure other $tm
					echo "other_ticks $ticks" >> result
					kill -INT $tm
					wait $tm
					trapmon_result other
				elif [ $tool = dwdump ]; then
					start_dwdump active
					measure dwdump $dw
					echo "dwdump_ticks $ticks" >> result
					kill -INT $dw
					wait $dw
				else
					start_trapmon active
					measure trapmon $tm
					echo "trapmon_ticks $ticks" >> result
					kill -INT $tm
					wait $tm
					trapmon_result trapmon
				fi
			done
		fi
		r=$((r + 1))
	done
	cat result
}

host() {
	cat "$OUT/result"
	# Every round: all of the flood counted, nothing lost.
	awk '$1 == "flood" {f = $2}
	     $1 == "counted" && $2 != f {bad = 1}
	     $1 ~ /kernel_queue_drops$/ && $2 != 0 {bad = 1}
	     $1 == "trapmon_kernel_queue" && $2 != 0 {bad = 1}
	     $1 == "socket_overruns" && $2 != 0 {bad = 1}
	     $1 ~ /floor_datagrams$/ && $2 < f {bad = 1}
	     $1 ~ /floor_overruns$/ && $2 != 0 {bad = 1}
	     END {exit bad}' "$OUT/result"
}
