# mem-pressure: a live trapmon (--set-action, -w with -G rotation,
# --listen) whose address space is capped at its current size while it
# runs (prlimit --as, as `ulimit -v` would, but at a chosen moment), then
# lifted. The binary is trapmon-plain, built without sanitizers (ASan does
# not run under an address-space limit). Checks: counting goes on and the
# table's totals equal devlink's rx_packets delta; a scrape at the limit
# gets 503 or a whole text, never a partial one, and the failure is said
# at most once; after the limit is lifted a scrape is whole, with
# devlink's count; the action is back at exit; every pcap file opens in
# tshark (host); and, where the kernel has transparent huge pages,
# trapmon has them off.

bh() {
	awk '$1 == "blackhole_route" {s += $NF} END {print s + 0}' "$1"
}

guest() {
	command -v trapmon-plain > /dev/null || fail "trapmon-plain is not in the guest (TRAPMON_LAB_HELPERS)"
	command -v prlimit > /dev/null || fail "prlimit is not in the guest (TRAPMON_LAB_HELPERS)"
	nsim_create 10 2 || fail "create netdevsim10"
	before=$(trap_rx_packets 10 blackhole_route)
	mkdir -p /cap
	trapmon-plain --set-action blackhole_route=trap -w '/cap/m-%s.pcap' -G 1 \
		--listen 127.0.0.1:9432 > m.txt 2> m.err &
	pid=$!
	wait_started $pid || fail "trapmon did not start"
	if lab_can transparent_hugepages "transparent huge pages turned off for trapmon"; then
		echo "figure: the kernel's huge pages: $(cat /sys/kernel/mm/transparent_hugepage/enabled)"
		check "no transparent huge pages for trapmon (/proc/PID/status THP_enabled 0)" \
			grep -q '^THP_enabled:[[:space:]]*0$' /proc/$pid/status
	fi
	nsim_ports_up 10 || fail "ports up"
	sleep 1
	vsz=$(awk '/^VmSize/ {print $2}' /proc/$pid/status)
	prlimit --pid $pid --as=$((vsz * 1024)): || fail "prlimit --as"
	echo "figure: address space capped at VmSize $vsz KiB while running"
	sleep 2.5	# alerts, -G rotations and a table's worth of work under the cap
	wget -S -q -O limited.txt http://127.0.0.1:9432/metrics 2> limited.hdr
	code=$(sed -n 's/.*HTTP\/1\.[01] \([0-9]*\).*/\1/p' limited.hdr | tail -n1)
	echo "figure: a scrape at the cap answered ${code:-nothing}"
	if [ "$code" = 200 ]; then
		check "a 200 at the cap is whole (its last family is there)" \
			grep -q '^trapmon_flows_folded_total ' limited.txt
	else
		check "a scrape at the cap fails with 503, no body served as metrics" [ "$code" = 503 ]
		check "the failed scrape said on stderr" grep -q 'out of memory rendering the metrics' m.err
	fi
	check "still running under the cap" kill -0 $pid
	prlimit --pid $pid --as=unlimited: || fail "prlimit --as=unlimited"
	nsim_ports_down 10
	sleep 0.5
	after=$(trap_rx_packets 10 blackhole_route)
	wget -S -q -O metrics.txt http://127.0.0.1:9432/metrics 2> lifted.hdr
	check "after the cap is lifted: 200" grep -q 'HTTP/1.[01] 200' lifted.hdr
	got=$(awk '/^trapmon_trap_packets_total\{.*trap="blackhole_route"/ {s += $NF} END {print s + 0}' metrics.txt)
	check "metrics after the cap: $got = devlink's $((after - before))" [ "$got" -eq "$((after - before))" ]
	stop_trapmon $pid m.err
	got=$(bh m.txt)
	echo "figure: blackhole_route: trapmon $got, devlink $((after - before))"
	check "counting went on" [ "$got" -gt 0 ]
	check "the table's total equals devlink's delta" [ "$got" -eq "$((after - before))" ]
	check "at most one line per fault on stderr" \
		[ "$(grep -c 'out of memory' m.err)" -le 2 ]
	check "no abort" sh -c '! grep -qiE "abort|core dumped" m.err'
	check "back to drop at exit" [ "$(trap_action 10 blackhole_route)" = drop ]
	check "no journal left" [ -z "$(ls /run/trapmon/journal.* 2>/dev/null)" ]
	files=$(ls /cap/*.pcap | wc -l)
	echo "figure: $files pcap files written under and after the cap"
	check "the capture rotated under the cap" [ "$files" -ge 3 ]
	mkdir -p "$OUT/cap" && cp /cap/*.pcap "$OUT/cap/"
}

host() {
	rc=0
	for f in "$OUT"/cap/*.pcap; do
		tshark -r "$f" > "$f.txt" 2> "$f.all" || rc=1
		grep -v 'Running as user "root"' "$f.all" > "$f.err"
		[ -s "$f.err" ] && { echo "tshark on $(basename "$f"):"; cat "$f.err"; rc=1; }
	done
	echo "tshark read $(ls "$OUT"/cap/*.pcap | wc -l) files, $(cat "$OUT"/cap/*.txt | wc -l) records"
	promtool check metrics < "$OUT/metrics.txt" || rc=1
	return $rc
}
