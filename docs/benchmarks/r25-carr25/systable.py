"""systable.py SYS_FILE COMMANDS_PER_S [LABEL] ...: sys.sh's per-thread system call counts (15 s), per AGI command and
per call (calls = the accept thread's accepts), for the calls' carriers (ForkJoinPool-N-worker) and the whole process."""
import sys,re,collections
cols=[]
args=sys.argv[1:]
for i in range(0,len(args),3):
    f,cps,label=args[i],float(args[i+1]),args[i+2]
    car=collections.Counter(); allc=collections.Counter()
    for l in open(f):
        r=l.strip().split(",")
        if len(r)<5: continue
        try: v=int(r[1])
        except ValueError: continue
        ev=r[3].replace("syscalls:sys_enter_","").replace("raw_syscalls:sys_enter","all system calls")
        allc[ev]+=v
        if r[0].startswith("ForkJoinPool-1-") or re.match(r"ForkJoinPool-\d+-",r[0]) and not r[0].startswith("ForkJoinPool.co"): car[ev]+=v
    cmds=cps*15; calls=allc["accept"] or allc["accept4"]
    cols.append((label,car,allc,cmds,calls))
evs=["all system calls","context-switches","write","read","epoll_ctl","epoll_wait","futex","fdatasync","fsync","newfstat","shutdown","getsockopt","setsockopt","close","accept"]
print("| per AGI command (per call) | "+" | ".join(f"{l}: carriers | {l}: whole process" for l,*_ in cols)+" |")
print("|---|"+"---:|---:|"*len(cols))
for e in evs:
    cells=[]
    for l,car,allc,cmds,calls in cols:
        cells+= [f"{car[e]/cmds:.3f} ({car[e]/calls:.2f})", f"{allc[e]/cmds:.3f} ({allc[e]/calls:.2f})"]
    print(f"| {e} | "+" | ".join(cells)+" |")
for l,car,allc,cmds,calls in cols: print(f"{l}: {cmds:.0f} commands, {calls} calls in 15 s ({cmds/calls:.1f} commands a call)")
