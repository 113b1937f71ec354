# capture: -w writes a LINKTYPE_NETLINK pcap that tshark decodes with the
# trap name beside each packet, and trapmon -r replays it to the same table;
# -w - streams to stdout with the table on stderr.

guest() {
	nsim_create 10 2 || fail "create netdevsim10"
	nsim_ports_up 10 || fail "ports up"
	trapmon --hw --set-action blackhole_route=trap -w t.pcap 3 1 > t.txt 2> t.err
	check "-w run exits 0" [ $? -eq 0 ]
	cat t.err
	check "-w run restores blackhole_route" [ "$(trap_action 10 blackhole_route)" = drop ]
	trap_set 10 blackhole_route trap
	trapmon -w - 2 1 > stdout.pcap 2> stderr.txt
	check "-w - exits 0" [ $? -eq 0 ]
	check "-w -: the table went to stderr" grep -q '^blackhole_route ' stderr.txt
	trap_set 10 blackhole_route drop
}

totals() {
	awk '/^(blackhole_route|ttl_value_is_too_small|fid_miss) / {s[$1] += $NF}
	     END {for (t in s) print t, s[t]}' "$1" | sort
}

host() {
	local bh tn
	bh=$(awk '$1 == "blackhole_route" {s += $NF} END {print s + 0}' "$OUT/t.txt")
	tn=$(tshark -r "$OUT/t.pcap" -Y 'net_dm.hw_trap_name == "blackhole_route" && ip.src == 192.0.2.1' 2>/dev/null | wc -l)
	echo "table: $bh blackhole_route; tshark: $tn"
	[ "$bh" -gt 0 ] && [ "$bh" -eq "$tn" ] || { echo "tshark disagrees with the table"; return 1; }
	"$TRAPMON" -r "$OUT/t.pcap" > "$OUT/replay.txt" || { echo "replay failed"; return 1; }
	totals "$OUT/t.txt" > "$OUT/live.totals"
	totals "$OUT/replay.txt" > "$OUT/replay.totals"
	diff "$OUT/live.totals" "$OUT/replay.totals" || { echo "replay totals differ"; return 1; }
	# Same flows too: every row, ignoring the loss line (kernel stats are live only).
	diff <(grep -v '^Lost' "$OUT/t.txt" | sort) <(grep -v '^Lost' "$OUT/replay.txt" | sort) ||
		{ echo "replay flows differ"; return 1; }
	n=$(tshark -r "$OUT/stdout.pcap" -Y 'net_dm.hw_trap_name == "blackhole_route"' 2>/dev/null | wc -l)
	echo "-w - capture: $n blackhole_route alerts"
	[ "$n" -gt 0 ]
}
