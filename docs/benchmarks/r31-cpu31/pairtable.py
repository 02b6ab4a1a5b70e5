"""pairtable.py NAME... : the loadgen's figures of run.sh's runs (target/cpu31/NAME.md) in one table, and their threads'
CPU per 1,000 commands side by side (sf22's jtable.py over target/cpu31/jt-NAME)."""
import sys,re,subprocess
rows=[]; cols=[]
for n in sys.argv[1:]:
    md=open(f"target/cpu31/{n}.md").read()
    start=re.search(r"Run: (\S+)",md).group(1)[11:19]
    la=re.search(r"load average at start ([\d.]+)",md).group(1)
    f=[x.strip() for x in next(l for l in md.splitlines() if l.startswith("| ivr")).split("|")]
    # | ivr | calls | reached | failed | cmd/s | p50 | p99 | p99.9 | max | in-server | cpu% | cpu/1000 | jit | heap | rss | threads | lag | load | other |
    rows.append(f"| {n} ({start}) | {f[5]} | {f[6]} | {f[7]} | {f[8]} | **{f[12]}** | {f[13]} | {f[14]} | {f[4]} | {f[19]}% | {la} |")
    cols.append(f"target/cpu31/jt-{n}:{f[5].replace(',','')}:{n}")
print("| run (start, UTC) | commands/s | p50 ms | p99 ms | p99.9 ms | CPU ms per 1,000 commands | of which JIT | heap/call KB | failed | other processes' CPU | load average at start |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
print("\n".join(rows)); print()
print(subprocess.run(["python3","docs/benchmarks/r22-sf22/jtable.py"]+cols,capture_output=True,text=True).stdout)
