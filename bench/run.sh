#!/bin/bash
# bench/run.sh - the overhead bench: each workload bare, under the
# do-nothing interposer (the floor any preload tool pays) and under
# liballoctop, interleaved round by round so machine drift hits all alike.
#
#   bench/run.sh [-r ROUNDS] [-w "churn liveset ..."] [-c "floor shim exact"]
#                [-p CPU] [-o OUT.tsv]
#
# Configurations: bare, floor, shim (default sampling), nostack (counting
# only: ALLOCTOP_SAMPLE_BYTES=0), exact (ALLOCTOP_SAMPLE_BYTES=1), heaptrack
# (Debian's heaptrack 1.4: its recording, which waits for its interpreter
# and compressor), and the same two up to the report a user reads:
# exact-report (`alloctop -b --exact -- WORKLOAD`, the reader attached from
# the start and printing its hotspot tables) and heaptrack-report (the
# recording, then `heaptrack_print` of it); ladder1 to ladder4, the
# counting shim taken apart (bench/ladder.c: malloc, free and realloc
# only, so churn, liveset and realloc only).
# Prints one TSV row per workload and configuration: median wall and CPU
# seconds over the rounds and the median of the per-round ratios to bare.
# -p CPU pins each single-threaded run (bare, floor, nostack, shim, exact,
# ladder; not threads, not the reader's or heaptrack's runs, whose helper
# processes run on the other core) to that processor with taskset: on a
# 2-core VM a run the scheduler moves between cores can take 1.4 times as
# long, and such runs scatter the per-round ratios.
# Run from the build tree after `make check` (which builds the programs).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${top_builddir:-$(cd "$here/.." && pwd)}
rounds=5
workloads="churn liveset realloc threads calign"
configs="floor nostack shim"
out=
cpu=
while getopts r:w:c:o:p: opt; do
	case $opt in
	r) rounds=$OPTARG ;;
	w) workloads=$OPTARG ;;
	c) configs=$OPTARG ;;
	o) out=$OPTARG ;;
	p) cpu=$OPTARG ;;
	*) echo "usage: $0 [-r ROUNDS] [-w WORKLOADS] [-c CONFIGS] [-p CPU] [-o OUT]" >&2
	   exit 2 ;;
	esac
done
W="$build/bench/workloads"
SHIM="$build/shim/.libs/liballoctop.so"
FLOOR="$build/bench/.libs/libfloor.so"
ALLOCTOP="$build/alloctop"
for f in "$W" "$SHIM" "$FLOOR"; do
	[ -e "$f" ] || { echo "bench: $f missing: run 'make check' first" >&2; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run_one() {	# run_one CONFIG WORKLOAD -> "wall cpu" on stdout
	local cfg=$1 w=$2 TIMEFORMAT='%3R %3U %3S' t
	# Pinned, this subshell itself: a taskset in the timed command would
	# start under LD_PRELOAD too and charge the shim's start-up twice.
	case $cfg in
	bare | floor | shim | nostack | exact | ladder[1-4])
		if [ -n "$cpu" ] && [ "$w" != threads ]; then
			taskset -pc "$cpu" "$BASHPID" >/dev/null
		fi ;;
	esac
	case $cfg in
	bare) t=$( { time "$W" "$w" >/dev/null; } 2>&1 ) ;;
	floor) t=$( { time LD_PRELOAD="$FLOOR" "$W" "$w" >/dev/null; } 2>&1 ) ;;
	shim) t=$( { time LD_PRELOAD="$SHIM" "$W" "$w" >/dev/null; } 2>&1 ) ;;
	nostack) t=$( { time ALLOCTOP_SAMPLE_BYTES=0 LD_PRELOAD="$SHIM" "$W" "$w" >/dev/null; } 2>&1 ) ;;
	exact) t=$( { time ALLOCTOP_SAMPLE_BYTES=1 LD_PRELOAD="$SHIM" "$W" "$w" >/dev/null; } 2>&1 ) ;;
	ladder[1-4]) t=$( { time LD_PRELOAD="$build/bench/.libs/lib$cfg.so" "$W" "$w" >/dev/null; } 2>&1 ) ;;
	exact-report) t=$( { time "$ALLOCTOP" -b --exact -- "$W" "$w" >/dev/null; } 2>&1 ) ;;
	heaptrack) t=$( { time heaptrack -o "$tmp/ht" "$W" "$w" >/dev/null 2>&1; } 2>&1 )
		rm -f "$tmp"/ht* ;;
	heaptrack-report) t=$( { time { heaptrack -o "$tmp/ht" "$W" "$w" &&
			heaptrack_print "$tmp"/ht.zst; } >/dev/null 2>&1; } 2>&1 )
		rm -f "$tmp"/ht* ;;
	*) echo "bench: unknown configuration $cfg" >&2; exit 2 ;;
	esac
	# Segments of finished runs are removed at exit; nothing to clean.
	echo "$t" | awk '{ printf "%s %.3f\n", $1, $2 + $3 }'
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

for w in $workloads; do
	(run_one bare "$w") >/dev/null	# warm caches (a subshell: it may pin itself)
	for ((r = 1; r <= rounds; r++)); do
		read -r bw bc < <(run_one bare "$w")
		echo "$bw $bc" >>"$tmp/$w.bare"
		for c in $configs; do
			read -r cw cc < <(run_one "$c" "$w")
			echo "$cw $cc" >>"$tmp/$w.$c"
			awk -v a="$cw" -v b="$bw" -v x="$cc" -v y="$bc" \
				'BEGIN { printf "%.4f %.4f\n", a / b, x / y }' >>"$tmp/$w.$c.ratio"
		done
	done
done

{
	printf 'workload\tconfig\twall_s\tcpu_s\twall_ratio\tcpu_ratio\n'
	for w in $workloads; do
		printf '%s\tbare\t%s\t%s\t1.000\t1.000\n' "$w" \
			"$(cut -d' ' -f1 "$tmp/$w.bare" | median)" \
			"$(cut -d' ' -f2 "$tmp/$w.bare" | median)"
		for c in $configs; do
			printf '%s\t%s\t%s\t%s\t%.3f\t%.3f\n' "$w" "$c" \
				"$(cut -d' ' -f1 "$tmp/$w.$c" | median)" \
				"$(cut -d' ' -f2 "$tmp/$w.$c" | median)" \
				"$(cut -d' ' -f1 "$tmp/$w.$c.ratio" | median)" \
				"$(cut -d' ' -f2 "$tmp/$w.$c.ratio" | median)"
		done
	done
} | if [ -n "$out" ]; then tee "$out"; else cat; fi
