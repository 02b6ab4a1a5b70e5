#!/usr/bin/env python3
"""table.py NAME...: one markdown row per run of docs/benchmarks/r31-cs31/ (NAME.md the loadgen's table,
NAME-commands.csv its per-command figures): failed, commands/s, p50/p99/p99.9/max, SET MUSIC, STREAM FILE and WAIT FOR
DIGIT p50/p99 (the server's time before the command), CPU ms per 1,000 commands (JIT), CPU ms per waiting caller per
minute (CPU ms per 1,000 commands x commands/s x 60 / 10,000 callers / 1,000), heap/call KB, other processes' CPU %."""
import csv, os, sys
D = os.path.dirname(os.path.abspath(__file__))
print("| run | failed | commands/s | p50 ms | p99 ms | p99.9 ms | max ms | SET MUSIC p50 / p99 ms | STREAM FILE p50 / p99 ms "
      "| WAIT FOR DIGIT p50 / p99 ms | CPU ms per 1,000 commands (JIT) | CPU ms per caller-minute | heap/call KB | other CPU % |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for n in sys.argv[1:]:
    row = next(l for l in open(f"{D}/{n}.md") if l.startswith("| ivr |"))
    c = [x.strip().replace(",", "") for x in row.strip().strip("|").split("|")]
    failed, cps, p50, p99, p999, mx = c[3], float(c[4]), c[5], c[6], c[7], c[8]
    cpu, jit, heap, other = float(c[11]), c[12], c[13], c[18]
    cmds = {r["command"]: r for r in csv.DictReader(open(f"{D}/{n}-commands.csv"))}
    f = lambda k: "%.2f / %.2f" % (int(cmds[k]["p50_us"]) / 1000, int(cmds[k]["p99_us"]) / 1000) if k in cmds else "-"
    per_min = cpu * cps * 60 / 10000 / 1000
    print(f"| {n} | {failed} | {cps:,.0f} | {p50} | {p99} | {p999} | {mx} | {f('SET MUSIC')} | {f('STREAM FILE')} "
          f"| {f('WAIT FOR DIGIT')} | {cpu:.0f} ({jit}) | {per_min:.2f} | {heap} | {other} |")
