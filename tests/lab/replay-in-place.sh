# replay-in-place: trapmon -r reads a capture in place from the page cache
# under a read lease. A writer that opens the file to truncate it while
# trapmon holds it waits (trapmon is stopped meanwhile, so the lease is
# surely held); and a non-blocking open is told to try again. Once trapmon
# runs again it gives the file back, the truncate ends at once, and trapmon
# reads on to the cut record: one line naming the fix, exit 1, never SIGBUS.
# The drops before the cut are counted as tshark counts them in the cut
# file (host).

guest() {
	local tp tr rc trc took cut i

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
	i=0
	while ! grep -qE "LEASE +ACTIVE +READ +$tp " /proc/locks && [ $i -lt 500 ]; do
		i=$((i + 1))
		sleep 0.01
	done
	kill -STOP $tp
	grep LEASE /proc/locks
	check "trapmon -r holds a read lease on the capture (/proc/locks)" \
		grep -qE "LEASE +[A-Z]+ +READ +$tp " /proc/locks
	# Cut into the last record: past wherever trapmon has got to.
	cut=$(($(stat -c %s /tmp/big.pcap) - 100))
	took=$(date +%s)
	# A writer's open() waits for the lease (busybox truncate opens with
	# O_NONBLOCK and would be told EAGAIN instead); then it truncates.
	(exec 3<> /tmp/big.pcap && truncate -s $cut /tmp/big.pcap) &
	tr=$!
	sleep 2
	check "the writer waits while the stopped trapmon holds the lease" kill -0 $tr
	check "a non-blocking open is refused meanwhile (busybox truncate)" \
		sh -c "! truncate -s $cut /tmp/big.pcap 2> /dev/null"
	kill -CONT $tp
	wait $tr
	trc=$?
	took=$(($(date +%s) - took))
	check "the writer truncates once trapmon gives the file back (exit $trc)" [ $trc -eq 0 ]
	check "within seconds, not the kernel's 45 s lease-break-time (${took} s)" [ $took -lt 20 ]
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
