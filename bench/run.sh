#!/bin/bash
# bench/run.sh [BUILDDIR]: trapmon's performance figures, each beside its goal.
#
#   1. replay: trapmon -r on 1,000,000 alerts over 5,000 flows against
#      the page-cache read floor (cat FILE), libpcap's (tcpdump -r FILE -w
#      /dev/null) beside it, and tshark -q -z conv,udp on the first 200,000;
#   2. instructions per alert: callgrind over the whole trapmon -r process
#      on the 200,000-alert capture;
#   3. live cost: trapmon --sw against dwdump over the same 50,000 software
#      drops in the netdevsim lab VM (bench/live-cost.sh);
#   4. memory: peak RSS per flow with 1,000,000 distinct flows under
#      --max-flows 1048576, and RSS flat under a flow spray (200k vs 2M
#      distinct flows, default bound);
#   5. stages (only when named in BENCH_PARTS): where the replay's CPU
#      goes, the capture of part 1 cut after each stage (bench/stage-cost);
#   6. guest-replay (only when named): trapmon -r, and BENCH_LIVE_OTHER's,
#      inside the lab VM on a flood captured there (bench/guest-replay.sh):
#      the per-alert CPU under the emulated CPU the live goal runs on.
#
# BUILDDIR (or $abs_top_builddir) is a configured build tree, built WITHOUT
# --enable-sanitizers, with src/trapmon, bench/gencap and tests/udpsend
# (make bench builds them). TRAPMON, GENCAP and UDPSEND override the paths.
# Environment:
#   BENCH_PARTS    parts to run (default "replay callgrind live memory"; also
#                  "stages": the CPU of trapmon -r's stages, and
#                  "guest-replay": trapmon -r in the lab VM; neither has a goal)
#   BENCH_GUEST_RUNS  guest-replay's runs per build (default 30)
#   BENCH_RUNS     timed runs per command, median taken (default 5)
#   BENCH_RESULTS  raw numbers, "key value" lines (default BUILDDIR/bench-results.txt)
#   BENCH_WORK     scratch directory for captures (default: a mktemp dir, removed)
#   BENCH_CACHE    how the captures sit in the page cache: "reread" (default)
#                  drops them and reads them back, as a capture read from disk
#                  is; "written" keeps them as gencap wrote them (on kernels
#                  with large folios, written pages stay small and mapping
#                  them takes about four times the faults)
#   BENCH_LIVE_MODE (sequential), BENCH_LIVE_ROUNDS (4), BENCH_FLOOD (50000):
#                  live-cost.sh's knobs
#   BENCH_REPLAY_OTHER  another trapmon build, timed in the same replay rounds
#                  and printed beside this one (two builds compared)
#   BENCH_LIVE_OTHER  another trapmon build, run in the same boot as a fifth
#                  tool of each live round and printed beside this one
# CPU time (user+sys) is what is compared: on a shared machine it moves far
# less than wall time, which is reported beside it. Nothing is installed:
# missing tools are named and their parts skipped. Exit status: 0 when every
# figure that ran meets its goal.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
BUILD=${1:-${abs_top_builddir:-$TOP}}
BUILD=$(cd "$BUILD" && pwd) || exit 64
TRAPMON=${TRAPMON:-$BUILD/src/trapmon}
GENCAP=${GENCAP:-$BUILD/bench/gencap}
UDPSEND=${UDPSEND:-$BUILD/tests/udpsend}
NLFLOOR=${NLFLOOR:-$BUILD/bench/nlfloor}
STAGECOST=${STAGECOST:-$BUILD/bench/stage-cost}
PARTS=${BENCH_PARTS:-replay callgrind live memory}
RUNS=${BENCH_RUNS:-5}
RESULTS=${BENCH_RESULTS:-$BUILD/bench-results.txt}
ALERTS=1000000
FLOWS=5000
SLICE=200000
SPRAY_SMALL=200000
SPRAY_BIG=2000000
BIG_FLOWS=1000000
# BENCH_SMOKE: tiny inputs, one run each; the scripts run and their output
# parses (tests/bench-smoke.test, in make check). The figures mean nothing
# and the exit status ignores them.
if [ -n "${BENCH_SMOKE:-}" ]; then
	ALERTS=2000
	FLOWS=100
	SLICE=1000
	SPRAY_SMALL=1000
	SPRAY_BIG=4000
	BIG_FLOWS=2000
	RUNS=${BENCH_RUNS:-1}
fi
sanitized=

if [ -n "${BENCH_WORK:-}" ]; then
	WORK=$BENCH_WORK
	mkdir -p "$WORK"
else
	WORK=$(mktemp -d /tmp/trapmon-bench.XXXXXX)
	trap 'rm -rf "$WORK"' EXIT
fi

fails=0
skips=0
: > "$RESULTS"

raw() { echo "$1 $2" >> "$RESULTS"; }

# verdict NAME VALUE OP GOAL UNIT: one line of the table, PASS or MISS.
verdict() {
	local ok
	ok=$(awk -v v="$2" -v g="$4" -v op="$3" 'BEGIN {
		if (op == "<=") print (v <= g) ? 1 : 0; else print (v >= g) ? 1 : 0 }')
	if [ "$ok" = 1 ]; then
		printf '%-58s %12s %5s %-10s PASS\n' "$1" "$2$5" "$3" "$4$5"
	else
		printf '%-58s %12s %5s %-10s MISS\n' "$1" "$2$5" "$3" "$4$5"
		fails=$((fails + 1))
	fi
	raw "verdict.$(echo "$1" | tr -c 'a-zA-Z0-9\n' _)" "$([ "$ok" = 1 ] && echo PASS || echo MISS)"
}

skip() {
	printf '%-58s %12s %5s %-10s SKIP (%s)\n' "$1" - - - "$2"
	skips=$((skips + 1))
}

missing() {
	echo "MISSING: $1 ($2)"
}

median() {
	sort -g | awk '{v[NR] = $1} END {if (NR) print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

# timed OUTPREFIX CMD...: append "wall cpu" (seconds) to OUTPREFIX.times.
timed() {
	local out=$1 t
	shift
	t=$( { TIMEFORMAT='%R %U %S'; time "$@" > /dev/null 2>&1; } 2>&1 | tail -n1)
	echo "$t" | awk '{printf "%.3f %.3f\n", $1, $2 + $3}' >> "$out.times"
}

col() { awk -v c="$1" '{print $c}' "$2" | median; }

# cpu_wall NAME KEY: the medians of $WORK/NAME.times into $cpu and $wall,
# and into the raw numbers KEY.cpu_s and KEY.wall_s.
cpu_wall() {
	cpu=$(col 2 "$WORK/$1.times")
	wall=$(col 1 "$WORK/$1.times")
	raw "$2.cpu_s" "$cpu"
	raw "$2.wall_s" "$wall"
}

have() { command -v "$1" > /dev/null 2>&1; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf (b > 0) ? "%.2f" : "inf", (b > 0) ? a / b : 0}'; }

echo "trapmon benchmarks: $TRAPMON"
echo "machine: $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)," \
	"$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
raw machine.cpus "$(nproc)"
raw machine.load "$(cut -d' ' -f1 /proc/loadavg)"
# The versions RESULTS.md names: compiler, libpcap and the tools compared.
ver() { command -v "$1" > /dev/null 2>&1 && "$@" 2>&1 | grep -o '[0-9][0-9]*\.[0-9][0-9.]*' | head -n1 || echo none; }
echo "versions: gcc $(ver gcc -dumpfullversion), libpcap $(pkg-config --modversion libpcap 2>/dev/null || echo '?')," \
	"tcpdump $(ver tcpdump --version), tshark $(ver tshark --version), valgrind $(ver valgrind --version)"
for f in "$TRAPMON" "$GENCAP"; do
	[ -x "$f" ] || { echo "MISSING: $f: build it (make bench, or make src/trapmon bench/gencap)"; exit 1; }
done
if ldd "$TRAPMON" 2>/dev/null | grep -q 'libasan\|libubsan'; then
	sanitized=1
	if [ -z "${BENCH_SMOKE:-}" ]; then
		echo "$TRAPMON is built with sanitizers: benchmark a build configured without --enable-sanitizers"
		exit 1
	fi
fi
for tool in tcpdump:tcpdump tshark:tshark valgrind:valgrind /usr/bin/time:time; do
	have "${tool%%:*}" || missing "${tool%%:*}" "apt-get install ${tool#*:}"
done

want() { case " $PARTS " in *" $1 "*) return 0 ;; esac; return 1; }

# Captures -----------------------------------------------------------------
gen() {
	[ -s "$WORK/$1.pcap" ] || "$GENCAP" "$WORK/$1.pcap" "$2" "$3" || { echo "gencap $1 failed"; exit 1; }
}
printf '\n%-58s %12s %5s %-10s %s\n' figure value "" goal result
if want replay || want callgrind || want stages; then
	gen c1m $ALERTS $FLOWS
	# Flow i at alert i is fixed by the seed: these are c1m's first 200,000.
	gen c200k $SLICE $FLOWS
	# The page cache: the same state whether the captures were just
	# written or kept in BENCH_WORK (trapmon maps the file; cat reads it).
	if [ "${BENCH_CACHE:-reread}" = reread ]; then
		sync "$WORK/c1m.pcap" "$WORK/c200k.pcap"
		for f in c1m c200k; do
			dd if="$WORK/$f.pcap" iflag=nocache count=0 status=none
		done
	fi
	cat "$WORK/c1m.pcap" "$WORK/c200k.pcap" > /dev/null
	raw replay.cache "${BENCH_CACHE:-reread}"
fi

# 1. Replay throughput -------------------------------------------------------
if want replay; then
	rm -f "$WORK"/*.times	# a kept BENCH_WORK holds an earlier run's
	# The table must hold every alert, none malformed.
	n=$("$TRAPMON" -r "$WORK/c1m.pcap" | awk 'NR > 1 && $NF ~ /^[0-9]+$/ {s += $NF} END {print s + 0}')
	raw replay.counted "$n"
	[ "$n" = $ALERTS ] || { echo "trapmon -r counted $n of $ALERTS alerts"; fails=$((fails + 1)); }
	for i in $(seq "$RUNS"); do
		timed "$WORK/trapmon-1m" "$TRAPMON" -r "$WORK/c1m.pcap"
		timed "$WORK/cat-1m" cat "$WORK/c1m.pcap"
		[ -n "${BENCH_REPLAY_OTHER:-}" ] && timed "$WORK/other-1m" "$BENCH_REPLAY_OTHER" -r "$WORK/c1m.pcap"
		have tcpdump && timed "$WORK/tcpdump-1m" tcpdump -r "$WORK/c1m.pcap" -w /dev/null
		timed "$WORK/trapmon-200k" "$TRAPMON" -r "$WORK/c200k.pcap"
	done
	cpu_wall trapmon-1m replay.trapmon_1m
	t_cpu=$cpu t_wall=$wall
	raw replay.trapmon_1m.alerts_per_cpu_s "$(awk -v c="$t_cpu" -v n=$ALERTS 'BEGIN {printf "%.0f", n / c}')"
	# The floor: reading the same bytes from the page cache and nothing else.
	cpu_wall cat-1m replay.cat_1m
	f_cpu=$cpu f_wall=$wall
	raw replay.ratio_floor "$(ratio "$t_cpu" "$f_cpu")"
	verdict "replay 1M: trapmon CPU / page-cache read floor (cat FILE)" "$(ratio "$t_cpu" "$f_cpu")" "<=" 3 x
	echo "    medians of $RUNS: trapmon ${t_cpu}s CPU ${t_wall}s wall; cat ${f_cpu}s CPU ${f_wall}s wall (page cache: ${BENCH_CACHE:-reread})"
	if [ -n "${BENCH_REPLAY_OTHER:-}" ]; then
		cpu_wall other-1m replay.other_1m
		echo "    BENCH_REPLAY_OTHER in the same rounds: ${cpu}s CPU, $(ratio "$cpu" "$f_cpu")x cat (this trapmon: ${t_cpu}s, $(ratio "$t_cpu" "$f_cpu")x)"
	fi
	# libpcap's reading floor, for comparison (no goal).
	if have tcpdump; then
		cpu_wall tcpdump-1m replay.tcpdump_1m
		p_cpu=$cpu p_wall=$wall
		raw replay.ratio_tcpdump "$(ratio "$t_cpu" "$p_cpu")"
		raw replay.ratio_wall "$(ratio "$t_wall" "$p_wall")"
		echo "    beside it: tcpdump -r FILE -w /dev/null ${p_cpu}s CPU ${p_wall}s wall: trapmon $(ratio "$t_cpu" "$p_cpu")x its CPU"
	fi
	cpu_wall trapmon-200k replay.trapmon_200k
	s_cpu=$cpu s_wall=$wall
	if have tshark; then
		for i in $(seq "${BENCH_TSHARK_RUNS:-1}"); do
			timed "$WORK/tshark-200k" tshark -r "$WORK/c200k.pcap" -q -z conv,udp
		done
		cpu_wall tshark-200k replay.tshark_200k
		k_cpu=$cpu k_wall=$wall
		raw replay.tshark_ratio_wall "$(ratio "$k_wall" "$s_wall")"
		verdict "replay 200k: tshark -z conv,udp CPU / trapmon CPU" "$(ratio "$k_cpu" "$s_cpu")" ">=" 40 x
		echo "    trapmon ${s_cpu}s CPU ${s_wall}s wall; tshark ${k_cpu}s CPU ${k_wall}s wall (wall ratio $(ratio "$k_wall" "$s_wall")x)"
	else
		skip "replay 200k: tshark CPU / trapmon CPU" "no tshark"
	fi
fi

# 1b. Stages of the replay: no goal, where the replay's CPU goes ------------
# bench/stage-cost runs trapmon's reader, parser, interning, dissector and
# aggregate on c1m, stopping after each stage; the rounds interleave with
# cat and trapmon -r. Each stage's cost is its median less the previous's;
# "walk" (a bare walk over the attributes) is a floor for "parse", whose
# row is measured against read, not walk.
if want stages; then
	if [ -x "$STAGECOST" ]; then
		stages="read walk parse intern dissect count"
		rm -f "$WORK"/stage-*.times
		for i in $(seq "$RUNS"); do
			timed "$WORK/stage-cat" cat "$WORK/c1m.pcap"
			for st in $stages; do
				timed "$WORK/stage-$st" "$STAGECOST" "$st" "$WORK/c1m.pcap"
			done
			timed "$WORK/stage-trapmon" "$TRAPMON" -r "$WORK/c1m.pcap"
		done
		n=$("$STAGECOST" count "$WORK/c1m.pcap" | awk '{print $4}')
		[ "$n" = $ALERTS ] || { echo "stage-cost counted $n of $ALERTS alerts"; fails=$((fails + 1)); }
		cpu_wall stage-cat stages.cat
		base=$cpu prev=$cpu
		printf '    %-44s %8s %8s %8s\n' "1M alerts, medians of $RUNS" "CPU s" "+stage" "x cat"
		printf '    %-44s %8s %8s %8s\n' "cat FILE (the floor)" "$base" "" 1.00
		for st in $stages trapmon; do
			cpu_wall "stage-$st" "stages.$st"
			printf '    %-44s %8s %8s %8s\n' "$([ $st = trapmon ] && echo "trapmon -r (count + startup, table)" || echo "stage-cost $st")" \
				"$cpu" "$(awk -v a="$cpu" -v b="$prev" 'BEGIN {printf "%+.3f", a - b}')" "$(ratio "$cpu" "$base")"
			[ "$st" = walk ] || prev=$cpu
		done
	else
		skip "stages of the replay" "no $STAGECOST (make bench/stage-cost)"
	fi
fi

# 2. Instructions per alert --------------------------------------------------
if want callgrind; then
	if [ -n "$sanitized" ]; then
		skip "instructions per alert" "a sanitizer build (smoke)"
	elif have valgrind; then
		valgrind --tool=callgrind --callgrind-out-file="$WORK/callgrind.out" \
			"$TRAPMON" -r "$WORK/c200k.pcap" > /dev/null 2> "$WORK/callgrind.err"
		total=$(sed -n 's/^\(summary\|totals\): *\([0-9]*\).*/\2/p' "$WORK/callgrind.out" | head -n1)
		per=$(awk -v t="$total" -v n=$SLICE 'BEGIN {printf "%.0f", t / n}')
		raw callgrind.total_instructions "$total"
		raw callgrind.per_alert "$per"
		verdict "instructions per alert, whole trapmon -r process (200k)" "$per" "<=" 1300 ""
		if have callgrind_annotate; then
			# Where they go (RESULTS.md, "Where the instructions go"): the
			# inclusive count of each stage's function, per alert; reading
			# is what replay_file spends outside the NET_DM message handler
			# (replay_netdm), the glue what that handler spends outside the
			# four calls below, the rest what is neither replay nor table.
			# The trap cache's hit is inlined from flowtab.h into
			# aggregate_alert (session 7): its lines' own count there.
			inlined=$(callgrind_annotate --threshold=100 "$WORK/callgrind.out" 2> /dev/null |
				awk '{ line = $0; sub(/\([^)]*\)/, "", line); split(line, w, " "); gsub(",", "", w[1])
				       if (w[1] ~ /^[0-9]+$/ && w[2] ~ /flowtab\.h:aggregate_alert$/) s += w[1] }
				     END { print s + 0 }')
			callgrind_annotate --inclusive=yes --threshold=100 "$WORK/callgrind.out" 2> /dev/null |
				awk -v n=$SLICE -v total="$total" -v inlined="$inlined" '
				{
					# "1,234 ( 5.6%)  path/file.c:function [object]"
					line = $0
					sub(/\([^)]*\)/, "", line)
					split(line, w, " ")
					gsub(",", "", w[1])
					if (w[1] ~ /^[0-9]+$/ && w[2] ~ /:/) {
						f = w[2]
						sub(/.*:/, "", f)
						if (!(f in ir))
							ir[f] = w[1]
					}
				}
				function per(v) { return sprintf("%.0f", v / n) }
				END {
					stage["reading"] = ir["replay_file"] - ir["replay_netdm"]
					# The session parses through the memo since
					# session 11; older trees call the parser itself.
					parse = "netdm_parse_alert_memo" in ir ? ir["netdm_parse_alert_memo"] : ir["netdm_parse_alert"]
					stage["netdm_parse_alert"] = parse
					# Alerts intern by length: inlined (its miss is
					# flowtab_trap_id_miss), or flowtab_trap_id_len;
					# older trees had flowtab_trap_id alone.
					if (inlined > 0)
						intern = inlined + ir["flowtab_trap_id_miss"]
					else
						intern = "flowtab_trap_id_len" in ir ? ir["flowtab_trap_id_len"] : ir["flowtab_trap_id"]
					stage["flowtab_trap_id"] = intern
					stage["dissect_packet"] = ir["dissect_packet"]
					stage["flowtab_add"] = ir["flowtab_add_at"]
					stage["glue"] = ir["replay_netdm"] - parse - \
						intern - ir["dissect_packet"] - ir["flowtab_add_at"]
					stage["print_table"] = ir["print_table"]
					stage["rest"] = total - ir["replay_file"] - ir["print_table"]
					print "replay_file", per(ir["replay_file"])
					print "print_table", per(ir["print_table"])
					split("reading netdm_parse_alert flowtab_trap_id dissect_packet flowtab_add glue print_table rest", order)
					for (i = 1; i <= 8; i++)
						print "stage." order[i], per(stage[order[i]])
				}' > "$WORK/split"
			rf=$(awk '$1 == "replay_file" {print $2}' "$WORK/split")
			pt=$(awk '$1 == "print_table" {print $2}' "$WORK/split")
			raw callgrind.replay_file_per_alert "$rf"
			raw callgrind.print_table_per_alert "$pt"
			if [ "${rf:-0}" -gt 0 ]; then
				echo "    of which reading, parsing, aggregating (replay_file): $rf; printing the $FLOWS-row table (print_table): $pt"
			else
				echo "    of which printing the $FLOWS-row table (print_table): $pt"
			fi
			# Link-time optimization inlines the stages' functions
			# into their callers: no split to read.
			if [ "${rf:-0}" -gt 0 ]; then
				awk '$1 ~ /^stage\./ {sub(/^stage\./, "", $1); printf "%s%s %s", sep, $1, $2; sep = ", "}
				     END {print ""}' "$WORK/split" | sed 's/^/    per stage: /'
			else
				echo "    per stage: none (link-time optimization inlined the stages' functions; configure --disable-lto to split them)"
			fi
			awk '$1 ~ /^stage\./ {print "callgrind." $1 "_per_alert", $2}' "$WORK/split" >> "$RESULTS"
		fi
	else
		skip "instructions per alert" "no valgrind"
	fi
fi

# lab_missing: why the lab VM cannot run here, or nothing when it can
# (root, qemu, the prepared cache, udpsend for the floods).
lab_missing() {
	local cache=${TRAPMON_LAB_CACHE:-/var/cache/trapmon-lab} why=

	[ "$(id -u)" = 0 ] || why="needs root"
	have qemu-system-x86_64 || why="no qemu-system-x86_64 (netdevsim-scripts/prepare.sh installs the lab)"
	ls "$cache"/*/.complete > /dev/null 2>&1 || why="no lab cache in $cache: run netdevsim-scripts/prepare.sh once"
	[ -x "$UDPSEND" ] || why="no $UDPSEND (make tests/udpsend)"
	echo "$why"
}

# 3. Live cost in the netdevsim VM -------------------------------------------
if want live; then
	why=$(lab_missing)
	[ -x "$NLFLOOR" ] || why="no $NLFLOOR (make bench/nlfloor)"
	# BENCH_LIVE_RESULT: a result file of an earlier VM run, read as if
	# the VM had just written it (the smoke test; reporting again).
	[ -n "${BENCH_LIVE_RESULT:-}" ] && why=
	if [ -n "$why" ]; then
		skip "live: trapmon --sw CPU / dwdump CPU" "$why"
	else
		sed -e "s/^BENCH_MODE=.*/BENCH_MODE=${BENCH_LIVE_MODE:-sequential}/" \
		    -e "s/^BENCH_ROUNDS=.*/BENCH_ROUNDS=${BENCH_LIVE_ROUNDS:-4}/" \
		    -e "s/^BENCH_FLOOD=.*/BENCH_FLOOD=${BENCH_FLOOD:-50000}/" \
		    -e "s/^BENCH_OTHER=.*/BENCH_OTHER=$([ -n "${BENCH_LIVE_OTHER:-}" ] && echo 1 || echo 0)/" \
		    -e "s/^BENCH_OTHER_FLOOR=.*/BENCH_OTHER_FLOOR=$([ -n "${BENCH_LIVE_OTHER_FLOOR:-}" ] && echo 1 || echo 0)/" \
		    "$HERE/live-cost.sh" > "$WORK/live-cost.sh"
		helpers="$UDPSEND $NLFLOOR"
		if [ -n "${BENCH_LIVE_OTHER:-}" ]; then
			# The guest knows a helper by its file name.
			cp "$BENCH_LIVE_OTHER" "$WORK/trapmon-other" || exit 1
			helpers="$helpers $WORK/trapmon-other"
		fi
		if [ -n "${BENCH_LIVE_OTHER_FLOOR:-}" ]; then
			cp "$BENCH_LIVE_OTHER_FLOOR" "$WORK/nlfloor-other" || exit 1
			helpers="$helpers $WORK/nlfloor-other"
		fi
		if [ -n "${BENCH_LIVE_RESULT:-}" ]; then
			res=$BENCH_LIVE_RESULT
		else
			# Four or five tools a round, each flood 15-25 s under TCG:
			# up to 5 minutes a round.
			LAB_TIMEOUT=${LAB_TIMEOUT:-$((${BENCH_LIVE_ROUNDS:-4} * 300 + 120))} \
			TRAPMON_LAB_HELPERS="$helpers" "$TOP/netdevsim-scripts/run-vm.sh" \
				-o "$WORK/lab" -b "$TRAPMON" "$WORK/live-cost.sh" > "$WORK/lab.log" 2>&1
			res=$WORK/lab/live-cost/result
		fi
		if [ ! -s "$res" ]; then
			skip "live: trapmon --sw CPU / dwdump CPU" "the VM run failed: $(tail -n 3 "$WORK/lab.log" | tr '\n' ' ')"
		else
			awk '$1 == "round" {r = "r" $2 "."; next} {print "live." r $1, $2}' "$res" >> "$RESULTS"
			# Medians over the rounds: a host stall inflates one round, not all.
			ticks() { awk -v k="$1_ticks" '$1 == k {print $2}' "$res" | median; }
			sum() { awk -v k="$1_ticks" '$1 == k {s += $2} END {print s + 0}' "$res"; }
			tm=$(ticks trapmon)
			dw=$(ticks dwdump)
			fl=$(ticks floor)
			tw=$(ticks trapmon_w)
			flood=$(awk '$1 == "flood" {print $2}' "$res")
			raw live.ratio_of_sums "$(ratio "$(sum trapmon)" "$(sum dwdump)")"
			if [ -n "$fl" ]; then
				raw live.floor_ratio "$(ratio "$tm" "$fl")"
				raw live.floor_ratio_of_sums "$(ratio "$(sum trapmon)" "$(sum floor)")"
				verdict "live: trapmon --sw CPU / batching floor (nlfloor) CPU" "$(ratio "$tm" "$fl")" "<=" 1.2 x
			else
				skip "live: trapmon --sw CPU / batching floor" "no floor rounds in the result"
			fi
			if [ -n "$fl" ] && [ -n "$tw" ]; then
				raw live.capture_floor_ratio "$(ratio "$tw" "$fl")"
				echo "    trapmon --sw -w FILE: $tw ticks, $(ratio "$tw" "$fl")x the floor (no goal)"
			fi
			ot=$(ticks other)
			if [ -n "$ot" ] && [ -n "$fl" ]; then
				raw live.other_floor_ratio "$(ratio "$ot" "$fl")"
				echo "    BENCH_LIVE_OTHER in the same boot: $ot ticks, $(ratio "$ot" "$fl")x the floor (this trapmon: $tm, $(ratio "$tm" "$fl")x)"
			fi
			of=$(ticks other_floor)
			if [ -n "$ot" ] && [ -n "$of" ]; then
				raw live.other_own_floor_ratio "$(ratio "$ot" "$of")"
				echo "    BENCH_LIVE_OTHER against BENCH_LIVE_OTHER_FLOOR: $ot / $of ticks, $(ratio "$ot" "$of")x (beyond its floor: $(awk -v a="$ot" -v b="$of" 'BEGIN {print a - b}') ticks; this trapmon beyond its own: $(awk -v a="$tm" -v b="$fl" 'BEGIN {print a - b}'))"
			fi
			verdict "live: trapmon --sw CPU / dwdump -w /dev/null CPU ($flood drops)" "$(ratio "$tm" "$dw")" "<=" 0.6 x
			echo "    medians: floor ${fl:--}, trapmon $tm, trapmon -w ${tw:--}, dwdump $dw ticks; ratio of the sums to dwdump's $(ratio "$(sum trapmon)" "$(sum dwdump)")x"
			echo "    per round (ticks of 1/$(awk '$1 == "clk_tck" {print $2}' "$res") s): $(awk '$1 == "round" {printf "%s#%s:", sep, $2; sep = " "} $1 ~ /_ticks$/ {printf " %s %s", substr($1, 1, length($1) - 6), $2}' "$res"); mode $(awk '$1 == "mode" {print $2}' "$res")"
			raw live.ratio "$(ratio "$tm" "$dw")"
			lost=$(awk '$1 ~ /kernel_queue|socket_overruns|floor_overruns/ {s += $2} END {print s + 0}' "$res")
			short=$(awk -v f="$flood" '$1 == "counted" && $2 != f {n++} END {print n + 0}' "$res")
			verdict "live: rounds where trapmon missed any of the $flood drops" "$short" "<=" 0 ""
			awk -v f="$flood" '$1 == "round" {r = $2} $1 == "counted" && $2 != f {print "    round " r ": " $3 " counted " $2}
			     $1 == "short_rows" {$1 = ""; print "     its table (trap, sport, dport, packets):" $0}' "$res"
			verdict "live: alerts lost (kernel queue + socket), all rounds" "$lost" "<=" 0 ""
		fi
	fi
fi

# 3b. The replay under the lab's emulated CPU: no goal ------------------------
if want guest-replay; then
	why=$(lab_missing)
	[ -x /usr/bin/time ] || why="no /usr/bin/time (GNU time)"
	if [ -n "$why" ]; then
		skip "guest replay" "$why"
	else
		sed -e "s/^BENCH_RUNS=.*/BENCH_RUNS=${BENCH_GUEST_RUNS:-30}/" \
		    -e "s/^BENCH_FLOOD=.*/BENCH_FLOOD=${BENCH_FLOOD:-50000}/" \
		    -e "s/^BENCH_OTHER=.*/BENCH_OTHER=$([ -n "${BENCH_LIVE_OTHER:-}" ] && echo 1 || echo 0)/" \
		    "$HERE/guest-replay.sh" > "$WORK/guest-replay.sh"
		helpers="$UDPSEND /usr/bin/time"
		if [ -n "${BENCH_LIVE_OTHER:-}" ]; then
			cp "$BENCH_LIVE_OTHER" "$WORK/trapmon-other" || exit 1
			helpers="$helpers $WORK/trapmon-other"
		fi
		TRAPMON_LAB_HELPERS="$helpers" "$TOP/netdevsim-scripts/run-vm.sh" \
			-o "$WORK/lab-guest" -b "$TRAPMON" "$WORK/guest-replay.sh" > "$WORK/lab-guest.log" 2>&1
		res=$WORK/lab-guest/guest-replay/result
		if [ ! -s "$res" ] || ! grep -q '^replay_trapmon ' "$res"; then
			skip "guest replay" "the VM run failed: $(tail -n 3 "$WORK/lab-guest.log" | tr '\n' ' ')"
		else
			alerts=$(awk '$1 == "alerts" {print $2}' "$res")
			echo "guest replay: trapmon -r of a $alerts-alert flood captured in the lab VM, $(awk '$1 == "runs" {print $2}' "$res") runs each (no goal)"
			for t in trapmon trapmon-other; do
				grep -q "^replay_$t " "$res" || continue
				awk -v t="$t" -v n="$alerts" '
					$1 == "replay_" t {r += $2; k++}
					$1 == "startup_" t {s += $2}
					END {printf "    %-14s replay %.4f s, start-up %.4f s: %.2f us an alert\n",
						t == "trapmon" ? "this trapmon" : "BENCH_LIVE_OTHER", r / k, s / k,
						(r - s) / k / n * 1e6}' "$res"
				awk -v t="$t" -v n="$alerts" '
					$1 == "replay_" t {r += $2; k++}
					$1 == "startup_" t {s += $2}
					END {printf "guest.%s.us_per_alert %.3f\n", t == "trapmon" ? "trapmon" : "other",
						(r - s) / k / n * 1e6}' "$res" >> "$RESULTS"
			done
		fi
	fi
fi

# 4. Memory ------------------------------------------------------------------
# maxrss FILE ARGS...: peak RSS in KiB of trapmon -r FILE, lowest of two runs.
maxrss() {
	local f=$1 best= v i
	shift
	for i in 1 2; do
		v=$(/usr/bin/time -f '%M' "$TRAPMON" "$@" -r "$f" 2>&1 > /dev/null | tail -n1)
		[ -z "$best" ] || [ "$v" -lt "$best" ] && best=$v
	done
	echo "$best"
}
if want memory; then
	if [ -x /usr/bin/time ]; then
		gen tiny 1000 100
		gen f1m $BIG_FLOWS $BIG_FLOWS
		base=$(maxrss "$WORK/tiny.pcap" --max-flows 1048576)
		big=$(maxrss "$WORK/f1m.pcap" --max-flows 1048576)
		per=$(awk -v a="$base" -v b="$big" -v n=$BIG_FLOWS 'BEGIN {printf "%.1f", (b - a) * 1024 / n}')
		raw memory.baseline_kib "$base"
		raw memory.1m_flows_kib "$big"
		raw memory.bytes_per_flow "$per"
		verdict "memory: peak RSS per flow, 1M flows, --max-flows 1048576" "$per" "<=" 120 B
		echo "    peak RSS ${base} KiB (100 flows) -> ${big} KiB (1,000,000 flows)"
		gen f200k $SPRAY_SMALL $SPRAY_SMALL
		gen f2m $SPRAY_BIG $SPRAY_BIG
		small=$(maxrss "$WORK/f200k.pcap")
		large=$(maxrss "$WORK/f2m.pcap")
		growth=$(awk -v a="$small" -v b="$large" 'BEGIN {g = (b - a) / a * 100; printf "%.1f", g < 0 ? -g : g}')
		raw memory.spray_200k_kib "$small"
		raw memory.spray_2m_kib "$large"
		raw memory.spray_growth_pct "$growth"
		verdict "memory: RSS change, 200k -> 2M distinct flows, default bound" "$growth" "<=" 2 %
		echo "    peak RSS ${small} KiB (200k flows) -> ${large} KiB (2M flows); the table holds 65,536"
	else
		skip "memory" "no /usr/bin/time (apt-get install time)"
	fi
fi

echo
echo "raw numbers: $RESULTS"
raw summary.misses "$fails"
raw summary.skips "$skips"
[ -n "${BENCH_SMOKE:-}" ] || [ "$fails" -eq 0 ]
