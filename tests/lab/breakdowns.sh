# breakdowns: on netdevsim10 (2 ports) with blackhole_route trapping,
# --by trap,port sums exactly to devlink's rx_packets delta and gives each
# port about half; --by group shows l3_drops; --sort=rate --top=5 prints 5
# rows and one "more rows" line whose packets make the total devlink
# counted; -j's FIRST <= LAST, both inside the run. On the host, the run's
# capture replayed with interval 1 prints as many tables as tshark -z
# io,stat,1 has intervals, and their counts add up to tshark's count of
# alerts.

# Sum of devlink's rx_packets over the drop and exception traps (what
# NET_DM reports; control traps never reach it).
dl_total() {
	devlink -j -s trap show |
		jq '[.trap["netdevsim/netdevsim10"][] | select(.type == "drop" or .type == "exception") |
		     .stats.rx.packets] | add'
}

guest() {
	nsim_create 10 2 || fail "create netdevsim10"
	trap_set 10 blackhole_route trap || fail "devlink trap set"

	before=$(trap_rx_packets 10 blackhole_route)
	# Whole seconds: the guest's date may lack %N.
	start=$(date +%s)
	trapmon_traffic port.json -j --by trap,port -w cap.pcap 60
	rc=$?
	end=$(($(date +%s) + 1))
	delta=$(($(trap_rx_packets 10 blackhole_route) - before))
	jq -c '.flows[]' port.json
	check "trapmon --by trap,port -j exits 0" [ $rc -eq 0 ]
	sum=$(jq '[.flows[] | select(.trap == "blackhole_route") | .packets] | add' port.json)
	echo "blackhole_route: --by trap,port rows $sum, devlink delta $delta"
	check "the rows sum to devlink's rx_packets delta" [ "$sum" -gt 0 -a "$sum" -eq "$delta" ]
	check "rows carry the key only: trap and in_port" \
		jq -e '[.flows[] | keys] | all(. == ["bytes","first","in_port","last","origin","other","packets","rate","trap"])' port.json
	jq -r '.flows[] | select(.trap == "blackhole_route") | "\(.in_port) \(.packets)"' port.json > ports
	cat ports
	check "two ports" [ "$(wc -l < ports)" -eq 2 ]
	check "each port gets about half (40-60%)" \
		awk -v s="$sum" '{ if ($2 * 10 < s * 4 || $2 * 10 > s * 6) bad = 1 } END { exit bad }' ports
	check "FIRST <= LAST, both inside the run" \
		jq -e --argjson s "$start" --argjson e "$end" \
		'[.flows[] | select(.first != null)] | length > 0 and all(.first <= .last and .first >= $s and .last <= $e)' port.json

	trapmon_traffic group.txt --by group --wide 60
	rc=$?
	cat group.txt
	check "--by group exits 0" [ $rc -eq 0 ]
	check "--by group --wide: GROUP, BYTES, FIRST, LAST, RATE, COUNT" \
		grep -Eq '^GROUP +BYTES +FIRST +LAST +RATE +COUNT$' group.txt
	check "--by group shows l3_drops" \
		grep -Eq '^l3_drops +[0-9]+ +[0-9:.]+ +[0-9:.]+ +[0-9.]+ +[0-9]+$' group.txt

	before=$(dl_total)
	trapmon_traffic top.txt --sort=rate --top=5 60
	rc=$?
	total=$(($(dl_total) - before))
	cat top.txt
	check "--sort=rate --top=5 exits 0" [ $rc -eq 0 ]
	# The rows: after the header, before the line that starts with "…".
	awk '/^TRAP / {on = 1; next} /^… / {on = 0} on' top.txt > rows
	check "5 rows between the header and the more-rows line" [ "$(wc -l < rows)" -eq 5 ]
	shown=$(awk '{s += $NF} END {print s + 0}' rows)
	more=$(sed -n 's/^… [0-9]* more rows\{0,1\} (\([0-9]*\) packets)$/\1/p' top.txt)
	echo "--top 5: shown $shown + more ${more:-?} = devlink's $total"
	check "shown rows and the more-rows packets make devlink's total" \
		[ -n "$more" ] && [ $((shown + more)) -eq "$total" ]
	check "rows in rate order (= count order)" sh -c "awk '{print \$NF}' rows | sort -rnc"
}

host() {
	local ok=0 iv t c
	command -v tshark > /dev/null || { echo "tshark missing on the host"; return 1; }
	# tshark's intervals: one line "| A <> B | frames | bytes |" each.
	iv=$(tshark -r "$OUT/cap.pcap" -q -z io,stat,1 2>/dev/null | grep -c '<>')
	t=$(tshark -r "$OUT/cap.pcap" -Y net_dm.hw_trap_name 2>/dev/null | wc -l)
	"$TRAPMON" -r "$OUT/cap.pcap" -j 1 > "$OUT/replay.json"
	c=$(jq -s '[.[].flows[].packets] | add' "$OUT/replay.json")
	echo "capture: tshark $iv intervals, $t alerts; trapmon -r 1: $(wc -l < "$OUT/replay.json") tables, $c packets"
	[ "$iv" -gt 1 ] && [ "$(wc -l < "$OUT/replay.json")" -eq "$iv" ] || ok=1
	[ "$t" -gt 0 ] && [ "$c" -eq "$t" ] || ok=1
	# Stamped by the capture: one second apart, inside the capture's span.
	jq -s -e '[.[].timestamp] | . as $t | [range(1; length)] | all($t[.] - $t[. - 1] == 1)' \
		"$OUT/replay.json" > /dev/null || ok=1
	return $ok
}
