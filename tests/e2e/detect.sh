#!/bin/sh
# The detectors and alerts end to end: a leaking program raises a leak
# alert and fails --fail-on; a healthy one does not; `alloctop detect` and
# `--check-config` work from the command line.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

cat >"$WORK/leak.py" <<'PY'
import time
keep = []
for i in range(160):
    keep.append(bytearray(1 << 19))   # 512 KiB every 200 ms: 2.5 MiB/s
    time.sleep(0.2)
PY
set +e
"$ALLOCTOP" --json -d 0.25 --top 3 --fail-on warning -o "$WORK/leak.json" \
	-- /usr/bin/python3 "$WORK/leak.py" 2>"$WORK/leak.err"
status=$?
set -e
[ "$status" = 3 ] || fail "a leaking run exited $status, not 3 (--fail-on)"
grep -q "alerts were raised" "$WORK/leak.err" || fail "no --fail-on message"
$PYTHON3 - "$WORK/leak.json" <<'PY'
import json, sys
ticks = [json.loads(l) for l in open(sys.argv[1])]
alerts = [a for t in ticks for a in t.get("alerts", [])]
leak = [a for a in alerts if a["text"].startswith(("leak", "live_growth"))
        and a["severity"] in ("warning", "critical")]
assert leak, alerts
first = min(a["t_s"] for a in leak)
# Trends start 10 s in and need 15 s of history (start-up fills look like
# growth); a leak must still be called within 30 s.
assert 24.0 <= first < 30.0, f"leak alerted at {first}s"
assert any(t.get("trend", {}).get("leak") for t in ticks), "no leak verdict"
print(f"leak alerted at {first:.1f}s: {leak[0]['text']}")
PY

# A healthy program: no warning, status 0.
"$ALLOCTOP" -b -d 0.1 --fail-on warning -o "$WORK/healthy.txt" \
	-- "$PROGS/exact" --threads 2 --rounds 2000 >/dev/null ||
	fail "a healthy run failed --fail-on warning"
if grep -E "^Alert: (WARNING|CRITICAL)" "$WORK/healthy.txt"; then
	fail "a healthy run raised warnings"
fi

# Offline detectors on a CSV series with a known leak.
"$ALLOCTOP" detect --trend "$top_srcdir/tests/data/detect/leak.csv" \
	>"$WORK/trend.txt" || fail "alloctop detect failed"
grep -q "column=live_bytes .*leak=yes" "$WORK/trend.txt" ||
	fail "alloctop detect --trend missed the leak: $(cat "$WORK/trend.txt")"

# --check-config: good file ok, bad file one line with file:line:col.
"$ALLOCTOP" --check-config "$top_srcdir/config/alloctop.yaml" >/dev/null ||
	fail "the default config does not check"
set +e
"$ALLOCTOP" --check-config "$top_srcdir/tests/data/config/bad-range.yaml" \
	2>"$WORK/cc.err"
status=$?
set -e
[ "$status" = 2 ] || fail "--check-config on a bad file exited $status"
grep -q "bad-range.yaml:[0-9]*:[0-9]*: detect.leak_window" "$WORK/cc.err" ||
	fail "no file:line:col key in: $(cat "$WORK/cc.err")"
set +e
"$ALLOCTOP" --config "$top_srcdir/tests/data/config/bad-range.yaml" -b -- true \
	2>"$WORK/cfg.err"
status=$?
set -e
[ "$status" = 2 ] || fail "--config with a bad file exited $status, not 2"
echo "detect: ok"
