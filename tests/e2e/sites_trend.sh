#!/bin/sh
# The trend test per call site end to end: tests/progs/sites leak runs
# 32 s with three healthy sites (fixed rings, 20 k replacements a second
# each) and leaky_site keeping 1000 bytes a step of 1 ms plus the work (at
# most 60 MB a minute).  In exact mode, so that each site's live bytes are
# the truth: alloctop's JSON gives leaky_site a trend with a leak verdict
# and a slope within 10% of its live bytes' growth over the last 15 s,
# never a leak verdict to a healthy site, and raises the site_growth alert
# (critical: far above 10 MiB/min) naming leaky_site.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
[ "$PYTHON3" != no ] || exit 77

"$ALLOCTOP" --json -d 0.25 --exact --sort growth --top 10 -o "$WORK/run" \
	-- "$PROGS/sites" leak 32 >/dev/null || fail "alloctop exited $?"
$PYTHON3 - "$WORK/run" <<'PY'
import json, sys
ticks = [json.loads(l) for l in open(sys.argv[1])]
live = [(t["elapsed_s"], s["live_bytes"]) for t in ticks if not t["final"]
        for s in t.get("sites", [])
        if (s.get("where") or {}).get("function") == "leaky_site"]
end = live[-1]
start = min(live, key=lambda x: abs(x[0] - (end[0] - 15)))
true_rate = (end[1] - start[1]) / (end[0] - start[0]) * 60
leaky, healthy_leaks = [], []
for t in ticks:
    for s in t.get("sites", []):
        tr = s.get("trend")
        name = (s.get("where") or {}).get("function", "")
        if not tr or not tr["leak"]:
            continue
        if name == "leaky_site":
            leaky.append((t["elapsed_s"], tr))
        else:
            healthy_leaks.append((t["elapsed_s"], name, tr))
assert not healthy_leaks, healthy_leaks[:3]
assert leaky, "leaky_site never got a leak verdict"
first = leaky[0][0]
# Trends start 10 s in and need 15 s of history.
assert 24.0 <= first <= 31.0, f"leaky_site called at {first}s"
rate = leaky[-1][1]["per_min"]
assert abs(rate - true_rate) <= 0.1 * true_rate, \
    f"leaky_site grows {rate / 1e6:.1f} MB/min, truly {true_rate / 1e6:.1f}"
alerts = [a for t in ticks for a in t.get("alerts", [])
          if a["text"].startswith("site_growth") and a["active"]]
assert alerts, "no site_growth alert"
assert alerts[0]["severity"] == "critical", alerts[0]
assert "at leaky_site (" in alerts[0]["text"], alerts[0]
print(f"leaky_site: leak at {first:.1f}s, {rate / 1e6:.1f} MB/min "
      f"(truly {true_rate / 1e6:.1f}); "
      f"alert: {alerts[0]['text']}")
PY
echo "sites_trend: ok"
