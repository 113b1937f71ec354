# dm-unload: drop_monitor unloaded (rmmod) under a passive trapmon once the
# session's owner (dwdump) stopped. trapmon learns it from nlctrl's family
# notifications (0.1-0.4 s, a figure), not from a silence: a session prints what
# it has, says so in one line, puts its trap action back and exits 1; the
# -p --foreground aggregator waits for the module, listens again, and its
# metrics show the gap; --source=tracepoint does not need drop_monitor and
# counts on. Counts equal devlink's throughout.

bh() {
	awk '$1 == "blackhole_route" {s += $NF} END {print s + 0}' "$1"
}

up() { cut -d' ' -f1 /proc/uptime; }

# window: traffic for 1.5 s; prints devlink's blackhole_route count over it.
window() {
	_b=$(trap_rx_packets 10 blackhole_route)
	nsim_ports_up 10
	sleep 1.5
	nsim_ports_down 10
	sleep 0.5
	echo $(($(trap_rx_packets 10 blackhole_route) - _b))
}

owner_start() {
	dwdump -o hw -w /dev/null > /dev/null 2>&1 &
	dpid=$!
	sleep 1
}

owner_stop() {
	kill -INT $dpid
	wait $dpid
}

unload() {
	rmmod drop_monitor || fail "rmmod drop_monitor"
	check "drop_monitor unloaded" [ -z "$(grep '^drop_monitor ' /proc/modules)" ]
}

metric() {	# NAME: its value in m.txt
	awk -v n="$1" '$1 == n {print $2}' m.txt
}

guest() {
	lab_need drop_monitor_module "drop_monitor as a module that can be unloaded"
	nsim_create 10 2 || fail "create netdevsim10"

	# 1. A session: ends with its table, one line, action back, exit 1.
	owner_start
	trapmon --set-action blackhole_route=trap > s.txt 2> s.err &
	pid=$!
	wait_passive $pid s.err || { cat s.err; fail "trapmon did not listen passively"; }
	want=$(window)
	owner_stop
	t0=$(up)
	unload
	# Its table is the sign it noticed; leaving (restore, sanitizers) takes
	# longer. The latency is a figure, not a check: a stalled guest must not
	# fail it.
	i=0
	while ! grep -q '^Lost' s.txt && [ $i -lt 500 ]; do sleep 0.02; i=$((i + 1)); done
	t1=$(up)
	grep -q '^Lost' s.txt
	noticed=$?
	# Not noticed in 10 s: SIGINT, so the checks below fail now, not at
	# the scenario's timeout.
	[ $noticed -eq 0 ] || kill -INT $pid
	wait $pid
	rc=$?
	t2=$(up)
	cat s.err
	awk -v a="$t0" -v b="$t1" -v c="$t2" \
		'BEGIN {printf "figure: table %.2f s after rmmod, exit %.2f s after\n", b - a, c - a}'
	check "session: a table on its own after rmmod" [ $noticed -eq 0 ]
	check "session: exit 1" [ $rc -eq 1 ]
	check "session: one line says drop_monitor was unloaded" \
		[ "$(grep -c 'drop_monitor was unloaded' s.err)" -eq 1 ]
	echo "figure: session: blackhole_route trapmon $(bh s.txt), devlink $want"
	check "session: the table has devlink's count" [ "$want" -gt 0 -a "$(bh s.txt)" -eq "$want" ]
	check "session: action back to drop" [ "$(trap_action 10 blackhole_route)" = drop ]
	check "session: no journal left" [ -z "$(ls /run/trapmon/journal.* 2>/dev/null)" ]
	insmod /lib/modules/drop_monitor.ko || fail "insmod drop_monitor"

	# 2. The -p --foreground aggregator waits, then listens again.
	owner_start
	trapmon -p --foreground --set-action blackhole_route=trap --listen 127.0.0.1:9432 \
		> p.txt 2> p.err &
	pid=$!
	wait_passive $pid p.err || { cat p.err; fail "-p did not listen passively"; }
	w1=$(window)
	owner_stop
	unload
	wait_line p.err 'waiting for it to come back' $pid || fail "-p did not say it waits"
	wget -q -O m.txt http://127.0.0.1:9432/metrics || fail "scrape during the gap"
	check "-p: trapmon_netdm_up 0 during the gap" [ "$(metric trapmon_netdm_up)" = 0 ]
	check "-p: action still trap during the gap" [ "$(trap_action 10 blackhole_route)" = trap ]
	sleep 1
	insmod /lib/modules/drop_monitor.ko || fail "insmod drop_monitor"
	wait_line p.err 'is back' $pid || fail "-p did not come back"
	owner_start
	w2=$(window)
	owner_stop
	wget -q -O m.txt http://127.0.0.1:9432/metrics || fail "scrape after the gap"
	trapmon -s > s2.txt || fail "trapmon -s"
	trapmon -u || fail "trapmon -u"
	wait $pid
	rc=$?
	cat p.err
	grep '^trapmon_netdm' m.txt
	check "-p: exit 0 after -u" [ $rc -eq 0 ]
	check "-p: trapmon_netdm_up 1 after" [ "$(metric trapmon_netdm_up)" = 1 ]
	check "-p: one gap" [ "$(metric trapmon_netdm_gaps_total)" = 1 ]
	check "-p: the gap lasted at least 1 s" \
		awk -v s="$(metric trapmon_netdm_down_seconds_total)" 'BEGIN {exit !(s >= 1 && s < 30)}'
	got=$(awk '/^trapmon_trap_packets_total\{.*trap="blackhole_route"/ {s += $NF} END {print s + 0}' m.txt)
	echo "figure: -p: blackhole_route metrics $got, devlink $w1 before the gap + $w2 after"
	check "-p: counting went on after the gap" [ "$w2" -gt 0 ]
	check "-p: totals equal devlink's across the gap" [ "$got" -eq $((w1 + w2)) ]
	check "-p: -s agrees" [ "$(bh s2.txt)" -eq $((w1 + w2)) ]
	check "-p: action back to drop" [ "$(trap_action 10 blackhole_route)" = drop ]

	# 3. --source=tracepoint needs no drop_monitor: it counts on.
	if lab_can trap_report "--source=tracepoint across rmmod drop_monitor"; then
		trapmon --source=tracepoint --set-action blackhole_route=trap > t.txt 2> t.err &
		pid=$!
		wait_line t.err 'counting devlink:devlink_trap_report' $pid ||
			{ cat t.err; fail "trapmon --source=tracepoint did not start"; }
		w1=$(window)
		unload
		w2=$(window)
		check "tracepoint: still running" kill -0 $pid
		stop_trapmon $pid t.err tracepoint
		echo "figure: tracepoint: blackhole_route trapmon $(bh t.txt), devlink $w1 + $w2"
		check "tracepoint: counts equal devlink's across rmmod" [ "$(bh t.txt)" -eq $((w1 + w2)) ]
		insmod /lib/modules/drop_monitor.ko || fail "insmod drop_monitor"
	fi
}
