"""iotable.py OUT:LABEL ...: the writers' H2 writes in jt.sh's window: write system calls (each an H2 chunk) per second
and KB per write, for the journal's writer (journal-outbox) and the CRM writer (crm-writer) (perf23)."""
import sys
def sec(t): return sum(float(x)*m for x,m in zip(t.split(":"),(3600,60,1)))
def load(f):
    d={}
    for l in open(f):
        name,_,rest=l.rstrip("\n").partition("|"); v=rest.split()
        if len(v)>=4: d.setdefault(name,[0,0]); d[name][0]+=int(v[3]); d[name][1]+=int(v[1])  # syscw, wchar
    return d
print("| run | journal writer: writes/s | KB per write | CRM writer: writes/s | KB per write |")
print("|---|---:|---:|---:|---:|")
for arg in sys.argv[1:]:
    out,label=arg.split(":",1)
    ts={l.split()[0]:l.split() for l in open(out)}
    dt=sec(ts["L2000.1"][1])-sec(ts["L2000.0"][1])
    a,b=load(f"{out}.L2000.0.io"),load(f"{out}.L2000.1.io")
    cells=[]
    for n in ("journal-outbox","crm-writer"):
        w=b.get(n,[0,0])[0]-a.get(n,[0,0])[0]; by=b.get(n,[0,0])[1]-a.get(n,[0,0])[1]
        cells+= [f"{w/dt:.2f}", f"{by/max(w,1)/1024:.0f}"]
    print(f"| {label} | "+" | ".join(cells)+" |")
