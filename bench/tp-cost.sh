# tp-cost: what counting hardware traps costs through the drop monitor
# (trapmon --source=netdm, each trapped packet copied into a NET_DM alert)
# and through the devlink:devlink_trap_report tracepoint (trapmon
# --source=tracepoint, names and port only, into perf rings), on the same
# trap stream, in the netdevsim lab VM. Run with a trapmon built without
# sanitizers:
#   netdevsim-scripts/run-vm.sh -k 6.1 -o OUT -b BUILD/src/trapmon bench/tp-cost.sh
#
# netdevsim reports every trap whose action is not drop on every up port,
# every 100 ms; with every drop trap set to trap on BENCH_PORTS ports that
# is a steady stream. Rounds alternate: nothing listening (the baseline),
# netdm, tracepoint. Per round: trapmon's CPU (utime+stime of the process),
# the whole guest's busy CPU from /proc/stat over the window, and the events
# trapmon counted, so the cost per 1,000 events is comparable.

BENCH_PORTS=32
BENCH_SECONDS=10
BENCH_ROUNDS=3

busy_ticks() {
	awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat
}

cpu_ticks() {
	sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'
}

# run_one LABEL [SOURCE]: trapmon on SOURCE (none: idle) for BENCH_SECONDS
# plus 3 s; its CPU and the guest's are sampled over the middle
# BENCH_SECONDS, after start-up and before the table, and the events of that
# window are the run's rate times its length (the stream is steady).
run_one() {
	if [ -z "${2:-}" ]; then
		b0=$(busy_ticks)
		sleep "$BENCH_SECONDS"
		b1=$(busy_ticks)
		echo "$1 busy $((b1 - b0)) trapmon 0 events 0" >> result
		return
	fi
	total=$((BENCH_SECONDS + 3))
	trapmon --source="$2" -j "$total" 1 > tm.json 2> tm.err &
	pid=$!
	sleep 1.5
	b0=$(busy_ticks)
	t0=$(cpu_ticks $pid)
	sleep "$BENCH_SECONDS"
	t1=$(cpu_ticks $pid)
	b1=$(busy_ticks)
	wait $pid || fail "trapmon --source=$2: $(cat tm.err)"
	ev=$(jq '[.traps[].packets] | add // 0' tm.json)
	ev=$((ev * BENCH_SECONDS / total))
	echo "$1 busy $((b1 - b0)) trapmon $((t1 - t0)) events $ev lost_kernel $(jq '.loss.kernel_queue_hw' tm.json) lost_perf $(jq '.loss.perf_rings' tm.json) traps $(jq -r '[.traps[].trap] | join(",")' tm.json)" >> result
}

guest() {
	nsim_create 10 "$BENCH_PORTS" || fail "netdevsim with $BENCH_PORTS ports"
	devlink -j trap show netdevsim/netdevsim10 |
		jq -r '.trap[][] | select(.type == "drop" and .action == "drop") | .name' |
		while read -r t; do trap_set 10 "$t" trap; done
	nsim_ports_up 10 || fail "ports up"
	modprobe drop_monitor 2>/dev/null
	echo "clk_tck $(getconf CLK_TCK 2>/dev/null || echo 100) seconds $BENCH_SECONDS ports $BENCH_PORTS" > result
	sleep 2
	r=1
	while [ $r -le "$BENCH_ROUNDS" ]; do
		run_one idle
		run_one netdm netdm
		run_one tracepoint tracepoint
		r=$((r + 1))
	done
	nsim_ports_down 10
	cp result "$OUT/result"
	cat result
	check "every round counted events" sh -c "! awk '\$1 != \"idle\" && \$1 != \"clk_tck\" && \$7 == 0' result | grep -q ."
}

host() {
	awk '
	$1 == "clk_tck" { hz = $2; next }
	{ busy[$1] += $3; tm[$1] += $5; ev[$1] += $7; n[$1]++ }
	END {
		idle = busy["idle"] / n["idle"]
		for (s in ev) if (s != "idle") {
			b = busy[s] / n[s] - idle
			printf("%-10s %9.0f events/round  trapmon %6.1f ms CPU per 1k events  guest %6.1f ms CPU above idle per 1k events\n",
			       s, ev[s] / n[s], tm[s] * 1000 / hz / (ev[s] / 1000), b * 1000 / hz / (ev[s] / n[s] / 1000))
		}
	}' "$OUT/result" | sort
}
