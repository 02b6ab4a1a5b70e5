#!/usr/bin/env python3
"""How much of each thread stack a process has touched: the resident size of its stack mappings.

usage: stacks.py PID [SIZE_KB]
A thread's stack pages stay resident once touched, so a stack mapping's Rss is the deepest that thread has been
(its high-water mark). Lists the sizes of the process's anonymous read-write mappings (the stacks are the many of
one size); with SIZE_KB (the size of the read-write part of a stack: agi.call-thread-stack-kb less the JVM's guard
zone, e.g. 496 for 512) the distribution of their Rss in KB.
"""
import collections
import sys

pid = sys.argv[1]
want = int(sys.argv[2]) if len(sys.argv) > 2 else None
maps = []  # (size kB, rss kB, perms, name)
cur = None
with open(f"/proc/{pid}/smaps") as f:
    for line in f:
        parts = line.split()
        if '-' in parts[0] and len(parts) >= 5 and not parts[0].endswith(':'):
            cur = [0, 0, parts[1], parts[5] if len(parts) > 5 else '']
            maps.append(cur)
        elif parts[0] == 'Size:':
            cur[0] = int(parts[1])
        elif parts[0] == 'Rss:':
            cur[1] = int(parts[1])
anon_rw = [m for m in maps if m[2].startswith('rw') and m[3] == '']
if want is None:
    for size, n in collections.Counter(m[0] for m in anon_rw).most_common(8):
        print(f"{n:7d} anonymous rw mappings of {size} KB")
    sys.exit()
rss = sorted(m[1] for m in anon_rw if m[0] == want)
if not rss:
    sys.exit(f"no anonymous rw mapping of {want} KB")
n = len(rss)
pct = lambda p: rss[min(n - 1, int(p * n))]
print(f"{n} stacks of {want} KB: resident KB min {rss[0]} p50 {pct(0.5)} p90 {pct(0.9)} p99 {pct(0.99)} "
      f"max {rss[-1]}; total {sum(rss) / 1024:.1f} MB")
for kb, c in sorted(collections.Counter(rss).items()):
    print(f"  {kb:5d} KB  {c}")
