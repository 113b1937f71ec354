# clean-exit: after trapmon exits (count reached, SIGINT, SIGTERM, SIGHUP)
# monitoring is off, so dwdump can start, and NET_DM's config is as it was.

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
	trap_set 10 blackhole_route trap || fail "devlink trap set"
	before=$(dm_config)
	echo "config before: $before"

	trapmon 1 1 > t1.txt 2>&1
	check "count reached: exit 0" [ $? -eq 0 ]
	check "count reached: config restored" [ "$(dm_config)" = "$before" ]
	check "count reached: monitoring off" dwdump_can_start

	for sig in INT TERM HUP; do
		# dwdump leaves its own config behind: compare with what
		# trapmon found, not with the boot default.
		before=$(dm_config)
		trapmon > t.$sig 2>&1 &
		pid=$!
		sleep 2
		kill -$sig $pid
		wait $pid
		rc=$?
		cat t.$sig
		check "SIG$sig: exit 0" [ $rc -eq 0 ]
		check "SIG$sig: table printed" grep -q '^blackhole_route ' t.$sig
		after=$(dm_config)
		echo "config before: $before / after: $after"
		check "SIG$sig: config restored" [ "$after" = "$before" ]
		check "SIG$sig: monitoring off" dwdump_can_start
	done
}
