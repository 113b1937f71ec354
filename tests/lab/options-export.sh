# options-export: --textfile writes node_exporter's format (promtool
# accepts it) and replaces the file atomically each interval (a new inode,
# no temporary left behind); --flow-metrics N exports exactly N flows;
# --listen with a bare port binds 127.0.0.1 only; -p --foreground stays in
# the foreground and SIGTERM stops it cleanly with the action restored.

guest() {
	nsim_create 10 2 || fail "create netdevsim10"
	nsim_ports_up 10 || fail "ports up"

	trapmon --set-action blackhole_route=trap --textfile tf.prom --flow-metrics 3 1 4 \
		> tf.txt 2> tf.err &
	pid=$!
	wait_started $pid || fail "trapmon --textfile did not start"
	i=0
	: > inodes
	while [ $i -lt 4 ] && kill -0 $pid 2>/dev/null; do
		sleep 0.9
		[ -e tf.prom ] && stat -c %i tf.prom >> inodes
		cp tf.prom tf-mid.prom 2>/dev/null
		i=$((i + 1))
	done
	wait $pid
	check "--textfile run exits 0" [ $? -eq 0 ]
	cat tf.err inodes
	check "the file was replaced: several inodes" [ "$(sort -u inodes | wc -l)" -ge 2 ]
	check "no temporary file left" [ -z "$(ls tf.prom.*.tmp 2>/dev/null)" ]

	trapmon -p --foreground --set-action blackhole_route=trap --listen 9444 > fg.txt 2> fg.err &
	pid=$!
	wait_started $pid || fail "-p --foreground did not start"
	check "--foreground: the process stays ours" kill -0 $pid
	trapmon -s > fg-s.txt || fail "-s on the foreground aggregator"
	check "-s reads it" grep -q '^blackhole_route ' fg-s.txt
	netstat -ltn > listen.txt
	cat listen.txt
	check "a bare --listen port binds 127.0.0.1" grep -Eq '127\.0\.0\.1:9444 ' listen.txt
	check "and nothing else" sh -c '! grep -E ":9444 " listen.txt | grep -qv "127\.0\.0\.1:9444 "'
	kill -TERM $pid
	wait $pid
	rc=$?
	cat fg.err
	check "--foreground: SIGTERM exits 0" [ $rc -eq 0 ]
	check "--foreground: blackhole_route restored" [ "$(trap_action 10 blackhole_route)" = drop ]
	check "--foreground: socket removed" [ ! -e /run/trapmon/trapmon.sock ]
}

host() {
	local n ok=0
	promtool check metrics < "$OUT/tf.prom" || { echo "promtool rejects the final textfile"; ok=1; }
	promtool check metrics < "$OUT/tf-mid.prom" || { echo "promtool rejects a mid-run copy"; ok=1; }
	n=$(grep -c '^trapmon_flow_packets_total{' "$OUT/tf.prom")
	echo "--flow-metrics 3: $n flow series"
	[ "$n" -eq 3 ] || ok=1
	return $ok
}
