# clock-step: the wall clock stepped an hour forward, then two hours back,
# during `trapmon 1 5` and during -G rotation. Intervals follow the
# monotonic clock (5 tables in about 5 s; a file every 2 s), timestamps and
# file names the wall clock; the totals stay devlink's. The clock is put
# right at the end.

up() { cut -d' ' -f1 /proc/uptime; }

set_clock() {	# EPOCH
	date -s "@$1" > /dev/null || fail "date -s @$1"
}

# clock_steps S0 PAUSE: PAUSE s, the clock an hour forward, PAUSE s, two
# hours back (S0: the wall clock when it started).
clock_steps() {
	sleep $2
	set_clock $(awk -v s=$1 -v p=$2 'BEGIN {printf "%d", s + 3600 + p}')
	sleep $2
	set_clock $(awk -v s=$1 -v p=$2 'BEGIN {printf "%d", s - 3600 + 2 * p}')
}

guest() {
	nsim_create 10 2 || fail "create netdevsim10"
	r0=$(date +%s); u0=$(up)

	# 1. trapmon 1 5 with the clock stepped twice, paced by its tables (a
	# line each) and not the guest's clock: an hour forward; once a table is
	# out after that, the ports down (at least two tables before the end)
	# and the clock two hours back; then a table out after that.
	before=$(trap_rx_packets 10 blackhole_route)
	trapmon -j --set-action blackhole_route=trap 1 5 > t.json 2> t.err &
	pid=$!
	wait_started $pid || fail "trapmon did not start"
	s0=$(date +%s); t0=$(up)
	nsim_ports_up 10 || fail "ports up"
	set_clock $(($(date +%s) + 3600))
	n=$(count_lines t.json .)
	wait_lines t.json . $((n + 1)) $pid || fail "trapmon 1 5: no table after the step forward"
	nsim_ports_down 10
	set_clock $(($(date +%s) - 7200))
	n=$(count_lines t.json .)
	[ $n -le 3 ] || fail "guest too slow: $n tables out before the clock went back"
	wait_lines t.json . $((n + 1)) $pid || fail "trapmon 1 5: no table after the step back"
	wait $pid
	rc=$?
	t1=$(up)
	last=$(trap_rx_packets 10 blackhole_route)
	cat t.err
	check "trapmon 1 5: exit 0" [ $rc -eq 0 ]
	check "trapmon 1 5: five tables" [ "$(wc -l < t.json)" -eq 5 ]
	awk -v a="$t0" -v b="$t1" 'BEGIN {printf "figure: trapmon 1 5 ran %.1f s with the clock stepped +1 h and -2 h\n", b - a}'
	# Intervals on the wall clock would end at once after the step forward
	# (too short) or wait two hours after the step back (far too long); the
	# upper bound leaves room for a slow guest.
	check "trapmon 1 5: at least 4.5 s, not hours, on the monotonic clock" \
		awk -v a="$t0" -v b="$t1" 'BEGIN {exit !(b - a >= 4.5 && b - a < 60)}'
	jq -r .timestamp t.json > stamps
	echo "table timestamps (start $s0): $(tr '\n' ' ' < stamps)"
	check "a timestamp an hour ahead (the wall clock)" \
		awk -v s="$s0" '$1 > s + 3000 {f = 1} END {exit !f}' stamps
	check "the last timestamp an hour behind (the wall clock)" \
		awk -v s="$s0" 'END {exit !($1 < s - 3000)}' stamps
	got=$(jq '[.flows[] | select(.trap == "blackhole_route") | .packets] | add // 0' t.json |
		awk '{s += $1} END {print s + 0}')
	echo "figure: blackhole_route: trapmon $got, devlink $((last - before))"
	check "totals equal devlink's" [ "$got" -gt 0 -a "$got" -eq "$((last - before))" ]
	check "action restored" [ "$(trap_action 10 blackhole_route)" = drop ]

	# 2. -G 2 with the clock stepped twice.
	mkdir g
	trapmon --set-action blackhole_route=trap -w 'g/g-%s.pcap' -G 2 > g.txt 2> g.err &
	pid=$!
	wait_started $pid || fail "trapmon -G did not start"
	s0=$(date +%s); t0=$(up)
	nsim_ports_up 10
	clock_steps $s0 2.5
	sleep 3
	nsim_ports_down 10
	stop_trapmon $pid g.err -G
	t1=$(up)
	ls -l g
	n=$(ls g | wc -l)
	secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%d", b - a}')
	echo "figure: -G 2: $n files in $secs s with the clock stepped +1 h and -2 h"
	check "-G: a file every 2 monotonic seconds" [ $n -ge $((secs / 2)) -a $n -le $((secs / 2 + 2)) ]
	ls g | sed 's/^g-\([0-9]*\)\.pcap$/\1/' > names
	check "-G: a file named an hour ahead (the wall clock)" \
		awk -v s="$s0" '$1 > s + 3000 {f = 1} END {exit !f}' names
	check "-G: a file named an hour behind, after the step back" \
		awk -v s="$s0" '$1 < s - 3000 {f = 1} END {exit !f}' names
	check "-G: every file has a pcap header" [ -z "$(find g -size -24c)" ]

	set_clock $(awk -v r="$r0" -v a="$u0" -v b="$(up)" 'BEGIN {printf "%d", r + b - a}')
	check "no journal left" [ -z "$(ls /run/trapmon/journal.* 2>/dev/null)" ]
}
