#!/usr/bin/env python3
"""table.py DIR NAME...: one row per run of run.sh and level (DIR: its output, target/nice27): the load generator's
figures, and from watch.sh's record the writers' backlog (the journal's and the CRM outbox's pending rows: the
largest sample and the last one before the server stopped) and how many of the server's threads ran niced."""
import csv, re, sys
d = sys.argv[1]
OTHER = "other processes' CPU %"
print("| run | calls | failed | commands/s | p50 ms | p99 ms | p99.9 ms | max ms | CPU ms per 1,000 commands (JIT)"
      " | heap/call KB | load avg | other CPU % | journal pending max / last | CRM outbox max | threads niced |")
print("|---|" + "---:|" * 14)
for n in sys.argv[2:]:
    md = open(f"{d}/out/{n}.md").read()
    head = [h.strip() for h in re.search(r"^\| server \| calls.*$", md, re.M).group(0).strip('|').split('|')]
    rows = [[c.strip() for c in m.group(0).strip('|').split('|')] for m in re.finditer(r"^\| ivr \| [\d,]+ \|.*$", md, re.M)]
    w = list(csv.DictReader(open(f"{d}/watch-{n}.csv")))
    jp = [float(x['journal_pending']) for x in w if x['journal_pending']]
    cp = [float(x['crm_outbox_pending']) for x in w if x['crm_outbox_pending']]
    nic = max((int(x['threads_niced']) for x in w if x['threads_niced']), default=0)
    rows = [x for x in rows if len(x) == len(head)]
    for i, row in enumerate(rows):
        r = dict(zip(head, row))
        extra = (f" | {max(jp):.0f} / {jp[-1]:.0f} | {max(cp):.0f} | {nic}" if i == 0 and jp else " | | |")
        print(f"| {n} | {r['calls']} | {r['failed']} | {r['commands/s']} | {r['p50 ms']} | {r['p99 ms']} | {r['p99.9 ms']}"
              f" | {r['max ms']} | {r['CPU ms per 1,000 commands']} ({r['of which JIT compilers']}) | {r['heap/call KB']}"
              f" | {r['load average']} | {r[OTHER]}{extra} |")
