"""jtable.py OUT:COMMANDS_PER_S:LABEL ...: ms of CPU per 1,000 commands by thread group in jt.sh's L2000 window, one
column per run (sf22; finer groups than sf18's jtdelta.py: the journal's writer and live KPIs apart, hp21's cluster
operation threads, the accept thread)."""
import sys,re,collections
G=[(r"C2 Compiler","JIT C2"),(r"C1 Compiler","JIT C1"),(r"GC Thread|G1 |GC ","GC"),(r"ForkJoinPool-\d+-worker","carriers (calls' virtual threads)"),
   (r"commonPool","common pool"),(r"^hz\.","Hazelcast"),(r"^ivr-cluster-op","ivr-cluster-op (hp21)"),(r"^journal-outbox","journal writer (journal-outbox)"),
   (r"^journal-kpis","live KPIs (journal-kpis)"),(r"^crm","CRM writer"),(r"Poller","JDK pollers"),(r"^agi-accept","agi-accept"),
   (r"AsyncAppender|logback","log writer"),(r"VM Thread|VM Periodic|Service Thread|Monitor Deflation|Signal|Finalizer|Reference|Common-Cleaner|Notification","JVM housekeeping")]
def group(n): return next((g for p,g in G if re.search(p,n)),"other")
def load(f): return {n:float(v) for n,v in re.findall(r'^"(.*?)".*?cpu=([\d.]+)ms',open(f).read(),re.M)}
def sec(t): return sum(float(x)*m for x,m in zip(t.split(":"),(3600,60,1)))
cols=[]
for arg in sys.argv[1:]:
    out,cps,label=arg.split(":",2); cps=float(cps)
    a,b=load(f"{out}.L2000.0"),load(f"{out}.L2000.1")
    ts={l.split()[0]:l.split() for l in open(out)}
    dt=sec(ts["L2000.1"][1])-sec(ts["L2000.0"][1]); cmds=cps*dt
    ticks=int(ts["L2000.1"][3])-int(ts["L2000.0"][3])
    g=collections.Counter()
    for n,v in b.items(): g[group(n)]+=(v-a.get(n,0))/cmds*1000
    g["whole process (/proc ticks)"]=ticks*10/cmds*1000
    cols.append((label,g))
rows=[k for k,_ in collections.Counter({k:v for k,v in cols[0][1].items()}).most_common() if k!="whole process (/proc ticks)"]+["whole process (/proc ticks)"]
print("| ms per 1,000 commands, by thread | "+" | ".join(l for l,_ in cols)+" |")
print("|---|"+"---:|"*len(cols))
for r in rows: print(f"| {r} | "+" | ".join(f"{g.get(r,0):.1f}" for _,g in cols)+" |")
