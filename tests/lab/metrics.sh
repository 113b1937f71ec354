# metrics: the aggregator serves Prometheus metrics on --listen; promtool
# accepts them on the host; blackhole_route's counter equals what -s reports
# at the same moment; the landing page answers; bad requests do no harm.
# trapmon_trap_action_changed names exactly the traps whose action devlink
# shows changed from what it showed before trapmon started, with devlink's
# actions now and then; a real Prometheus (tests/promlib.sh) scraping those
# metrics, served again on the host, has the series and holds
# TrapmonTrapActionLeftChanged pending for each of those traps.

guest() {
	nsim_create 10 2 || fail "create netdevsim10"
	nsim_ports_up 10 || fail "ports up"
	devlink -j trap show > dl-before.json || fail "devlink trap show"
	trapmon -p --set-action blackhole_route=trap --set-group-action l2_drops=trap --listen 127.0.0.1:9432 --compat trapagg \
		> p.out 2> p.err || { cat p.err; fail "-p --listen"; }
	sleep 2
	# Freeze the counts: no new drops while both are read.
	for p in $(nsim_ports 10); do ip link set "$p" down; done
	sleep 1.5
	wget -q -O metrics.txt http://127.0.0.1:9432/metrics || fail "wget /metrics"
	devlink -j trap show > dl-during.json || fail "devlink trap show"
	trapmon -s -j > s.json || fail "-s -j"
	wget -q -O index.html http://127.0.0.1:9432/ || fail "wget /"
	check "landing page links /metrics" grep -q 'href="/metrics"' index.html
	wget -q -O - http://127.0.0.1:9432/nope > /dev/null 2>&1
	check "unknown path is an error" [ $? -ne 0 ]
	printf 'GARBAGE\r\n\r\n' | nc 127.0.0.1 9432 > /dev/null 2>&1
	wget -q -O metrics2.txt http://127.0.0.1:9432/metrics || fail "still serving after garbage"
	check "still serving after garbage" grep -q '^trapmon_up 1' metrics2.txt
	trapmon -u || fail "-u"
	check "restored" [ "$(trap_action 10 blackhole_route)" = drop ]
	devlink -j trap show > dl-after.json
	check "every trap as before" cmp -s dl-before.json dl-after.json
}

host() {
	promtool check metrics < "$OUT/metrics.txt" || { echo "promtool rejects the metrics"; return 1; }
	m=$(awk '/^trapmon_trap_packets_total\{.*trap="blackhole_route"/ {s += $NF} END {print s + 0}' "$OUT/metrics.txt")
	s=$(jq '[.traps[] | select(.trap == "blackhole_route") | .packets] | add' "$OUT/s.json")
	echo "metrics: $m, -s: $s"
	[ "$m" -gt 0 ] && [ "$m" -eq "$s" ] || { echo "metrics and -s disagree"; return 1; }
	grep -q '^trapmon_devlink_trap_rx_packets_total{device="netdevsim/netdevsim10",trap="blackhole_route"' "$OUT/metrics.txt" ||
		{ echo "no devlink counter for blackhole_route"; return 1; }
	grep -q '^trapmon_trap_packets_total{device="netdevsim/netdevsim10",trap="blackhole_route"' "$OUT/metrics.txt" ||
		{ echo "alerts not attributed to their device"; return 1; }
	grep -q '^node_net_trapagg_total{dip="198.51.100.1",dport="[0-9]*",ip_proto="17",is_encap="0",sip="192.0.2.1",sport="[0-9]*",trap="[a-z_]*"} [0-9]' "$OUT/metrics.txt" ||
		{ echo "no trapagg-compatible series"; return 1; }
	grep -q '^trapmon_build_info{version=' "$OUT/metrics.txt" || return 1
	# devlink's view: "dev trap action original" for every trap whose
	# action differs from before trapmon started.
	jq -r --slurpfile b "$OUT/dl-before.json" '.trap | to_entries[] | .key as $d | .value[] |
		. as $t | ($b[0].trap[$d][] | select(.name == $t.name) | .action) as $o |
		select($o != $t.action) | "\($d) \($t.name) \($t.action) \($o)"' \
		"$OUT/dl-during.json" | sort > "$OUT/changed-devlink.txt"
	sed -n 's/^trapmon_trap_action_changed{device="\([^"]*\)",trap="\([^"]*\)",action="\([^"]*\)",original="\([^"]*\)"} 1$/\1 \2 \3 \4/p' \
		"$OUT/metrics.txt" | sort > "$OUT/changed-metrics.txt"
	echo "changed per devlink: $(cat "$OUT/changed-devlink.txt"); per metrics: $(cat "$OUT/changed-metrics.txt")"
	[ -s "$OUT/changed-devlink.txt" ] && cmp -s "$OUT/changed-devlink.txt" "$OUT/changed-metrics.txt" ||
		{ echo "trapmon_trap_action_changed disagrees with devlink trap show"; return 1; }
	prometheus_sees_changed "$(grep -c . "$OUT/changed-devlink.txt")"
}

# prometheus_sees_changed N: the guest's metrics, served from the host,
# scraped by Prometheus with the shipped rules: N series, N pending alerts.
prometheus_sees_changed() {
	local w port pport hp series pending rc=0
	for tool in prometheus python3 curl jq; do
		command -v $tool > /dev/null || { echo "$tool is not installed: apt-get install $tool"; return 1; }
	done
	. "$SRCDIR/tests/promlib.sh"
	w=$(mktemp -d)
	mkdir "$w/www"
	cp "$OUT/metrics.txt" "$w/www/metrics"
	read -r port pport < <(prom_free_ports 2)
	python3 -m http.server --bind 127.0.0.1 --directory "$w/www" "$port" > /dev/null 2>&1 &
	hp=$!
	prom_start "$w" "$SRCDIR" "127.0.0.1:$port" "$pport" || { echo "Prometheus did not start"; rc=1; }
	series=$(prom_query 'count(trapmon_trap_action_changed == 1)')
	pending=$(prom_alerts TrapmonTrapActionLeftChanged pending '.labels.original == "drop"' "$1")
	echo "Prometheus: ${series:-no} trapmon_trap_action_changed series, $pending TrapmonTrapActionLeftChanged pending"
	[ "$series" = "$1" ] && [ "$pending" = "$1" ] || rc=1
	prom_stop
	kill $hp 2>/dev/null; wait $hp 2>/dev/null
	rm -rf "$w"
	return $rc
}
