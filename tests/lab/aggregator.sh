# aggregator: trapmon -p starts a background aggregator that sets actions
# and returns once monitoring; -s reads growing totals; a second -p is
# refused naming the first; a non-root client is refused; -u stops it,
# restores the action and removes its files.

bh_total() {
	awk '$1 == "blackhole_route" {s += $NF} END {print s + 0}' "$1"
}

guest() {
	nsim_create 10 2 || fail "create netdevsim10"
	nsim_ports_up 10 || fail "ports up"
	trapmon -p --set-action blackhole_route=trap > p.out 2> p.err
	rc=$?
	cat p.out p.err
	check "-p returns 0" [ $rc -eq 0 ]
	check "-p returned with nothing printed" [ ! -s p.out ]
	check "trapping while the aggregator runs" [ "$(trap_action 10 blackhole_route)" = trap ]
	check "control socket is 0600" sh -c 'ls -l /run/trapmon/trapmon.sock | grep -q "^srw-------"'
	sleep 1
	trapmon -s > s1.txt || fail "-s"
	sleep 1
	trapmon -s > s2.txt || fail "-s again"
	a=$(bh_total s1.txt); b=$(bh_total s2.txt)
	echo "blackhole_route: $a, a second later $b"
	check "-s counts grow" [ "$a" -gt 0 -a "$b" -gt "$a" ]
	check "-s prints the usual table" grep -Eq '^TRAP +SIP +DIP ' s2.txt
	trapmon -s -j > s.json || fail "-s -j"
	check "-s -j is one JSON line" [ "$(wc -l < s.json)" -eq 1 ]

	trapmon -p > p2.out 2> p2.err
	rc=$?
	cat p2.err
	check "a second -p is refused" [ $rc -eq 1 ]
	check "naming the running aggregator" grep -q "already running (pid [0-9]*: trapmon -p --set-action blackhole_route=trap)" p2.err

	su -s /bin/sh nobody -c "trapmon -s" > n.out 2> n.err
	rc=$?
	cat n.err
	check "non-root -s refused" [ $rc -eq 1 ]
	check "refusal names the fix" grep -q "run as root" n.err

	trapmon -u > u.out 2> u.err
	rc=$?
	cat u.out u.err
	check "-u exits 0" [ $rc -eq 0 ]
	check "-u restored blackhole_route" [ "$(trap_action 10 blackhole_route)" = drop ]
	check "socket removed" [ ! -e /run/trapmon/trapmon.sock ]
	check "journal removed" [ -z "$(ls /run/trapmon/journal.* 2>/dev/null)" ]
	trapmon -s > s3.txt 2> s3.err
	check "-s without an aggregator fails" [ $? -eq 1 ]
	cat s3.err
	check "and says how to start one" grep -q "trapmon -p" s3.err
}

host() {
	jq -e '.traps[] | select(.trap == "blackhole_route") | .packets > 0' "$OUT/s.json" > /dev/null
}
