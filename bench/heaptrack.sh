#!/bin/bash
# bench/heaptrack.sh - exact mode against heaptrack (issue 4, speed).
#
#   bench/heaptrack.sh [-r ROUNDS] [-w "churn liveset ..."] [-i IN.tsv]
#                      [-o OUT.tsv]
#
# Runs bench/run.sh -c "exact-report heaptrack-report exact heaptrack", or
# reads such a TSV back with -i, and prints two Markdown tables:
#
#   * to the report (the issue's measure: heaptrack's recording and its own
#     post-processing both count): `alloctop -b --exact -- WORKLOAD`, the
#     reader attached throughout and printing its hotspots, against
#     `heaptrack WORKLOAD` followed by `heaptrack_print` of the recording;
#   * recording only: ALLOCTOP_SAMPLE_BYTES=1 under LD_PRELOAD, no reader,
#     against `heaptrack WORKLOAD` alone (its interpreter and compressor
#     included: the heaptrack script waits for them before it exits).
#
# Ratios are run.sh's: the median over rounds of each round's time divided
# by the bare run of the same round, for wall time and for CPU time (user +
# sys of the whole process tree: heaptrack's interpreter runs on the other
# core, so its CPU ratio exceeds its wall ratio).  Overhead is ratio - 1.
# The target: exact mode costs at most half of heaptrack's overhead,
#
#     (exact - 1) <= 0.5 * (heaptrack - 1)
#
# checked separately for wall and CPU; "share" is (exact - 1) /
# (heaptrack - 1), the target being share <= 50 %.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
rounds=3
workloads="churn liveset realloc threads calign"
in=
out=
while getopts r:w:i:o: opt; do
	case $opt in
	r) rounds=$OPTARG ;;
	w) workloads=$OPTARG ;;
	i) in=$OPTARG ;;
	o) out=$OPTARG ;;
	*) echo "usage: $0 [-r ROUNDS] [-w WORKLOADS] [-i IN.tsv] [-o OUT.tsv]" >&2
	   exit 2 ;;
	esac
done

if [ -z "$in" ]; then
	command -v heaptrack >/dev/null 2>&1 || {
		echo "bench: heaptrack not installed (Debian package heaptrack)" >&2
		exit 1
	}
	in=${out:-$(mktemp)}
	[ -n "$out" ] || trap 'rm -f "$in"' EXIT
	"$here/run.sh" -r "$rounds" -w "$workloads" \
		-c "exact-report heaptrack-report exact heaptrack" \
		-o "$in" >/dev/null
fi

table() {	# table EXACT-CONFIG HEAPTRACK-CONFIG TITLE
	awk -F'\t' -v e="$1" -v h="$2" -v title="$3" '
function share(x, y) { return y > 1 ? sprintf("%.0f %%", 100 * (x - 1) / (y - 1)) : "-" }
function met(x, y) { return (x - 1) <= 0.5 * (y - 1) ? "yes" : "no" }
NR > 1 {
	if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 }
	wall[$1, $2] = $5; cpu[$1, $2] = $6; secs[$1, $2] = $3
}
END {
	shown = 0
	for (i = 1; i <= n; i++) {
		w = order[i]
		if (!((w, e) in wall) || !((w, h) in wall))
			continue
		if (!shown++) {
			print "### " title " (" e " against " h ")\n"
			print "| workload | bare s | exact/bare wall | heaptrack/bare wall | share | met | exact/bare CPU | heaptrack/bare CPU | share | met |"
			print "|---|---:|---:|---:|---:|:-:|---:|---:|---:|:-:|"
		}
		ew = wall[w, e]; hw = wall[w, h]
		ec = cpu[w, e]; hc = cpu[w, h]
		printf "| %s | %s | %.2fx | %.2fx | %s | %s | %.2fx | %.2fx | %s | %s |\n",
			w, secs[w, "bare"], ew, hw, share(ew, hw), met(ew, hw),
			ec, hc, share(ec, hc), met(ec, hc)
	}
	if (shown)
		print ""
}' "$in"
}

table exact-report heaptrack-report "To the report"
table exact heaptrack "Recording only"
