#!/usr/bin/env python3
"""Compare alloctop's reported totals with what a test program did.

usage: compare.py delta BASE.ndjson RUN.ndjson EXPECTED.json
    The final totals of RUN minus those of BASE must equal EXPECTED (what
    tests/progs/exact printed): calls and bytes per entry point, blocks and
    usable bytes allocated and freed, ops.
usage: compare.py field RUN.ndjson PATH
    Prints the final object's value at a dotted PATH (for shell tests).
"""
import json
import sys


def final(path):
    last = None
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                last = json.loads(line)
    if last is None or not last.get("final"):
        sys.exit(f"{path}: no final tick")
    if not last.get("shim"):
        sys.exit(f"{path}: the target ran without the shim")
    return last


def delta(base, run, expected):
    b, r = final(base), final(run)
    with open(expected) as f:
        exp = json.load(f)
    bad = []

    def check(name, got, want):
        if got != want:
            bad.append(f"{name}: alloctop says {got}, program did {want}")

    for fn, want in exp["calls"].items():
        for key in ("calls", "bytes"):
            got = r["calls"][fn][key] - b["calls"][fn][key]
            check(f"{fn}.{key}", got, want[key])
    for key in ("alloc_blocks", "free_blocks", "alloc_bytes", "free_bytes",
                "ops"):
        check(key, r["totals"][key] - b["totals"][key], exp[key])
    for line in bad:
        print(line)
    if bad:
        sys.exit(1)
    print(f"exact: {sum(v['calls'] for v in exp['calls'].values())} calls "
          f"match")


def field(run, path):
    v = final(run)
    for part in path.split("."):
        v = v[int(part)] if isinstance(v, list) else v[part]
    print(v)


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "delta":
        delta(*sys.argv[2:])
    elif len(sys.argv) == 4 and sys.argv[1] == "field":
        field(*sys.argv[2:])
    else:
        sys.exit(__doc__)
