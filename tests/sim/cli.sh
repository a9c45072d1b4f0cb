#!/bin/sh
# alloctop-sim command line: --help for everything, and every kind of bad
# argument ends with exit 2 and one clear message.
set -eu
. "$(dirname "$0")/common.sh"

# usage_error EXPECTED_MESSAGE ARGS...: exit 2, message on stderr.
usage_error()
{
	want=$1
	shift
	if "$SIM" "$@" >"$T/out" 2>"$T/err"; then
		fail "'$*' succeeded"
	else
		rc=$?
	fi
	[ "$rc" -eq 2 ] || fail "'$*': exit $rc, expected 2"
	grep -qxF "$want" "$T/err" ||
		fail "'$*': got '$(cat "$T/err")', expected '$want'"
}

"$SIM" --help >"$T/help" || fail "--help"
grep -q '^Usage: alloctop-sim WORKLOAD' "$T/help" || fail "--help text"
"$SIM" --version | grep -q '^alloctop-sim ' || fail "--version"
for w in steady burst growth cyclic fragment large realloc pool-candidate \
	thread-leak fd-leak cache-leak mixed; do
	grep -q "^  $w " "$T/help" || fail "--help does not list $w"
	"$SIM" "$w" --help >"$T/whelp" || fail "$w --help"
	grep -q "^Usage: alloctop-sim $w" "$T/whelp" || fail "$w --help text"
	grep -q -- '--duration' "$T/whelp" ||
		fail "$w --help: no common options"
done

usage_error "alloctop-sim: --rate: not a rate: 'xyz'" growth --rate xyz
usage_error "alloctop-sim: --rate: not a rate: '1MB/fortnight'" \
	growth --rate 1MB/fortnight
usage_error "alloctop-sim: --rate: must be more than 0 (got '0/s')" \
	thread-leak --rate 0/s
usage_error "alloctop-sim: --size: not a size: '12XB'" burst --size 12XB
usage_error "alloctop-sim: --duration: not a duration: '5 days'" \
	steady --duration '5 days'
usage_error "alloctop-sim: --threads: must be between 1 and 256 (got '0')" \
	steady --threads 0
usage_error "alloctop-sim: --seed: not a whole number: '-3'" steady --seed -3
shapes='linear|exponential|stepped'
usage_error "alloctop-sim: --shape: not one of $shapes: 'cubic'" \
	growth --shape cubic
usage_error "alloctop-sim: unknown option '--bogus'" steady --bogus
usage_error "alloctop-sim: --rate: missing value" steady --rate
usage_error "alloctop-sim: --quiet: takes no value" steady --quiet=yes
usage_error "alloctop-sim: unexpected argument 'now'" steady now
usage_error "alloctop-sim: unknown workload 'nosuch'" nosuch
usage_error "alloctop-sim: missing workload"
usage_error "alloctop-sim: --min-size: larger than --max-size" \
	steady --min-size 4K --max-size 1K
usage_error "alloctop-sim: --phases: phase 2: unknown workload 'bogus'" \
	mixed --phases steady:1s,bogus:1s
usage_error "alloctop-sim: --phases: phase 1: not a duration: 'soon'" \
	mixed --phases steady:soon
printf 'steady 1s\n# comment\ngrowth 2s --rate fast\n' >"$T/sched"
usage_error "alloctop-sim: $T/sched:3: --rate: not a rate: 'fast'" \
	mixed --schedule "$T/sched"
usage_error "alloctop-sim: $T/none: No such file or directory" \
	mixed --schedule "$T/none"
usage_error "alloctop-sim: --phases: not together with --schedule" \
	mixed --phases steady:1s --schedule "$T/sched"

# Accepted spellings of values: they must parse (and do nothing long).
for v in 64 4K 4KiB 4KB 1.5M 1MiB 1MB 1G; do
	"$SIM" burst --size "$v" --iterations 1 --quiet || fail "size $v"
done
for v in 10/s 600/m 2k/s 1.5/s 7; do
	"$SIM" steady --rate "$v" --iterations 1 --quiet || fail "rate $v"
done
for v in 1MB/s 512KiB/s 1G/h 100; do
	"$SIM" growth --rate "$v" --iterations 1 --quiet || fail "rate $v"
done
for v in 10 1.5 500ms 10s 2m 1h; do
	"$SIM" steady --duration "$v" --iterations 1 --quiet ||
		fail "duration $v"
done
"$SIM" steady --noise=30% --iterations 1 --quiet || fail "--noise=30%"
"$SIM" steady --noise 0.3 --iterations 1 --quiet || fail "--noise 0.3"

# The labels echo the parsed values, in base units.
"$SIM" growth --rate 1.5MiB/s --chunk 4K --step 250ms --shape stepped \
	--iterations 1 --quiet --labels "$T/l.json"
"$PY" - "$T/l.json" <<'PYEOF'
import sys, labels
p = labels.phase(sys.argv[1], "growth")["params"]
want = {"rate": 1.5 * 1048576, "chunk": 4096, "step": 0.25,
        "shape": "stepped", "doubling": 10}
labels.expect(p == want, "params %s, expected %s" % (p, want))
PYEOF

# --help and the man page agree: every workload and option is documented.
man="$top_srcdir/man/alloctop-sim.1"
for w in steady burst growth cyclic fragment large realloc pool-candidate \
	thread-leak fd-leak cache-leak mixed; do
	roff=$(printf '%s' "$w" | sed 's/-/\\-/g')
	grep -qF ".BR $roff" "$man" || grep -qxF ".B $roff" "$man" ||
		fail "man page: no workload $w"
	"$SIM" "$w" --help | sed -n 's/^  \(--[a-z-]*\).*/\1/p' |
	while read -r o; do
		roff=$(printf '%s' "$o" | sed 's/-/\\-/g')
		grep -qF -- "$roff" "$man" || fail "man page: no $o ($w)"
	done
done
