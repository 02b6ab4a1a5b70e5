#!/usr/bin/env python3
"""One line per run: the loadgen's figures and what G1 did in the plateau, from a run directory made by
   compare --out DIR/out --timeline DIR/tl  "--server-jvm-opt=-Xlog:gc*,gc+phases=debug,gc+age=trace,safepoint:file=DIR/gc.log:time,uptime"

usage: gcsum.py [--csv] RUN_DIR...
Plateau = the timeline's first to last second. Young pauses in it: count, ms, bytes copied (Copied Bytes, one GC
thread), survivors by age after the pause (gc+age), what went to the old generation (old regions after - before).
Concurrent cycles, mixed collections and remarks are counted over the whole log after the plateau's first
second minus 60 s (the measured level's ramp, settle and plateau) and in the plateau."""
import csv, glob, os, sys, statistics
from collections import defaultdict
# the log's lines are read with pauses.py's patterns (one module, so the two scripts cannot drift)
sys.dont_write_bytecode = True  # no __pycache__ beside the scripts in docs/
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'r21-cs21'))
from g1log import (DECO as deco, PAUSE_END as end, CONCURRENT_CYCLE as conc, COPIED_BYTES as copied,
                   OBJECT_COPY as objcopy, SCAN_HEAP_ROOTS as scanroots, REGIONS as regions, AGE as age,
                   THRESHOLD as thr, tosec)

def parse(path):
    g = defaultdict(dict)
    cycles, others = [], []  # Remark and Cleanup share the cycle's GC id: kept apart
    for line in open(path, errors='replace'):
        d = deco.match(line)
        if not d:
            continue
        t = tosec(d.group(2))
        m = end.search(line)
        if m:
            if m.group(2).startswith(('Pause Remark', 'Pause Cleanup')):
                others.append(dict(end=t, ms=float(m.group(3)), kind=m.group(2)))
            else:
                g[int(m.group(1))].update(end=t, ms=float(m.group(3)), kind=m.group(2))
            continue
        m = conc.search(line)
        if m:
            cycles.append((t, m.group(2), float(m.group(3))))
            continue
        for k, rx in (('copied', copied), ('objcopy', objcopy), ('scanroots', scanroots)):
            m = rx.search(line)
            if m:
                g[int(m.group(1))][k] = float(m.group(2))
        m = regions.search(line)
        if m:
            g[int(m.group(1))][m.group(2).lower()] = (int(m.group(3)), int(m.group(4)))
        m = thr.search(line)
        if m:
            g[int(m.group(1))]['threshold'] = int(m.group(3))
        m = age.search(line)
        if m:
            g[int(m.group(1))].setdefault('ages', {})[int(m.group(2))] = int(m.group(3))
    return [v for v in g.values() if 'end' in v] + others, cycles

def md_row(d):
    f = glob.glob(os.path.join(d, 'out', '*.md'))
    for line in open(f[0]) if f else []:
        if line.startswith('| ivr |') and 'reached' not in line:
            c = [x.strip() for x in line.strip().strip('|').split('|')]
            return dict(failed=c[3], cps=c[4], p50=c[5], p99=c[6], p999=c[7], max=c[8], cpu_pct=c[10], cpu_k=c[11],
                        heap=c[12], load=c[16], other=c[17])
    return {}

def summary(d):
    tl = glob.glob(os.path.join(d, 'tl', '*-timeline.csv'))[0]
    rows = list(csv.DictReader(open(tl)))
    t0, t1 = tosec(rows[0]['second_utc']), tosec(rows[-1]['second_utc']) + 1
    span = t1 - t0
    pauses, cycles = parse(os.path.join(d, 'gc.log'))
    pauses.sort(key=lambda p: p['end'])
    full = [p for p in pauses if 'Full' in p['kind']]
    w = [p for p in pauses if t0 <= p['end'] < t1]
    yw = [p for p in w if p['kind'].startswith('Pause Young')]  # young, concurrent start, (prepare) mixed
    lvl = t0 - 60  # the measured level's ramp (25 s) and settle (30 s), not the warm-up's level
    lv = [p for p in pauses if lvl <= p['end'] < t1]
    r = md_row(d)
    r['name'] = os.path.basename(d.rstrip('/'))
    r['span_s'] = round(span)
    r['young'] = len(yw)
    r['young_per_min'] = round(60 * len(yw) / span, 1)
    ms = [p['ms'] for p in yw]
    r['young_ms'] = f"{min(ms):.0f}-{max(ms):.0f} ({statistics.mean(ms):.0f})" if ms else ''
    r['paused_pct'] = round(sum(p['ms'] for p in w) / span / 10, 2)
    cp = [p.get('copied', 0) / 1e6 for p in yw]
    r['copied_mb'] = f"{min(cp):.0f}-{max(cp):.0f} ({statistics.mean(cp):.0f})" if cp else ''
    r['copied_mb_per_s'] = round(sum(cp) / span, 2)
    oc = [p.get('objcopy', 0) for p in yw]
    sr = [p.get('scanroots', 0) for p in yw]
    r['objcopy_ms'] = f"{statistics.mean(oc):.0f}" if oc else ''
    r['scanroots_ms'] = f"{statistics.mean(sr):.0f}" if sr else ''
    a1 = [p.get('ages', {}).get(1, 0) / 1e6 for p in yw]
    a2 = [sum(v for k, v in p.get('ages', {}).items() if k >= 2) / 1e6 for p in yw]
    r['age1_mb'] = f"{statistics.mean(a1):.0f}" if a1 else ''
    r['age2plus_mb'] = f"{statistics.mean(a2):.0f}" if a2 else ''
    r['thresholds'] = ' '.join(str(p.get('threshold', '?')) for p in yw)
    promo = [p['old'][1] - p['old'][0] for p in yw if 'old' in p]
    r['to_old_mb'] = f"{statistics.mean(promo):.0f}" if promo else ''
    olds = [p['old'] for p in w if 'old' in p]
    r['old_regions'] = f"{olds[0][0]}->{olds[-1][1]}" if olds else ''
    hum = [p['humongous'] for p in w if 'humongous' in p]
    r['humongous'] = f"{hum[0][0]}->{hum[-1][1]}" if hum else ''
    kinds = defaultdict(list)
    for p in lv:
        if not p['kind'].startswith('Pause Young (Normal)') and 'Full' not in p['kind']:
            kinds[p['kind'].replace('Pause ', '').replace(' (G1 Evacuation Pause)', '')].append(p['ms'])
    r['other_pauses_level'] = '; '.join(f"{k} {len(v)}x {max(v):.0f}ms" for k, v in kinds.items())
    cm = [c for c in cycles if lvl <= c[0] < t1]
    r['conc_cycles_level'] = len(cm)
    r['conc_cycles_plateau'] = len([c for c in cycles if t0 <= c[0] < t1])
    r['mixed_plateau'] = len([p for p in w if p['kind'].startswith('Pause Young (Mixed)')])
    r['full_gcs'] = len(full)
    return r

args = sys.argv[1:]
as_csv = args and args[0] == '--csv'
if as_csv:
    args = args[1:]
rs = [summary(d) for d in args]
keys = list(rs[0].keys())
keys.remove('name'); keys.insert(0, 'name')
if as_csv:
    w = csv.DictWriter(sys.stdout, fieldnames=keys); w.writeheader(); [w.writerow(r) for r in rs]
else:
    for r in rs:
        print('\n'.join(f"{k}: {r.get(k, '')}" for k in keys)); print()
