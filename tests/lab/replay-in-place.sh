# replay-in-place: trapmon -r reads a large capture through a mapping of
# the page cache, holding no lease, so a writer that truncates it while
# trapmon is stopped mid-file goes ahead at once. The cut lies 8 MiB past
# where the mapping then starts (trapmon gives it back 2 MiB at a time
# behind itself, and hands out at most a few MiB ahead), mid-record and
# off a page boundary: once trapmon runs again its size check meets the
# shorter file before the mapping reaches the cut, and read() goes on to
# the cut record: one line naming the fix, exit 1, never SIGBUS. The drops
# before the cut are counted as tshark counts them in the cut file (host).

# The file offset where PID's mapping of /tmp/big.pcap now starts.
map_offset() {
	local off

	off=$(awk '$NF == "/tmp/big.pcap" {print $3; exit}' /proc/$1/maps 2> /dev/null)
	[ -n "$off" ] && echo $((0x$off))
}

guest() {
	local tp tr rc trc took cut i pos size

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
	# Stopped once it reads the file through its mapping.
	i=0
	while [ $i -lt 500 ]; do
		pos=$(map_offset $tp)
		[ -n "$pos" ] && break
		i=$((i + 1))
		sleep 0.01
	done
	kill -STOP $tp
	pos=$(map_offset $tp)
	size=$(stat -c %s /tmp/big.pcap)
	cut=$((${pos:-0} + 8388608 + 37))
	echo "trapmon stopped with its mapping from file offset $pos; the cut will be at $cut of $size"
	check "it reads the capture through a mapping (/proc/PID/maps)" [ -n "$pos" ]
	check "trapmon -r was stopped at least 8 MiB before the end (mapping from $pos)" \
		[ "$cut" -lt "$size" ]
	check "it holds no lease on the capture (/proc/locks)" \
		sh -c "! grep -qE 'LEASE .* $tp ' /proc/locks"
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
