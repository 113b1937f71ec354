# guide: with blackhole_route trapping on netdevsim10, trapmon --why prints
# a legend under the table that names blackhole_route with its severity
# (notice: a blackhole route discards on purpose, by the man page's rule)
# and netdevsim's driver-specific fid_miss with the type and group devlink
# gives it; -j carries severity, description and check per trap; the
# textfile's trapmon_trap_info names the devlink device; --explain works
# in the guest and refuses a typo with exit 64.

guest() {
	nsim_create 10 2 || fail "create netdevsim10"
	trap_set 10 blackhole_route trap || fail "devlink trap set"
	# What devlink itself says about the driver-specific trap.
	fid=$(devlink -j trap show netdevsim/netdevsim10 trap fid_miss |
	      jq -r '.trap[][] | "\(.type) trap in group \(.group)"')
	echo "devlink: fid_miss is: $fid"

	trapmon_traffic why.txt --why --textfile metrics.prom 60
	rc=$?
	cat why.txt err.txt
	check "trapmon --why exits 0" [ $rc -eq 0 ]
	check "the table has blackhole_route rows" grep -q '^blackhole_route ' why.txt
	check "a legend follows the Lost line" sh -c 'grep -A1 "^Lost: " why.txt | grep -qx "Why:"'
	check "the legend names blackhole_route with its severity, meaning and check" \
		grep -Eq '^  blackhole_route +notice +.*blackhole route.*\. Check: ' why.txt
	check "the legend gives fid_miss devlink's type and group ($fid)" \
		grep -Eq "^  fid_miss +- +$fid; driver-specific trap: see the driver's documentation\\. Check: " why.txt
	check "one legend line per trap in the table" sh -c \
		'[ "$(sed -n "/^TRAP /,/^Lost: /p" why.txt | sed "1d;\$d" | cut -d" " -f1 | sort -u | wc -l)" = \
		   "$(sed -n "/^Why:/,/^\$/p" why.txt | grep -c "^  ")" ]'
	check "trapmon_trap_info names the devlink device" \
		grep -q '^trapmon_trap_info{device="netdevsim/netdevsim10",trap="blackhole_route",group="l3_drops",type="drop",severity="notice"} 1$' metrics.prom

	trapmon_traffic json.txt -j 60
	rc=$?
	check "trapmon -j exits 0" [ $rc -eq 0 ]
	check "-j: blackhole_route carries severity, description and check" \
		jq -e '.traps[] | select(.trap == "blackhole_route") |
		       .severity == "notice" and (.description | test("blackhole")) and (.check | length > 0)' json.txt
	check "-j: fid_miss: severity null, devlink's type and group" \
		jq -e --arg d "$fid" '.traps[] | select(.trap == "fid_miss") |
		       .severity == null and (.description | startswith($d))' json.txt

	check "--explain=blackhole_route in the guest" sh -c \
		'trapmon --explain=blackhole_route | grep -q "^blackhole_route (trap, drop, notice)$"'
	trapmon --explain=blackhole_rout > out.txt 2> err.txt
	check "--explain with a typo exits 64" [ $? -eq 64 ]
	check "and names the closest" grep -q "closest: blackhole_route" err.txt
}
