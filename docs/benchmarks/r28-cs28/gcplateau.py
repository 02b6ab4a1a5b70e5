#!/usr/bin/env python3
"""One line per run of r23-cs23/run.sh (or any compare run with --timeline and a -Xlog:gc*,...,safepoint:...:time,uptime
log): the loadgen's figures and what the collector did in the plateau, for G1 and Shenandoah (either mode) alike.

usage: gcplateau.py [--csv] [--level N] RUN_DIR...   (RUN_DIR holds gc.log, out/*.md and tl/*-timeline.csv; --level:
       the plateau of that level, when a run measured several)

Plateau = the timeline's first to last second. Read from the GC log, in the plateau:
- safepoints: every one (name, and "Total" = reaching + at + leaving, the time the Java threads were held), count,
  sum, share of the time, how many over 1 and 5 ms, the longest; by name, the three largest sums;
- pauses: the collector's own "GC(n) Pause ... N.NNNms" lines by kind (G1: Young, Remark, Cleanup, Full; Shenandoah:
  Init Mark, Final Mark, Init/Final Update Refs, Degenerated GC, Full), count and longest;
- Shenandoah's cycles started in the plateau by kind ("Start GC cycle (Young)", (Old), (Global), ...), the cycles
  cancelled ("Cancelling GC: ..."), degenerated and full collections, and the allocation pacing the cycles reported
  ("Allocation pacing accrued: N of M ms ... <total>": the time the pacer held allocating threads, summed);
- concurrent phases: the summed length of the "GC(n) Concurrent ... N.NNNms" lines (wall time of the collector's
  concurrent work; on the server's one CPU, time the calls' threads shared the CPU with it).
The replies over 5 ms come from the timeline; a slow reply's second is put on a safepoint over 1 ms that ended in it
or the second before."""
import csv, glob, os, re, sys
from collections import defaultdict

DECO = re.compile(r'^\[\d{4}-\d\d-\d\dT(\d\d:\d\d:[\d.]+)[^\]]*\]\[[\d.]+s\]')
SAFEPOINT = re.compile(r'Safepoint "([^"]+)".*Total: (\d+) ns')
PAUSE = re.compile(r'GC\((\d+)\) (Pause .*?)(?: \d+[KMG]->\d+[KMG]\(\d+[KMG]\))? ([\d.]+)ms$')
CONCURRENT = re.compile(r'GC\((\d+)\) (Concurrent .*?)(?: \d+[KMG]->\d+[KMG]\(\d+[KMG]\))? ([\d.]+)ms$')
CYCLE = re.compile(r'GC\((\d+)\) Start GC cycle(?: \((\w+)\))?')
CANCEL = re.compile(r'Cancelling GC: (.*)$')
PACING = re.compile(r'^\s*(\d+) of\s+(\d+) ms \(\s*[\d.]+%\): <total>')


def tosec(hms):
    h, m, s = hms.split(':')
    return int(h) * 3600 + int(m) * 60 + float(s)


COLUMNS = {'calls': 'calls', 'failed': 'failed', 'cps': 'commands/s', 'p50': 'p50 ms', 'p99': 'p99 ms',
           'p999': 'p99.9 ms', 'max': 'max ms', 'cpu_pct': 'server CPU %', 'cpu_k': 'CPU ms per 1,000 commands',
           'jit_k': 'of which JIT compilers', 'heap_kb': 'heap/call KB', 'rss_kb': 'RSS/call KB',
           'lag': 'load generator lag p99 / max ms', 'load': 'load average', 'other': "other processes' CPU %"}


def md_row(d, level):
    """The loadgen's line for ivr, read by the header's names (the table gained columns over the rounds)."""
    f = glob.glob(os.path.join(d, 'out', '*.md'))
    header = None
    for line in open(f[0]) if f else []:
        c = [x.strip() for x in line.strip().strip('|').split('|')]
        if c[0] == 'server' and 'p99 ms' in c:
            header = c
        elif header and c[0] == 'ivr' and len(c) == len(header) and (not level or c[1].replace(',', '') == level):
            return {k: c[header.index(v)] for k, v in COLUMNS.items() if v in header}
    return {}


def summary(d, level):
    tl = sorted(glob.glob(os.path.join(d, 'tl', f"*-{level}-timeline.csv" if level else '*-timeline.csv')))[0]
    rows = list(csv.DictReader(open(tl)))
    t0, t1 = tosec(rows[0]['second_utc']), tosec(rows[-1]['second_utc']) + 1
    span = t1 - t0
    sps, pauses, conc, cycles, cancels, pacing = [], [], 0.0, defaultdict(int), defaultdict(int), 0
    for line in open(os.path.join(d, 'gc.log'), errors='replace'):
        m = DECO.match(line)
        if not m:
            continue
        t = tosec(m.group(1))
        if not t0 <= t < t1:
            continue
        rest = line[m.end():]
        if (s := SAFEPOINT.search(rest)):
            sps.append((t, int(s.group(2)) / 1e6, s.group(1)))
        elif (p := PAUSE.search(rest)):
            pauses.append((t, float(p.group(3)), p.group(2)))
        elif (c := CONCURRENT.search(rest)):
            conc += float(c.group(3))
        elif (c := CYCLE.search(rest)):
            cycles[c.group(2) or 'cycle'] += 1
        elif (c := CANCEL.search(rest)):
            cancels[c.group(1).strip()] += 1
        elif (c := PACING.search(rest)):
            pacing += int(c.group(1))
    r = dict(name=os.path.basename(d.rstrip('/')), span_s=round(span))
    r.update(md_row(d, level))
    total = sum(s[1] for s in sps)
    r['safepoints'] = len(sps)
    r['safepoint_ms'] = round(total)
    r['safepoint_pct'] = round(total / span / 10, 2)
    r['sp_over_1ms'] = sum(1 for s in sps if s[1] > 1)
    r['sp_over_5ms'] = sum(1 for s in sps if s[1] > 5)
    r['sp_max_ms'] = round(max((s[1] for s in sps), default=0), 1)
    by = defaultdict(list)
    for s in sps:
        by[s[2]].append(s[1])
    r['sp_by_name'] = '; '.join(f"{k} {len(v)}x {sum(v):.0f}ms max {max(v):.1f}"
                                for k, v in sorted(by.items(), key=lambda kv: -sum(kv[1]))[:3])
    kinds = defaultdict(list)
    for p in pauses:
        kinds[re.sub(r' \((?:G1 Evacuation Pause|G1 Preventive Collection)\)', '', p[2])].append(p[1])
    r['pauses'] = '; '.join(f"{k} {len(v)}x max {max(v):.1f}ms" for k, v in sorted(kinds.items()))
    r['degenerated'] = sum(len(v) for k, v in kinds.items() if 'Degenerated' in k)
    r['full'] = sum(len(v) for k, v in kinds.items() if 'Full' in k)
    r['cycles_started'] = ' '.join(f"{k}:{v}" for k, v in sorted(cycles.items()))
    r['cancelled'] = '; '.join(f"{k} {v}x" for k, v in cancels.items())
    r['pacing_ms'] = pacing
    r['concurrent_ms'] = round(conc)
    r['concurrent_pct'] = round(conc / span / 10, 1)
    ends = [s[0] for s in sps if s[1] > 1]
    slow = near = 0
    for row in rows:
        n = int(row['over_5ms'])
        slow += n
        s = int(tosec(row['second_utc']))
        if n and any(s - 1 <= int(e) <= s for e in ends):
            near += n
    r['replies'] = sum(int(x['replies']) for x in rows)
    r['over_5ms'] = slow
    r['over_5ms_safepoint_near_pct'] = round(100 * near / slow) if slow else 0
    return r


args = sys.argv[1:]
as_csv = bool(args) and args[0] == '--csv'
if as_csv:
    args = args[1:]
lvl = None
if args and args[0] == '--level':
    lvl, args = args[1], args[2:]
rs = [summary(d, lvl) for d in args]
keys = list(dict.fromkeys(k for r in rs for k in r))
if as_csv:
    w = csv.DictWriter(sys.stdout, fieldnames=keys)
    w.writeheader()
    for r in rs:
        w.writerow(r)
else:
    for r in rs:
        print('\n'.join(f"{k}: {r.get(k, '')}" for k in keys))
        print()
