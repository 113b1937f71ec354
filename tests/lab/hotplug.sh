# hotplug: a netdevsim device created while trapmon runs with
# --set-action blackhole_route=trap gets trapped, its alerts are counted,
# and it is restored at exit.

guest() {
	nsim_create 10 2 || fail "create netdevsim10"
	nsim_ports_up 10 || fail "ports up"
	trapmon -j --set-action blackhole_route=trap > t.json 2> t.err &
	pid=$!
	wait_started $pid || { cat t.err; fail "trapmon did not start"; }
	nsim_create 11 2 || fail "create netdevsim11"
	nsim_ports_up 11 || fail "ports up 11"
	nsim_ports 11 > ports11
	# trapmon sets the new device's action on devlink's notification:
	# polled, so a slow guest is not a failure.
	wait_trap_action 11 blackhole_route trap
	during=$(trap_action 11 blackhole_route)
	sleep 1
	kill -INT $pid
	wait $pid
	check "trapmon exits 0" [ $? -eq 0 ]
	cat t.err
	check "new device trapped while running" [ "$during" = trap ]
	check "new device restored at exit" [ "$(trap_action 11 blackhole_route)" = drop ]
	check "first device restored at exit" [ "$(trap_action 10 blackhole_route)" = drop ]
}

host() {
	ports=$(tr '\n' ' ' < "$OUT/ports11")
	n=0
	for p in $ports; do
		c=$(jq "[.flows[] | select(.trap == \"blackhole_route\" and .in_port == \"$p\") | .packets] | add // 0" "$OUT/t.json")
		echo "blackhole_route alerts from $p: $c"
		n=$((n + c))
	done
	[ "$n" -gt 0 ]
}
