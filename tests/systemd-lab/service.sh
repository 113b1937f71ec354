# The trapmon Debian package as a service under real systemd (PID 1 in
# the guest), with netdevsim and drop_monitor. guest() runs in bash inside
# the VM (nsim.sh sourced, $OUT its output directory) and records what
# systemd, devlink and trapmon said; host() decides, from devlink's own
# view before and after, systemd's properties and the journal:
#   - `systemctl start` returns with the unit active and trapmon already
#     monitoring (trap actions set, NET_DM started: its journal says so),
#     and StatusText shows live counts;
#   - Prometheus metrics are served and `trapmon -s` reads the service;
#   - `systemctl stop` puts back every action changed, by --set-action and
#     --set-group-action in a drop-in;
#   - kill -9 of the main process: systemd restarts it and ExecStopPost's
#     `trapmon --restore` put the dead one's changes back first;
#   - kill -STOP: the watchdog kills it, ExecStopPost restores, restart;
#   - journalctl -u trapmon holds trapmon's one-line error at priority err.

# show PROPS...: systemctl show's values, one per line.
show() { systemctl show trapmon -P "$1"; }

# wait_for SECONDS COMMAND...: poll until COMMAND succeeds.
wait_for() {
	local n=$(( $1 * 5 )); shift
	while [ $n -gt 0 ]; do "$@" && return 0; sleep 0.2; n=$((n - 1)); done
	return 1
}

counted() { ! show StatusText | grep -q "^hw: 0 alerts"; }

new_pid() { local p; p=$(show MainPID); [ "$p" != 0 ] && [ "$p" != "$1" ] &&
	[ "$(show ActiveState)" = active ]; }

guest() {
	nsim_create 10 2 || fail "create netdevsim10"
	nsim_ports_up 10 || fail "ports up"
	devlink -j trap show > dl-before.json
	dpkg -i /lab/trapmon.deb > dpkg.log 2>&1; echo $? > dpkg.rc
	# Without the package every check below would only wait out its timeout.
	[ "$(cat dpkg.rc)" = 0 ] || { cat dpkg.log; return 0; }
	systemctl cat trapmon > unit.txt 2>&1
	systemctl is-enabled trapmon > enabled.txt 2>&1
	mkdir -p /etc/systemd/system/trapmon.service.d
	cat > /etc/systemd/system/trapmon.service.d/actions.conf <<'EOC'
[Service]
ExecStart=
ExecStart=/usr/sbin/trapmon -p --foreground --listen 127.0.0.1:9432 --set-action blackhole_route=trap --set-group-action l2_drops=trap
EOC
	systemctl daemon-reload

	# 1. start: active only once monitoring runs.
	systemctl start trapmon; echo $? > start.rc
	show ActiveState > start-state.txt
	devlink -j trap show > dl-started.json
	cat /run/trapmon/journal.* > run-journal.txt 2>&1
	# STATUS= is renewed every 5 s (or at half WatchdogSec, if shorter):
	# READY's line counts nothing yet, a later one must, and grow.
	wait_for 15 counted
	show StatusText > status.txt
	sleep 6
	show StatusText > status2.txt
	# 2. metrics and -s.
	busybox wget -q -O metrics.txt http://127.0.0.1:9432/metrics; echo $? > wget.rc
	trapmon -s > s.txt 2>&1; echo $? > s.rc
	# 3. stop puts everything back.
	systemctl stop trapmon; echo $? > stop.rc
	devlink -j trap show > dl-stopped.json
	ls /run/trapmon > run-after-stop.txt 2>&1

	# 4. kill -9: restarted, the dead one's changes restored by ExecStopPost.
	systemctl start trapmon
	pid=$(show MainPID); echo "$pid" > kill9-pid.txt
	kill -9 "$pid"
	wait_for 60 new_pid "$pid"; echo $? > kill9-restarted.rc
	show NRestarts > kill9-nrestarts.txt
	devlink -j trap show > dl-kill9.json

	# 5. kill -STOP: the watchdog (WatchdogSec=20s) kills it.
	pid=$(show MainPID); echo "$pid" > stop-pid.txt
	t0=$(date +%s)
	kill -STOP "$pid"
	wait_for 90 new_pid "$pid"; echo $? > wd-restarted.rc
	echo $(( $(date +%s) - t0 )) > wd-seconds.txt
	show NRestarts > wd-nrestarts.txt
	systemctl stop trapmon
	devlink -j trap show > dl-final.json

	# 6. an error, into the journal with its priority.
	cat > /etc/systemd/system/trapmon.service.d/actions.conf <<'EOC'
[Service]
ExecStart=
ExecStart=/usr/sbin/trapmon -p --foreground --set-action no_such_trap=trap
Restart=no
EOC
	systemctl daemon-reload
	systemctl start trapmon; echo $? > bad-start.rc
	sleep 1
	journalctl -u trapmon -o json --no-pager > journal.json
	journalctl -u trapmon --no-pager > journal.txt
	return 0
}

host() {
	local f=0 o=$OUT
	check() { if eval "$2"; then echo "    ok: $1"; else echo "    FAILED: $1"; f=1; fi; }
	actions() { jq -r '.trap | to_entries[] | .key as $d | .value[] | "\($d) \(.name) \(.action)"' "$1" | sort; }
	check "dpkg -i installs the package" '[ "$(cat $o/dpkg.rc)" = 0 ]'
	check "the unit is not enabled by installing" 'grep -qx disabled $o/enabled.txt'
	check "systemctl start succeeds" '[ "$(cat $o/start.rc)" = 0 ]'
	check "active as soon as start returns" 'grep -qx active $o/start-state.txt'
	check "trap actions already set when start returned" \
		'[ "$(actions $o/dl-started.json | grep -c " trap$")" -gt "$(actions $o/dl-before.json | grep -c " trap$")" ]'
	check "drop monitoring already started (its journal has the netdm line)" \
		'grep -q "^netdm hw" $o/run-journal.txt'
	echo "    status: $(cat $o/status.txt) / $(cat $o/status2.txt)"
	check "StatusText has live counts" \
		'grep -qE "^hw: [0-9,]+ alerts?, [0-9,]+ lost, 7 traps changed$" $o/status2.txt'
	a1=$(sed 's/^hw: \([0-9,]*\).*/\1/; s/,//g' $o/status.txt)
	a2=$(sed 's/^hw: \([0-9,]*\).*/\1/; s/,//g' $o/status2.txt)
	check "the counts move ($a1 then $a2)" '[ "${a1:-0}" -gt 0 ] && [ "${a2:-0}" -gt "${a1:-0}" ]'
	check "metrics served" 'grep -qx "trapmon_up 1" $o/metrics.txt'
	check "promtool accepts the service's metrics" 'promtool check metrics < $o/metrics.txt'
	check "metrics: 7 trap actions held changed" \
		'[ "$(grep -c "^trapmon_trap_action_changed{.*original=\"drop\"} 1$" $o/metrics.txt)" = 7 ]'
	check "trapmon -s reads the service" '[ "$(cat $o/s.rc)" = 0 ] && grep -q blackhole_route $o/s.txt'
	check "systemctl stop succeeds" '[ "$(cat $o/stop.rc)" = 0 ]'
	check "stop puts every action back" 'diff <(actions $o/dl-before.json) <(actions $o/dl-stopped.json)'
	check "kill -9: systemd restarts trapmon" \
		'[ "$(cat $o/kill9-restarted.rc)" = 0 ] && [ "$(cat $o/kill9-nrestarts.txt)" = 1 ]'
	k9=$(cat $o/kill9-pid.txt)
	check "kill -9: ExecStopPost restored pid $k9's changes" \
		'grep -qE "restored [0-9]+ trap settings? that trapmon pid $k9 changed" $o/journal.txt'
	check "kill -9: the new trapmon found no stale journal" \
		'! grep -q "died without restoring" $o/journal.txt'
	wd=$(cat $o/stop-pid.txt)
	check "kill -STOP: the watchdog killed it ($(cat $o/wd-seconds.txt) s) and it restarted" \
		'[ "$(cat $o/wd-restarted.rc)" = 0 ] && grep -q "trapmon.service: Watchdog timeout" $o/journal.txt'
	check "kill -STOP: ExecStopPost restored pid $wd's changes" \
		'grep -qE "restored [0-9]+ trap settings? that trapmon pid $wd changed" $o/journal.txt'
	check "after the last stop every action is as before" \
		'diff <(actions $o/dl-before.json) <(actions $o/dl-final.json)'
	check "a bad drop-in: start fails" '[ "$(cat $o/bad-start.rc)" != 0 ]'
	err=$(jq -r 'select(.MESSAGE != null and (.MESSAGE | type) == "string" and (.MESSAGE | test("no_such_trap"))) | "\(.PRIORITY) \(.MESSAGE)"' $o/journal.json)
	echo "    journal: $err"
	check "the error is one line at priority 3 (err)" \
		'[ "$(echo "$err" | wc -l)" = 1 ] && echo "$err" | grep -q "^3 trapmon: "'
	check "restore messages are warnings (priority 4)" \
		'jq -r "select((.MESSAGE | type) == \"string\" and (.MESSAGE | test(\"^trapmon: restored\"))) | .PRIORITY" $o/journal.json | grep -qx 4'
	return $f
}
