# listing: --list -j agrees with devlink -j -s trap show on every trap's
# type, action and group; --list=groups and --list=policers show the rest.

guest() {
	nsim_create 10 2 || fail "create netdevsim10"
	trap_set 10 blackhole_route trap
	trapmon --list -j > list.json || fail "--list -j"
	devlink -j -s trap show > devlink.json || fail "devlink"
	trapmon --list > list.txt || fail "--list"
	trapmon --list=groups > groups.txt || fail "--list=groups"
	trapmon --list=policers -j > policers.json || fail "--list=policers"
	cat list.txt groups.txt policers.json
	check "text list has a header" grep -Eq '^DEVICE +TRAP +TYPE +ACTION +GROUP' list.txt
	check "text list shows blackhole_route trapping" \
		grep -Eq '^netdevsim/netdevsim10 +blackhole_route +drop +trap +l3_drops ' list.txt
	check "groups list shows l2_drops" grep -q ' l2_drops ' groups.txt
	trap_set 10 blackhole_route drop
}

host() {
	a=$(jq -c '[.[] | {name: .trap, type, action, group}] | sort_by(.name)' "$OUT/list.json")
	b=$(jq -c '[.trap[][] | {name, type, action, group}] | sort_by(.name)' "$OUT/devlink.json")
	echo "trapmon: $a"
	echo "devlink: $b"
	[ "$a" = "$b" ] || { echo "--list -j disagrees with devlink"; return 1; }
	[ "$(jq length "$OUT/list.json")" -eq 14 ] || { echo "expected 14 traps"; return 1; }
	jq -e '[.[] | .rate] | sort == [1000, 2000, 3000]' "$OUT/policers.json" > /dev/null ||
		{ echo "policer rates wrong"; return 1; }
}
