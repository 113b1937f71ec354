# errors: each failure is one line on stderr naming the fix, and exit 1.

one_line_exit1() {
	check_refused "$@"
	check "$1: nothing on stdout" [ ! -s refused.out ]
}

guest() {
	if lab_can drop_monitor_module "trapmon without drop_monitor loaded"; then
		rmmod drop_monitor || fail "rmmod drop_monitor"
		one_line_exit1 "no drop_monitor" "modprobe drop_monitor" trapmon 1 1
		insmod /lib/modules/drop_monitor.ko || fail "insmod drop_monitor"
	fi

	one_line_exit1 "as nobody" "run trapmon as root" su -s /bin/sh nobody -c "trapmon 1 1"

	one_line_exit1 "-d without a devlink device" "netdevsim" trapmon -d 1 1

	one_line_exit1 "outside the initial network namespace" "initial network namespace" \
		unshare -n trapmon 1 1

	trapmon --bogus > out.txt 2> err.txt
	check "bad option: exit 64" [ $? -eq 64 ]
}
