# options-capture: --trunc cuts each packet to the asked length while the
# original length stays (tshark reads both: netdevsim's packets are 142
# bytes), and -U flushes every packet: polled every 0.1 s while netdevsim
# traps a burst every 100 ms, the file grows many times a second, where
# without -U it grows once a second (the capture's periodic flush), and a
# copy taken mid-run decodes.

guest() {
	nsim_create 10 2 || fail "create netdevsim10"
	nsim_ports_up 10 || fail "ports up"
	trapmon --hw --set-action blackhole_route=trap --trunc 64 --linktype=ether -w tr.pcap 2 1 \
		> tr.txt 2> tr.err
	check "--trunc run exits 0" [ $? -eq 0 ]
	cat tr.err

	for mode in U b; do
		flag=; [ $mode = U ] && flag=-U
		trapmon --set-action blackhole_route=trap $flag -w $mode.pcap > $mode.txt 2> $mode.err &
		pid=$!
		wait_started $pid || fail "trapmon $flag did not start"
		sleep 0.5
		t0=$(date +%s%N)
		i=0
		while [ $i -lt 20 ]; do
			stat -c %s $mode.pcap
			sleep 0.1
			i=$((i + 1))
		done | sort -u | wc -l > $mode.sizes
		# A slow guest takes longer than 2 s over the 20 polls: the
		# periodic flush then happens more often; count whole seconds.
		echo $(( ($(date +%s%N) - t0) / 1000000000 + 1 )) > $mode.secs
		cp $mode.pcap $mode-running.pcap
		kill -INT $pid; wait $pid
		check "run ${flag:-without -U} exits 0" [ $? -eq 0 ]
	done
	echo "distinct file sizes: -U $(cat U.sizes) over $(cat U.secs) s, without -U $(cat b.sizes) over $(cat b.secs) s"
	check "-U: the file grows with every burst" [ "$(cat U.sizes)" -ge 8 ]
	# once a second, and the size before the first flush
	check "without -U: it grows at the periodic flush only" [ "$(cat b.sizes)" -le $(( $(cat b.secs) + 2 )) ]
}

host() {
	local n bad ok=0
	n=$(tshark -r "$OUT/tr.pcap" 2>/dev/null | wc -l)
	bad=$(tshark -r "$OUT/tr.pcap" -T fields -e frame.cap_len -e frame.len 2>/dev/null | grep -vc '^64	142$')
	echo "--trunc 64: $n frames, $bad not 64 of 142 bytes"
	[ "$n" -gt 0 ] && [ "$bad" -eq 0 ] || ok=1
	n=$(tshark -r "$OUT/U-running.pcap" -Y net_dm 2>/dev/null | wc -l)
	echo "-U: a copy taken mid-run decodes: $n alerts"
	[ "$n" -gt 0 ] || ok=1
	return $ok
}
