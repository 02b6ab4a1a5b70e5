"""tsplit.py OUT FROM1 TO1 CPS1 FROM2 TO2 CPS2 [IDLE_OUT]: two plateaus of one run (tsample.sh's samples, windows as
tgroup.py's, their commands per second from the load generator) split, thread group by thread group, into a part per
second and a part per command, as a straight line through the two: CPU/s = fixed + per_command x commands/s. With
IDLE_OUT (idle.sh's samples, whole window) the idle server's CPU per second beside the fixed part."""
import sys,collections
from tgroup import window
a=sys.argv[1:]; out=a[0]
_,g1,_,w1,_,_=window(out,a[1],a[2]); c1=float(a[3])
_,g2,_,w2,_,_=window(out,a[4],a[5]); c2=float(a[6])
gi=window(a[7],"+0","-0")[1] if len(a)>7 else collections.Counter()
g1["**whole process**"]=w1; g2["**whole process**"]=w2
if len(a)>7: gi["**whole process**"]=window(a[7],"+0","-0")[3]
rows=sorted(set(g1)|set(g2),key=lambda k:-(g1.get(k,0)+g2.get(k,0)))
rows=[r for r in rows if r!="**whole process**"]+["**whole process**"]
print(f"| thread group | ms/s at {c1:.0f} cmd/s | at {c2:.0f} | per 1,000 commands at {c1:.0f} | at {c2:.0f} | fixed part, ms/s | per 1,000 commands without it |"+(" idle server, ms/s |" if gi else ""))
print("|---|---:|---:|---:|---:|---:|---:|"+("---:|" if gi else ""))
for r in rows:
    y1,y2=g1.get(r,0),g2.get(r,0)
    if abs(y1)<0.05 and abs(y2)<0.05: continue
    b=(y2-y1)/(c2-c1); f=y1-b*c1
    print(f"| {r} | {y1:.1f} | {y2:.1f} | {y1/c1*1000:.1f} | {y2/c2*1000:.1f} | {f:.1f} | {b*1000:.1f} |"+(f" {gi.get(r,0):.1f} |" if gi else ""))
