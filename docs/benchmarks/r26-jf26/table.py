#!/usr/bin/env python3
"""table.py DIR NAME...: one row per run of run.sh (DIR: its output, target/jf26): the load generator's figures, the
per-command p50/p99 of the call's last command (Asterisk-Java's SET VARIABLE AJ_AGISTATUS, sent after the flow ends)
and of the one before it, and fsync.sh's forces (per call, and how long each took)."""
import csv, re, subprocess, sys, os
d = sys.argv[1]
OTHER = "other processes' CPU %"
here = os.path.dirname(os.path.abspath(__file__))
print("| run | commands/s | p50 ms | p99 ms | p99.9 ms | CPU ms per 1,000 commands | of which JIT | heap/call KB"
      " | AJ_AGISTATUS p50 / p99 ms | IVR_STATUS p50 / p99 ms | forces a call | force p50 / p99 ms | load avg | other CPU % |")
print("|---|" + "---:|" * 13)
for n in sys.argv[2:]:
    md = open(f"{d}/out/{n}.md").read()
    head = [h.strip() for h in re.search(r"^\| server \| calls.*$", md, re.M).group(0).strip('|').split('|')]
    row = [c.strip() for c in re.search(r"^\| ivr \| 2,000.*$|^\| ivr \| 1,000.*$", md, re.M).group(0).strip('|').split('|')]
    r = dict(zip(head, row))
    cmds = {x['command']: x for x in csv.DictReader(open(f"{d}/out/{n}-commands.csv"))}
    aj, st = cmds['SET VARIABLE AJ_AGISTATUS'], cmds['SET VARIABLE IVR_STATUS']
    cps = float(r['commands/s'].replace(',', ''))
    fs = subprocess.run([sys.executable, f"{here}/fsync.py", f"{d}/fsync-{n}.txt", str(cps)], capture_output=True,
                        text=True).stdout
    per = re.search(r"per call ([\d.]+)", fs); lat = re.search(r"us: p50 (\d+) p90 \d+ p99 (\d+)", fs)
    print(f"| {n} | {r['commands/s']} | {r['p50 ms']} | {r['p99 ms']} | {r['p99.9 ms']} | {r['CPU ms per 1,000 commands']}"
          f" | {r['of which JIT compilers']} | {r['heap/call KB']}"
          f" | {int(aj['p50_us'])/1000:.2f} / {int(aj['p99_us'])/1000:.2f} | {int(st['p50_us'])/1000:.2f} / {int(st['p99_us'])/1000:.2f}"
          f" | {per.group(1) if per else '?'} | {int(lat.group(1))/1000:.2f} / {int(lat.group(2))/1000:.2f}"
          f" | {r['load average']} | {r[OTHER]} |" if lat else f"| {n} | ... |")
