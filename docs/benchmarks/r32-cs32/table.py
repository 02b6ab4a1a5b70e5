#!/usr/bin/env python3
"""table.py NAME...: one markdown row per run of docs/benchmarks/r32-cs32/ (NAME.md the loadgen's table,
NAME-commands.csv its per-command figures; r31-cs31/table.py with SET MUSIC on and off apart): failed, commands/s,
commands per caller-minute (commands/s x 60 / 10,000 callers), WAIT FOR DIGIT a second, p50/p99/p99.9 ms, SET MUSIC on
and off and WAIT FOR DIGIT p50/p99 (the server's time before the command), server CPU %, CPU ms per 1,000 commands
(JIT), CPU ms per waiting caller per minute (CPU ms per 1,000 commands x commands/s x 60 / 10,000 / 1,000),
heap/call KB, other processes' CPU %. The per-command counts are the plateau's (the hold, 60 s)."""
import csv, os, sys
D = os.path.dirname(os.path.abspath(__file__))
HOLD_S = 60
print("| run | failed | commands/s | commands per caller-minute | WAIT FOR DIGIT /s | SET MUSIC on /s | p50 ms | p99 ms | p99.9 ms "
      "| `SET MUSIC on` p50 / p99 ms | `SET MUSIC off` p50 / p99 ms | `WAIT FOR DIGIT` p50 / p99 ms | `STREAM FILE` p50 / p99 ms "
      "| server CPU % | CPU ms per 1,000 commands (JIT) | CPU ms per caller-minute | heap/call KB | other CPU % |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for n in sys.argv[1:]:
    row = next(l for l in open(f"{D}/{n}.md") if l.startswith("| ivr |"))
    c = [x.strip().replace(",", "") for x in row.strip().strip("|").split("|")]
    failed, cps, p50, p99, p999 = c[3], float(c[4]), c[5], c[6], c[7]
    cpu_pct, cpu, jit, heap, other = c[10], float(c[11]), c[12], c[13], c[18]
    cmds = {r["command"]: r for r in csv.DictReader(open(f"{D}/{n}-commands.csv"))}
    f = lambda k: "%.2f / %.2f" % (int(cmds[k]["p50_us"]) / 1000, int(cmds[k]["p99_us"]) / 1000) if k in cmds else "-"
    rate = lambda k: "%.0f" % (int(cmds[k]["count"]) / HOLD_S) if k in cmds else "-"
    per_min = cpu * cps * 60 / 10000 / 1000
    print(f"| {n} | {failed} | {cps:,.0f} | {cps * 60 / 10000:.2f} | {rate('WAIT FOR DIGIT')} | {rate('SET MUSIC on')} "
          f"| {p50} | {p99} | {p999} | {f('SET MUSIC on')} | {f('SET MUSIC off')} | {f('WAIT FOR DIGIT')} | {f('STREAM FILE')} "
          f"| {cpu_pct} | {cpu:.0f} ({jit}) | {per_min:.2f} | {heap} | {other} |")
