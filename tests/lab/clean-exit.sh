# clean-exit: after trapmon exits (count reached, SIGINT, SIGTERM, SIGHUP)
# monitoring is off, so dwdump can start, NET_DM's config is as it was, and
# the trap action trapmon set is back to what devlink had.

dm_config() {
	dwdump -q 2>&1 | grep -v '^$'
}

dwdump_can_start() {
	dwdump -o hw -w /dev/null > dw.log 2>&1 &
	dpid=$!
	sleep 1
	if kill -0 $dpid 2>/dev/null; then
		kill -INT $dpid; wait $dpid
		return 0
	fi
	cat dw.log
	return 1
}

guest() {
	nsim_create 10 2 || fail "create netdevsim10"
	nsim_ports_up 10 || fail "ports up"
	before=$(dm_config)
	echo "config before: $before"

	trapmon --set-action blackhole_route=trap 1 1 > t1.txt 2>&1
	check "count reached: exit 0" [ $? -eq 0 ]
	check "count reached: blackhole_route restored" [ "$(trap_action 10 blackhole_route)" = drop ]
	check "count reached: config restored" [ "$(dm_config)" = "$before" ]
	check "count reached: monitoring off" dwdump_can_start

	for sig in INT TERM HUP; do
		# dwdump leaves its own config behind: compare with what
		# trapmon found, not with the boot default.
		before=$(dm_config)
		trapmon --set-action blackhole_route=trap > t.$sig 2>&1 &
		pid=$!
		wait_started $pid || fail "SIG$sig: trapmon did not start"
		check "SIG$sig: trapping while it runs" [ "$(trap_action 10 blackhole_route)" = trap ]
		sleep 1
		kill -$sig $pid
		wait $pid
		rc=$?
		cat t.$sig
		check "SIG$sig: exit 0" [ $rc -eq 0 ]
		check "SIG$sig: table printed" grep -q '^blackhole_route ' t.$sig
		after=$(dm_config)
		echo "config before: $before / after: $after"
		check "SIG$sig: config restored" [ "$after" = "$before" ]
		check "SIG$sig: blackhole_route restored" [ "$(trap_action 10 blackhole_route)" = drop ]
		check "SIG$sig: monitoring off" dwdump_can_start
	done
}
