# type-filters: -d shows only drop traps, -e only exception traps, and -c
# says what counts the control traps (trap reports where the kernel has
# them, else devlink's counters) and matches devlink's counts exactly.

guest() {
	nsim_create 10 2 || fail "create netdevsim10"
	nsim_ports_up 10 || fail "ports up"
	trap_set 10 blackhole_route trap || fail "devlink trap set"

	trapmon -d 2 1 > drop.txt 2>&1 || { cat drop.txt; fail "trapmon -d"; }
	cat drop.txt
	check "-d shows blackhole_route" grep -q '^blackhole_route ' drop.txt
	check "-d hides exception traps" sh -c '! grep -Eq "^(ttl_value_is_too_small|fid_miss) " drop.txt'

	trapmon -e 2 1 > exc.txt 2>&1 || { cat exc.txt; fail "trapmon -e"; }
	check "-e shows ttl_value_is_too_small" grep -q '^ttl_value_is_too_small ' exc.txt
	check "-e shows fid_miss" grep -q '^fid_miss ' exc.txt
	check "-e hides drop traps" sh -c '! grep -q "^blackhole_route " exc.txt'

	if ! lab_can control_traps "-c with devlink's control-trap counters"; then
		trapmon -c 2 1 > ctl.txt 2> ctl.err
		check "-c without control traps: exit 1" [ $? -eq 1 ]
		cat ctl.err
		check "-c without control traps: one line that says so" \
			sh -c '[ $(wc -l < ctl.err) -eq 1 ] && grep -q "has control traps" ctl.err'
		return 0
	fi
	# Control traps count only while ports are up: open the window after
	# trapmon took its first devlink reading (it has said so by then),
	# close it before its table (at SIGINT, however slow the guest), then
	# compare exactly.
	nsim_ports_down 10
	q0=$(trap_rx_packets 10 igmp_query)
	r0=$(trap_rx_packets 10 igmp_v1_report)
	trapmon -c 60 > ctl.txt 2> ctl.err &
	pid=$!
	wait_line ctl.err "control traps: " $pid || { cat ctl.err; fail "trapmon -c did not start"; }
	nsim_ports_up 10
	sleep 1
	nsim_ports_down 10
	sleep 0.3
	q1=$(trap_rx_packets 10 igmp_query)
	r1=$(trap_rx_packets 10 igmp_v1_report)
	kill -INT $pid
	wait $pid || { cat ctl.txt ctl.err; fail "trapmon -c"; }
	cat ctl.err ctl.txt
	check "-c says on one stderr line what counts control traps" \
		sh -c '[ $(wc -l < ctl.err) -eq 1 ] && grep -q "^trapmon: control traps: " ctl.err'
	for t in igmp_query igmp_v1_report; do
		row=$(grep "^$t " ctl.txt)
		check "-c shows $t with flow columns as -" \
			sh -c "echo '$row' | grep -Eq '^$t +- +- +- +- +- +- +[0-9]+\$'"
	done
	q=$(awk '$1 == "igmp_query" {print $NF}' ctl.txt)
	r=$(awk '$1 == "igmp_v1_report" {print $NF}' ctl.txt)
	echo "igmp_query: trapmon $q, devlink $((q1 - q0)); igmp_v1_report: trapmon $r, devlink $((r1 - r0))"
	check "igmp_query: devlink's count exactly" [ "$q" -gt 0 -a "$q" -eq $((q1 - q0)) ]
	check "igmp_v1_report: devlink's count exactly" [ "$r" -gt 0 -a "$r" -eq $((r1 - r0)) ]
	check "-c shows no drop traps" sh -c '! grep -Eq "^(blackhole_route|ttl_value_is_too_small) " ctl.txt'
}
