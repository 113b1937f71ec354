# reload: `devlink dev reload` brings a device's traps back at the driver's
# defaults while trapmon --set-action runs. trapmon sets the action again
# on devlink's trap notifications (0.1-0.2 s after, a figure), says so in one line,
# keeps counting exactly, and at exit puts back what the user had.

bh() {
	awk '$1 == "blackhole_route" {s += $NF} END {print s + 0}' "$1"
}

guest() {
	lab_need reload_resets_traps "a devlink reload that resets netdevsim's traps"
	nsim_create 10 2 || fail "create netdevsim10"
	check "blackhole_route is drop before trapmon" [ "$(trap_action 10 blackhole_route)" = drop ]
	before=$(trap_rx_packets 10 blackhole_route)
	trapmon --set-action blackhole_route=trap > r.txt 2> r.err &
	pid=$!
	wait_started $pid || fail "trapmon did not start"
	check "trap while trapmon runs" [ "$(trap_action 10 blackhole_route)" = trap ]
	nsim_ports_up 10 || fail "ports up"
	sleep 1.5
	nsim_ports_down 10
	sleep 0.5
	pre=$(trap_rx_packets 10 blackhole_route)

	t0=$(cut -d' ' -f1 /proc/uptime)
	devlink dev reload netdevsim/netdevsim10 || fail "devlink dev reload"
	t1=$(cut -d' ' -f1 /proc/uptime)
	# trapmon puts the action back on devlink's notification alone (it has
	# no timer for it), so any bound shows that path; the latency is a
	# figure, not a check, and a stalled guest must not fail it.
	wait_trap_action 10 blackhole_route trap
	t2=$(cut -d' ' -f1 /proc/uptime)
	awk -v a="$t1" -v b="$t2" 'BEGIN {printf "figure: trap again %.2f s after the reload returned\n", b - a}'
	awk -v a="$t0" -v b="$t1" 'BEGIN {printf "figure: the reload itself took %.2f s\n", b - a}'
	check "action is trap again after the reload" [ "$(trap_action 10 blackhole_route)" = trap ]
	check "still running" kill -0 $pid

	# The reload made new ports and traps with fresh counters.
	after0=$(trap_rx_packets 10 blackhole_route)
	nsim_ports_up 10 || fail "ports up after the reload"
	sleep 1.5
	nsim_ports_down 10
	sleep 0.5
	post=$(trap_rx_packets 10 blackhole_route)
	stop_trapmon $pid r.err
	check "the reset said in one line" [ "$(grep -c 'came back as drop' r.err)" -eq 1 ]
	got=$(bh r.txt); want=$((pre - before + post - after0))
	echo "figure: blackhole_route: trapmon $got; devlink $((pre - before)) before the reload + $((post - after0)) after"
	check "counting went on after the reload" [ "$((post - after0))" -gt 0 ]
	check "totals equal devlink's across the reload" [ "$got" -eq "$want" ]
	check "back to drop, the user's action, at exit" [ "$(trap_action 10 blackhole_route)" = drop ]
	check "no journal left" [ -z "$(ls /run/trapmon/journal.* 2>/dev/null)" ]
}
