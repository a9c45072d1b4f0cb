#!/bin/sh
# A leaking program: the Overview names the pattern (growth) once the
# classifier has seen enough ticks, and the Alerts screen lists the leak
# alert as active.
. "$(dirname "$0")/lib.sh"

SIM="$top_builddir/alloctop-sim"
start 120 40 -d 0.2 -- "$SIM" growth --rate 4MB/s --duration 60s --quiet
wait_screen 'pid [0-9]+ .*alloctop-sim growth'
# A growth verdict needs 15 s of history (start-up fills look like
# growth), then the classifier's hold: allow 40 s.
i=0
until screen | grep -Eq 'Pattern +growth \([0-9]+%\)'; do
	i=$((i + 1))
	[ $i -lt 400 ] || fail "no growth pattern after 40 s"
	sleep 0.1
done
$T send-keys Tab Tab
wait_screen '\[Alerts\]'
wait_screen '(WARN|CRIT) +active +(leak|live_growth)'
$T send-keys q
assert_restored
exit 0
