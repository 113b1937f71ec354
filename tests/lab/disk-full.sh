# disk-full: -w onto a tmpfs too small for the capture exits 1 with one
# clear line, keeps counting, restores actions, and leaves a file tshark
# reads without error.

guest() {
	nsim_create 10 2 || fail "create netdevsim10"
	nsim_ports_up 10 || fail "ports up"
	mkdir -p /small
	mount -t tmpfs -o size=16k tmpfs /small || fail "mount tmpfs"
	trapmon --set-action blackhole_route=trap -w /small/t.pcap 4 1 > t.txt 2> t.err
	rc=$?
	cat t.err
	check "exit 1" [ $rc -eq 1 ]
	check "one line on stderr" [ "$(wc -l < t.err)" -eq 1 ]
	check "it names the problem and the fix" grep -q "No space left on device.*free space" t.err
	check "the table was still printed" grep -q '^blackhole_route ' t.txt
	check "actions restored" [ "$(trap_action 10 blackhole_route)" = drop ]
	cp /small/t.pcap "$OUT/t.pcap"
	umount /small
}

host() {
	tshark -r "$OUT/t.pcap" > "$OUT/tshark.txt" 2> "$OUT/tshark.all"
	rc=$?
	grep -v 'Running as user "root"' "$OUT/tshark.all" > "$OUT/tshark.err"
	echo "tshark rc=$rc, $(wc -l < "$OUT/tshark.txt") records"; cat "$OUT/tshark.err"
	[ $rc -eq 0 ] && [ ! -s "$OUT/tshark.err" ] && [ "$(wc -l < "$OUT/tshark.txt")" -gt 1 ]
}
