# passive: with dwdump already monitoring, trapmon listens passively, warns
# once, aggregates, and leaves dwdump's session running when it exits.

guest() {
	nsim_create 10 2 || fail "create netdevsim10"
	nsim_ports_up 10 || fail "ports up"
	trap_set 10 blackhole_route trap || fail "devlink trap set"
	dwdump -o hw -w dw.pcap > dw.log 2>&1 &
	dpid=$!
	sleep 1
	trapmon 2 1 > t.txt 2> t.err
	rc=$?
	cat t.err t.txt
	check "exit 0" [ $rc -eq 0 ]
	check "one warning line about passive mode" \
		sh -c '[ $(wc -l < t.err) -eq 1 ] && grep -q "already on" t.err'
	check "aggregated passively" grep -q '^blackhole_route ' t.txt
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
