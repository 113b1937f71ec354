# nsim.sh: shell helpers for netdevsim lab scenarios. Sourced by scenarios,
# inside the lab VM and on hosts whose kernel ships netdevsim; POSIX sh so
# busybox ash runs it.

NSIM_BUS=/sys/bus/netdevsim

# busybox ash runs its own applets before PATH: make ip and tc the real
# iproute2 ones (busybox's lack link types, clsact, ...).
for _tool in ip tc; do
	for _dir in /usr/sbin /sbin /usr/bin /bin; do
		if [ -x "$_dir/$_tool" ] && [ ! -L "$_dir/$_tool" ]; then
			eval "$_tool() { $_dir/$_tool \"\$@\"; }"
			break
		fi
	done
done

# nsim_create ID [PORTS]: create netdevsim/netdevsimID with PORTS ports (default 2).
nsim_create() {
	[ -d "$NSIM_BUS" ] || modprobe netdevsim 2>/dev/null || true
	[ -d "$NSIM_BUS" ] || { echo "nsim: netdevsim is not available" >&2; return 1; }
	echo "$1 ${2:-2}" > "$NSIM_BUS/new_device" || return 1
	# Ports register asynchronously with devlink.
	i=0
	while [ $i -lt 50 ]; do
		[ "$(nsim_ports "$1" | wc -w)" -ge "${2:-2}" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "nsim: ports of netdevsim$1 did not appear" >&2
	return 1
}

# nsim_destroy ID: delete the device.
nsim_destroy() {
	echo "$1" > "$NSIM_BUS/del_device"
}

nsim_destroy_all() {
	for d in "$NSIM_BUS"/devices/netdevsim*; do
		[ -e "$d" ] || continue
		nsim_destroy "${d##*/netdevsim}" 2>/dev/null
	done
	return 0
}

# nsim_ports ID: netdev names of the device's ports.
nsim_ports() {
	ls "$NSIM_BUS/devices/netdevsim$1/net" 2>/dev/null
}

# nsim_ports_up ID: bring every port up (traps only fire on up ports).
nsim_ports_up() {
	for p in $(nsim_ports "$1"); do
		ip link set "$p" up || return 1
	done
}

# trap_set ID TRAP ACTION: set a trap's action with devlink itself.
trap_set() {
	devlink trap set "netdevsim/netdevsim$1" trap "$2" action "$3"
}

# trap_action ID TRAP: print the trap's current action as devlink reports it.
trap_action() {
	devlink -j trap show "netdevsim/netdevsim$1" trap "$2" |
		sed -n 's/.*"action":"\([a-z]*\)".*/\1/p'
}

# trap_rx_packets ID TRAP: devlink's rx packet counter for a trap.
trap_rx_packets() {
	devlink -j -s trap show "netdevsim/netdevsim$1" trap "$2" |
		sed -n 's/.*"rx":{[^}]*"packets":\([0-9]*\).*/\1/p'
}

# nsim_debugfs ID: the device's debugfs directory.
nsim_debugfs() {
	echo "/sys/kernel/debug/netdevsim/netdevsim$1"
}

# uptime_cs: the guest's uptime in centiseconds, for scenarios that time
# their steps.
uptime_cs() {
	awk '{print int($1 * 100)}' /proc/uptime
}

# wait_line FILE PATTERN [PID]: wait up to 20 s (slow TCG guests need the
# patience) for PATTERN in FILE; give up early when process PID is gone.
wait_line() {
	i=0
	while [ $i -lt 200 ]; do
		grep -q "$2" "$1" 2>/dev/null && return 0
		[ -z "${3:-}" ] || kill -0 "$3" 2>/dev/null || return 1
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# wait_started PID: trapmon PID has started the drop monitor (its journal
# records it).
wait_started() {
	wait_line "/run/trapmon/journal.$1" '^netdm ' "$1"
}

# wait_passive PID ERRFILE: trapmon PID, started while another session
# monitors, says it listens passively (it has joined NET_DM's events by
# then).
wait_passive() {
	wait_line "$2" 'already on' "$1"
}

# check_refused DESC PATTERN CMD...: CMD fails with exit 1 and one line on stderr
# that matches PATTERN.
check_refused() {
	_desc=$1; _pattern=$2; shift 2
	"$@" > refused.out 2> refused.err
	_rc=$?
	echo "$_desc: rc=$_rc: $(cat refused.err)"
	check "$_desc: exit 1" [ $_rc -eq 1 ]
	check "$_desc: one stderr line" [ "$(wc -l < refused.err)" -eq 1 ]
	check "$_desc: it says $_pattern" grep -q -- "$_pattern" refused.err
}

# trapmon_traffic OUT ARGS...: trapmon ARGS into OUT (stderr in err.txt)
# while netdevsim10's ports pass traffic for 1.5 s; returns its exit
# status. ARGS give an interval and no count: the run is ended by SIGINT
# once the ports are down and the kernel's deferred alerts are in trapmon's
# socket, so however slow the guest, all the traffic falls in the one table
# (trapmon reads what is queued before it prints).
trapmon_traffic() {
	_out=$1; shift
	trapmon "$@" > "$_out" 2> err.txt &
	_pid=$!
	wait_started $_pid || fail "trapmon did not start"
	nsim_ports_up 10 || fail "ports up"
	sleep 1.5
	nsim_ports_down 10
	end_run $_pid
}

# end_run PID: the traffic has stopped; trapmon PID (an interval and no
# count) ends by SIGINT once the kernel's deferred alerts are in its
# socket (0.3 s), and prints its one table then, so however slow the guest
# every drop sent falls in that table. Returns trapmon's exit status.
end_run() {
	sleep 0.3
	kill -INT "$1"
	wait "$1"
}

# wait_trap_action ID TRAP ACTION: netdevsim ID's TRAP has ACTION, polled
# every 0.02 s for up to 10 s (trapmon sets it on devlink's notifications;
# the poll is fine enough to time it).
wait_trap_action() {
	_i=0
	while [ "$(trap_action "$1" "$2")" != "$3" ]; do
		[ $_i -lt 500 ] || return 1
		sleep 0.02
		_i=$((_i + 1))
	done
}

# count_lines FILE PATTERN: how many lines of FILE match PATTERN (0 when
# none, or no FILE yet).
count_lines() {
	_n=$(grep -c -- "$2" "$1" 2>/dev/null)
	echo "${_n:-0}"
}

# wait_lines FILE PATTERN N PID: FILE has N lines that match PATTERN, for
# pacing a scenario by trapmon's own output rather than the guest's clock.
# Fails when trapmon PID ends first, or after 20 s.
wait_lines() {
	_i=0
	while [ $_i -lt 200 ]; do
		[ "$(count_lines "$1" "$2")" -ge "$3" ] && return 0
		kill -0 "$4" 2>/dev/null || return 1
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}

# stop_trapmon PID ERRFILE [WHAT]: SIGINT trapmon PID, show its stderr,
# and check that it exits 0.
stop_trapmon() {
	kill -INT "$1"
	wait "$1"
	_rc=$?
	cat "$2"
	check "${3:+$3: }exit 0" [ $_rc -eq 0 ]
}

# nsim_ports_down ID: bring every port down: no trapped packets after it.
nsim_ports_down() {
	for p in $(nsim_ports "$1"); do
		ip link set "$p" down || return 1
	done
}

# Assertions: print a line and fail the scenario.
fail() {
	echo "FAIL: $*"
	exit 1
}

check() {
	_check_desc=$1
	shift
	if "$@"; then
		echo "ok: $_check_desc"
	else
		fail "$_check_desc"
	fi
}

# Kernel capabilities -------------------------------------------------------
# Scenarios learn what this kernel can do from the kernel itself, never from
# a version string. lab_caps prints "NAME yes|no" per capability, probing a
# scratch netdevsim device (id 99) for what only a device shows:
#   devlink_traps   devlink traps (dumping them works), which came with
#                   NET_DM's hardware origin
#   policers        devlink trap policers (dumping them works)
#   control_traps   traps of type control (igmp_query, ...)
#   mirror_action   a trap whose action is mirror
#   acl_traps       ingress_flow_action_drop and egress_flow_action_drop
#   flow_cookie     netdevsim's trap_flow_action_cookie knob
#   drop_reasons    the kfree_skb tracepoint carries a drop reason, the
#                   source of NET_DM's REASON attribute (the tracepoint got it
#                   in 5.17, NET_DM in 5.18: no lab kernel lies between)
#   trap_report     the devlink:devlink_trap_report tracepoint
#   drop_monitor_module  drop_monitor is a module that can be unloaded
#   memory_cgroup   the cgroup memory controller (CONFIG_MEMCG), enabled:
#                   what a memory.max limit needs
#   transparent_hugepages  the kernel has transparent huge pages (trapmon
#                   turns them off for itself)
#   reload_resets_traps  `devlink dev reload` re-creates netdevsim's ports
#                   and traps, at their default actions (netdevsim's full
#                   reload came in 5.5; 5.4's reload keeps them)
lab_caps() {
	_tr=/sys/kernel/tracing
	[ -d $_tr/events ] || _tr=/sys/kernel/debug/tracing
	_yn() { if "$@" >/dev/null 2>&1; then echo yes; else echo no; fi; }
	echo "devlink_traps $(_yn devlink trap show)"
	echo "policers $(_yn devlink trap policer show)"
	if nsim_create 99 1 >/dev/null 2>&1; then
		# devlink trap show takes a device only with a trap: dump them all.
		devlink -j trap show 2>/dev/null | jq -c '.trap["netdevsim/netdevsim99"] // []' > /tmp/.lab-traps
		echo "control_traps $(_yn jq -e 'any(.[]; .type == "control")' /tmp/.lab-traps)"
		echo "mirror_action $(_yn jq -e 'any(.[]; .action == "mirror")' /tmp/.lab-traps)"
		echo "acl_traps $(_yn jq -e 'any(.[]; .name == "ingress_flow_action_drop")' /tmp/.lab-traps)"
		rm -f /tmp/.lab-traps
		echo "flow_cookie $(_yn test -e "$(nsim_debugfs 99)/trap_flow_action_cookie")"
		trap_set 99 blackhole_route trap >/dev/null 2>&1
		devlink dev reload netdevsim/netdevsim99 >/dev/null 2>&1
		echo "reload_resets_traps $(_yn test "$(trap_action 99 blackhole_route)" = drop)"
		nsim_destroy 99
	fi
	echo "drop_reasons $(_yn grep -q 'reason' $_tr/events/skb/kfree_skb/format)"
	echo "trap_report $(_yn test -d $_tr/events/devlink/devlink_trap_report)"
	echo "drop_monitor_module $(_yn grep -q '^drop_monitor ' /proc/modules)"
	echo "memory_cgroup $(_yn awk '$1 == "memory" && $4 == 1 {f = 1} END {exit !f}' /proc/cgroups)"
	echo "transparent_hugepages $(_yn test -e /sys/kernel/mm/transparent_hugepage/enabled)"
}

# lab_has CAP: true when this kernel has CAP (see lab_caps).
lab_has() {
	if [ -z "${LAB_CAPS_FILE:-}" ] || [ ! -s "$LAB_CAPS_FILE" ]; then
		LAB_CAPS_FILE=${OUT:-/tmp}/.lab-caps
		lab_caps > "$LAB_CAPS_FILE"
	fi
	grep -qx "$1 yes" "$LAB_CAPS_FILE"
}

# lab_skip WHAT: this scenario cannot apply to this kernel, which lacks
# WHAT. The runner reports a skip; on the 6.1 lab kernel a skip fails.
lab_skip() {
	echo "$*" > "${OUT:-.}/skip"
	echo "SKIP: this kernel lacks $*"
	exit 77
}

# lab_need CAP WHAT: skip the whole scenario unless this kernel has CAP.
lab_need() {
	lab_has "$1" || lab_skip "$2 ($1)"
}

# lab_can CAP WHAT: true when this kernel has CAP; otherwise record that
# the part WHAT did not run here and return false. The runner names such
# parts beside the scenario's result; on the 6.1 lab kernel they fail it.
#   if lab_can policers "--set-policer"; then ...; fi
lab_can() {
	lab_has "$1" && return 0
	echo "$2 ($1)" >> "${OUT:-.}/skipped-parts"
	echo "not on this kernel: $2 (it lacks $1)"
	return 1
}

# sw_drop_name REASON FUNCTION: what a software drop is called here: the
# kernel's drop reason, or, on kernels without drop reasons, the function
# that freed the packet (for UDP to a closed port, __udp4_lib_rcv).
sw_drop_name() {
	if lab_has drop_reasons; then echo "$1"; else echo "$2"; fi
}
