# soak: ten minutes at a steady drop rate (netdevsim's traps plus a paced
# UDP flood to a closed port). RSS and open fds of the aggregator are
# sampled every 30 s and must stay flat; the counts must equal what was
# generated. netdevsim sprays a new flow with every packet, so the table
# grows until --max-flows and then folds: the bound is set low enough
# (1024) to be reached within the first minute, and flatness is judged
# from then on. LAB_SOAK_SECONDS shortens it for a trial run.

guest() {
	secs=${LAB_SOAK_SECONDS:-600}
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
		n=$(udpsend 127.0.0.1 9999 100)
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
	trapmon -s -j > final.json
	trapmon -u
	echo "$sent $((a_hw - b_hw))" > generated
	echo "sent $sent datagrams; devlink counted $((a_hw - b_hw)) blackhole_route"
}

host() {
	read -r sent hw < "$OUT/generated"
	sw=$(jq '[.traps[] | select(.trap == "NO_SOCKET") | .packets] | add // 0' "$OUT/final.json")
	bh=$(jq '[.traps[] | select(.trap == "blackhole_route") | .packets] | add // 0' "$OUT/final.json")
	lost=$(jq '.loss.kernel_queue_sw + .loss.kernel_queue_hw + .loss.socket_overruns' "$OUT/final.json")
	echo "software: sent $sent, counted $sw; hardware: devlink $hw, counted $bh; loss $lost"
	# Flat: after the first minute RSS varies by under 256 KiB, fds not at all.
	skip=$(( $(wc -l < "$OUT/samples") > 5 ? 3 : 1 ))
	read -r rmin rmax fmin fmax < <(awk -v skip=$skip 'NR > skip {if (!r0 || $2 < r0) r0 = $2; if ($2 > r1) r1 = $2;
		if (!f0 || $3 < f0) f0 = $3; if ($3 > f1) f1 = $3} END {print r0, r1, f0, f1}' "$OUT/samples")
	echo "RSS ${rmin}-${rmax} KiB, fds ${fmin}-${fmax}"
	[ "$sw" -eq "$sent" ] && [ "$bh" -eq "$hw" ] && [ "$lost" -eq 0 ] &&
		[ $((rmax - rmin)) -le 256 ] && [ "$fmin" -eq "$fmax" ]
}
