# acl: ACL rule attribution. netdevsim reports ingress_flow_action_drop
# with the flow action cookie written to its trap_flow_action_cookie knob
# (as the kernel's devlink_trap.sh selftest does); a tc filter on the first
# port carries an action with that cookie. trapmon --wide shows the cookie
# and names the filter as tc itself lists it ("PORT ingress pref 10
# matchall handle 0x1"), -j carries both, and a replaced filter is named
# anew in the same run (the cache follows rtnetlink's tc notifications).
# An egress ACL drop's rule sits on the port the packet was to leave by,
# which NET_DM does not report: trapmon finds it among the egress filters
# of the in-port's device, and names it on every in-port's row. A rule in
# a shared block is named by its block.
# Linux 5.4's netdevsim has neither the ACL traps nor the cookie knob.

# The rule as tc lists it: "PORT DIRECTION pref P KIND handle 0xH".
tc_rule() {
	tc -j filter show dev "$1" "$2" | jq -r --arg p "$1" --arg d "$2" \
		'.[] | select(.options.handle != null) | "\($p) \($d) pref \(.pref) \(.kind) handle \(.options.handle)"' |
		awk '{ printf "%s %s %s %s %s %s 0x%x\n", $1, $2, $3, $4, $5, $6, $7 }'
}

# add_rule PORT DIRECTION PREF COOKIE: a matchall filter under PORT's
# clsact DIRECTION whose drop action carries COOKIE, and netdevsim told to
# report COOKIE; rule is set to the filter as tc lists it.
add_rule() {
	tc qdisc show dev "$1" | grep -q clsact || tc qdisc add dev "$1" clsact ||
		fail "tc qdisc add clsact on $1"
	tc filter add dev "$1" "$2" pref "$3" matchall skip_hw action drop cookie "$4" ||
		fail "tc filter add on $1 $2"
	echo "$4" > "$(nsim_debugfs 10)/trap_flow_action_cookie" || fail "set netdevsim's cookie"
	rule=$(tc_rule "$1" "$2")
	echo "tc lists: $rule"
	check "tc lists the rule on $1 $2" [ -n "$rule" ]
}

# traffic_run FILE FORMAT: trapmon FORMAT (--wide or -j) over a burst of
# traffic into FILE, which is shown, and its exit checked.
traffic_run() {
	trapmon_traffic "$1" "$2" -d 60
	rc=$?
	cat "$1" err.txt
	check "trapmon $2 exits 0 ($1)" [ $rc -eq 0 ]
}

# flows_name FILE TRAP PORT COOKIE RULE: -j's flows of TRAP that came in
# on PORT are there, and every one carries COOKIE and names RULE ("" for
# none).
flows_name() {
	jq -e --arg t "$2" --arg p "$3" --arg c "$4" --arg r "$5" \
		'[.flows[] | select(.trap == $t and .in_port == $p)] |
		 length > 0 and all(.cookie == $c and (.acl // "") == $r)' "$1"
}

guest() {
	lab_need acl_traps "ACL drop traps"
	lab_need flow_cookie "netdevsim's trap_flow_action_cookie"
	nsim_create 10 2 || fail "create netdevsim10"
	port=$(nsim_ports 10 | head -n1)
	cookie=1a2b3c4d5e6f
	trap_set 10 ingress_flow_action_drop trap || fail "devlink trap set"
	add_rule "$port" ingress 10 $cookie

	traffic_run wide.txt --wide
	check "--wide has COOKIE and ACL columns" grep -Eq '^TRAP .* COOKIE +ACL +BYTES +FIRST +LAST +RATE +COUNT$' wide.txt
	check "the ACL drop on $port shows the cookie and the rule tc lists" \
		grep -Eq "^ingress_flow_action_drop +.* $port .* $cookie +$rule +[0-9]+ +[0-9:.]+ +[0-9:.]+ +[0-9.]+ +[0-9]+\$" wide.txt

	traffic_run json.txt -j
	check "-j: the flow carries the cookie and the rule" \
		flows_name json.txt ingress_flow_action_drop "$port" $cookie "$rule"

	# The rule replaced mid-run: later tables name the new one. One-second
	# tables and no count: SIGINT ends it once the new rule is named (or
	# wait_line gave up), however slow the guest.
	trapmon --wide -d 1 > change.txt 2> err.txt &
	pid=$!
	wait_started $pid || fail "trapmon did not start"
	nsim_ports_up 10
	wait_line change.txt "$rule" $pid || fail "the first rule was not named"
	tc filter del dev "$port" ingress pref 10
	tc filter add dev "$port" ingress pref 20 matchall skip_hw action drop cookie $cookie
	rule2=$(tc_rule "$port" ingress)
	echo "tc lists now: $rule2"
	wait_line change.txt "$rule2" $pid
	found=$?
	nsim_ports_down 10
	kill -INT $pid
	wait $pid
	rc=$?
	cat change.txt err.txt
	check "trapmon --wide -d 1 exits 0" [ $rc -eq 0 ]
	check "a replaced rule is named anew: $rule2" [ $found -eq 0 ]

	# Egress: netdevsim reports the trap on each port that is up, so both
	# ports are in-ports here, and the rule is on the second one's egress.
	trap_set 10 ingress_flow_action_drop drop
	trap_set 10 egress_flow_action_drop trap || fail "devlink trap set egress"
	port2=$(nsim_ports 10 | sed -n 2p)
	cookie=0f1e2d3c4b5a6978
	add_rule "$port2" egress 30 $cookie
	traffic_run egress.txt --wide
	for p in "$port" "$port2"; do
		check "an egress ACL drop that came in on $p names the rule on $port2's egress" \
			grep -Eq "^egress_flow_action_drop +.* $p .* $cookie +$rule +[0-9]+ +[0-9:.]+ +[0-9:.]+ +[0-9.]+ +[0-9]+\$" \
			egress.txt
	done
	traffic_run egress.json -j
	for p in "$port" "$port2"; do
		check "-j: every egress ACL flow in on $p carries the cookie and that rule" \
			flows_name egress.json egress_flow_action_drop "$p" $cookie "$rule"
	done

	# An ingress drop's rule is on its in-port: the same cookie on eth1's
	# egress does not name the drops that came in on the other port.
	trap_set 10 egress_flow_action_drop drop
	trap_set 10 ingress_flow_action_drop trap
	traffic_run ingress.json -j
	check "-j: ingress ACL flows in on $port name no rule of $port2's egress" \
		flows_name ingress.json ingress_flow_action_drop "$port" $cookie ""

	# A shared block, as a switch binds one ACL to many ports: both ports'
	# clsact ingress on block 10 and the filter in the block. The kernel
	# lists it under the block, not a port: trapmon names the block.
	tc qdisc del dev "$port" clsact
	tc qdisc del dev "$port2" clsact
	for p in "$port" "$port2"; do
		tc qdisc add dev "$p" ingress_block 10 clsact || fail "tc qdisc add ingress_block 10 on $p"
	done
	cookie=5a5b5c5d
	tc filter add block 10 pref 40 matchall skip_hw action drop cookie $cookie ||
		fail "tc filter add block 10"
	echo $cookie > "$(nsim_debugfs 10)/trap_flow_action_cookie" || fail "set netdevsim's cookie"
	rule=$(tc -j filter show block 10 | jq -r '.[] | select(.options.handle != null) |
		"block 10 ingress pref \(.pref) \(.kind) handle \(.options.handle)"' |
		awk '{ printf "%s %s %s %s %s %s %s 0x%x\n", $1, $2, $3, $4, $5, $6, $7, $8 }')
	echo "tc lists: $rule"
	check "tc lists the block's rule" [ -n "$rule" ]
	traffic_run block.json -j
	for p in "$port" "$port2"; do
		check "-j: every ingress ACL flow in on $p names the shared block's rule" \
			flows_name block.json ingress_flow_action_drop "$p" $cookie "$rule"
	done
}
