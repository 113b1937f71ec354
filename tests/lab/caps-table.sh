# caps-table: the README's table of what each mode needs, row by row, each
# mode run with exactly the capabilities its row names (capsh: as nobody
# with ambient capabilities, or as root with a bounding set of one), and
# once with one fewer, which must fail with the one line that names it.
# host() checks the README still states these rows.

# as_nobody CAPS CMD: run CMD as nobody holding exactly CAPS (cap_x,cap_y).
as_nobody() {
	caps=$1; shift
	if [ -n "$caps" ]; then
		capsh --user=nobody --iab="$(echo "^$caps" | sed 's/,/,^/g')" --shell=/bin/sh -- -c "$*"
	else
		capsh --user=nobody --shell=/bin/sh -- -c "$*"
	fi
}

# as_root_with CAPS CMD: uid 0, but a bounding set of exactly CAPS.
as_root_with() {
	caps=$1; shift
	all=$(capsh --print | sed -n 's/^Bounding set =//p')
	drop=$(echo "$all" | tr ',' '\n' | grep -vx -e "$(echo "$caps" | sed 's/,/\\|/g')" -e '' | paste -sd,)
	capsh --drop="$drop" --shell=/bin/sh -- -c "$*"
}

guest() {
	nsim_create 10 2 || fail "create netdevsim10"
	nsim_ports_up 10 || fail "ports up"
	trap_set 10 blackhole_route trap || fail "devlink trap set"
	mkdir -p /tmp/c && chmod 777 /tmp/c && cd /tmp/c

	# trapmon [interval [count]]: CAP_SYS_ADMIN + CAP_NET_ADMIN.
	as_nobody cap_sys_admin,cap_net_admin "trapmon 2 1" > mon.txt 2> mon.err
	rc=$?
	cat mon.err
	check "monitor with CAP_SYS_ADMIN+CAP_NET_ADMIN: exit 0" [ $rc -eq 0 ]
	check "monitor with CAP_SYS_ADMIN+CAP_NET_ADMIN: rows" grep -q '^blackhole_route ' mon.txt
	check_refused "monitor without CAP_SYS_ADMIN" CAP_SYS_ADMIN as_nobody cap_net_admin "trapmon 1 1"
	check_refused "monitor without CAP_NET_ADMIN" CAP_NET_ADMIN as_nobody cap_sys_admin "trapmon 1 1"

	# --passive: CAP_SYS_ADMIN only, beside a session someone else owns.
	dwdump -o hw -w /dev/null > dw.log 2>&1 &
	dpid=$!
	sleep 1
	as_nobody cap_sys_admin "trapmon --passive 2 1" > p.txt 2> p.err
	rc=$?
	check "--passive with CAP_SYS_ADMIN only: exit 0" [ $rc -eq 0 ]
	check "--passive with CAP_SYS_ADMIN only: rows" grep -q '^blackhole_route ' p.txt
	check_refused "--passive without CAP_SYS_ADMIN" CAP_SYS_ADMIN as_nobody "" "trapmon --passive 1 1"
	kill -INT $dpid; wait $dpid

	# Trap changes: CAP_NET_ADMIN (as root: the journal is root's).
	trap_set 10 blackhole_route drop
	as_root_with cap_net_admin "trapmon --apply --set-action blackhole_route=trap" > a.txt 2> a.err
	rc=$?
	cat a.err
	check "--apply with CAP_NET_ADMIN only: exit 0" [ $rc -eq 0 ]
	check "--apply with CAP_NET_ADMIN only: trapping" [ "$(trap_action 10 blackhole_route)" = trap ]
	trap_set 10 blackhole_route drop
	check_refused "--apply without CAP_NET_ADMIN" CAP_NET_ADMIN \
		as_root_with cap_sys_admin "trapmon --apply --set-action blackhole_route=trap"
	check "nothing changed" [ "$(trap_action 10 blackhole_route)" = drop ]

	# --list and -c: no capability at all.
	as_nobody "" "trapmon --list" > l.txt 2> l.err
	check "--list with no capability: exit 0" [ $? -eq 0 ]
	check "--list with no capability: blackhole_route listed" grep -q ' blackhole_route ' l.txt
	if lab_can control_traps "-c with no capability"; then
		as_nobody "" "trapmon -c 1 1" > c.txt 2> c.err
		check "-c with no capability: exit 0" [ $? -eq 0 ]
		check "-c with no capability: igmp_query counted" grep -q '^igmp_query ' c.txt
	fi

	# -r: none.
	trapmon --set-action blackhole_route=trap -w /tmp/c/t.pcap 2 1 > w.txt 2>&1
	as_nobody "" "trapmon -r /tmp/c/t.pcap" > r.txt 2> r2.err
	check "-r with no capability: exit 0" [ $? -eq 0 ]
	check "-r with no capability: rows" grep -q '^blackhole_route ' r.txt
	cd "$OUT"
}

host() {
	local ok=0 row
	for row in \
		'trapmon \[-d\] \[-e\] \[interval \[count\]\] +CAP_SYS_ADMIN' \
		' +\+ CAP_NET_ADMIN \(NET_DM CONFIG/START/STOP\)' \
		'--set-action, --set-group-action, +CAP_NET_ADMIN \(devlink sets\)' \
		'--set-policer, --apply, --restore +in /run/trapmon is root' \
		'--passive +CAP_SYS_ADMIN only' \
		'--list, -c \(devlink counters\) +none' \
		'-r FILE \(replay\) +none'; do
		grep -Eq -- "^  $row" "$SRCDIR/README" || { echo "README lacks the row /$row/"; ok=1; }
	done
	return $ok
}
