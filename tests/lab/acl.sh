# acl: ACL rule attribution. netdevsim reports ingress_flow_action_drop
# with the flow action cookie written to its trap_flow_action_cookie knob
# (as the kernel's devlink_trap.sh selftest does); a tc filter on the first
# port carries an action with that cookie. trapmon --wide shows the cookie
# and names the filter as tc itself lists it ("PORT ingress pref 10
# matchall handle 0x1"), -j carries both, and a replaced filter is named
# anew in the same run (the cache follows rtnetlink's tc notifications).
# Linux 5.4's netdevsim has neither the ACL traps nor the cookie knob.

# The rule as tc lists it: "PORT ingress pref P KIND handle 0xH".
tc_rule() {
	tc -j filter show dev "$1" ingress | jq -r --arg p "$1" \
		'.[] | select(.options.handle != null) | "\($p) ingress pref \(.pref) \(.kind) handle \(.options.handle)"' |
		awk '{ printf "%s %s %s %s %s %s 0x%x\n", $1, $2, $3, $4, $5, $6, $7 }'
}

guest() {
	lab_need acl_traps "ACL drop traps"
	lab_need flow_cookie "netdevsim's trap_flow_action_cookie"
	nsim_create 10 2 || fail "create netdevsim10"
	port=$(nsim_ports 10 | head -n1)
	cookie=1a2b3c4d5e6f
	trap_set 10 ingress_flow_action_drop trap || fail "devlink trap set"
	tc qdisc add dev "$port" clsact || fail "tc qdisc add clsact"
	tc filter add dev "$port" ingress pref 10 matchall skip_hw action drop cookie $cookie ||
		fail "tc filter add"
	echo $cookie > "$(nsim_debugfs 10)/trap_flow_action_cookie" || fail "set netdevsim's cookie"
	rule=$(tc_rule "$port")
	echo "tc lists: $rule"
	check "tc lists the rule" [ -n "$rule" ]

	trapmon_traffic wide.txt --wide -d 3 1
	rc=$?
	cat wide.txt err.txt
	check "trapmon --wide exits 0" [ $rc -eq 0 ]
	check "--wide has COOKIE and ACL columns" grep -Eq '^TRAP .* COOKIE +ACL +BYTES +FIRST +LAST +RATE +COUNT$' wide.txt
	check "the ACL drop on $port shows the cookie and the rule tc lists" \
		grep -Eq "^ingress_flow_action_drop +.* $port .* $cookie +$rule +[0-9]+ +[0-9:.]+ +[0-9:.]+ +[0-9.]+ +[0-9]+\$" wide.txt

	trapmon_traffic json.txt -j -d 3 1
	check "-j: the flow carries the cookie and the rule" \
		jq -e --arg c $cookie --arg r "$rule" --arg p "$port" \
		'[.flows[] | select(.trap == "ingress_flow_action_drop" and .in_port == $p)] |
		 length > 0 and all(.cookie == $c and .acl == $r)' json.txt

	# The rule replaced mid-run: later tables name the new one.
	trapmon --wide -d 1 4 > change.txt 2> err.txt &
	pid=$!
	wait_started $pid || fail "trapmon did not start"
	nsim_ports_up 10
	wait_line change.txt "$rule" $pid || fail "the first rule was not named"
	tc filter del dev "$port" ingress pref 10
	tc filter add dev "$port" ingress pref 20 matchall skip_hw action drop cookie $cookie
	rule2=$(tc_rule "$port")
	echo "tc lists now: $rule2"
	wait_line change.txt "$rule2" $pid
	found=$?
	nsim_ports_down 10
	wait $pid
	cat change.txt
	check "a replaced rule is named anew: $rule2" [ $found -eq 0 ]
}
