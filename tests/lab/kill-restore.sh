# kill-restore: trapmon killed with SIGKILL leaves a journal. The next
# trapmon says so and how to fix it; --restore puts blackhole_route back,
# stops the monitoring it left on, and removes the journal.

guest() {
	nsim_create 10 2 || fail "create netdevsim10"
	nsim_ports_up 10 || fail "ports up"
	trapmon --set-action blackhole_route=trap > /dev/null 2>&1 &
	pid=$!
	wait_started $pid || fail "trapmon did not start"
	check "trapping during the run" [ "$(trap_action 10 blackhole_route)" = trap ]
	kill -9 $pid
	wait $pid 2>/dev/null
	check "journal left by the killed trapmon" [ -e /run/trapmon/journal.$pid ]
	cat /run/trapmon/journal.$pid

	trapmon 1 1 > next.txt 2> next.err
	cat next.err
	check "the next trapmon names the dead one" grep -q "pid $pid died" next.err
	check "and says how to restore" grep -q "trapmon --restore" next.err
	trapmon --set-action tail_drop=trap 1 1 > next2.txt 2> next2.err
	check "new changes refused while a journal is stale" [ $? -eq 1 ]
	cat next2.err

	trapmon --restore > r.txt 2> r.err
	rc=$?
	cat r.err
	check "--restore exits 0" [ $rc -eq 0 ]
	check "blackhole_route is drop again" [ "$(trap_action 10 blackhole_route)" = drop ]
	check "journal removed" [ ! -e /run/trapmon/journal.$pid ]
	dwdump -o hw -w /dev/null > dw.log 2>&1 &
	dpid=$!
	sleep 1
	check "monitoring is off: dwdump can start" kill -0 $dpid
	kill -INT $dpid; wait $dpid

	# --force takes over monitoring nobody journaled.
	dwdump -o hw -w /dev/null > dw.log 2>&1 &
	dpid=$!
	sleep 1
	kill -9 $dpid
	trapmon --restore --force > f.txt 2> f.err
	rc=$?
	cat f.err
	check "--restore --force exits 0" [ $rc -eq 0 ]
	trapmon 1 1 > after.txt 2> after.err
	check "after --force, trapmon starts monitoring itself" sh -c '! grep -q "already on" after.err'
}
