# options-devices: --dev limits trap changes to one of two devices; --wide
# on hardware drops shows GROUP, PORT (the netdevsim port that trapped) and
# VLAN; --set-policer changes a policer while trapmon runs and restores it
# (devlink reads both); --force takes over a live dwdump session: trapmon
# monitors itself (no passive warning) and leaves monitoring off.

policer() {
	devlink -j trap policer show netdevsim/netdevsim10 policer 1 |
		jq -r '.trap_policer[][0] | "\(.rate)/\(.burst)"'
}

guest() {
	nsim_create 10 2 || fail "create netdevsim10"
	nsim_create 11 2 || fail "create netdevsim11"
	nsim_ports_up 10 && nsim_ports_up 11 || fail "ports up"
	nsim_ports 11 > ports11

	trapmon --dev netdevsim/netdevsim11 --set-action blackhole_route=trap --wide 60 \
		> dev.txt 2> dev.err &
	pid=$!
	wait_started $pid || fail "trapmon --dev did not start"
	a10=$(trap_action 10 blackhole_route); a11=$(trap_action 11 blackhole_route)
	sleep 1	# alerts for the table, then SIGINT: however slow the guest
	kill -INT $pid
	wait $pid
	check "--dev run exits 0" [ $? -eq 0 ]
	cat dev.err dev.txt
	check "--dev: netdevsim11 trapping while it ran" [ "$a11" = trap ]
	check "--dev: netdevsim10 untouched" [ "$a10" = drop ]
	check "--dev: netdevsim11 restored" [ "$(trap_action 11 blackhole_route)" = drop ]
	check "--wide header" grep -Eq '^TRAP +GROUP +PORT +SIP +DIP +SPORT +DPORT +IP_PROTO +IS_ENCAP +VLAN ' dev.txt
	check "--dev: blackhole_route rows" grep -q '^blackhole_route ' dev.txt
	for p in $(awk '$1 == "blackhole_route" {print $3}' dev.txt | sort -u); do
		check "--wide: blackhole_route only on netdevsim11's ports ($p)" grep -qx "$p" ports11
	done
	check "--wide: blackhole_route rows carry group l3_drops and no VLAN" \
		sh -c "awk '\$1 == \"blackhole_route\"' dev.txt | awk '\$2 != \"l3_drops\" || \$10 != \"-\"' | grep -c . | grep -qx 0"
	nsim_destroy 11

	if lab_can policers "--set-policer set and restored"; then
		orig=$(policer)
		trapmon --set-policer 1=500/64 > pol.txt 2> pol.err &
		pid=$!
		wait_started $pid || fail "trapmon --set-policer did not start"
		during=$(policer)
		kill -INT $pid; wait $pid
		check "--set-policer run exits 0" [ $? -eq 0 ]
		echo "policer 1: $orig, while running $during, after $(policer)"
		check "--set-policer: 500/64 while running" [ "$during" = 500/64 ]
		check "--set-policer: restored" [ "$(policer)" = "$orig" ]
	fi

	trap_set 10 blackhole_route trap
	dwdump -o hw -w dw.pcap > dw.log 2>&1 &
	dpid=$!
	sleep 1
	check "dwdump monitors" kill -0 $dpid
	trapmon --force 2 1 > f.txt 2> f.err
	rc=$?
	cat f.err
	check "--force exits 0" [ $rc -eq 0 ]
	check "--force: not passive" sh -c '! grep -q "already on" f.err'
	check "--force: counted alerts" grep -q '^blackhole_route ' f.txt
	s1=$(wc -c < dw.pcap); sleep 1; s2=$(wc -c < dw.pcap)
	echo "dwdump's capture after the takeover: $s1 -> $s2 bytes"
	check "--force: monitoring off after exit (dwdump gets nothing more)" [ "$s2" -eq "$s1" ]
	kill -INT $dpid 2>/dev/null; wait $dpid 2>/dev/null
	trap_set 10 blackhole_route drop
}
