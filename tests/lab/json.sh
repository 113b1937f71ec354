# json: -j prints one JSON object per table that parses on the host, and its
# totals equal the text table's for the same drops.

guest() {
	nsim_create 10 2 || fail "create netdevsim10"
	trap_set 10 blackhole_route trap || fail "devlink trap set"
	# Both runs see exactly the same alerts: ports come up only after
	# both listen, and go down before both stop.
	trapmon > text.txt 2> text.err &
	p1=$!
	wait_started $p1 || fail "trapmon did not start"
	trapmon -j > out.json 2> json.err &
	p2=$!
	wait_passive $p2 json.err || fail "the second trapmon did not start listening"
	nsim_ports_up 10 || fail "ports up"
	sleep 3
	for p in $(nsim_ports 10); do ip link set "$p" down; done
	sleep 1
	kill -INT $p1 $p2
	wait $p1; r1=$?
	wait $p2; r2=$?
	cat text.err json.err
	check "text run exit 0" [ $r1 -eq 0 ]
	check "json run exit 0" [ $r2 -eq 0 ]
	check "json is one line" [ "$(wc -l < out.json)" -eq 1 ]
	awk '/^(blackhole_route|ttl_value_is_too_small|fid_miss) / {s[$1] += $NF}
	     END {for (t in s) print t, s[t]}' text.txt | sort > text.totals
	cat text.totals
}

host() {
	jq -e . "$OUT/out.json" > /dev/null || { echo "out.json does not parse"; return 1; }
	jq -r '.traps[] | "\(.trap) \(.packets)"' "$OUT/out.json" | sort > "$OUT/json.totals"
	echo "text totals:"; cat "$OUT/text.totals"
	echo "json totals:"; cat "$OUT/json.totals"
	[ -s "$OUT/text.totals" ] || { echo "no totals in the text table"; return 1; }
	diff "$OUT/text.totals" "$OUT/json.totals" || { echo "totals differ"; return 1; }
	# Flows add up to the per-trap totals, and carry group and in-port.
	jq -e '([.flows[].packets] | add) == ([.traps[].packets] | add)' "$OUT/out.json" > /dev/null ||
		{ echo "flow packets do not add up to trap totals"; return 1; }
	jq -e '.flows | all(.group != null and .in_port != null and .bytes > 0)' "$OUT/out.json" > /dev/null ||
		{ echo "flows lack group, in_port or bytes"; return 1; }
	echo "json ok"
}
