# smoke: the lab itself works. netdevsim traps blackhole_route, devlink counts
# it, dwdump captures it, and tshark on the host decodes the trap name.

guest() {
	nsim_create 10 2 || fail "create netdevsim10"
	nsim_ports_up 10 || fail "ports up"
	trap_set 10 blackhole_route trap || fail "devlink trap set"
	check "action is trap" [ "$(trap_action 10 blackhole_route)" = trap ]
	before=$(trap_rx_packets 10 blackhole_route)
	dwdump -o hw -w "$OUT/smoke.pcap" &
	pid=$!
	sleep 2
	kill -INT $pid
	wait $pid
	after=$(trap_rx_packets 10 blackhole_route)
	echo "rx packets $before -> $after"
	check "devlink counts blackhole_route" [ "$after" -gt "$before" ]
	check "dwdump wrote a capture" [ -s "$OUT/smoke.pcap" ]
}

host() {
	n=$(tshark -r "$OUT/smoke.pcap" -Y 'net_dm.hw_trap_name == "blackhole_route"' 2>/dev/null | wc -l)
	echo "tshark decodes $n blackhole_route alerts"
	[ "$n" -gt 0 ]
}
