# Sourced by bench/equiv-*.sh and bench/dissect-vs-tshark.sh, which take
# [BUILDDIR] as their first argument: where the sources (TOP) and the
# build (BUILD) are, and what the drivers share.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(dirname "$HERE")
BUILD=$(cd "${1:-${abs_top_builddir:-$TOP}}" && pwd)

# equiv_need WHO PROGRAM...: exit 2, naming the make targets, unless each
# PROGRAM has been built.
equiv_need() {
	local who=$1 f
	shift
	for f; do
		[ -x "$f" ] || { echo "$who: no $f: make ${*#"$BUILD"/}" >&2; exit 2; }
	done
}

# equiv_seeded NAME COUNT CORPUS [ABOUT]: bench/NAME on COUNT random inputs
# grown from tests/fuzz/corpus/CORPUS, EQUIV_SEED (1) picking them; the
# first line says when, where and ABOUT.
equiv_seeded() {
	local driver=$BUILD/bench/$1

	equiv_need "$1.sh" "$driver"
	echo "$1.sh: $(date -u +%F), $(nproc) CPUs${4:+, $4}"
	"$driver" -n "$2" -s "${EQUIV_SEED:-1}" "$TOP"/tests/fuzz/corpus/"$3"/*.bin
}
