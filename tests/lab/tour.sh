# tour: the README's quick tour, command by command, finding the output
# shape the README documents. host() checks that every "# trapmon ..."
# command of the tour is run here, so README and test cannot drift apart.

has() {
	grep -Eq "$2" "$1" || { echo "--- $1:"; cat "$1"; fail "$1 lacks /$2/"; }
}

guest() {
	nsim_create 10 2 || fail "create netdevsim10"
	nsim_ports_up 10 || fail "ports up"

	trapmon --hw --set-action blackhole_route=trap 2 1 > t1 2>&1
	has t1 '^TRAP +SIP +DIP +SPORT +DPORT +IP_PROTO +IS_ENCAP +COUNT$'
	has t1 '^blackhole_route +192\.0\.2\.1 +198\.51\.100\.1 +[0-9]+ +[0-9]+ +17 +0 +1$'
	has t1 '^Lost: [0-9]+ in kernel queue \(hw [0-9]+, sw [0-9]+\), [0-9]+ socket overruns, [0-9]+ alerts folded into \(other\), [0-9]+ malformed$'

	trapmon -T --max-flows 8 1 5 > t2 2>&1
	check "-T: five timestamped tables" [ "$(grep -Ec '^[0-9]{2}:[0-9]{2}:[0-9]{2}$' t2)" -eq 5 ]
	has t2 '^ttl_value_is_too_small +\(other\) +- +- +- +- +- +[0-9]+$'

	trapmon -c --wide 2 1 > t3 2>&1
	if lab_can control_traps "the tour's -c table" && lab_can trap_report "-c per port"; then
		has t3 "^trapmon: control traps: counted per port from devlink:devlink_trap_report events$"
		has t3 "^igmp_query +mc_snooping +$(nsim_ports 10 | sed -n 1p)( +-){11} +0 +[0-9:.]+ +[0-9:.]+ +[0-9.]+ +[0-9]+\$"
	elif lab_has control_traps; then
		has t3 "^trapmon: control traps: devlink's per-trap counters, without ports or flows"
	else
		has t3 "^trapmon: no devlink device here has control traps"
	fi

	trapmon --source=tracepoint --wide 2 1 > t19 2>&1
	if lab_can trap_report "the tour's --source=tracepoint table"; then
		has t19 "^trapmon: counting devlink:devlink_trap_report events per trap and port; no drop monitor, no packets$"
		has t19 "^fid_miss +l2_drops +$(nsim_ports 10 | sed -n 1p) +- +- "
		has t19 '^Lost: 0 in perf rings, 0 socket overruns, 0 alerts folded into \(other\), 0 malformed$'
	else
		has t19 "^trapmon: this kernel has no devlink:devlink_trap_report tracepoint$"
	fi

	# The README's commands as written (host() checks each is run): a
	# count ends these, so the burst must fall in the 3 s (about 2.5 s of
	# slack), not a SIGINT as in sw-drops.sh.
	trapmon --sw 3 1 > t4 2>&1 &
	pid=$!
	wait_started $pid || fail "trapmon did not start"
	udpsend 127.0.0.1 9999 10 > /dev/null
	wait $pid
	has t4 "^$(sw_drop_name NO_SOCKET __udp4_lib_rcv)"' +127\.0\.0\.1 +127\.0\.0\.1 +[0-9]+ +9999 +17 +0 +10$'

	ip link add tdrop0 type dummy && ip addr add 10.9.0.1/24 dev tdrop0 && ip link set tdrop0 up
	ip neigh add 10.9.0.2 lladdr 02:00:00:00:00:02 dev tdrop0
	tc qdisc add dev tdrop0 clsact && tc filter add dev tdrop0 egress matchall action drop
	trapmon --sw --wide 3 1 > t5 2>&1 &
	pid=$!
	wait_started $pid || fail "trapmon did not start"
	udpsend 10.9.0.2 7777 20 > /dev/null
	wait $pid
	has t5 '^TRAP +GROUP +PORT +SIP +DIP .* LOCATION +BYTES +FIRST +LAST +RATE +COUNT$'
	has t5 "^$(sw_drop_name TC_EGRESS __dev_queue_xmit)"' +- +- +10\.9\.0\.1 +10\.9\.0\.2 +[0-9]+ +7777 +17 +0 .* __dev_queue_xmit +[0-9]+ +[0-9:.]+ +[0-9:.]+ +[0-9.]+ +20$'
	ip link del tdrop0

	trapmon --hw --set-action blackhole_route=trap --why 2 1 > t14 2>&1
	has t14 '^Why:$'
	has t14 '^  blackhole_route +notice +the destination matched a blackhole route.*\. Check: ip route show type blackhole'
	has t14 "^  fid_miss +- +exception trap in group l2_drops; driver-specific trap: see the driver's documentation"
	trapmon --explain=blackhole_route,NO_SOCKET > t15 2>&1
	has t15 '^blackhole_route \(trap, drop, notice\)$'
	has t15 '^NO_SOCKET \(reason, drop, notice\)$'
	if lab_can acl_traps "the tour's ACL drops" && lab_can flow_cookie "the tour's ACL cookie"; then
		port=$(nsim_ports 10 | head -n1)
		tc qdisc add dev "$port" clsact
		tc filter add dev "$port" ingress pref 10 matchall skip_hw action drop cookie 1a2b3c4d5e6f
		echo 1a2b3c4d5e6f > "$(nsim_debugfs 10)/trap_flow_action_cookie"
		trapmon --wide --set-action ingress_flow_action_drop=trap 2 1 > t16 2>&1
		has t16 "^ingress_flow_action_drop +acl_drops +$port .* 1a2b3c4d5e6f +$port ingress pref 10 matchall handle 0x1 +[0-9]+ +[0-9:.]+ +[0-9:.]+ +[0-9.]+ +1\$"
		tc qdisc del dev "$port" clsact
	fi

	trapmon --hw --set-action blackhole_route=trap --by trap,port 2 1 > t17 2>&1
	cat t17
	has t17 '^TRAP +PORT +COUNT$'
	has t17 "^blackhole_route +$(nsim_ports 10 | head -n1) +[0-9]+$"
	trapmon --hw --set-action blackhole_route=trap --by group --sort=rate --top=1 --wide 2 1 > t18 2>&1
	cat t18
	has t18 '^GROUP +BYTES +FIRST +LAST +RATE +COUNT$'
	has t18 '^l3_drops +[0-9]+ +[0-9:.]+ +[0-9:.]+ +[0-9.]+ +[0-9]+$'
	has t18 '^… [0-9]+ more rows? \([0-9]+ packets\)$'

	trapmon --list > t6 2>&1
	has t6 '^DEVICE +TRAP +TYPE +ACTION +GROUP +GENERIC +METADATA +PACKETS +BYTES +DROPS$'
	# Its group as devlink reports it: l3_exceptions on 6.1, l3_drops on 5.4.
	grp=$(devlink -j trap show netdevsim/netdevsim10 trap ttl_value_is_too_small | jq -r '.trap[][0].group')
	has t6 "^netdevsim/netdevsim10 +ttl_value_is_too_small +exception +trap +$grp +true +input_port "

	trapmon --hw --set-action blackhole_route=trap -w t.pcap 3 1 > t.txt
	trapmon -r t.pcap > t7 2>&1
	check "-r t.pcap: the same rows as t.txt" sh -c 'grep -v "^Lost" t.txt | sort > a; grep -v "^Lost" t7 | sort > b; cmp -s a b'
	trapmon -r t.pcap -T --by trap 1 > t19 2>&1
	cat t19
	check "-r t.pcap 1: a table per second of the capture" [ "$(grep -Ec '^[0-9]{2}:[0-9]{2}:[0-9]{2}$' t19)" -ge 3 ]
	dwdump -o hw -w dw.pcap > /dev/null 2>&1 &
	pid=$!
	sleep 2
	kill -INT $pid; wait $pid
	trap_set 10 blackhole_route trap
	dwdump -o hw -w dw.pcap > /dev/null 2>&1 &
	pid=$!
	sleep 2
	kill -INT $pid; wait $pid
	trap_set 10 blackhole_route drop
	trapmon -r dw.pcap > t8 2>&1
	has t8 '^blackhole_route +192\.0\.2\.1 '

	trapmon -p --set-action blackhole_route=trap || fail "-p"
	sleep 1
	trapmon -s > t9 2>&1
	has t9 '^blackhole_route +192\.0\.2\.1 '
	trapmon -p > t10 2>&1
	has t10 "^trapmon: a trapmon aggregator is already running \(pid [0-9]+: trapmon -p --set-action blackhole_route=trap\): 'trapmon -s' reads it, 'trapmon -u' stops it$"
	trapmon -u || fail "-u"
	check "-u: blackhole_route back to drop" [ "$(trap_action 10 blackhole_route)" = drop ]

	trapmon -p --set-action blackhole_route=trap --listen 127.0.0.1:9432 --compat trapagg || fail "-p --listen"
	sleep 2
	wget -q -O t11 http://127.0.0.1:9432/metrics || fail "wget"
	trapmon -u
	has t11 '^trapmon_trap_packets_total\{device="netdevsim/netdevsim10",trap="blackhole_route",group="l3_drops",type="drop",origin="hw",source="netdm"\} [0-9]+$'
	has t11 '^trapmon_devlink_trap_rx_packets_total\{device="netdevsim/netdevsim10",trap="blackhole_route",group="l3_drops",type="drop",action="trap"\} [0-9]+$'
	has t11 '^node_net_trapagg_total\{dip="198\.51\.100\.1",dport="[0-9]+",ip_proto="17",is_encap="0",sip="192\.0\.2\.1",sport="[0-9]+",trap="[a-z_]+"\} [0-9]+$'
	has t11 '^trapmon_socket_overruns_total 0$'

	trapmon --set-action blackhole_route=trap > /dev/null 2>&1 &
	pid=$!
	wait_started $pid || fail "trapmon did not start"
	kill -9 $pid; wait $pid 2>/dev/null
	trapmon 1 1 > t12 2>&1
	has t12 "^trapmon: trapmon pid $pid died without restoring trap actions, drop monitoring left on: run 'trapmon --restore --force' to put them back$"
	trapmon --restore > t13 2>&1
	has t13 "^trapmon: stopped the drop monitoring trapmon pid $pid left on$"
	has t13 "^trapmon: restored 1 trap setting that trapmon pid $pid changed$"
	check "restored" [ "$(trap_action 10 blackhole_route)" = drop ]
}

host() {
	local missing=0
	sed -n '/^A quick tour/,/^Compared with/p' "$SRCDIR/README" | sed -n 's/^  # \(trapmon.*\)/\1/p' |
		sed 's/ *#.*//; s/ *> *t\.txt$//; s/ *$//' | sort -u > "$OUT/tour.cmds"
	[ -s "$OUT/tour.cmds" ] || { echo "no tour commands found in README"; return 1; }
	while read -r cmd; do
		grep -qF -- "$cmd" "$SCENARIO" && continue
		echo "README's tour runs '$cmd', which tour.sh does not"
		missing=1
	done < "$OUT/tour.cmds"
	echo "$(wc -l < "$OUT/tour.cmds") tour commands checked against tour.sh"
	return $missing
}
