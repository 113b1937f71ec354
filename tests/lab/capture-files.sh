# capture-files: dwdump's files replay to the right totals, -G/-W and -C
# rotate into files that each decode alone, --linktype=ether gives the same
# frames as plain Ethernet, and --filter matches what tshark selects.

guest() {
	nsim_create 10 2 || fail "create netdevsim10"
	nsim_ports_up 10 || fail "ports up"
	trap_set 10 blackhole_route trap

	dwdump -o hw -w dw.pcap > /dev/null 2>&1 &
	pid=$!
	sleep 2
	kill -INT $pid; wait $pid

	trapmon -w 'g-%H%M%S.pcap' -G 1 -W 3 5 1 > g.txt 2> g.err
	check "-G -W run exits 0" [ $? -eq 0 ]
	ls g-*.pcap > g.list
	cat g.err g.list
	check "-W 3 keeps 3 files" [ "$(wc -l < g.list)" -eq 3 ]
	trapmon -w c.pcap -C 20k 3 1 > c.txt 2> c.err
	check "-C run exits 0" [ $? -eq 0 ]
	ls -l c.pcap* > c.list
	cat c.err c.list
	check "-C 20k rotates into several files" [ "$(wc -l < c.list)" -ge 2 ]

	# Two listeners over the same drops: ports up only while both run.
	for p in $(nsim_ports 10); do ip link set "$p" down; done
	trapmon -w nl.pcap > nl.txt 2>&1 &
	p1=$!
	wait_started $p1 || fail "trapmon did not start"
	trapmon --linktype=ether -w eth.pcap > eth.txt 2> eth.err &
	p2=$!
	wait_passive $p2 eth.err || fail "the second trapmon did not start listening"
	nsim_ports_up 10
	sleep 2
	for p in $(nsim_ports 10); do ip link set "$p" down; done
	sleep 1
	kill -INT $p1 $p2; wait $p1; wait $p2

	# Software drops to two ports; the filter keeps port 53 only.
	trapmon --sw -w all.pcap > all.txt 2>&1 &
	p1=$!
	wait_started $p1 || fail "trapmon did not start"
	trapmon --sw --filter 'udp and dst port 53' -w f.pcap > f.txt 2> f.err &
	p2=$!
	wait_passive $p2 f.err || fail "the second trapmon did not start listening"
	udpsend 127.0.0.1 53 7 > /dev/null
	udpsend 127.0.0.1 54 5 > /dev/null
	sleep 1
	kill -INT $p1 $p2; wait $p1; wait $p2
	cat f.txt
	n=$(awk -v t="$(sw_drop_name NO_SOCKET __udp4_lib_rcv)" '$1 == t {s += $NF} END {print s + 0}' f.txt)
	check "--filter live: 7 drops to port 53 (got $n)" [ "$n" -eq 7 ]
	trap_set 10 blackhole_route drop
}

host() {
	local t d ok=0
	# dwdump's capture: per-trap totals as tshark counts them.
	for t in blackhole_route ttl_value_is_too_small fid_miss; do
		d=$(tshark -r "$OUT/dw.pcap" -Y "net_dm.hw_trap_name == \"$t\"" 2>/dev/null | wc -l)
		r=$("$TRAPMON" -r "$OUT/dw.pcap" | awk -v t=$t '$1 == t {s += $NF} END {print s + 0}')
		echo "dwdump file, $t: tshark $d, trapmon -r $r"
		[ "$d" -gt 0 ] && [ "$d" -eq "$r" ] || ok=1
	done
	for f in "$OUT"/g-*.pcap "$OUT"/c.pcap*; do
		n=$(tshark -r "$f" -Y 'net_dm.hw_trap_name' 2>/dev/null | wc -l)
		fam=$(tshark -r "$f" -c 1 -T fields -e genl.ctrl.family_name 2>/dev/null)
		echo "$(basename "$f"): $n alerts, first record names $fam"
		[ "$n" -gt 0 ] && [ "$fam" = NET_DM ] || ok=1
	done
	# The same frames as Ethernet.
	tshark -r "$OUT/nl.pcap" -Y 'ip.src == 192.0.2.1' -T fields -e ip.src -e udp.srcport -e udp.dstport 2>/dev/null | sort > "$OUT/nl.frames"
	tshark -r "$OUT/eth.pcap" -T fields -e ip.src -e udp.srcport -e udp.dstport 2>/dev/null | sort > "$OUT/eth.frames"
	lt=$(tshark -r "$OUT/eth.pcap" -c 1 -T fields -e frame.protocols 2>/dev/null)
	echo "ether capture: $(wc -l < "$OUT/eth.frames") frames, protocols $lt; netlink: $(wc -l < "$OUT/nl.frames")"
	case $lt in eth:*) ;; *) ok=1 ;; esac
	[ -s "$OUT/eth.frames" ] && diff -q "$OUT/nl.frames" "$OUT/eth.frames" || ok=1
	# --filter in replay equals tshark's display filter on the same file.
	a=$(tshark -r "$OUT/all.pcap" -Y 'udp.dstport == 53' 2>/dev/null | wc -l)
	b=$("$TRAPMON" -r "$OUT/all.pcap" --filter 'udp and dst port 53' --sw |
		awk -v t="$(sw_drop_name NO_SOCKET __udp4_lib_rcv)" '$1 == t {s += $NF} END {print s + 0}')
	c=$(tshark -r "$OUT/f.pcap" -Y 'net_dm' 2>/dev/null | wc -l)
	echo "--filter: tshark $a, trapmon -r $b, live filtered capture $c"
	[ "$a" -eq 7 ] && [ "$b" -eq 7 ] && [ "$c" -eq 7 ] || ok=1
	return $ok
}
