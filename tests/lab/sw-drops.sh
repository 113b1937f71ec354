# sw-drops: --sw shows software drops by the kernel's drop reason, with
# flows dissected as for hardware drops: UDP to a closed port is NO_SOCKET;
# a row's FIRST and LAST span bursts sent 2 s apart; a tc drop rule shows
# its own reason; --wide adds the drop location. On a
# kernel without drop reasons (5.4) a drop is named by the function that
# freed it, and JSON and metrics say the reason is unknown. Counts are
# exact: nothing else sends to these ports.

guest() {
	no_socket=$(sw_drop_name NO_SOCKET __udp4_lib_rcv)
	trapmon --sw 60 > t.txt 2> t.err &
	pid=$!
	wait_started $pid || fail "trapmon did not start"
	udpsend 127.0.0.1 9999 10 || fail "udpsend"
	end_run $pid
	check "--sw exits 0" [ $? -eq 0 ]
	cat t.err t.txt
	n=$(awk -v t="$no_socket" '$1 == t && $2 == "127.0.0.1" && $3 == "127.0.0.1" && $5 == 9999 && $6 == 17 {s += $NF} END {print s + 0}' t.txt)
	echo "$no_socket to 127.0.0.1:9999: $n"
	check "a $no_socket row for the flow, all 10 counted (got $n)" [ "$n" -eq 10 ]

	# The reason in JSON and in metrics: the kernel's, or unknown.
	trapmon --sw -j --textfile sw.prom 60 > j.json 2> j.err &
	pid=$!
	wait_started $pid || fail "trapmon -j did not start"
	udpsend 127.0.0.1 9998 4 > /dev/null
	end_run $pid
	check "--sw -j exits 0" [ $? -eq 0 ]
	cat j.err sw.prom

	# Two bursts 2 s apart under one key (--by trap): LAST is the second
	# burst's time, not the first's. A flood's alerts after the first are
	# parsed from a memo of the first; its time must be read anew.
	trapmon --sw -j --by trap 60 > span.json 2> span.err &
	pid=$!
	wait_started $pid || fail "trapmon --by trap did not start"
	udpsend 127.0.0.1 9997 5 > /dev/null
	sleep 2
	udpsend 127.0.0.1 9997 5 > /dev/null
	end_run $pid
	check "--sw -j --by trap exits 0" [ $? -eq 0 ]
	span=$(jq --arg t "$no_socket" '[.flows[] | select(.trap == $t) | .last - .first] | max // -1' span.json)
	echo "$no_socket: LAST - FIRST $span s over bursts 2 s apart"
	check "LAST - FIRST spans the sleep between the bursts (>= 1.5 s, got $span)" \
		awk -v s="$span" 'BEGIN { exit !(s >= 1.5) }'

	# tc: everything leaving tdrop0 is dropped by a matchall rule.
	ip link add tdrop0 type dummy || fail "dummy"
	ip addr add 10.9.0.1/24 dev tdrop0
	ip link set tdrop0 up
	ip neigh add 10.9.0.2 lladdr 02:00:00:00:00:02 dev tdrop0
	tc qdisc add dev tdrop0 clsact || fail "clsact"
	tc filter add dev tdrop0 egress matchall action drop || fail "tc filter"
	trapmon --sw --wide 60 > tc.txt 2> tc.err &
	pid=$!
	wait_started $pid || fail "trapmon did not start"
	udpsend 10.9.0.2 7777 20 > /dev/null
	end_run $pid
	cat tc.err tc.txt
	check "--wide has LOCATION" grep -Eq ' LOCATION ' tc.txt
	row=$(awk '$0 ~ / 10\.9\.0\.1 +10\.9\.0\.2 / && $0 ~ / 7777 /' tc.txt | head -n1)
	echo "tc row: $row"
	check "tc drops show up with their flow" [ -n "$row" ]
	if lab_has drop_reasons; then
		check "tc drops carry a TC reason" sh -c "echo '$row' | grep -q '^TC_'"
	else
		check "tc drops carry the function that freed them" \
			sh -c "echo '$row' | grep -q '^__dev_queue_xmit '"
	fi
	n=$(awk '$0 ~ / 10\.9\.0\.2 / && $0 ~ / 7777 / {s += $NF} END {print s + 0}' tc.txt)
	check "all 20 tc drops counted (got $n)" [ "$n" -eq 20 ]
	ip link del tdrop0

	# Both origins: a column tells them apart.
	nsim_create 10 2 && nsim_ports_up 10 && trap_set 10 blackhole_route trap
	trapmon --hw --sw 60 > both.txt 2>&1 &
	pid=$!
	wait_started $pid || fail "trapmon did not start"
	udpsend 127.0.0.1 9999 5 > /dev/null
	sleep 1	# netdevsim reports through its traps every 100 ms
	end_run $pid
	check "ORIGIN column with both" grep -Eq '^ORIGIN +TRAP ' both.txt
	check "hw rows" grep -Eq '^hw +blackhole_route ' both.txt
	check "sw rows" grep -Eq "^sw +$no_socket " both.txt
}

host() {
	local reason want_json want_label
	if lab_has drop_reasons; then
		reason=NO_SOCKET want_json='"NO_SOCKET"' want_label=NO_SOCKET
	else
		reason=__udp4_lib_rcv want_json=null want_label=unknown
	fi
	got=$(jq -c --arg t "$reason" '[.flows[] | select(.trap == $t and .dport == 9998) | .reason] | unique' "$OUT/j.json")
	echo "JSON reason of the 4 drops to port 9998: $got (want [$want_json])"
	[ "$got" = "[$want_json]" ] || return 1
	got=$(jq -c --arg t "$reason" '[.traps[] | select(.trap == $t) | .reason]' "$OUT/j.json")
	[ "$got" = "[$want_json]" ] || { echo "traps[] reason $got"; return 1; }
	promtool check metrics < "$OUT/sw.prom" || { echo "promtool rejects the textfile"; return 1; }
	grep -E "^trapmon_trap_packets_total\{.*trap=\"$reason\".*origin=\"sw\",source=\"netdm\",reason=\"$want_label\"\} 4$" "$OUT/sw.prom" ||
		{ echo "no software series with reason=\"$want_label\" and 4 drops"; return 1; }
}
