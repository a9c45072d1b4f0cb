#!/bin/sh
# A leaking program: the Overview names the pattern (growth) once the
# classifier has seen enough ticks, and the alerts pane shows the leak
# alert; the Alerts screen lists it as active.
. "$(dirname "$0")/lib.sh"

SIM="$top_builddir/alloctop-sim"
start 120 40 -d 0.2 -- "$SIM" growth --rate 4MB/s --duration 60s --quiet
wait_screen 'pid [0-9]+ .*alloctop-sim growth'
# 20 ticks of history before a verdict: about 4 s at 0.2 s a tick.
i=0
until screen | grep -Eq 'Pattern +growth \([0-9]+%\)'; do
	i=$((i + 1))
	[ $i -lt 200 ] || fail "no growth pattern after 20 s"
	sleep 0.1
done
wait_screen '(WARN|CRIT) (leak|live_growth)'
$T send-keys Tab Tab
wait_screen '\[Alerts\]'
wait_screen '(WARN|CRIT) +active +(leak|live_growth)'
$T send-keys q
assert_restored
exit 0
