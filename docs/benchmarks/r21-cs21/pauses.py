#!/usr/bin/env python3
"""Pauses of a plateau from a -Xlog:gc*,gc+phases=debug,gc+age=trace,safepoint:file=LOG:time,uptime log, lined up with
the load generator's replies per second (compare --timeline) and, optionally, the load generator's own GC log.

usage: pauses.py SERVER_GC_LOG TIMELINE_CSV [LOADGEN_GC_LOG [SKIP_SECONDS]]
The window is the timeline's first to last second (the plateau), less its first SKIP_SECONDS (the ramp's tail). Prints each stop-the-world pause in it (G1 young,
remark, cleanup; ZGC's are sub-millisecond and listed by safepoint), their share of the time, what a young pause
copied and where it went, and how many of the replies over 5 ms arrived in a second in which, or right after which,
a pause of the server or of the load generator ended."""
import csv, sys, statistics
from collections import defaultdict
sys.dont_write_bytecode = True  # no __pycache__ beside the scripts in docs/
from g1log import (DECO as deco, PAUSE_END, COPIED_BYTES, OBJECT_COPY, SCAN_HEAP_ROOTS, EXT_ROOT_SCANNING,
                   SCANNED_CARDS, REGIONS, THRESHOLD, AGE, SAFEPOINT, tosec)

def safepoints(path):
    """Every safepoint: (end time of day s, total ms, name)."""
    out = []
    for line in open(path, errors='replace'):
        d = deco.match(line)
        m = SAFEPOINT.search(line)
        if d and m:
            out.append((tosec(d.group(2)), (int(m.group(2)) + int(m.group(3))) / 1e6, m.group(1)))
    return out

def young(path):
    """G1 pauses by GC id: end time, ms, kind, and the phases of interest."""
    g = defaultdict(dict)
    fields = {'copied': COPIED_BYTES, 'object_copy': OBJECT_COPY, 'scan_heap_roots': SCAN_HEAP_ROOTS,
              'ext_roots': EXT_ROOT_SCANNING, 'cards': SCANNED_CARDS}
    for line in open(path, errors='replace'):
        d = deco.match(line)
        if not d:
            continue
        m = PAUSE_END.search(line)
        if m and 'Pause' in m.group(2):
            gid = int(m.group(1))
            g[gid].update(end=tosec(d.group(2)), ms=float(m.group(3)), kind=m.group(2))
            continue
        for k, rx in fields.items():
            m = rx.search(line)
            if m:
                g[int(m.group(1))][k] = float(m.group(2))
        m = REGIONS.search(line)
        if m:
            g[int(m.group(1))][m.group(2).lower()] = (int(m.group(3)), int(m.group(4)))
        m = THRESHOLD.search(line)
        if m:
            g[int(m.group(1))]['threshold'] = int(m.group(3))
        m = AGE.search(line)
        if m:
            g[int(m.group(1))].setdefault('ages', {})[int(m.group(2))] = int(m.group(3))
    return {k: v for k, v in g.items() if 'end' in v}

server_log, timeline = sys.argv[1], sys.argv[2]
rows = list(csv.DictReader(open(timeline)))[int(sys.argv[4]) if len(sys.argv) > 4 else 0:]
secs = [tosec(r['second_utc']) for r in rows]
t0, t1 = secs[0], secs[-1] + 1
span = t1 - t0
replies = sum(int(r['replies']) for r in rows)
slow = sum(int(r['over_5ms']) for r in rows)
print(f"window {rows[0]['second_utc']}-{rows[-1]['second_utc']} UTC ({span:.0f} s): {replies} replies, "
      f"{slow} over 5 ms ({100 * slow / replies:.2f}%), {sum(int(r['over_50ms']) for r in rows)} over 50 ms")

pauses = [p for p in young(server_log).values() if t0 <= p['end'] < t1]
pauses.sort(key=lambda p: p['end'])
sps = [s for s in safepoints(server_log) if t0 <= s[0] < t1]
print(f"server safepoints in the window: {len(sps)}, {sum(s[1] for s in sps):.0f} ms in all "
      f"({sum(s[1] for s in sps) / span / 10:.2f}% of the time), over 5 ms: {sum(1 for s in sps if s[1] > 5)}, "
      f"longest {max((s[1] for s in sps), default=0):.1f} ms")
by = defaultdict(list)
for s in sps:
    by[s[2]].append(s[1])
for k, v in sorted(by.items(), key=lambda kv: -sum(kv[1])):
    print(f"    {k}: {len(v)}, {sum(v):.1f} ms, max {max(v):.1f} ms")
if pauses:
    print(f"G1 pauses in the window: {len(pauses)}, {sum(p['ms'] for p in pauses):.0f} ms "
          f"({sum(p['ms'] for p in pauses) / span / 10:.2f}% of the time)")
    for p in pauses:
        hh = int(p['end'] // 3600); mm = int(p['end'] % 3600 // 60); ss = p['end'] % 60
        extra = ''
        if 'copied' in p:
            extra = (f" copied {p['copied'] / 1e6:.1f} MB, Object Copy {p.get('object_copy', 0):.1f} ms, Scan Heap Roots "
                     f"{p.get('scan_heap_roots', 0):.1f} ms ({p.get('cards', 0):.0f} cards), Ext Root Scanning "
                     f"{p.get('ext_roots', 0):.1f} ms; eden {p.get('eden', (0, 0))[0]}, survivor {p.get('survivor', (0, 0))}, "
                     f"old {p.get('old', (0, 0))}, humongous {p.get('humongous', (0, 0))}")
            if 'ages' in p:
                a = p['ages']
                extra += (f"; survivors by age (MB) " + ' '.join(f"{k}:{v / 1e6:.1f}" for k, v in sorted(a.items()))
                          + f", threshold {p.get('threshold')}")
        print(f"  {hh:02d}:{mm:02d}:{ss:06.3f} {p['kind']} {p['ms']:.1f} ms{extra}")

lg = []
if len(sys.argv) > 3:
    lg = [s for s in young(sys.argv[3]).values() if t0 - 1 <= s['end'] < t1]
    lgs = sorted(lg, key=lambda p: p['end'])
    print(f"load generator's GC pauses in the window: {len(lgs)}, {sum(p['ms'] for p in lgs):.0f} ms "
          f"({sum(p['ms'] for p in lgs) / span / 10:.2f}% of the time), longest {max((p['ms'] for p in lgs), default=0):.1f} ms")

# attribution: a slow reply in second s is put on a pause that ended in s or s-1 (server first)
def ended_near(lst, s):
    return any(s - 1 <= int(p) <= s for p in lst)
srv_ends = [p['end'] for p in pauses] + [x[0] for x in sps if x[1] > 5]
lg_ends = [p['end'] for p in lg if p['ms'] > 5]
att = defaultdict(int)
for r, s in zip(rows, secs):
    n = int(r['over_5ms'])
    if not n:
        continue
    if ended_near(srv_ends, int(s)):
        att['server pause'] += n
    elif ended_near(lg_ends, int(s)):
        att['load generator pause'] += n
    else:
        att['no pause near'] += n
print("replies over 5 ms by what ended in their second or the one before: "
      + ', '.join(f"{k} {v} ({100 * v / max(1, slow):.0f}%)" for k, v in att.items()))
