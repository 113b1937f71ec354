# replay-in-place: trapmon -r reads a large capture through a mapping of
# the page cache, holding no lease, so a writer that truncates it while
# trapmon is stopped mid-file goes ahead at once; once trapmon runs again
# it meets the shorter size and reads on by read() to the cut record: one
# line naming the fix, exit 1, never SIGBUS. The drops before the cut are
# counted as tshark counts them in the cut file (host).

# The file offset of PID's descriptor of /tmp/big.pcap.
read_offset() {
	local f
	for f in /proc/$1/fd/*; do
		[ "$(readlink "$f")" = /tmp/big.pcap ] &&
			awk '/^pos:/ {print $2}' "/proc/$1/fdinfo/${f##*/}"
	done 2> /dev/null
}

guest() {
	local tp tr rc trc took cut i pos

	nsim_create 10 2 || fail "create netdevsim10"
	nsim_ports_up 10 || fail "ports up"
	trap_set 10 blackhole_route trap
	trapmon -w one.pcap 2 1 > one.txt 2> one.err
	check "capture run exits 0" [ $? -eq 0 ]
	trap_set 10 blackhole_route drop
	# A capture of at least 32 MiB: one.pcap's records, doubled.
	tail -c +25 one.pcap > /tmp/recs
	[ -s /tmp/recs ] || fail "one.pcap has no records"
	while [ "$(stat -c %s /tmp/recs)" -lt 33554432 ]; do
		cat /tmp/recs /tmp/recs > /tmp/recs2 && mv /tmp/recs2 /tmp/recs
	done
	{ head -c 24 one.pcap; cat /tmp/recs; } > /tmp/big.pcap
	rm -f /tmp/recs
	echo "capture: $(stat -c %s /tmp/big.pcap) bytes"

	trapmon -r /tmp/big.pcap > r.txt 2> r.err &
	tp=$!
	# Stopped once it has read some of the file (its descriptor's offset).
	i=0
	while [ $i -lt 500 ]; do
		pos=$(read_offset $tp)
		[ "${pos:-0}" -gt 0 ] && break
		i=$((i + 1))
		sleep 0.01
	done
	kill -STOP $tp
	pos=$(read_offset $tp)
	# Cut into the last record: past wherever trapmon has got to.
	cut=$(($(stat -c %s /tmp/big.pcap) - 100))
	echo "trapmon stopped at file offset $pos; the cut will be at $cut"
	check "trapmon -r was stopped mid-file, before the cut (offset $pos)" \
		[ "${pos:-0}" -gt 0 -a "${pos:-0}" -le "$cut" ]
	check "it holds no lease on the capture (/proc/locks)" \
		sh -c "! grep -qE 'LEASE .* $tp ' /proc/locks"
	check "it reads the capture through a mapping (/proc/PID/maps)" grep -q big.pcap /proc/$tp/maps
	took=$(date +%s)
	(exec 3<> /tmp/big.pcap && truncate -s $cut /tmp/big.pcap) &
	tr=$!
	wait $tr
	trc=$?
	took=$(($(date +%s) - took))
	check "the writer truncates at once while trapmon is stopped (exit $trc, ${took} s)" \
		[ $trc -eq 0 -a $took -lt 3 ]
	kill -CONT $tp
	wait $tp
	rc=$?
	cat r.err
	check "trapmon ends on the cut record with exit 1 (got $rc; 135 would be SIGBUS)" [ $rc -eq 1 ]
	check "one line: the capture was cut short, and the fix" \
		[ "$(grep -c 'truncated dump file.*cut short.*repair it' r.err)" -eq 1 ]
	check "nothing else on stderr" [ "$(wc -l < r.err)" -eq 1 ]
	cp /tmp/big.pcap cut.pcap
	rm -f /tmp/big.pcap
}

host() {
	local d r
	# The records before the cut, as tshark counts them in the cut file.
	d=$(tshark -r "$OUT/cut.pcap" -Y 'net_dm.hw_trap_name == "blackhole_route"' 2>/dev/null | wc -l)
	r=$(awk '$1 == "blackhole_route" {s += $NF} END {print s + 0}' "$OUT/r.txt")
	echo "cut capture, blackhole_route: tshark $d, trapmon -r $r"
	[ "$d" -gt 0 ] && [ "$d" -eq "$r" ]
}
