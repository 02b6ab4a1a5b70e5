"""tgroup.py OUT FROM TO [COMMANDS_PER_S] [-t]: CPU per second (ms of CPU per s of wall clock) by thread group between
two wall-clock moments (HH:MM:SS UTC, or +S/-S seconds from the first/last sample) of tsample.sh's samples; with
COMMANDS_PER_S also per 1,000 commands; -t: every thread, not only the groups. Groups: sf22's jtable.py's, finer.
tsplit.py uses window()."""
import sys,re,collections,datetime
G=[(r"C2 Compiler","JIT C2"),(r"C1 Compiler","JIT C1"),(r"GC Thread|G1 |GC |^GC|VM Periodic|Concurrent","GC"),
   (r"ForkJoinPool-\d+-worker","carriers (the calls' virtual threads)"),(r"commonPool","common pool"),
   (r"^hz\..*\.(cached|async|partition-operation|priority-generic|generic-operation|response|query)","Hazelcast operations, cached"),
   (r"^hz\..*MetricsRegistry","Hazelcast metrics registry"),(r"^hz\..*scheduled","Hazelcast scheduler"),(r"^hz\.","Hazelcast other (IO, health, migration)"),(r"^ivr-cluster-op","ivr-cluster-op"),(r"^journal-outbox","journal writer"),
   (r"^outbox-force","outbox forces"),(r"^journal-kpis","live KPIs"),(r"^crm","CRM outbox and writer"),(r"Poller","JDK pollers"),
   (r"^agi-accept","agi-accept"),(r"AsyncAppender|logback","log writer"),(r"vert\.x|vertx","Vert.x (HTTP)"),
   (r"^callback-sweep","callback sweep"),(r"^webhook-poller","webhook poller"),(r"^journal-tail","journal tail"),
   (r"^ivr-routing","routing maintenance"),(r"^JFR ","JFR"),(r"^Attach Listener","jcmd (the sampler's names)"),
   (r"Signal|Finalizer|Reference|Common-Cleaner|Notification|Service Thread|Monitor Deflation|VM Thread","JVM housekeeping")]
def group(n): return next((g for p,g in G if re.search(p,n)),"other: "+n)
def load(out):
    samples=[]; cur=None
    for l in open(out):
        p=l.split(" ",2)
        if p[0]=="T": cur=(int(p[1])/1000.0,{},{}); samples.append(cur)
        elif cur and len(p)>=2: cur[1][p[0]]=int(p[1]); cur[2][p[0]]=p[2].strip() if len(p)>2 else "?"
    names={}
    for l in open(out+".names"):
        h,n=l.rstrip("\n").split(" ",1); names[str(int(h,0))]=n
    return samples,names
def at(samples,s):
    if s[0] in "+-": return (samples[0][0] if s[0]=="+" else samples[-1][0])+float(s)
    d=datetime.datetime.fromtimestamp(samples[0][0],datetime.timezone.utc)
    h,m,sec=map(int,s.split(":")); return d.replace(hour=h,minute=m,second=sec,microsecond=0).timestamp()
def window(out,t0,t1):
    """(seconds, {group: ms CPU per s}, {thread: ms CPU per s}, whole process ms per s, first, last sample time)"""
    samples,names=load(out)
    a=min(samples,key=lambda s:abs(s[0]-at(samples,t0))); b=min(samples,key=lambda s:abs(s[0]-at(samples,t1)))
    dt=b[0]-a[0]; per=collections.Counter(); grp=collections.Counter()
    for tid,v in b[1].items():
        if tid=="ALL": continue
        d=(v-a[1].get(tid,0))*10.0/dt   # ticks of 10 ms -> ms per s
        n=names.get(tid,b[2][tid]+" (comm)"); per[n]+=d; grp[group(n)]+=d
    whole=(b[1]["ALL"]-a[1]["ALL"])*10.0/dt
    grp["threads that ended in the window, rounding"]=whole-sum(grp.values())
    return dt,grp,per,whole,a[0],b[0]
def hms(t): return f"{datetime.datetime.fromtimestamp(t,datetime.timezone.utc):%H:%M:%S}"
if __name__=="__main__":
    args=[a for a in sys.argv[1:] if a!="-t"]; every="-t" in sys.argv
    dt,grp,per,whole,a,b=window(args[0],args[1],args[2]); cps=float(args[3]) if len(args)>3 else None
    fmt=lambda d: f"{d:.1f}"+(f" | {d/cps*1000:.1f}" if cps else "")
    print(f"window {hms(a)}-{hms(b)} UTC, {dt:.0f} s"+(f", {cps:.0f} commands/s" if cps else ""))
    print("| thread group | ms CPU per s"+(" | ms per 1,000 commands" if cps else "")+" |"); print("|---|---:|"+("---:|" if cps else ""))
    for g,d in grp.most_common():
        if abs(d)>=0.05: print(f"| {g} | {fmt(d)} |")
    print(f"| **whole process (/proc/PID/stat)** | **{fmt(whole)}** |")
    if every:
        print(); [print(f"  {d:8.2f}  {n}") for n,d in per.most_common() if d>0]
