# privileges: -Z nobody runs as nobody after setup with CAP_NET_ADMIN only,
# opens the capture as nobody, and still stops monitoring and restores the
# action at exit; -r needs no privileges at all.

guest() {
	nsim_create 10 2 || fail "create netdevsim10"
	nsim_ports_up 10 || fail "ports up"
	mkdir -p /tmp/z && chmod 777 /tmp/z
	before=$(dwdump -q 2>&1)
	trapmon -Z nobody --set-action blackhole_route=trap -w /tmp/z/t.pcap 60 > t.txt 2> t.err &
	pid=$!
	wait_started $pid || fail "trapmon did not start"
	sleep 1
	grep -E '^(Uid|Gid|CapEff|CapPrm|CapBnd)' /proc/$pid/status | tee status
	check "runs as nobody" grep -Eq '^Uid:[[:space:]]+65534[[:space:]]+65534' status
	check "keeps only CAP_NET_ADMIN" grep -Eq '^CapEff:[[:space:]]+0000000000001000$' status
	check "capture opened as nobody" [ "$(stat -c %U /tmp/z/t.pcap)" = nobody ]
	check "trapping meanwhile" [ "$(trap_action 10 blackhole_route)" = trap ]
	kill -INT $pid	# after the checks, however slow the guest
	wait $pid
	rc=$?
	cat t.err
	check "exit 0" [ $rc -eq 0 ]
	check "table printed" grep -q '^blackhole_route ' t.txt
	check "action restored by the unprivileged process" [ "$(trap_action 10 blackhole_route)" = drop ]
	check "config restored" [ "$(dwdump -q 2>&1)" = "$before" ]
	check "no journal to restore" [ -z "$(find /run/trapmon -name 'journal.*' -size +0 2>/dev/null)" ]
	dwdump -o hw -w /dev/null > dw.log 2>&1 &
	dpid=$!
	sleep 1
	check "monitoring is off" kill -0 $dpid
	kill -INT $dpid; wait $dpid

	su -s /bin/sh nobody -c "trapmon -r /tmp/z/t.pcap" > r.txt 2> r.err
	check "-r as nobody: exit 0" [ $? -eq 0 ]
	check "-r as nobody: the same blackhole_route total" \
		[ "$(awk '$1 == "blackhole_route" {s += $NF} END {print s}' r.txt)" = \
		  "$(awk '$1 == "blackhole_route" {s += $NF} END {print s}' t.txt)" ]
}
