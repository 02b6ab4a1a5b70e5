"""jtdelta.py OUT LEVEL COMMANDS_PER_S: CPU ms per 1,000 commands by thread group between LEVEL.0 and LEVEL.1 (jt.sh)."""
import sys,re,collections
out,lvl,cps=sys.argv[1],sys.argv[2],float(sys.argv[3])
def load(f):
    d={}
    for l in open(f):
        m=re.match(r'"(.*?)".*?cpu=([\d.]+)ms',l)
        if m: d[m.group(1)]=float(m.group(2))
    return d
a,b=load(f"{out}.{lvl}.0"),load(f"{out}.{lvl}.1")
ts={l.split()[0]:l.split() for l in open(out)}
t0=ts[lvl+".0"][1]; t1=ts[lvl+".1"][1]
def sec(t): h,m,s=t.split(":"); return int(h)*3600+int(m)*60+float(s)
dt=sec(t1)-sec(t0); ticks=int(ts[lvl+".1"][3])-int(ts[lvl+".0"][3])
cmds=cps*dt
def group(n):
    for p,g in [(r"C2 Compiler","JIT C2"),(r"C1 Compiler","JIT C1"),(r"GC Thread|G1 |GC ","GC"),(r"ForkJoinPool-\d+-worker","carriers (calls' virtual threads)"),
                (r"commonPool","common pool (checkpoint completions)"),(r"^hz\.","Hazelcast"),(r"^journal|^outbox","journal writer"),(r"^crm","CRM writer"),
                (r"Poller","JDK pollers"),(r"AsyncAppender|logback","log writer"),(r"VM Thread|VM Periodic|Service Thread|Monitor Deflation|Signal|Finalizer|Reference|Common-Cleaner|Sweeper|Notification","JVM housekeeping")]:
        if re.search(p,n): return g
    return "other"
g=collections.Counter()
for n,v in b.items():
    g[group(n)]+=v-a.get(n,0)
tot=sum(g.values())
print(f"{lvl}: window {dt:.1f} s, {cmds:.0f} commands; process {ticks*10/cmds*1000:.0f} ms per 1,000 commands (/proc ticks), threads listed {tot/cmds*1000:.0f}")
for k,v in g.most_common(): print(f"| {k} | {v/cmds*1000:.1f} | {100*v/tot:.1f}% |")
