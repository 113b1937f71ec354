# actions: --set-action traps blackhole_route while trapmon runs and puts it
# back on exit; --set-group-action does the same for a whole group; --apply
# keeps the change; bad requests are refused with nothing changed.

all_actions() {
	devlink -j trap show | jq -c '[.trap[][] | {name, action}]'
}

guest() {
	nsim_create 10 2 || fail "create netdevsim10"
	nsim_ports_up 10 || fail "ports up"
	orig=$(all_actions)

	# Restored on exit.
	trapmon --hw --set-action blackhole_route=trap 2 1 > t.txt 2> t.err
	rc=$?
	cat t.err
	check "set-action run exits 0" [ $rc -eq 0 ]
	check "blackhole_route rows while it ran" \
		grep -Eq '^blackhole_route +192\.0\.2\.1 +198\.51\.100\.1 ' t.txt
	check "blackhole_route is drop again" [ "$(trap_action 10 blackhole_route)" = drop ]
	check "no journal left" [ -z "$(ls /run/trapmon/journal.* 2>/dev/null)" ]

	# Group action: all six l2 drop traps trap while it runs.
	trapmon --set-group-action l2_drops=trap 60 > g.txt 2> g.err &
	pid=$!
	wait_started $pid || { cat g.err; fail "trapmon --set-group-action did not start"; }
	devlink -j trap show | jq -r '.trap[][] | select(.group == "l2_drops") | "\(.name) \(.type) \(.action)"' > during
	stop_trapmon $pid g.err "group run"
	cat during
	check "six l2 drop traps trapping during the run" \
		[ "$(grep -c ' drop trap$' during)" -eq 6 ]
	check "fid_miss (exception) untouched" grep -q '^fid_miss exception trap$' during
	check "group changes restored" [ "$(all_actions)" = "$orig" ]

	# --apply keeps the change and exits at once.
	trapmon --apply --set-action blackhole_route=trap > a.txt 2>&1
	check "--apply exits 0" [ $? -eq 0 ]
	check "--apply kept blackhole_route at trap" [ "$(trap_action 10 blackhole_route)" = trap ]
	check "--apply left no journal" [ -z "$(ls /run/trapmon/journal.* 2>/dev/null)" ]
	trap_set 10 blackhole_route drop

	# --keep-actions keeps them after monitoring.
	trapmon --set-action tail_drop=trap --keep-actions 1 1 > k.txt 2>&1
	check "--keep-actions kept tail_drop at trap" [ "$(trap_action 10 tail_drop)" = trap ]
	trap_set 10 tail_drop drop
}
