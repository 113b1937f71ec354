# passive: with dwdump already monitoring, trapmon listens passively, warns
# once, counts exactly what the owner's session produced (devlink's count
# over a window opened and closed while both listen), and leaves dwdump's
# session running when it exits.

TRAPS="blackhole_route ttl_value_is_too_small fid_miss"

guest() {
	nsim_create 10 2 || fail "create netdevsim10"
	trap_set 10 blackhole_route trap || fail "devlink trap set"
	dwdump -o hw -w dw.pcap > dw.log 2>&1 &
	dpid=$!
	sleep 1
	trapmon > t.txt 2> t.err &
	pid=$!
	wait_passive $pid t.err || { cat t.err; fail "trapmon did not start listening"; }
	for t in $TRAPS; do eval "before_$t=\$(trap_rx_packets 10 $t)"; done
	nsim_ports_up 10
	sleep 2
	nsim_ports_down 10
	sleep 0.5
	for t in $TRAPS; do eval "after_$t=\$(trap_rx_packets 10 $t)"; done
	kill -INT $pid
	wait $pid
	rc=$?
	cat t.err t.txt
	check "exit 0" [ $rc -eq 0 ]
	check "one warning line about passive mode" [ "$(grep -c "already on" t.err)" -eq 1 ]
	for t in $TRAPS; do
		total=$(awk -v t=$t '$1 == t {s += $NF} END {print s + 0}' t.txt)
		eval "delta=\$((after_$t - before_$t))"
		echo "$t: passive trapmon $total, devlink $delta"
		check "$t: the passive count equals devlink's" [ "$total" -gt 0 -a "$total" -eq "$delta" ]
	done
	nsim_ports_up 10
	s1=$(wc -c < dw.pcap)
	sleep 1
	s2=$(wc -c < dw.pcap)
	echo "dwdump capture $s1 -> $s2 bytes after trapmon exited"
	check "dwdump still running" kill -0 $dpid
	check "dwdump still capturing" [ "$s2" -gt "$s1" ]
	kill -INT $dpid
	wait $dpid

	# --passive never starts anything: with nothing monitoring, no alerts.
	trapmon --passive 1 1 > p.txt 2>&1
	check "--passive: exit 0" [ $? -eq 0 ]
	check "--passive alone receives nothing" sh -c '! grep -q "^blackhole_route " p.txt'
}
