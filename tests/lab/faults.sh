# faults: a device deleted mid-run is reported once and the totals stay
# right; -w - into a pipe whose reader exits ends cleanly with the table on
# stderr and actions restored; the exporter survives 200 concurrent scrapes
# plus malformed requests with its counts intact.

bh() {
	awk '$1 == "blackhole_route" {s += $NF} END {print s + 0}' "$1"
}

guest() {
	nsim_create 10 2 || fail "create netdevsim10"
	nsim_ports_up 10 || fail "ports up"

	# 1. The device goes away while trapmon monitors it. Traffic flows
	# only while trapmon listens, so its count is devlink's exactly.
	nsim_ports_down 10
	before=$(trap_rx_packets 10 blackhole_route)
	trapmon --set-action blackhole_route=trap > del.txt 2> del.err &
	pid=$!
	wait_started $pid || fail "trapmon did not start"
	nsim_ports_up 10
	sleep 2
	nsim_ports_down 10
	sleep 0.5
	last=$(trap_rx_packets 10 blackhole_route)
	nsim_destroy 10
	wait_line del.err 'went away' $pid
	check "still running after the device went away" kill -0 $pid
	kill -INT $pid
	wait $pid
	rc=$?
	cat del.err
	check "exit 0" [ $rc -eq 0 ]
	check "reported once" [ "$(grep -c 'went away' del.err)" -eq 1 ]
	got=$(bh del.txt); want=$((last - before))
	echo "blackhole_route: trapmon $got, devlink before deletion $want"
	check "totals equal devlink's" [ "$got" -gt 0 -a "$got" -eq "$want" ]
	check "no journal left" [ -z "$(ls /run/trapmon/journal.* 2>/dev/null)" ]

	# 2. A closed pipe.
	nsim_create 10 2 && nsim_ports_up 10
	( trapmon --set-action blackhole_route=trap -w - 2> pipe.err; echo $? > pipe.rc ) | head -c 3000 > /dev/null
	cat pipe.err | grep -v '^blackhole_route\|^ttl\|^fid'
	check "closed pipe: exit 0" [ "$(cat pipe.rc)" = 0 ]
	check "closed pipe: said why" grep -q "reader went away" pipe.err
	check "closed pipe: table on stderr" grep -q '^blackhole_route ' pipe.err
	check "closed pipe: action restored" [ "$(trap_action 10 blackhole_route)" = drop ]

	# 3. The exporter under 200 concurrent scrapes and garbage.
	trapmon -p --set-action blackhole_route=trap --listen 127.0.0.1:9432 || fail "-p --listen"
	sleep 2
	for p in $(nsim_ports 10); do ip link set "$p" down; done
	sleep 1.5
	trapmon -s -j > before.json
	i=0
	while [ $i -lt 200 ]; do
		wget -q -O /dev/null http://127.0.0.1:9432/metrics &
		i=$((i + 1))
	done
	for i in 1 2 3 4 5; do
		printf 'GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: %s\r\n\r\n' "$(head -c 40000 /dev/zero | tr '\0' a)" |
			nc 127.0.0.1 9432 > /dev/null 2>&1 &
		printf 'NONSENSE\r\n\r\n' | nc 127.0.0.1 9432 > /dev/null 2>&1 &
		printf 'POST /metrics HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello' | nc 127.0.0.1 9432 > /dev/null 2>&1 &
	done
	wait
	wget -q -O after.txt http://127.0.0.1:9432/metrics || fail "serving after the storm"
	trapmon -s -j > after.json
	check "still up" grep -q '^trapmon_up 1' after.txt
	trapmon -u || fail "-u"
}

host() {
	a=$(jq '[.traps[] | select(.trap == "blackhole_route") | .packets] | add' "$OUT/before.json")
	b=$(jq '[.traps[] | select(.trap == "blackhole_route") | .packets] | add' "$OUT/after.json")
	m=$(awk '/^trapmon_trap_packets_total\{.*trap="blackhole_route"/ {s += $NF} END {print s + 0}' "$OUT/after.txt")
	echo "before the storm $a, after $b, metrics $m"
	[ "$a" -gt 0 ] && [ "$a" = "$b" ] && [ "$b" = "$m" ]
}
