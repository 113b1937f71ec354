# listing: --list -j agrees with devlink -j -s trap show on every trap's
# type, action and group; --list=groups and --list=policers show the rest.

guest() {
	nsim_create 10 2 || fail "create netdevsim10"
	trap_set 10 blackhole_route trap
	trapmon --list -j > list.json || fail "--list -j"
	devlink -j -s trap show > devlink.json || fail "devlink"
	trapmon --list > list.txt || fail "--list"
	trapmon --list=groups > groups.txt || fail "--list=groups"
	trapmon --list=policers -j > policers.json 2> policers.err || fail "--list=policers"
	cat list.txt groups.txt policers.json policers.err
	if ! lab_has policers; then
		check "no policers: one line that says so" \
			sh -c '[ $(wc -l < policers.err) -eq 1 ] && grep -q "this kernel has no trap policers" policers.err'
	fi
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
	n=$(jq '[.trap[][]] | length' "$OUT/devlink.json")
	[ "$(jq length "$OUT/list.json")" -eq "$n" ] && [ "$n" -gt 0 ] || { echo "expected $n traps"; return 1; }
	if lab_has policers; then
		# netdevsim's three policers, as its driver registers them.
		jq -e '[.[] | .rate] | sort == [1000, 2000, 3000]' "$OUT/policers.json" > /dev/null ||
			{ echo "policer rates wrong"; return 1; }
	else
		[ "$(jq -c . "$OUT/policers.json")" = "[]" ] || { echo "policers listed on a kernel without them"; return 1; }
	fi
}
