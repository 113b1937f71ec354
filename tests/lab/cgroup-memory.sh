# cgroup-memory: trapmon in a cgroup v2 with a small memory.max, as a
# container's or a unit's MemoryMax= would run it. Under memory.max malloc
# does not fail: without a bound the OOM killer would end trapmon. The
# limit is trapmon's own use at rest plus 4 MiB, and 60,000 distinct
# software-drop flows (udpsend to as many closed ports) would need about
# 8 MiB of table: the table must stop short. Checks: one line naming the
# limit and the bound; no OOM kill (memory.events) and exit 0; the flow
# rows stop at the bound and the rest is in (other), rows and (other) add
# up to the sent datagrams less the kernel queue's drops; blackhole_route's
# total (netdevsim's random-port packets, set to trap) equals devlink's
# rx_packets delta; the action is back at exit. Then memory.high (a
# unit's MemoryHigh=) in its place: the line names it. The binary is
# trapmon-plain: ASan's shadow and quarantine would be charged too.
# Without a memory controller (the lab's 5.4 has no CONFIG_MEMCG) trapmon
# says nothing and keeps --max-flows; the table is then checked the same.

CG=/sys/fs/cgroup
FLOWS=60000

# The last table (JSON, one line: busybox tail cuts long lines).
last() {
	jq -s -c 'last' "$1"
}

# Per trap of the last table: NAME, its flow rows, their packets, its
# (other) row's packets, and the trap's total as "traps" says it.
sums() {
	last "$1" | jq -r '. as $t | .flows | group_by(.trap)[] | .[0].trap as $n |
		"\($n) \(map(select(.other | not)) | length) \(map(select(.other | not) | .packets) | add // 0) \(map(select(.other) | .packets) | add // 0) \($t.traps[] | select(.trap == $n) | .packets)"'
}

# The kernel's count of UDP datagrams to closed ports (/proc/net/snmp).
udp_noports() {
	awk '$1 == "Udp:" && !h {for (i = 2; i <= NF; i++) if ($i == "NoPorts") c = i; h = 1; next}
	     $1 == "Udp:" && h {print $c; exit}' /proc/net/snmp
}

cg_setup() {
	grep -q " $CG cgroup2 " /proc/mounts || mount -t cgroup2 none $CG || fail "mount cgroup2"
	echo +memory > $CG/cgroup.subtree_control || fail "enable the memory controller"
	mkdir -p $CG/tm || fail "mkdir $CG/tm"
	# No swap to escape to: memory.max is the whole story.
	[ -e $CG/tm/memory.swap.max ] && echo 0 > $CG/tm/memory.swap.max
	return 0
}

# start_in_cgroup OUT ERR ARGS...: trapmon-plain ARGS in cgroup tm (a shell
# moves itself there, then becomes trapmon); stdout through a FIFO to a
# cat outside the cgroup, so the table's file pages are not charged to it.
start_in_cgroup() {
	_o=$1 _e=$2
	shift 2
	rm -f /tmp/cg.fifo
	mkfifo /tmp/cg.fifo
	cat /tmp/cg.fifo > "$_o" &
	catpid=$!
	sh -c 'echo $$ > '$CG'/tm/cgroup.procs && exec trapmon-plain "$@"' trapmon-plain "$@" \
		> /tmp/cg.fifo 2> "$_e" &
	pid=$!
}

# run OUT ERR ARGS...: trapmon-plain while blackhole_route traps on
# netdevsim10 and udpsend sends $FLOWS datagrams to as many closed ports,
# in bursts NET_DM's queue mostly keeps up with. Sets rc, bh_delta, sent.
run() {
	_out=$1 _err=$2
	shift 2
	before=$(trap_rx_packets 10 blackhole_route)
	noports0=$(udp_noports)
	if [ -d $CG/tm ]; then
		start_in_cgroup "$_out" "$_err" "$@"
	else
		trapmon-plain "$@" > "$_out" 2> "$_err" &
		pid=$!
		catpid=
	fi
	wait_started $pid || { cat "$_err"; fail "trapmon did not start"; }
	nsim_ports_up 10 || fail "ports up"
	sent=0
	port=2000
	while [ $sent -lt $FLOWS ]; do
		n=$(udpsend 127.0.0.1 $port 2000 32 2000) || fail "udpsend"
		sent=$((sent + n))
		port=$((port + 2000))
		kill -0 $pid 2> /dev/null || break
	done
	nsim_ports_down 10
	sleep 1
	after=$(trap_rx_packets 10 blackhole_route)
	bh_delta=$((after - before))
	noports=$(($(udp_noports) - noports0))
	if [ -d $CG/tm ]; then
		echo "figure: before the table: memory.current $(cat $CG/tm/memory.current)," \
			$(grep -E '^(anon|file|kernel|sock|shmem|slab) ' $CG/tm/memory.stat)
	fi
	kill -INT $pid 2> /dev/null
	wait $pid
	rc=$?
	[ -n "$catpid" ] && wait $catpid
	cat "$_err"
	echo "figure: sent $sent datagrams to $FLOWS ports (Udp NoPorts +$noports); blackhole_route: devlink $bh_delta; exit $rc"
}

# check_table OUT: what the table must hold whatever the bound.
check_table() {
	sums "$1" > sums.txt
	cat sums.txt
	no_socket=$(sw_drop_name NO_SOCKET __udp4_lib_rcv)
	while read -r name _ flows other total; do
		check "$name: rows $flows + (other) $other = its total $total" \
			[ $((flows + other)) -eq "$total" ]
	done < sums.txt
	read -r _ bh_rows bh_flows bh_other bh_total <<EOF
$(grep '^blackhole_route ' sums.txt)
EOF
	check "blackhole_route: $bh_total = devlink's rx_packets delta $bh_delta" \
		[ "$bh_total" -eq "$bh_delta" ]
	check "blackhole_route counted something" [ "$bh_delta" -gt 0 ]
	read -r _ sw_rows sw_flows sw_other _ <<EOF
$(grep "^$no_socket " sums.txt)
EOF
	qdrops=$(last "$1" | jq '.loss.kernel_queue_sw // 0')
	echo "figure: $no_socket: $sw_rows flow rows with ${sw_flows:-0} packets, (other) ${sw_other:-0}, kernel queue drops $qdrops, Udp NoPorts +$noports"
	check "$no_socket: rows + (other) + the kernel queue's drops = the kernel's Udp NoPorts +$noports" \
		[ $((sw_flows + sw_other + qdrops)) -eq "$noports" ]
	folded=$(last "$1" | jq '.loss.folded')
	other=$(awk '{s += $4} END {print s + 0}' sums.txt)
	check "(other) rows add up to the folded count: $other = $folded" [ "$other" -eq "$folded" ]
	check "back to drop at exit" [ "$(trap_action 10 blackhole_route)" = drop ]
	check "no journal left" [ -z "$(ls /run/trapmon/journal.* 2>/dev/null)" ]
}

guest() {
	command -v trapmon-plain > /dev/null || fail "trapmon-plain is not in the guest (TRAPMON_LAB_HELPERS)"
	nsim_create 10 2 || fail "create netdevsim10"
	args="--hw --sw --set-action blackhole_route=trap -j"
	if ! lab_can memory_cgroup "trapmon under a cgroup memory.max"; then
		# shellcheck disable=SC2086
		run t.json t.err $args
		check "exit 0" [ "$rc" -eq 0 ]
		check "no memory limit here: no line about one" sh -c '! grep -q "memory.max" t.err'
		check_table t.json
		return 0
	fi
	cg_setup
	# trapmon's own use at rest, with the same options, ports down.
	start_in_cgroup idle.json idle.err $args
	wait_started $pid || { cat idle.err; fail "trapmon did not start"; }
	sleep 1
	base=$(cat $CG/tm/memory.current)
	kill -INT $pid
	wait $pid
	idle_rc=$?
	wait $catpid
	cat idle.err
	check "at rest: exit 0" [ $idle_rc -eq 0 ]
	check "at rest: back to drop at exit" [ "$(trap_action 10 blackhole_route)" = drop ]
	limit=$((base + 4 * 1024 * 1024))
	echo $limit > $CG/tm/memory.max || fail "set memory.max"
	echo "figure: memory.current at rest $((base / 1024)) KiB; memory.max $((limit / 1024)) KiB"

	# shellcheck disable=SC2086
	run t.json t.err $args
	oom=$(awk '$1 == "oom_kill" {print $2}' $CG/tm/memory.events)
	peak=$(cat $CG/tm/memory.peak 2> /dev/null || echo unknown)
	echo "figure: memory.peak $peak of memory.max $limit; oom_kill ${oom:-?}"
	cat $CG/tm/memory.events
	check "not OOM-killed (memory.events oom_kill ${oom:-?})" [ "${oom:-1}" -eq 0 ]
	check "exit 0" [ "$rc" -eq 0 ]
	check "one line about the limit" [ "$(grep -c 'memory.max' t.err)" -eq 1 ]
	check "it names the limit, the bound and the fix" \
		grep -q "^trapmon: cgroup /tm has memory.max [0-9.]* MiB.*bounded at [0-9]* flows.*raise the limit.*--max-flows" t.err
	bound=$(sed -n 's/.*bounded at \([0-9]*\) flows.*/\1/p' t.err)
	rows=$(last t.json | jq '[.flows[] | select(.other | not)] | length')
	echo "figure: the table held $rows flow rows; bound $bound"
	echo "figure: transparent huge pages: $(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null)"
	check "the bound ($bound) is below the $FLOWS flows sent" [ "${bound:-0}" -gt 0 -a "${bound:-0}" -lt $FLOWS ]
	check "the table stopped at the bound ($rows rows)" [ "$rows" -eq "$bound" ]
	check_table t.json

	# memory.high instead (a unit's MemoryHigh=): past it the kernel
	# throttles trapmon instead of killing it; the bound is the same
	# arithmetic, and the line names memory.high and its size.
	echo max > $CG/tm/memory.max || fail "reset memory.max"
	echo $limit > $CG/tm/memory.high || fail "set memory.high"
	start_in_cgroup high.json high.err $args
	wait_started $pid || { cat high.err; fail "trapmon did not start under memory.high"; }
	kill -INT $pid
	wait $pid
	high_rc=$?
	wait $catpid
	echo max > $CG/tm/memory.high
	cat high.err
	mib=$(awk -v l=$limit 'BEGIN {printf "%.1f", l / 1048576}')
	check "memory.high: exit 0" [ $high_rc -eq 0 ]
	check "memory.high: back to drop at exit" [ "$(trap_action 10 blackhole_route)" = drop ]
	check "memory.high: one line naming it, its $mib MiB, the bound and MemoryHigh=" \
		grep -q "^trapmon: cgroup /tm has memory.high $mib MiB.*bounded at [0-9]* flows.*(MemoryHigh=)" high.err
}
