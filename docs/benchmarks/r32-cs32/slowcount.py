#!/usr/bin/env python3
"""slowcount.py RUN_DIR...: per command label, the plateau's replies over 1, 2 and 5 ms from the load generator's
NAME-slow.csv (run.sh's --slow-ms 1: every reply over 1 ms; target/cs30/NAME/tl/*-slow.csv), against the label's
count in the plateau (out/NAME-commands.csv): which commands the slow replies are, SET MUSIC on and off apart."""
import csv, glob, os, sys
for run in sys.argv[1:]:
    name = os.path.basename(run.rstrip("/"))
    counts = {r["command"]: int(r["count"]) for r in csv.DictReader(open(f"{run}/out/{name}-commands.csv"))}
    over = {}
    for f in glob.glob(f"{run}/tl/*-slow.csv"):
        rows = list(csv.reader(open(f)))
        for r in rows[1:]:
            ms, label = float(r[2]), r[3]
            o = over.setdefault(label, [0, 0, 0])
            for i, t in enumerate((1, 2, 5)):
                if ms > t:
                    o[i] += 1
    print(f"{name}: replies over 1 / 2 / 5 ms per command (share of its plateau count)")
    for label in sorted(counts, key=lambda k: -counts[k]):
        o = over.get(label, [0, 0, 0])
        n = counts[label]
        print(f"  {label:34s} {n:7d}  " + "  ".join(f"{x:6d} ({100 * x / n:5.1f}%)" for x in o))
