# sw-drops: --sw shows software drops by the kernel's drop reason, with
# flows dissected as for hardware drops: UDP to a closed port is NO_SOCKET;
# a tc drop rule shows its own reason; --wide adds the drop location.

guest() {
	trapmon --sw 3 1 > t.txt 2> t.err &
	pid=$!
	wait_started $pid || fail "trapmon did not start"
	udpsend 127.0.0.1 9999 10 || fail "udpsend"
	wait $pid
	check "--sw exits 0" [ $? -eq 0 ]
	cat t.err t.txt
	n=$(awk '$1 == "NO_SOCKET" && $2 == "127.0.0.1" && $3 == "127.0.0.1" && $5 == 9999 && $6 == 17 {s += $NF} END {print s + 0}' t.txt)
	echo "NO_SOCKET to 127.0.0.1:9999: $n"
	check "a NO_SOCKET row for the flow, count >= 10" [ "$n" -ge 10 ]

	# tc: everything leaving tdrop0 is dropped by a matchall rule.
	ip link add tdrop0 type dummy || fail "dummy"
	ip addr add 10.9.0.1/24 dev tdrop0
	ip link set tdrop0 up
	ip neigh add 10.9.0.2 lladdr 02:00:00:00:00:02 dev tdrop0
	tc qdisc add dev tdrop0 clsact || fail "clsact"
	tc filter add dev tdrop0 egress matchall action drop || fail "tc filter"
	trapmon --sw --wide 3 1 > tc.txt 2> tc.err &
	pid=$!
	wait_started $pid || fail "trapmon did not start"
	udpsend 10.9.0.2 7777 20 > /dev/null
	wait $pid
	cat tc.err tc.txt
	check "--wide has LOCATION" grep -Eq ' LOCATION ' tc.txt
	row=$(awk '$0 ~ / 10\.9\.0\.1 +10\.9\.0\.2 / && $0 ~ / 7777 /' tc.txt | head -n1)
	echo "tc row: $row"
	check "tc drops show up with their flow" [ -n "$row" ]
	check "tc drops carry a TC reason" sh -c "echo '$row' | grep -q '^TC_'"
	n=$(awk '$0 ~ / 10\.9\.0\.2 / && $0 ~ / 7777 / {s += $NF} END {print s + 0}' tc.txt)
	check "all 20 tc drops counted (got $n)" [ "$n" -ge 20 ]
	ip link del tdrop0

	# Both origins: a column tells them apart.
	nsim_create 10 2 && nsim_ports_up 10 && trap_set 10 blackhole_route trap
	trapmon --hw --sw 2 1 > both.txt 2>&1 &
	pid=$!
	wait_started $pid || fail "trapmon did not start"
	udpsend 127.0.0.1 9999 5 > /dev/null
	wait $pid
	check "ORIGIN column with both" grep -Eq '^ORIGIN +TRAP ' both.txt
	check "hw rows" grep -Eq '^hw +blackhole_route ' both.txt
	check "sw rows" grep -Eq '^sw +NO_SOCKET ' both.txt
}
