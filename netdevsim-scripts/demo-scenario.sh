# The README's demo: netdevsim10 with 2 ports up, and trapmon setting
# blackhole_route to trap itself, printing five 1-second tables of what the
# "ASIC" dropped, then putting the action back.

guest() {
	nsim_create 10 2 >/dev/null || fail "create netdevsim10"
	nsim_ports_up 10 || fail "ports up"
	echo "# devlink trap show netdevsim/netdevsim10 trap blackhole_route"
	devlink trap show netdevsim/netdevsim10 trap blackhole_route
	echo "# trapmon --hw --set-action blackhole_route=trap 1 5"
	trapmon --hw --set-action blackhole_route=trap 1 5 || fail "trapmon"
	echo "# devlink trap show netdevsim/netdevsim10 trap blackhole_route   (restored)"
	devlink trap show netdevsim/netdevsim10 trap blackhole_route
}
