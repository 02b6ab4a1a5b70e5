#!/usr/bin/env python3
"""waves.py TIMELINE.csv...: how uneven a plateau's load was (the loadgen's --timeline, replies per second) and how many
of its slow replies came in its busiest seconds (those with more than 1.5 times the plateau's mean replies)."""
import sys
print("| run | seconds | replies/s mean (min-max) | seconds over 1.5x mean | their share of the replies | of the replies over 5 ms | of those over 50 ms |")
print("|---|---:|---:|---:|---:|---:|---:|")
for f in sys.argv[1:]:
    rows = [l.strip().split(',') for l in open(f)][1:]
    rep = [int(r[1]) for r in rows]; o5 = [int(r[2]) for r in rows]; o50 = [int(r[3]) for r in rows]
    m = sum(rep) / len(rep)
    w = [i for i in range(len(rep)) if rep[i] > 1.5 * m]
    pct = lambda a, b: f"{100 * a / b:.0f}%" if b else "-"
    print(f"| {f.split('/')[-1].replace('-timeline.csv', '')} | {len(rep)} | {m:,.0f} ({min(rep):,}-{max(rep):,}) | {len(w)} | "
          f"{pct(sum(rep[i] for i in w), sum(rep))} | {sum(o5[i] for i in w):,} of {sum(o5):,} ({pct(sum(o5[i] for i in w), sum(o5))}) | "
          f"{sum(o50[i] for i in w):,} of {sum(o50):,} ({pct(sum(o50[i] for i in w), sum(o50))}) |")
