#!/usr/bin/env python3
"""Check alloctop's call sites against what tests/progs/sites did.

Sites are matched by where.function (several stacks, so several sites, may
end in the same function: their counts are summed).  The expected line of
each function's allocation is the line of SOURCE that holds its marker
comment, /* MARKER */, so no line number is written down here.

usage: sites.py exact SOURCE TRUTH.json RUN.ndjson
    Exact mode (--exact): every count of every site of TRUTH is equal to
    alloctop's (alloc/free/live objects and bytes, min/max size, realloc
    grows, callers when given), one sample per allocation, where.file and
    where.line are the marker's, and a site whose blocks were all freed
    (wherever, by whichever thread) shows no live objects.
usage: sites.py sampled SOURCE PERIOD NEED TOL MIN_SHARE RUN1 TRUTH1 ...
    Sampled mode: in each run, every site holding at least MIN_SHARE of
    the bytes has its estimated alloc_bytes within TOL (relative) of the
    truth, and every site shows exactly 0 live bytes (all was freed, and a
    sampled block's free carries the weight of its allocation).  At least
    NEED runs must pass.
usage: sites.py leak SOURCE TRUTH.json RUN.ndjson LEAKER EXACT
    A leak among healthy sites: in the last tick before the final one,
    sorted by growth, LEAKER is the top site; its live bytes grew between
    an early tick and that one while each healthy site's did not (EXACT=1:
    by more than one block; EXACT=0: by less than a third of the leak's).
    With EXACT=1 the final counts also equal the truth.
"""
import json
import os
import sys

FIELDS = ("alloc_objects", "alloc_bytes", "free_objects", "free_bytes",
          "live_objects", "live_bytes")


def ticks(path):
    out = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                out.append(json.loads(line))
    if not out or not out[-1].get("final"):
        sys.exit(f"{path}: no final tick")
    if not out[-1].get("shim"):
        sys.exit(f"{path}: the target ran without the shim")
    return out


def marker_lines(source):
    """{marker: line number} for every /* MARKER */ comment in source."""
    found = {}
    with open(source) as f:
        for n, text in enumerate(f, 1):
            start = text.find("/* ")
            end = text.find(" */", start + 3)
            if start >= 0 and end > start:
                word = text[start + 3:end]
                if word.replace("_", "").isalnum() and word.isupper():
                    found.setdefault(word, []).append(n)
    return found


def by_function(tick):
    groups = {}
    for s in tick.get("sites", []):
        groups.setdefault(s["where"]["function"], []).append(s)
    return groups


def summed(sites, key):
    return sum(s[key] for s in sites)


class Checker:
    def __init__(self):
        self.bad = []

    def eq(self, what, got, want):
        if got != want:
            self.bad.append(f"{what}: alloctop says {got}, program did {want}")

    def true(self, what, cond):
        if not cond:
            self.bad.append(what)

    def finish(self, ok_message):
        for line in self.bad:
            print("  " + line)
        if self.bad:
            sys.exit(1)
        print(ok_message)


def check_where(c, source, lines, name, marker, sites):
    want = lines.get(marker, [])
    if len(want) != 1:
        sys.exit(f"{source}: marker {marker} on lines {want}, want one")
    for s in sites:
        w = s["where"]
        c.eq(f"{name} site {s['id']} where.file",
             os.path.basename(w["file"]), os.path.basename(source))
        c.eq(f"{name} site {s['id']} where.line", w["line"], want[0])


def exact(source, truth_path, run):
    with open(truth_path) as f:
        truth = json.load(f)["sites"]
    last = ticks(run)[-1]
    lines = marker_lines(source)
    groups = by_function(last)
    c = Checker()
    c.eq("sample_bytes", last["sample_bytes"], 1)
    for name, t in truth.items():
        sites = groups.get(name, [])
        if not sites:
            c.bad.append(f"{name}: no site")
            continue
        for key in FIELDS:
            c.eq(f"{name}.{key}", summed(sites, key), t[key])
        c.eq(f"{name}.samples (one per allocation)",
             summed(sites, "samples"), t["alloc_objects"])
        if "min_size" in t:
            c.eq(f"{name}.min_size", min(s["min_size"] for s in sites),
                 t["min_size"])
            c.eq(f"{name}.max_size", max(s["max_size"] for s in sites),
                 t["max_size"])
        if "realloc_grows" in t:
            c.eq(f"{name}.realloc_grows", summed(sites, "realloc_grows"),
                 t["realloc_grows"])
        if "callers" in t:
            # One site per calling function, the caller one frame up.
            got = {}
            for s in sites:
                caller = (s["frames"][1]["function"]
                          if len(s["frames"]) > 1 else "?")
                got[caller] = got.get(caller, 0) + s["alloc_objects"]
            c.eq(f"{name} objects by caller", got, t["callers"])
        if t["free_objects"] == t["alloc_objects"]:
            # Frees attributed: freed elsewhere, all of it comes back.
            for s in sites:
                c.eq(f"{name} site {s['id']} live_objects (all freed)",
                     s["live_objects"], 0)
        check_where(c, source, lines, name, t["marker"], sites)
    c.finish(f"exact: {len(truth)} functions, "
             f"{sum(t['alloc_objects'] for t in truth.values())} "
             f"allocations, every count, file and line match")


def sampled(source, period, need, tol, min_share, pairs):
    lines = marker_lines(source)
    passed = 0
    for run, truth_path in pairs:
        with open(truth_path) as f:
            truth = json.load(f)["sites"]
        last = ticks(run)[-1]
        groups = by_function(last)
        total = sum(t["alloc_bytes"] for t in truth.values())
        c = Checker()
        c.eq("sample_bytes", last["sample_bytes"], period)
        print(f"{run}:")
        for name, t in truth.items():
            sites = groups.get(name, [])
            share = t["alloc_bytes"] / total
            est = summed(sites, "alloc_bytes")
            err = est / t["alloc_bytes"] - 1
            # sd of the estimate is at most sqrt(period / bytes) (small
            # blocks; larger ones are sampled more surely).
            sd = (period / t["alloc_bytes"]) ** 0.5
            print(f"  {name:10} share {share:6.1%} truth {t['alloc_bytes']:11}"
                  f" estimate {est:11} error {err:+7.2%} (sd <= {sd:.2%},"
                  f" {summed(sites, 'samples')} samples)")
            if share >= min_share:
                c.true(f"{name}: estimate off by {err:+.2%} (> {tol:.0%})",
                       abs(err) <= tol)
            c.eq(f"{name}.live_bytes (all freed)",
                 summed(sites, "live_bytes"), 0)
            if sites:
                check_where(c, source, lines, name, t["marker"], sites)
        for line in c.bad:
            print("  FAIL " + line)
        passed += not c.bad
    print(f"sampled: {passed} of {len(pairs)} runs pass, {need} needed")
    if passed < need:
        sys.exit(1)


def leak(source, truth_path, run, leaker, is_exact):
    with open(truth_path) as f:
        truth = json.load(f)["sites"]
    all_ticks = ticks(run)
    body = [t for t in all_ticks if not t["final"] and t.get("sites")]
    if len(body) < 3:
        sys.exit(f"{run}: {len(body)} ticks with sites, want at least 3")
    early, late = body[0], body[-1]
    for t in body:
        if t["elapsed_s"] >= 0.8:
            early = t
            break
    if early is late:
        sys.exit(f"{run}: no tick between 0.8 s and the last one")
    c = Checker()
    top = late["sites"][0]["where"]["function"]
    c.eq(f"top site by growth at tick {late['tick']}", top, leaker)
    e, l = by_function(early), by_function(late)
    dt = late["elapsed_s"] - early["elapsed_s"]
    grew = summed(l.get(leaker, []), "live_bytes") - \
        summed(e.get(leaker, []), "live_bytes")
    want = truth[leaker]["alloc_bytes"] / all_ticks[-1]["elapsed_s"] * dt
    print(f"leak: {leaker} live bytes +{grew} from tick {early['tick']} to "
          f"{late['tick']} ({dt:.2f} s; about +{want:.0f} expected)")
    c.true(f"{leaker}: live bytes grew by {grew}, want at least half of "
           f"{want:.0f}", grew >= want / 2)
    for name, t in truth.items():
        if name == leaker:
            continue
        g = summed(l.get(name, []), "live_bytes") - \
            summed(e.get(name, []), "live_bytes")
        size = t["max_size"]
        print(f"  healthy {name}: live bytes {g:+d}")
        if is_exact:
            # A ring replaced one block at a time: at most one in flight.
            c.true(f"{name}: live bytes grew by {g} (> one {size} B block)",
                   g <= size)
        else:
            # Sampling noise: a ring of 256 blocks of 2 KiB at period
            # 4 KiB has sd 41 KB per tick; the leak grows by about 1.3 MB.
            c.true(f"{name}: live bytes grew by {g}, a third of the leak's "
                   f"{grew} or more", g < grew / 3)
    if is_exact:
        last = by_function(all_ticks[-1])
        for name, t in truth.items():
            for key in FIELDS:
                c.eq(f"final {name}.{key}",
                     summed(last.get(name, []), key), t[key])
        lines = marker_lines(source)
        for name, t in truth.items():
            check_where(c, source, lines, name, t["marker"],
                        last.get(name, []))
    c.finish(f"leak: {leaker} found among {len(truth) - 1} healthy sites")


if __name__ == "__main__":
    a = sys.argv[1:]
    if len(a) == 4 and a[0] == "exact":
        exact(*a[1:])
    elif len(a) >= 8 and a[0] == "sampled" and len(a) % 2 == 0:
        sampled(a[1], int(a[2]), int(a[3]), float(a[4]), float(a[5]),
                list(zip(a[6::2], a[7::2])))
    elif len(a) == 6 and a[0] == "leak":
        leak(a[1], a[2], a[3], a[4], a[5] == "1")
    else:
        sys.exit(__doc__)
