# soak: ten minutes at a steady drop rate (netdevsim's traps plus a paced
# UDP flood to a closed port). RSS and open fds of the aggregator are
# sampled every 30 s and must stay flat; the counts must equal what was
# generated. netdevsim sprays a new flow with every packet, so the table
# grows until --max-flows and then folds: the bound is set low enough
# (1024) to be reached within the first minute, and flatness is judged
# from then on. LAB_SOAK_SECONDS shortens it for a trial run.
#
# The verdict (soak_verdict) is reached twice: by guest() in the VM, at the
# end of the run whose counts it prints, so the guest's exit status and
# log carry it; and by host() from the files the VM left. Before, only
# host() compared, after the VM was gone and from the scenario file as it
# then stood; a run whose host step did not happen showed its counts
# unchecked.

# soak_verdict DIR: the counts in DIR/final.json against DIR/generated,
# and the RSS and fd samples in DIR/samples. Prints each figure; returns 1
# on any difference, loss, unknown loss, a missing file or nothing
# generated. POSIX sh: busybox runs it in the VM, bash on the host.
soak_verdict() {
	_d=$1
	for _f in generated final.json samples; do
		[ -s "$_d/$_f" ] || { echo "FAIL: soak: no $_d/$_f"; return 1; }
	done
	read -r _sent _hw _swtrap < "$_d/generated"
	_sw=$(jq --arg t "$_swtrap" '[.traps[] | select(.trap == $t) | .packets] | add // 0' "$_d/final.json")
	_bh=$(jq '[.traps[] | select(.trap == "blackhole_route") | .packets] | add // 0' "$_d/final.json")
	# null (STATS_GET unanswered) is unknown loss, not none.
	_lost=$(jq -r '.loss | if .kernel_queue_sw == null or .kernel_queue_hw == null then "unknown"
		else .kernel_queue_sw + .kernel_queue_hw + .socket_overruns end' "$_d/final.json")
	echo "software ($_swtrap): sent $_sent, counted $_sw; blackhole_route: devlink $_hw, counted $_bh; lost $_lost"
	_ok=0
	case "$_sent.$_hw" in
	*[!0-9.]* | .* | *. | 0.* | *.0) echo "FAIL: soak: nothing generated (sent '$_sent', devlink '$_hw')"; _ok=1 ;;
	esac
	[ "$_sw" = "$_sent" ] || { echo "FAIL: soak: $_sw software drops counted, $_sent sent"; _ok=1; }
	[ "$_bh" = "$_hw" ] || { echo "FAIL: soak: $_bh blackhole_route counted, devlink $_hw"; _ok=1; }
	[ "$_lost" = 0 ] || { echo "FAIL: soak: alerts lost: $_lost"; _ok=1; }
	# Flat: after the first minute RSS varies by under 256 KiB, fds not at all.
	_skip=$(( $(wc -l < "$_d/samples") > 5 ? 3 : 1 ))
	_flat=$(awk -v skip=$_skip 'NR > skip {if (!r0 || $2 < r0) r0 = $2; if ($2 > r1) r1 = $2;
		if (!f0 || $3 < f0) f0 = $3; if ($3 > f1) f1 = $3}
		END {printf "RSS %d-%d KiB, fds %d-%d %s\n", r0, r1, f0, f1,
			(r1 - r0 <= 256 && f0 == f1 && r0 > 0) ? "flat" : "NOT FLAT"}' "$_d/samples")
	echo "$_flat"
	case $_flat in *NOT\ FLAT) echo "FAIL: soak: RSS or fds grew"; _ok=1 ;; esac
	[ $_ok -eq 0 ] && echo "ok: soak: counts equal what was generated, nothing lost, RSS and fds flat"
	return $_ok
}

guest() {
	secs=${LAB_SOAK_SECONDS:-600}
	swtrap=$(sw_drop_name NO_SOCKET __udp4_lib_rcv)
	nsim_create 10 2 || fail "create netdevsim10"
	trap_set 10 blackhole_route trap
	trapmon -p --hw --sw --queue-len 10000 --max-flows 1024 || fail "-p"
	pid=$(cat /proc/[0-9]*/stat 2>/dev/null | awk '$2 == "(trapmon)" {print $1}' | head -n1)
	echo "aggregator pid $pid"
	b_hw=$(trap_rx_packets 10 blackhole_route)
	nsim_ports_up 10
	sent=0
	start=$(date +%s)
	next=$start
	echo "t rss_kb fds" > samples
	while [ $(( $(date +%s) - start )) -lt "$secs" ]; do
		n=$(udpsend 127.0.0.1 9999 100) || [ -n "$n" ] || fail "udpsend: not in the VM (TRAPMON_LAB_HELPERS)"
		sent=$((sent + n))
		now=$(date +%s)
		if [ "$now" -ge "$next" ]; then
			rss=$(awk '/^VmRSS/ {print $2}' /proc/$pid/status)
			fds=$(ls /proc/$pid/fd | wc -l)
			echo "$((now - start)) $rss $fds" | tee -a samples
			next=$((next + 30))
		fi
		sleep 0.5
	done
	for p in $(nsim_ports 10); do ip link set "$p" down; done
	sleep 3
	a_hw=$(trap_rx_packets 10 blackhole_route)
	trapmon -s -j > final.json || fail "trapmon -s -j"
	trapmon -u || fail "trapmon -u"
	echo "$sent $((a_hw - b_hw)) $swtrap" > generated
	# This run's verdict, in this run's log and exit status.
	soak_verdict . || fail "soak"
}

host() {
	# Again from what the VM left, so a host-side reader of $OUT agrees.
	soak_verdict "$OUT"
}
