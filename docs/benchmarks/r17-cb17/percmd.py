#!/usr/bin/env python3
"""percmd.py PROBE.LEVEL [...]: per AGI command, from probe.sh's per-thread window (perf stat --per-thread, 15 s) and the
jcmd CPU snapshots around both windows (30 s): futex calls and context switches by thread group, and CPU ms per 1,000
commands by thread group. Commands = the virtual-thread carriers' write calls in the per-thread window (one write per AGI
command; the window may overlap a ramp, so counting calls by their ends or starts would be biased)."""
import collections, importlib.util, os, re, sys

_spec = importlib.util.spec_from_file_location(
    'by_thread', os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'r16-syscalls', 'by-thread.py'))
by_thread = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(by_thread)

def group(name):
    name = re.sub(r'\d+', 'N', name)
    if name.startswith('hz.'):
        return 'hz.' + name.split('.', 2)[2] if name.count('.') >= 2 else name
    return name

for base in sys.argv[1:]:
    per = by_thread.counts(base)
    commands = per['ForkJoinPool-N-']['write']
    def jt(f):
        out = {}
        for line in open(f):
            m = re.match(r'"(.*)" #\d+ \[(\d+)\].*?cpu=([\d.]+)ms', line)
            if m:
                out[m.group(2)] = (m.group(1), float(m.group(3)))
        return out
    a, b = jt(base + '.jt0'), jt(base + '.jt1')
    cpu = collections.Counter()
    for tid, (name, c) in b.items():
        cpu[group(name)] += c - a.get(tid, (name, 0.0))[1]
    print(f"## {base}: {commands} commands in the per-thread window (2 x that in the CPU window)")
    print(f"  all threads: futex {sum(c['futex'] for c in per.values()) / commands:.2f}, context switches "
          f"{sum(c['context-switches'] for c in per.values()) / commands:.2f}, system calls "
          f"{sum(c['raw_syscalls:sys_enter'] for c in per.values()) / commands:.2f} per command; platform threads' CPU "
          f"{sum(cpu.values()) / (2 * commands) * 1000:.0f} ms per 1,000 commands")
    for comm, c in sorted(per.items(), key=lambda kv: -kv[1]['futex'])[:8]:
        print(f"  {comm:18s} futex {c['futex'] / commands:5.2f}  ctx {c['context-switches'] / commands:5.2f}  "
              f"writes {c['write'] / commands:5.2f} per command")
    for g, v in cpu.most_common(12):
        print(f"  {v / (2 * commands) * 1000:7.1f} ms CPU per 1,000 commands  {g}")
