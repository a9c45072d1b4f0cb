#!/usr/bin/env python3
"""bench/quality.py - score a corpus made by bench/quality.sh.

    python3 bench/quality.py DIR

DIR holds, per run NAME, NAME.labels.json (alloctop-sim's ground truth)
and NAME.ndjson (alloctop --json, one object per tick).  NAME is
CLASS-INDEX for the classifier corpus and leak1m-INDEX for the leak-timing
runs.  Prints the confusion matrix and the tables, writes DIR/runs.tsv
(one row per run) and DIR/summary.json, and prints the summary as the last
line, prefixed "QUALITY ".

Definitions (bench/quality.md explains them):
  classified ticks  ticks whose "pattern" is not null (alloctop shows no
                    pattern before detect.min_ticks ticks), not the final
                    tick (the target has exited by then), and inside the
                    labelled phase's [start_s, end_s]
  steady part       the last half of the classified ticks (the later
                    ceil(n/2) of them)
  verdict           the class alloctop reports on most ticks of the steady
                    part; a tie goes to the class reported last; "none" if
                    the run has no classified tick
  false alert       a warning or critical alert raised (any rule, any
                    time, warm-up included) on a healthy run
  time to alert     first warning/critical alert of rule "leak" or
                    "live_growth" raised at or after the start of the leak
                    phase, minus that start (labels' start_s; the sim
                    starts slightly after alloctop's clock, so this errs
                    long, never short)
"""
import collections
import json
import math
import os
import sys

CLASSES = ["healthy", "growth", "burst", "large-object", "realloc-growth",
           "pool-candidate", "fragmentation", "cyclic"]
# Sim classes judged by the heap classifier, and what it should say.
HEAP_TRUTH = {c: c for c in CLASSES}
HEAP_TRUTH["cache-leak"] = "growth"
# Sim classes whose leak is not in the heap: judged on threads / fds.
PROC_TRUTH = {"thread-leak": "threads", "fd-leak": "fds"}
# alloctop's alert rule for a leak of each.
LEAK_RULE = {"threads": "thread_leak", "fds": "fd_leak"}
ROW_ORDER = CLASSES + ["cache-leak"]
LEAK_RULES = ("leak", "live_growth")
BAD = ("warning", "critical")
TARGET_RECALL = 0.95
TARGET_FALSE_ALERT = 0.02
TARGET_LEAK_S = 30.0


def load(path):
    ticks = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                ticks.append(json.loads(line))
    return ticks


def rule_of(alert):
    """The rule an alert event belongs to: its text up to the colon."""
    return alert.get("text", "").split(":", 1)[0]


def alert_events(ticks):
    """(tick, t_s, severity, rule, text) of every warning/critical alert
    raised or escalated (an event with active true)."""
    out = []
    for t in ticks:
        for a in t.get("alerts") or []:
            if a.get("active") and a.get("severity") in BAD:
                out.append((t["tick"], a.get("t_s", t["elapsed_s"]),
                            a["severity"], rule_of(a), a.get("text", "")))
    return out


def alerted_ticks(ticks):
    """Ticks on which some warning/critical alert is active (raised on or
    before the tick and not yet cleared)."""
    active = set()
    n = 0
    for t in ticks:
        for a in t.get("alerts") or []:
            r = rule_of(a)
            if a.get("active") and a.get("severity") in BAD:
                active.add(r)
            elif a.get("text", "").endswith(": cleared"):
                active.discard(r)
        n += bool(active)
    return n


def mann_kendall_growth(xs):
    """One-sided confidence that xs grows (Mann-Kendall, normal
    approximation, ties corrected): the same test alloctop's trend detector
    runs, here on the JSON's proc figures."""
    n = len(xs)
    if n < 3:
        return 0.0
    s = 0
    for i in range(n - 1):
        for j in range(i + 1, n):
            s += (xs[j] > xs[i]) - (xs[j] < xs[i])
    ties = collections.Counter(xs).values()
    var = (n * (n - 1) * (2 * n + 5)
           - sum(g * (g - 1) * (2 * g + 5) for g in ties)) / 18.0
    if var <= 0 or s == 0:
        return 0.0 if s <= 0 else 1.0
    z = (s - 1 if s > 0 else s + 1) / math.sqrt(var)
    return 0.5 * math.erfc(-z / math.sqrt(2))


def verdict_of(steady):
    if not steady:
        return "none"
    counts = collections.Counter(steady)
    best = max(counts.values())
    for c in reversed(steady):      # tie: the class reported last
        if counts[c] == best:
            return c
    return "none"


def score_run(name, ticks, labels, phase_class=None):
    phases = labels["phases"]
    if phase_class is None:
        ph = phases[-1]
    else:
        ph = [p for p in phases if p["class"] == phase_class][-1]
    lo, hi = ph["start_s"], ph["end_s"]
    classified = [t for t in ticks
                  if t.get("pattern") and not t.get("final")
                  and lo <= t["elapsed_s"] <= hi]
    steady_ticks = classified[len(classified) // 2:]
    steady = [t["pattern"]["class"] for t in steady_ticks]
    r = {
        "name": name,
        "sim_class": ph["class"],
        "workload": labels.get("workload"),
        "seed": labels.get("seed"),
        "params": ph.get("params", {}),
        "ticks": len(ticks),
        "classified_ticks": len(classified),
        "steady_ticks": len(steady),
        "verdict": verdict_of(steady),
        "steady_classes": dict(collections.Counter(steady)),
        "all_classes": dict(collections.Counter(
            t["pattern"]["class"] for t in classified)),
        "first_pattern_tick": next((t["tick"] for t in ticks
                                    if t.get("pattern")), None),
        "alerts": alert_events(ticks),
        "alerted_ticks": alerted_ticks(ticks),
        "steady_start_tick": steady_ticks[0]["tick"] if steady_ticks
        else None,
        "phase_start_s": lo,
        "phase_end_s": hi,
        "phases": [(p["class"], p["start_s"], p["end_s"]) for p in phases],
    }
    truth = HEAP_TRUTH.get(ph["class"])
    r["expected"] = truth
    r["steady_tick_acc"] = (sum(c == truth for c in steady) / len(steady)
                            if steady and truth else None)
    # proc figures over the classified ticks: the threads/fds test.
    for key in ("threads", "fds"):
        xs = [t["proc"][key] for t in classified
              if t.get("proc") and t["proc"].get(key) is not None]
        r[key + "_first"] = xs[0] if xs else None
        r[key + "_last"] = xs[-1] if xs else None
        r[key + "_growth_conf"] = mann_kendall_growth(xs)
    return r


def leak_timing(r):
    """Seconds from the leak phase's start to the first leak/live_growth
    alert; also whether one was active already when the leak began."""
    start = r["phase_start_s"]
    before = [a for a in r["alerts"] if a[3] in LEAK_RULES and a[1] < start]
    after = [a for a in r["alerts"] if a[3] in LEAK_RULES and a[1] >= start]
    return {
        "lead_in_false_alerts": len(before),
        "time_to_alert_s": (after[0][1] - start) if after else None,
        "first_rule": after[0][3] if after else None,
    }


def pct(x):
    return "  n/a" if x is None else "%5.1f%%" % (100 * x)


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    d = sys.argv[1]
    meta = {}
    try:
        with open(os.path.join(d, "meta.txt")) as f:
            for line in f:
                for kv in line.split():
                    k, _, v = kv.partition("=")
                    meta[k] = v
    except OSError:
        pass
    runs, timing, broken = [], [], []
    for fn in sorted(os.listdir(d)):
        if not fn.endswith(".labels.json"):
            continue
        name = fn[:-len(".labels.json")]
        nd = os.path.join(d, name + ".ndjson")
        try:
            with open(os.path.join(d, fn)) as f:
                labels = json.load(f)
            ticks = load(nd)
        except (OSError, ValueError) as e:
            broken.append((name, str(e)))
            continue
        if name.startswith("leak1m-"):
            r = score_run(name, ticks, labels, phase_class="growth")
            r.update(leak_timing(r))
            # The lead-in is a healthy run too: alerts of any rule raised
            # before the leak started are false alerts.
            r["lead_in_alerts"] = [a for a in r["alerts"]
                                   if a[1] < r["phase_start_s"]]
            timing.append(r)
        else:
            runs.append(score_run(name, ticks, labels))
    # Runs whose labels exist but whose ndjson is missing are caught
    # above; ndjson without labels (sim died early) are listed too.
    for fn in sorted(os.listdir(d)):
        if fn.endswith(".ndjson"):
            name = fn[:-len(".ndjson")]
            if not os.path.exists(os.path.join(d, name + ".labels.json")):
                broken.append((name, "no labels (sim failed?)"))

    print("alloctop detection quality: %s" % " ".join(
        "%s=%s" % kv for kv in sorted(meta.items())))
    print()

    # ---- confusion matrix (heap classifier) -----------------------------
    heap = [r for r in runs if r["sim_class"] in HEAP_TRUTH]
    cols = CLASSES + ["none"]
    short = {"healthy": "heal", "growth": "grow", "burst": "burs",
             "large-object": "larg", "realloc-growth": "real",
             "pool-candidate": "pool", "fragmentation": "frag",
             "cyclic": "cycl", "none": "none"}
    cm = {row: collections.Counter() for row in ROW_ORDER}
    for r in heap:
        cm[r["sim_class"]][r["verdict"]] += 1
    print("Confusion matrix: rows = labelled class (sim), columns = "
          "alloctop verdict (steady part)")
    print("%-22s" % "truth \\ verdict" +
          "".join("%5s" % short[c] for c in cols) + "    n  recall")
    recall = {}
    for row in ROW_ORDER:
        n = sum(cm[row].values())
        if n == 0:
            continue
        ok = cm[row][HEAP_TRUTH[row]]
        recall[row] = ok / n
        label = row if row == HEAP_TRUTH[row] else \
            "%s(->%s)" % (row, HEAP_TRUTH[row])
        print("%-22s" % label + "".join(
            "%5s" % (cm[row][c] or ".") for c in cols) +
            "%5d  %s%s" % (n, pct(recall[row]),
                           "" if recall[row] >= TARGET_RECALL else "  <95%"))
    print()
    precision = {}
    print("%-16s %9s %9s %9s %9s %6s %6s" % (
        "class", "precision", "recall", "tick-acc", "ever", "said", "true"))
    for c in CLASSES:
        said = [r for r in heap if r["verdict"] == c]
        true = [r for r in heap if r["expected"] == c]
        precision[c] = (sum(r["expected"] == c for r in said) / len(said)
                        if said else None)
        rc = (sum(r["verdict"] == c for r in true) / len(true)
              if true else None)
        accs = [r["steady_tick_acc"] for r in true
                if r["steady_tick_acc"] is not None]
        ever = (sum(r["all_classes"].get(c, 0) > 0 for r in true)
                / len(true) if true else None)
        print("%-16s %9s %9s %9s %9s %6d %6d" % (
            c, pct(precision[c]), pct(rc),
            pct(sum(accs) / len(accs) if accs else None), pct(ever),
            len(said), len(true)))
    print("(tick-acc: share of steady-part ticks with the right class; "
          "ever: runs where the right class was shown on at least one "
          "classified tick, a secondary figure; growth includes "
          "cache-leak)")
    print()

    # ---- false alerts on healthy runs -----------------------------------
    healthy = [r for r in runs if r["sim_class"] == "healthy"]
    fa_runs = [r for r in healthy if r["alerts"]]
    fa_ticks = sum(r["alerted_ticks"] for r in healthy)
    all_ticks = sum(r["ticks"] for r in healthy)
    fa_rules = collections.Counter(a[3] for r in healthy for a in r["alerts"])
    lead = [r for r in timing if r["lead_in_alerts"]]
    fa_rate = len(fa_runs) / len(healthy) if healthy else None
    print("False alerts (warning/critical) on healthy runs: %d of %d runs "
          "(%s), %d of %d ticks under alert (%s); rules: %s" % (
              len(fa_runs), len(healthy), pct(fa_rate).strip(), fa_ticks,
              all_ticks, pct(fa_ticks / all_ticks if all_ticks else None)
              .strip(), dict(fa_rules) or "none"))
    fa_steady = [r for r in healthy if r["steady_start_tick"] is not None
                 and any(a[0] >= r["steady_start_tick"]
                         for a in r["alerts"])]
    print("  of which raised in the steady part (secondary): %d of %d runs"
          % (len(fa_steady), len(healthy)))
    for r in fa_runs:
        print("  %s: %s" % (r["name"], "; ".join(
            "t=%.2fs %s %s" % (a[1], a[2], a[4]) for a in r["alerts"])))
    print("Healthy lead-ins of the leak-timing runs: %d of %d with a "
          "warning/critical alert before the leak started" % (
              len(lead), len(timing)))
    for r in lead:
        print("  %s (leak starts %.2fs): %s" % (
            r["name"], r["phase_start_s"], "; ".join(
                "t=%.2fs %s %s" % (a[1], a[2], a[4])
                for a in r["lead_in_alerts"])))
    print()

    # ---- time to alert --------------------------------------------------
    print("Time from the start of a 1 MB/s leak to its first leak/"
          "live_growth alert (target <= %.0f s)" % TARGET_LEAK_S)
    tta = []
    sets = [("leak1m (lead-in, then leak)", timing)]
    g1 = [r for r in runs if r["sim_class"] == "growth"
          and r["params"].get("rate") == 1000000]
    for r in g1:
        r.update(leak_timing(r))
    sets.append(("growth --rate 1MB/s (leak from start)", g1))
    for title, rs in sets:
        ts = [r["time_to_alert_s"] for r in rs]
        got = sorted(t for t in ts if t is not None)
        print("  %-38s runs %2d  alerted %2d  " % (title, len(rs), len(got))
              + ("min %.2f  median %.2f  max %.2f s" % (
                  got[0], got[len(got) // 2], got[-1]) if got else ""))
        for r in rs:
            if r["time_to_alert_s"] is None:
                print("    %s: no leak alert after the leak started%s" % (
                    r["name"], " (one was already active)"
                    if r["lead_in_false_alerts"] else ""))
        tta += ts
    print()

    # ---- thread and fd leaks --------------------------------------------
    print("Thread / fd leaks (not heap classes): alloctop's thread_leak / "
          "fd_leak alerts (its trend test on /proc's counts) and its "
          "threshold alerts, against growth of proc.threads / proc.fds in "
          "the JSON (Mann-Kendall >= 0.999 over the classified ticks, "
          "computed here)")
    proc = {}
    for sc, key in PROC_TRUTH.items():
        rs = [r for r in runs if r["sim_class"] == sc]
        if not rs:
            continue
        rule = LEAK_RULE[key]
        alerted = [r for r in rs if any(a[3] == key for a in r["alerts"])]
        leaked = [r for r in rs if any(a[3] == rule for a in r["alerts"])]
        first = sorted(min(a[1] for a in r["alerts"] if a[3] == rule)
                       for r in leaked)
        false = [r for r in healthy if any(a[3] == rule
                                           for a in r["alerts"])]
        grown = [r for r in rs if r[key + "_growth_conf"] >= 0.999]
        ctrl = [r for r in healthy if r[key + "_growth_conf"] >= 0.999]
        verdicts = collections.Counter(r["verdict"] for r in rs)
        proc[sc] = {"runs": len(rs), "alerted": len(alerted),
                    "leak_alerted": len(leaked),
                    "healthy_leak_alerts": len(false),
                    "growth_seen": len(grown),
                    "healthy_growth_seen": len(ctrl),
                    "heap_verdicts": dict(verdicts)}
        print("  %-12s runs %2d  %s alert %2d (first at %s s; healthy runs "
              "with one: %d)" % (
                  sc, len(rs), rule, len(leaked),
                  "%.1f..%.1f" % (first[0], first[-1]) if first else "-",
                  len(false)))
        print("  %-12s %s threshold alert %2d  growth in JSON %2d  "
              "(healthy runs with %s growth: %d)  %s %d..%d" % (
                  "", key, len(alerted), len(grown), key,
                  len(ctrl), key,
                  min(r[key + "_last"] or 0 for r in rs),
                  max(r[key + "_last"] or 0 for r in rs)))
        print("  %-12s heap verdicts: %s" % ("", dict(verdicts)))
    print()

    if broken:
        print("Broken runs: %s" % "; ".join("%s: %s" % b for b in broken))
        print()

    # ---- per-run table and summary --------------------------------------
    with open(os.path.join(d, "runs.tsv"), "w") as f:
        f.write("name\tsim_class\texpected\tverdict\tsteady_classes\t"
                "ticks\tsteady_ticks\talerts\ttime_to_alert_s\tparams\n")
        for r in runs + timing:
            f.write("\t".join(str(x) for x in (
                r["name"], r["sim_class"], r["expected"], r["verdict"],
                json.dumps(r["steady_classes"], sort_keys=True),
                r["ticks"], r["steady_ticks"],
                "|".join("%.2f:%s:%s" % (a[1], a[2], a[3])
                         for a in r["alerts"]) or "-",
                "" if r.get("time_to_alert_s") is None
                else "%.2f" % r["time_to_alert_s"],
                json.dumps(r["params"], sort_keys=True))) + "\n")
    got = [t for t in tta if t is not None]
    summary = {
        "meta": meta,
        "runs": len(runs) + len(timing),
        "broken": len(broken),
        "confusion": {row: dict(cm[row]) for row in ROW_ORDER
                      if sum(cm[row].values())},
        "recall": recall,
        "precision": precision,
        "healthy_runs": len(healthy),
        "false_alert_runs": len(fa_runs),
        "false_alert_run_rate": fa_rate,
        "false_alert_steady_runs": len(fa_steady),
        "false_alert_tick_rate": fa_ticks / all_ticks if all_ticks else None,
        "lead_in_false_alert_runs": len(lead),
        "leak_1mbs_runs": len(tta),
        "leak_1mbs_alerted": len(got),
        "leak_1mbs_max_s": max(got) if got else None,
        "leak_1mbs_median_s": sorted(got)[len(got) // 2] if got else None,
        "proc_leaks": proc,
    }
    summary["pass"] = {
        "recall": bool(recall) and all(v >= TARGET_RECALL
                                       for v in recall.values()),
        "false_alerts": fa_rate is not None and fa_rate <= TARGET_FALSE_ALERT,
        "leak_time": bool(tta) and len(got) == len(tta)
        and max(got) <= TARGET_LEAK_S,
    }
    with open(os.path.join(d, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1, sort_keys=True)
    print("Targets: recall >= 95%% every class: %s; false alerts <= 2%% of "
          "healthy runs: %s; 1 MB/s leak alerted within 30 s: %s" % tuple(
              "PASS" if summary["pass"][k] else
              "FAIL" if measured else "not measured"
              for k, measured in (("recall", bool(recall)),
                                  ("false_alerts", fa_rate is not None),
                                  ("leak_time", bool(tta)))))
    print("QUALITY " + json.dumps(summary, sort_keys=True,
                                  separators=(",", ":")))


if __name__ == "__main__":
    main()
