# summary: --summary counts per hardware trap and per kernel drop point
# (symbol+offset from /proc/kallsyms), each mode exact against devlink.
# Tolerance stated: each mode's hardware per-trap count equals devlink's
# rx_packets delta exactly (traffic flows only while the mode listens), and
# its software count equals the datagrams sent exactly. (The two modes'
# counts are not compared with each other: how much netdevsim sends in a
# window depends on the guest's speed; devlink's delta is the exact
# reference for each.)

run_mode() {
	mode=$1; shift
	for p in $(nsim_ports 10); do ip link set "$p" down; done
	trapmon --hw --sw "$@" > $mode.txt 2> $mode.err &
	pid=$!
	wait_started $pid || fail "$mode: trapmon did not start"
	sleep 1		# summary mode loads kallsyms after START
	b=$(trap_rx_packets 10 blackhole_route)
	nsim_ports_up 10
	udpsend 127.0.0.1 9999 50 > /dev/null
	sleep 3
	for p in $(nsim_ports 10); do ip link set "$p" down; done
	sleep 2		# summaries leave the kernel once a second
	a=$(trap_rx_packets 10 blackhole_route)
	kill -INT $pid
	wait $pid
	check "$mode mode exits 0" [ $? -eq 0 ]
	cat $mode.err
	grep -v '192\.0\.2\.1' $mode.txt
	eval "dl_$mode=$((a - b))"
}

guest() {
	nsim_create 10 2 || fail "create netdevsim10"
	trap_set 10 blackhole_route trap
	run_mode packet
	run_mode summary --summary

	sw_p=$(awk -v t="$(sw_drop_name NO_SOCKET __udp4_lib_rcv)" '$1 == "sw" && $2 == t {s += $NF} END {print s + 0}' packet.txt)
	sw_s=$(awk '$1 == "sw" && $2 ~ /^__udp4_lib_rcv\+0x/ {s += $NF} END {print s + 0}' summary.txt)
	echo "software: packet mode $(sw_drop_name NO_SOCKET __udp4_lib_rcv) $sw_p, summary __udp4_lib_rcv+off $sw_s"
	check "software drops: 50 in packet mode" [ "$sw_p" -eq 50 ]
	check "software drops: 50 at __udp4_lib_rcv+off in summary mode" [ "$sw_s" -eq 50 ]
	check "summary rows have no flows" grep -Eq '^sw +__udp4_lib_rcv\+0x[0-9a-f]+ +- +- +- +- +- +- +[0-9]+$' summary.txt
	p=$(awk '$1 == "hw" && $2 == "blackhole_route" {s += $NF} END {print s + 0}' packet.txt)
	q=$(awk '$1 == "hw" && $2 == "blackhole_route" {s += $NF} END {print s + 0}' summary.txt)
	echo "blackhole_route: packet $p (devlink $dl_packet), summary $q (devlink $dl_summary)"
	check "packet mode equals devlink" [ "$p" -gt 0 -a "$p" -eq "$dl_packet" ]
	check "summary mode equals devlink" [ "$q" -gt 0 -a "$q" -eq "$dl_summary" ]
}
