#!/usr/bin/env python3
"""by-thread.py PROBE.LEVEL: the per-thread counts probe.sh wrote, summed by thread name (digits folded)."""
import collections, re, sys


def counts(base):
    """{thread name with digits folded: Counter of event -> count} from BASE.threads and BASE.perthread."""
    names = dict(l.rstrip('\n').split(' ', 1) for l in open(base + '.threads'))
    agg = collections.defaultdict(collections.Counter)
    for line in open(base + '.perthread'):
        f = line.strip().split(',')
        try:
            v = int(f[1])
        except (IndexError, ValueError):
            continue
        name = re.sub(r'\d+', 'N', names.get(f[0].rsplit('-', 1)[-1], '?'))
        agg[name][f[3].replace('syscalls:sys_enter_', '')] += v
    return agg


if __name__ == '__main__':
    for name, c in sorted(counts(sys.argv[1]).items(), key=lambda kv: -kv[1]['raw_syscalls:sys_enter'])[:15]:
        print(f"{name:18s} " + " ".join(f"{k} {v}" for k, v in c.items() if v))
