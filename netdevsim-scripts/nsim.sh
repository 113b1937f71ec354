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

# wait_started PID: wait until trapmon PID has started the drop monitor
# (its journal records it), up to 20 s; slow TCG guests need the patience.
wait_started() {
	i=0
	while [ $i -lt 200 ]; do
		grep -q '^netdm ' "/run/trapmon/journal.$1" 2>/dev/null && return 0
		kill -0 "$1" 2>/dev/null || return 1
		sleep 0.1
		i=$((i + 1))
	done
	return 1
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
