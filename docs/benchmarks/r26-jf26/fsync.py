#!/usr/bin/env python3
"""fsync.py OUT.txt [COMMANDS_PER_S] [COMMANDS_PER_CALL]: fsync.sh's forces: count, per second, per call, and how long
each took (enter to exit on its thread), in microseconds."""
import re, sys
open_at, took, by = {}, [], {}
for line in open(sys.argv[1]):
    m = re.match(r'\s*(.+?)\s+(\d+)\s+([\d.]+):\s+syscalls:sys_(enter|exit)_(fdatasync|fsync)', line)
    if not m:
        continue
    comm, tid, t, kind = m.group(1), m.group(2), float(m.group(3)), m.group(4)
    if kind == 'enter':
        open_at[tid] = t
    elif tid in open_at:
        took.append((t - open_at.pop(tid)) * 1e6)
        # the calls' virtual threads (and the outbox's force thread) run on the carriers, ForkJoinPool-1-worker-N
        key = ('carriers' if comm.startswith('ForkJoinPool') else comm) + ' ' + m.group(5)
        by[key] = by.get(key, 0) + 1
took.sort()
for k in sorted(by):
    print(f"  {k}: {by[k]}")
span = 15.0
def pct(p):
    return took[min(len(took) - 1, int(p * len(took)))] if took else 0
print(f"forces {len(took)} in {span:.0f} s: {len(took)/span:.1f}/s")
if len(sys.argv) > 2:
    cps = float(sys.argv[2]); per_call = float(sys.argv[3]) if len(sys.argv) > 3 else 12.9
    calls = cps * span / per_call
    print(f"per call {len(took)/calls:.3f} (at {cps:.0f} commands/s, {per_call} commands a call)")
if took:
    print(f"us: p50 {pct(.5):.0f} p90 {pct(.9):.0f} p99 {pct(.99):.0f} max {took[-1]:.0f} mean {sum(took)/len(took):.0f}")
