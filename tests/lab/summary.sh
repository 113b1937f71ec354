# summary: --summary counts per hardware trap and per kernel drop point
# (symbol+offset from /proc/kallsyms) and agrees with packet mode.
# Tolerance: software counts must match exactly (a fixed number of
# datagrams); hardware per-trap counts are rates (netdevsim reports every
# 100 ms) and must agree within 20% over 3 s.

guest() {
	nsim_create 10 2 || fail "create netdevsim10"
	nsim_ports_up 10 || fail "ports up"
	trap_set 10 blackhole_route trap

	for mode in packet summary; do
		opt=; [ $mode = summary ] && opt=--summary
		trapmon --hw --sw $opt 3 1 > $mode.txt 2> $mode.err &
		pid=$!
		wait_started $pid || fail "trapmon did not start"
		udpsend 127.0.0.1 9999 50 > /dev/null
		wait $pid
		check "$mode mode exits 0" [ $? -eq 0 ]
		cat $mode.err $mode.txt
	done
	sw_p=$(awk '$1 == "sw" && $2 == "NO_SOCKET" {s += $NF} END {print s + 0}' packet.txt)
	sw_s=$(awk '$1 == "sw" && $2 ~ /^__udp4_lib_rcv\+0x/ {s += $NF} END {print s + 0}' summary.txt)
	echo "software: packet mode NO_SOCKET $sw_p, summary __udp4_lib_rcv+off $sw_s"
	check "software drops: 50 in packet mode" [ "$sw_p" -eq 50 ]
	check "software drops: 50 at __udp4_lib_rcv+off in summary mode" [ "$sw_s" -eq 50 ]
	check "summary rows have no flows" grep -Eq '^sw +__udp4_lib_rcv\+0x[0-9a-f]+ +- +- +- +- +- +- +[0-9]+$' summary.txt
	for t in blackhole_route ttl_value_is_too_small fid_miss; do
		p=$(awk -v t=$t '$1 == "hw" && $2 == t {s += $NF} END {print s + 0}' packet.txt)
		q=$(awk -v t=$t '$1 == "hw" && $2 == t {s += $NF} END {print s + 0}' summary.txt)
		echo "$t: packet $p, summary $q"
		check "$t agrees within 20%" [ "$q" -gt 0 -a $((q * 100)) -ge $((p * 80)) -a $((q * 100)) -le $((p * 120)) ]
	done
}
