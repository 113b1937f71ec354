# refusals: an exception trap, an unknown trap, group or device, and a
# failing group set midway are refused with exit 1; nothing stays changed.

all_actions() {
	devlink -j trap show | jq -c '[.trap[][] | {name, action}]'
}

refused() {
	desc=$1; pattern=$2; shift 2
	trapmon "$@" 1 1 > out.txt 2> err.txt
	rc=$?
	echo "$desc: rc=$rc: $(cat err.txt)"
	check "$desc: exit 1" [ $rc -eq 1 ]
	check "$desc: one line" [ "$(wc -l < err.txt)" -eq 1 ]
	check "$desc: says why" grep -q -- "$pattern" err.txt
	check "$desc: nothing changed" [ "$(all_actions)" = "$orig" ]
}

guest() {
	nsim_create 10 2 || fail "create netdevsim10"
	nsim_ports_up 10 || fail "ports up"
	orig=$(all_actions)

	refused "exception trap" "exception trap" --set-action ttl_value_is_too_small=drop
	if lab_can control_traps "refusing a control trap"; then
		refused "control trap" "control trap" --set-action igmp_query=drop
	fi
	refused "unknown trap" "closest: blackhole_route" --set-action blackhole_rout=trap
	refused "unknown group" "closest: l2_drops" --set-group-action l2_drop=trap
	refused "unknown device" "netdevsim/netdevsim10" --dev netdevsim/netdevsim99 \
		--set-action blackhole_route=trap
	if lab_has policers; then
		refused "unknown policer" "policer 99" --set-policer 99=100
		# The trap and l2_drops sets succeed; l3_drops (bound to a policer)
		# fails after the kernel already changed its traps: roll all back.
		echo 1 > "$(nsim_debugfs 10)/fail_trap_group_set"
		refused "rollback" "group l3_drops.*kernel says" --set-action tail_drop=trap \
			--set-group-action l2_drops=trap --set-group-action l3_drops=trap
		echo 0 > "$(nsim_debugfs 10)/fail_trap_group_set"
	else
		refused "no policers" "this kernel has no trap policers" --set-policer 1=100
	fi
	if ! lab_has mirror_action; then
		# tail_drop and l2_drops change; the kernel refuses mirror: roll back.
		refused "no mirror action" "this kernel has no mirror action" \
			--set-action tail_drop=trap --set-group-action l2_drops=trap \
			--set-action blackhole_route=mirror
	fi
	check "no journal left" [ -z "$(ls /run/trapmon/journal.* 2>/dev/null)" ]

	trapmon --set-action blackhole_route=bogus > out.txt 2> err.txt
	check "bad action: exit 64" [ $? -eq 64 ]
}
