# basic-table: trapmon on netdevsim10 with blackhole_route trapping shows
# blackhole_route rows for netdevsim's 192.0.2.1 -> 198.51.100.1 UDP flows,
# plus ttl_value_is_too_small and fid_miss, and each trap's total equals
# devlink's rx_packets delta exactly: traffic flows (ports up) only while
# trapmon listens, and its one table comes at SIGINT, after the ports are
# down (a count-ended run is flagship's).

guest() {
	nsim_create 10 2 || fail "create netdevsim10"
	trap_set 10 blackhole_route trap || fail "devlink trap set"
	for t in blackhole_route ttl_value_is_too_small fid_miss; do
		eval "before_$t=\$(trap_rx_packets 10 $t)"
	done
	trapmon_traffic table.txt 60
	rc=$?
	for t in blackhole_route ttl_value_is_too_small fid_miss; do
		eval "after_$t=\$(trap_rx_packets 10 $t)"
	done
	cat table.txt err.txt
	check "trapmon exits 0" [ $rc -eq 0 ]
	check "header has the seed's columns" \
		grep -Eq '^TRAP +SIP +DIP +SPORT +DPORT +IP_PROTO +IS_ENCAP +COUNT$' table.txt
	check "blackhole_route rows carry netdevsim's flow" \
		grep -Eq '^blackhole_route +192\.0\.2\.1 +198\.51\.100\.1 +[0-9]+ +[0-9]+ +17 +0 +[0-9]+$' table.txt
	check "ttl_value_is_too_small shows" grep -q '^ttl_value_is_too_small ' table.txt
	check "fid_miss shows" grep -q '^fid_miss ' table.txt
	check "loss line" grep -q '^Lost: ' table.txt
	# Sorted by count, highest first.
	awk '/^(blackhole|ttl|fid)/ {print $NF}' table.txt > counts
	check "sorted by count" sh -c 'sort -rn counts | cmp -s - counts'
	for t in blackhole_route ttl_value_is_too_small fid_miss; do
		total=$(awk -v t=$t '$1 == t {s += $NF} END {print s + 0}' table.txt)
		eval "delta=\$((after_$t - before_$t))"
		echo "$t: trapmon $total, devlink delta $delta"
		echo "$t $total $delta" >> totals
		check "$t total equals devlink's delta" [ "$total" -gt 0 -a "$total" -eq "$delta" ]
	done

	# The same with no interval at all: one table, at SIGINT. Tolerance
	# stated: 0.
	trapmon > exact.txt 2>&1 &
	pid=$!
	wait_started $pid || fail "trapmon did not start"
	for t in blackhole_route ttl_value_is_too_small fid_miss; do
		eval "before_$t=\$(trap_rx_packets 10 $t)"
	done
	nsim_ports_up 10
	sleep 3
	for p in $(nsim_ports 10); do ip link set "$p" down; done
	sleep 0.5
	for t in blackhole_route ttl_value_is_too_small fid_miss; do
		eval "after_$t=\$(trap_rx_packets 10 $t)"
	done
	kill -INT $pid
	wait $pid
	for t in blackhole_route ttl_value_is_too_small fid_miss; do
		total=$(awk -v t=$t '$1 == t {s += $NF} END {print s + 0}' exact.txt)
		eval "delta=\$((after_$t - before_$t))"
		echo "$t: trapmon $total, devlink delta $delta (same window)"
		check "$t total equals devlink's delta" [ "$total" -gt 0 -a "$total" -eq "$delta" ]
	done
}
