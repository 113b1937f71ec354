# The README's demo: netdevsim10 with 2 ports, blackhole_route set to trap,
# and trapmon printing five 1-second tables of what the "ASIC" dropped.

guest() {
	nsim_create 10 2 >/dev/null || fail "create netdevsim10"
	nsim_ports_up 10 || fail "ports up"
	echo "# devlink trap set netdevsim/netdevsim10 trap blackhole_route action trap"
	trap_set 10 blackhole_route trap || fail "devlink trap set"
	echo "# trapmon -T --max-flows 8 1 5"
	trapmon -T --max-flows 8 1 5
}
