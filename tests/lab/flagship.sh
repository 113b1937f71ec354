# flagship: the README's demo command on every lab kernel,
#   trapmon --hw --set-action blackhole_route=trap 1 5
# with -w and --listen added: five one-second tables whose per-trap sums
# equal devlink's rx_packets deltas exactly (traffic flows only while
# trapmon listens: ports down before and after), tshark counting the same
# per trap in the pcap, the exporter's counter the same, and
# blackhole_route back to drop with no journal left after exit.

TRAPS="blackhole_route ttl_value_is_too_small fid_miss"

ports_down() {
	for p in $(nsim_ports 10); do ip link set "$p" down; done
}

guest() {
	nsim_create 10 2 || fail "create netdevsim10"
	ports_down
	check "blackhole_route starts at drop" [ "$(trap_action 10 blackhole_route)" = drop ]
	for t in $TRAPS; do eval "before_$t=\$(trap_rx_packets 10 $t)"; done
	t0=$(uptime_cs)
	trapmon --hw --set-action blackhole_route=trap -w f.pcap --listen 127.0.0.1:9433 1 5 \
		> f.txt 2> f.err &
	pid=$!
	wait_started $pid || { cat f.err; fail "trapmon did not start"; }
	nsim_ports_up 10
	t_up=$(uptime_cs)
	check "blackhole_route traps while trapmon runs" [ "$(trap_action 10 blackhole_route)" = trap ]
	# Paced by trapmon's own tables, not the guest's clock (timed by the
	# clock, the scrape twice met a trapmon already past its five tables):
	# traffic flows until two more tables are out, then stops, and the
	# scrape follows with at least two tables' time left.
	n_up=$(count_lines f.txt "^TRAP ")
	want=$((n_up + 2))
	[ $want -le 3 ] || fail "guest too slow: $n_up tables were out when the ports came up"
	wait_lines f.txt "^TRAP " $want $pid ||
		{ cat f.err f.txt; fail "trapmon printed $(count_lines f.txt "^TRAP ") tables, not $want, by $(($(uptime_cs) - t0)) cs"; }
	ports_down
	sleep 0.3
	t_scrape=$(uptime_cs)
	n_scrape=$(count_lines f.txt "^TRAP ")
	wget -O f.prom http://127.0.0.1:9433/metrics 2> wget.err
	wget_rc=$?
	echo "figure: start ${t0}, ports up at ${t_up} (${n_up} tables out), scrape at ${t_scrape} (${n_scrape} tables out) centiseconds"
	wait $pid
	rc=$?
	cat f.err f.txt
	[ $wget_rc -eq 0 ] ||
		fail "scrape while trapmon runs: wget rc=$wget_rc: $(tr '\n' ' ' < wget.err)(trapmon rc=$rc)"
	check "exits 0" [ $rc -eq 0 ]
	check "five tables" [ "$(grep -c '^TRAP ' f.txt)" -eq 5 ]
	check "blackhole_route is drop again" [ "$(trap_action 10 blackhole_route)" = drop ]
	check "no journal left" [ -z "$(ls /run/trapmon/journal.* 2>/dev/null)" ]
	for t in $TRAPS; do
		eval "delta=\$((\$(trap_rx_packets 10 $t) - before_$t))"
		total=$(awk -v t=$t '$1 == t {s += $NF} END {print s + 0}' f.txt)
		echo "$t $delta" >> devlink.deltas
		echo "$t: trapmon $total over five tables, devlink $delta"
		check "$t: trapmon equals devlink" [ "$total" -gt 0 -a "$total" -eq "$delta" ]
	done
	m=$(awk '/^trapmon_trap_packets_total\{.*trap="blackhole_route"/ {s += $NF} END {print s + 0}' f.prom)
	d=$(awk '$1 == "blackhole_route" {print $2}' devlink.deltas)
	echo "exporter: blackhole_route $m, devlink $d"
	check "exporter equals devlink" [ "$m" -eq "$d" ]
}

host() {
	local t d n ok=0
	promtool check metrics < "$OUT/f.prom" || { echo "promtool rejects the metrics"; ok=1; }
	while read -r t d; do
		n=$(tshark -r "$OUT/f.pcap" -Y "net_dm.hw_trap_name == \"$t\"" 2>/dev/null | wc -l)
		echo "pcap, $t: tshark $n, devlink $d"
		[ "$n" -gt 0 ] && [ "$n" -eq "$d" ] || ok=1
	done < "$OUT/devlink.deltas"
	return $ok
}
