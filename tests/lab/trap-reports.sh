# trap-reports: the devlink:devlink_trap_report tracepoint as a source, read
# through perf rings without BPF. -c counts control traps per port (netdevsim
# reports igmp_query, mirror, and igmp_v1_report, trap, on every up port);
# --source=tracepoint counts drop and exception traps with drop_monitor
# unloaded. Each trap's sum equals devlink's rx_packets delta exactly over
# a window with traffic only inside it (ports up only then). On a kernel
# without the tracepoint (5.4) trapmon says so and -c keeps devlink's
# counters.

CTRL="igmp_query igmp_v1_report"
DROPS="blackhole_route ttl_value_is_too_small fid_miss"

# snap NAME TRAPS...: devlink's rx_packets of each trap into NAME_<trap>.
snap() {
	_n=$1; shift
	for _t in "$@"; do
		eval "${_n}_$_t=\$(trap_rx_packets 10 $_t)"
	done
}

# per_trap FILE TRAP: the trap's packets summed over its rows of a --wide table.
per_trap() {
	awk -v t="$2" '$1 == t {s += $NF} END {print s + 0}' "$1"
}

# window NAME READY CMD...: CMD in the background, output in NAME.txt and
# NAME.err; once NAME.err says READY, traffic for 2 s (ports up, then down);
# then SIGINT ends CMD (an interval and no count: its one table comes then,
# however slow the guest), its status in $rc.
window() {
	_name=$1 _ready=$2
	shift 2
	"$@" > "$_name.txt" 2> "$_name.err" &
	_pid=$!
	wait_line "$_name.err" "$_ready" $_pid || { cat "$_name.err"; fail "$* did not start"; }
	nsim_ports_up 10 || fail "ports up"
	sleep 2
	nsim_ports_down 10
	end_run $_pid
	rc=$?
}

control_per_port() {
	snap before $CTRL
	window c 'counted per port' trapmon -c --wide 60
	snap after $CTRL
	cat c.txt c.err
	check "-c exits 0" [ $rc -eq 0 ]
	check "-c says it counts trap reports" grep -q 'control traps: counted per port from devlink:devlink_trap_report' c.err
	p1=$(nsim_ports 10 | sed -n 1p) p2=$(nsim_ports 10 | sed -n 2p)
	check "every control row names one of netdevsim10's ports" \
		sh -c "! awk '\$1 ~ /^igmp_/ && \$3 != \"$p1\" && \$3 != \"$p2\"' c.txt | grep -q ."
	check "flow columns show -" sh -c "! awk '\$1 ~ /^igmp_/ && (\$4 != \"-\" || \$6 != \"-\")' c.txt | grep -q ."
	for t in $CTRL; do
		total=$(per_trap c.txt $t)
		eval "delta=\$((after_$t - before_$t))"
		echo "$t: trapmon $total, devlink delta $delta"
		check "$t: -c total equals devlink's delta" [ "$total" -gt 0 -a "$total" -eq "$delta" ]
		a=$(awk -v t=$t -v p=$p1 '$1 == t && $3 == p {s += $NF} END {print s + 0}' c.txt)
		b=$(awk -v t=$t -v p=$p2 '$1 == t && $3 == p {s += $NF} END {print s + 0}' c.txt)
		echo "$t: $p1 $a, $p2 $b"
		check "$t: the two ports add up" [ $((a + b)) -eq "$total" ]
		# each within 10% of half the total
		check "$t: $p1 within 10% of half" [ $((a * 20)) -ge $((total * 9)) -a $((a * 20)) -le $((total * 11)) ]
	done
}

without_drop_monitor() {
	trap_set 10 blackhole_route trap || fail "devlink trap set"
	if lsmod | grep -q '^drop_monitor '; then
		rmmod drop_monitor || fail "rmmod drop_monitor"
	fi
	snap before $DROPS
	window t 'counting devlink:devlink_trap_report' trapmon --source=tracepoint --wide -j 60
	mv t.txt t.json
	snap after $DROPS
	cat t.err
	check "--source=tracepoint exits 0" [ $rc -eq 0 ]
	check "drop_monitor stayed unloaded" sh -c "! lsmod | grep -q '^drop_monitor '"
	for t in $DROPS; do
		total=$(jq -r --arg t $t '[.flows[] | select(.trap == $t) | .packets] | add // 0' t.json)
		eval "delta=\$((after_$t - before_$t))"
		echo "$t: trapmon $total, devlink delta $delta"
		check "$t: tracepoint total equals devlink's delta" [ "$total" -gt 0 -a "$total" -eq "$delta" ]
	done
	check "flow columns are null, ports are named" \
		jq -e --arg p "$(nsim_ports 10 | sed -n 1p)" '[.flows[] | select(.trap == "blackhole_route")] | all(.sip == null and .sport == null and .in_port != null) and any(.in_port == $p)' t.json
	check "JSON says perf rings lost nothing" jq -e '.loss.perf_rings == 0' t.json
	trap_set 10 blackhole_route drop
}

# UMOUNT_TRACEFS: a script for `unshare -m ... sh -c` that unmounts tracefs
# and debugfs (debugfs would mount tracefs again on its tracing/ automount)
# and execs its arguments. Each step execs the next, so a command started
# in the background as `unshare ... sh -c "$UMOUNT_TRACEFS" sh CMD` keeps
# that pid, for window's SIGINT (a backgrounded shell function would not:
# its subshell ignores SIGINT).
UMOUNT_TRACEFS='
	for m in $(awk "\$3 == \"tracefs\" || \$3 == \"debugfs\" {print \$2}" /proc/mounts | sort -r); do
		umount "$m" || exit 99
	done
	exec "$@"'
# no_tracefs CMD...: CMD without tracefs, in the foreground.
no_tracefs() {
	unshare -m --propagation private sh -c "$UMOUNT_TRACEFS" sh "$@"
}

tracefs_unmounted() {
	snap before igmp_query
	window u 'control traps' unshare -m --propagation private sh -c "$UMOUNT_TRACEFS" sh trapmon -c 60
	snap after igmp_query
	cat u.txt u.err
	check "no tracefs: exit 0" [ $rc -eq 0 ]
	check "no tracefs: the line names the fix" grep -q "devlink's per-trap counters.*tracefs is not mounted: mount -t tracefs nodev /sys/kernel/tracing" u.err
	total=$(per_trap u.txt igmp_query)
	echo "igmp_query: trapmon $total, devlink delta $((after_igmp_query - before_igmp_query))"
	check "no tracefs: counters still count exactly" [ "$total" -gt 0 -a "$total" -eq $((after_igmp_query - before_igmp_query)) ]
	check_refused "--source=tracepoint without tracefs" "tracefs is not mounted" \
		no_tracefs trapmon --source=tracepoint 1 1
}

not_root_and_hotplug() {
	check_refused "as nobody" "run as root" su -s /bin/sh nobody -c "trapmon --source=tracepoint 1 1"
	nsim_create 11 1 || fail "create netdevsim11"
	trapmon -c --wide 60 > h.txt 2> h.err &
	pid=$!
	wait_line h.err 'counted per port' $pid || fail "trapmon -c did not start"
	nsim_ports_up 10
	nsim_ports_up 11
	sleep 1
	nsim_destroy 11
	sleep 1.5
	nsim_ports_down 10
	end_run $pid
	rc=$?
	cat h.txt h.err
	check "a device removed mid-run: exit 0" [ $rc -eq 0 ]
	check "a device removed mid-run: the table still counts netdevsim10" \
		grep -Eq "^igmp_query +[^ ]+ +$(nsim_ports 10 | sed -n 1p) " h.txt
}

# The aggregator and the metrics carry trap reports like any other count:
# -p --source=tracepoint, traffic, then -s and a scrape equal devlink's delta.
aggregator_and_metrics() {
	snap before fid_miss
	trapmon -p --source=tracepoint --listen 127.0.0.1:9432 > p.out 2> p.err ||
		fail "trapmon -p --source=tracepoint: $(cat p.err)"
	nsim_ports_up 10
	sleep 2
	nsim_ports_down 10
	sleep 0.5
	snap after fid_miss
	trapmon -s > s.txt 2> s.err
	wget -q -O m.prom http://127.0.0.1:9432/metrics || fail "wget /metrics"
	trapmon -u > /dev/null 2>&1
	delta=$((after_fid_miss - before_fid_miss))
	s_total=$(per_trap s.txt fid_miss)
	m_total=$(awk '/^trapmon_trap_packets_total\{.*trap="fid_miss".*source="tracepoint"/ {s += $NF} END {print s + 0}' m.prom)
	echo "fid_miss: devlink $delta, trapmon -s $s_total, metrics $m_total"
	check "-p: -s equals devlink's delta" [ "$delta" -gt 0 -a "$s_total" -eq "$delta" ]
	check "-p: the metric, labelled source=tracepoint, equals it too" [ "$m_total" -eq "$delta" ]
	check "-p: perf-ring loss exported" grep -q '^trapmon_tracepoint_samples_lost_total 0$' m.prom
}

guest() {
	nsim_create 10 2 || fail "create netdevsim10"
	if ! lab_has trap_report; then
		# 5.4: no tracepoint. The source says so; -c has no control traps here.
		check_refused "no tracepoint" "this kernel has no devlink:devlink_trap_report tracepoint" \
			trapmon --source=tracepoint 1 1
		lab_can trap_report "per-port control traps, counts without drop_monitor" || return 0
	fi
	control_per_port
	without_drop_monitor
	tracefs_unmounted
	aggregator_and_metrics
	not_root_and_hotplug
}
