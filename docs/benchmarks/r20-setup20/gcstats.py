#!/usr/bin/env python3
"""Young pauses per window of wall-clock time from a -Xlog:gc*:file=...:time,uptime log.
usage: gcstats.py LOG START-END[=label] ...   (times HH:MM:SS, UTC)"""
import re, sys, statistics
pause = re.compile(r'^\[(\S+)\]\[(\S+)s\].*GC\((\d+)\) Pause Young \(([^)]*)\) \(([^)]*)\) (\d+)M->(\d+)M\((\d+)M\) ([\d.]+)ms')
eden = re.compile(r'^\[(\S+)\]\[(\S+)s\].*GC\((\d+)\) Eden regions: (\d+)->(\d+)\((\d+)\)')
surv = re.compile(r'^\[(\S+)\]\[(\S+)s\].*GC\((\d+)\) Survivor regions: (\d+)->(\d+)\((\d+)\)')
region = re.compile(r'Heap Region Size: (\d+)M')
pauses, edens, survs = {}, {}, {}
rsize = 1
for line in open(sys.argv[1], errors='replace'):
    m = region.search(line)
    if m: rsize = int(m.group(1))
    m = pause.search(line)
    if m:
        t = m.group(1)[11:19]
        pauses[int(m.group(3))] = (t, float(m.group(2)), m.group(4), int(m.group(6)), int(m.group(7)), float(m.group(9)), int(m.group(8)))
        continue
    m = eden.search(line)
    if m: edens[int(m.group(3))] = (int(m.group(4)), int(m.group(6)))
    m = surv.search(line)
    if m: survs[int(m.group(3))] = int(m.group(5))
def tosec(h): a, b, c = map(int, h.split(':')); return a*3600+b*60+c
for w in sys.argv[2:]:
    label = w.split('=')[1] if '=' in w else w
    a, b = w.split('=')[0].split('-')
    sel = [(k, v) for k, v in sorted(pauses.items()) if tosec(a) <= tosec(v[0]) < tosec(b)]
    if not sel:
        print(f"{label}: no young pause"); continue
    ms = [v[5] for k, v in sel]
    span = tosec(b) - tosec(a)
    ed = [edens.get(k, (0, 0))[0] * rsize for k, v in sel]
    keys = sorted(pauses)
    alloc = 0
    for k, v in sel:
        i = keys.index(k)
        if i > 0:
            alloc += v[3] - pauses[keys[i - 1]][4]
    sv = [survs.get(k, 0) * rsize for k, v in sel]
    print(f"{label}: {len(sel)} young pauses in {span} s (one per {span/len(sel):.1f} s), "
          f"mean {statistics.mean(ms):.1f} ms, max {max(ms):.1f} ms, paused {sum(ms)/span/10:.2f}% of the time; "
          f"eden per pause {statistics.mean(ed):.0f} MB, survivors after {statistics.mean(sv):.0f} MB; "
          f"eden filled at {sum(ed)/span:.0f} MB/s; heap grew {alloc/span:.0f} MB/s between pauses; "
          f"heap in use {sel[-1][1][3]} MB before the last pause, {sel[-1][1][4]} MB after it, committed {sel[-1][1][6]} MB")
