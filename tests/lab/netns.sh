# netns: a port moved to another network namespace and renamed there, a
# port renamed in place, and a new device in trapmon's namespace that takes
# the moved port's old name and ifindex: the table and the metrics name
# every port by its current name, totals stay devlink's, nothing crashes.

port_rows() {	# FILE PORT: blackhole_route packets on PORT in the last table
	awk -v p="$2" '/^TRAP/ {s = 0} $1 == "blackhole_route" && $2 == p {s += $NF} END {print s + 0}' "$1"
}

guest() {
	nsim_create 10 2 || fail "create netdevsim10"
	set -- $(nsim_ports 10)
	p1=$1 p2=$2
	idx1=$(cat /sys/class/net/$p1/ifindex)
	ip netns add other || fail "ip netns add"
	before=$(trap_rx_packets 10 blackhole_route)
	trapmon --set-action blackhole_route=trap --by trap,port --listen 127.0.0.1:9432 2 \
		> n.txt 2> n.err &
	pid=$!
	wait_started $pid || fail "trapmon did not start"
	nsim_ports_up 10 || fail "ports up"
	sleep 1.5
	nsim_ports_down 10

	# p1 goes to "other" as moved0; p2 becomes renamed2; a dummy takes
	# p1's name and ifindex here.
	ip link set $p1 netns other || fail "move $p1"
	ip -n other link set $p1 name moved0 || fail "rename in other"
	ip link set $p2 name renamed2 || fail "rename $p2"
	modprobe dummy 2>/dev/null
	ip link add name $p1 index $idx1 type dummy || fail "dummy $p1 with ifindex $idx1"
	ip link set $p1 up
	echo "$p1 (ifindex $idx1) is now moved0 in netns other; $p2 is renamed2; a dummy is $p1 with ifindex $idx1"
	ip -n other link set moved0 up
	ip link set renamed2 up
	sleep 1.5
	ip -n other link set moved0 down
	ip link set renamed2 down
	sleep 2.5	# a whole table after the last drop
	wget -q -O m.txt http://127.0.0.1:9432/metrics || fail "scrape"
	last=$(trap_rx_packets 10 blackhole_route)
	stop_trapmon $pid n.err
	check "no sanitizer or crash line" [ -z "$(grep -i 'sanitizer\|abort\|segv' n.err)" ]
	grep blackhole_route m.txt
	check "metrics name moved0" grep -q 'in_port="moved0"' m.txt
	check "metrics name renamed2" grep -q 'in_port="renamed2"' m.txt
	check "metrics have no old name $p1" [ -z "$(grep "in_port=\"$p1\"" m.txt)" ]
	check "metrics have no old name $p2" [ -z "$(grep "in_port=\"$p2\"" m.txt)" ]
	got=$(awk '/^trapmon_flow_packets_total\{trap="blackhole_route"/ {s += $NF} END {print s + 0}' m.txt)
	echo "figure: blackhole_route: metrics $got, devlink $((last - before))"
	check "totals equal devlink's" [ "$got" -eq "$((last - before))" ]
	check "a table row names moved0" grep -q '^blackhole_route  *moved0 ' n.txt
	check "a table row names renamed2" grep -q '^blackhole_route  *renamed2 ' n.txt
	# Tables printed after the moves never say the old names. A table
	# that names renamed2 came after the last rename; one printed between
	# the move and the rename may name moved0 beside the old eth name.
	awk '/^TRAP/ {flush(); n = 0} {rows[n++] = $0} /renamed2/ {seen = 1}
	     function flush(  i) { if (seen) for (i = 0; i < n; i++) if (rows[i] ~ /^blackhole_route/) print rows[i] }
	     END {flush()}' n.txt > after-move.txt
	check "no row after the move says $p1 or $p2" \
		[ -z "$(awk -v a=$p1 -v b=$p2 '$2 == a || $2 == b' after-move.txt)" ]
	ip link del $p1
	ip netns del other
}
