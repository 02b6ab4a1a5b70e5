#!/usr/bin/env python3
"""jitstat.py SERVER_LOG: -XX:+PrintCompilation lines: compilations per 10 s of JVM uptime, by tier; made-not-entrant per
10 s; methods compiled most often."""
import collections, re, sys
comp = re.compile(r'^\s*(\d+)\s+(\d+)\s+([%sbn!* ]{0,7})\s*(\d)\s+(\S+)')
per = collections.defaultdict(collections.Counter); meth = collections.Counter(); nent = collections.Counter()
for line in open(sys.argv[1], errors='replace'):
    m = comp.match(line)
    if not m:
        continue
    t = int(m.group(1)) // 10000 * 10
    if 'made not entrant' in line:
        nent[t] += 1
        continue
    if 'made zombie' in line:
        continue
    per[t][m.group(4)] += 1
    if m.group(4) == '4':
        meth[m.group(5)] += 1
for t in sorted(set(per) | set(nent)):
    c = per[t]
    print(f"{t:5d}-{t+10:<5d} s  compiled: tier1 {c['1']:4d} tier2 {c['2']:4d} tier3 {c['3']:5d} tier4 {c['4']:5d}   made not entrant {nent[t]:5d}")
print("C2 (tier 4) compilations per method, most often:")
for m, n in meth.most_common(25):
    print(f"  {n:3d}  {m}")
