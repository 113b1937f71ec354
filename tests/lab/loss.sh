# loss: nothing is lost without a trace. A tiny kernel queue (--queue-len 1)
# under bursts of datagrams to closed ports: every datagram sent is either
# an alert trapmon counted or a kernel queue drop it reported, exactly
# (alerts + kernel drops + socket overruns = sent, with no overruns on the
# default 8 MiB buffer). A minimal receive buffer reports socket overruns
# and trapmon keeps running; exit restores the config.

dm_config() {
	dwdump -q 2>&1 | grep -v '^$'
}

sw_dropped() {
	dwdump -s 2>&1 | awk '/^Software/ {sw = 1} /^Hardware/ {sw = 0} sw && /Tail dropped/ {print $3}' 
}

guest() {
	before=$(dm_config)
	dwdump -s
	s0=$(sw_dropped)
	trapmon --sw --queue-len 1 -j 60 > q.json 2> q.err &
	pid=$!
	wait_started $pid || fail "trapmon did not start"
	check "queue length applied" sh -c "dwdump -q | grep -q 'Queue length: 1\$'"
	# Bursts until the one-slot queue overflows. NET_DM empties its queue
	# from an ordinary kernel worker, which a normal sender lets run
	# between drops (it yields in every send): one sender is real-time,
	# so on its CPU the worker waits for the burst to end.
	i=0
	sent=0
	while [ $i -lt 10 ]; do
		UDPSEND_RT=1 udpsend 127.0.0.1 9999 5000 > /dev/null &
		spid=$!
		udpsend 127.0.0.1 9998 5000 > /dev/null
		wait $spid
		sent=$((sent + 10000))
		[ "$(sw_dropped)" -gt "${s0:-0}" ] && break
		i=$((i + 1))
	done
	echo "$sent" > sent
	# Ended by SIGINT, not a count: every burst falls in the one table
	# however many rounds it took, and however slow the guest.
	end_run $pid
	check "--queue-len run exits 0" [ $? -eq 0 ]
	s1=$(sw_dropped)
	cat q.err
	echo "STATS_GET software dropped: $s0 -> $s1"
	echo "$s0 $s1" > stats
	check "config restored after --queue-len" [ "$(dm_config)" = "$before" ]

	trapmon --sw --rcvbuf 1 -j 60 > r.json 2> r.err &
	pid=$!
	wait_started $pid || fail "trapmon did not start"
	udpsend 127.0.0.1 9999 5000 > /dev/null
	sleep 0.5
	check "still running after overruns" kill -0 $pid
	kill -INT $pid
	wait $pid
	check "--rcvbuf run exits 0" [ $? -eq 0 ]
	cat r.err
	check "config restored" [ "$(dm_config)" = "$before" ]
}

host() {
	read -r s0 s1 < "$OUT/stats"
	q=$(jq '.loss.kernel_queue_sw' "$OUT/q.json")
	echo "kernel queue drops reported: $q; STATS_GET delta: $((s1 - s0))"
	[ "$q" -gt 0 ] || { echo "no kernel queue drops reported"; return 1; }
	[ "$q" -eq $((s1 - s0)) ] || { echo "report differs from STATS_GET delta"; return 1; }
	# Conservation, against the count the sender made.
	sent=$(cat "$OUT/sent")
	c=$(jq '[.flows[] | select(.dport == 9999 or .dport == 9998) | .packets] | add // 0' "$OUT/q.json")
	o=$(jq '.loss.socket_overruns' "$OUT/q.json")
	echo "sent $sent = counted $c + kernel queue drops $q + socket overruns $o ?"
	[ "$o" -eq 0 ] || { echo "overruns lose an unknown number of alerts: conservation cannot be checked"; return 1; }
	[ $((c + q + o)) -eq "$sent" ] || { echo "$((sent - c - q - o)) datagrams unaccounted for"; return 1; }
	o=$(jq '.loss.socket_overruns' "$OUT/r.json")
	echo "socket overruns reported: $o"
	[ "$o" -gt 0 ] || { echo "no socket overruns reported"; return 1; }
}
