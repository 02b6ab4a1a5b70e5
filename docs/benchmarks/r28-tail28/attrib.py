"""attrib.py RUN_DIR [THRESHOLD_MS=1] [LEVEL=2000]: what each slow reply of a run.sh run waited for (tail28).
SCEN=customer-service for that flow's files (cs30's r30-cs30/run.sh; default: the simple flow's).

RUN_DIR: run.sh's directory (perf.txt: `perf script` of the plateau, written by perfdump.sh; clock.txt; gc.log;
tl/ivr-simple-LEVEL-slow.csv and -lag.csv). For each reply slower than THRESHOLD_MS, over its own interval
[sent, reply] (the load generator's wall clock, microseconds): what ran on CPU 1 (the server's) and CPU 0 (the load
generator's), by thread group, from the kernel's own context switches; the stop-the-world time of the server's
safepoints (GC log); the load generator's late wake-ups (its lag tickers, over 0.5 ms late) in it. Each slow reply
gets one cause, the first that applies:
  pause          a server safepoint covers >= 30% of the interval
  server busy: G  CPU 1 busy >= 70% of the interval, G the group (other than the calls' own threads) with the most of it
                 ('calls' when the calls' carriers, pollers and accept thread had the most)
  loadgen late   CPU 1 less busy, and CPU 0 busy >= 70% or a lag ticker > 1 ms late in it
  neither        (a wait that is in no CPU's busy time: wake-up latency, the network stack, ...)
It also prints the same shares of CPU 1 over the whole plateau, to compare with the slow replies' windows."""
import sys, re, collections, bisect, datetime, os

run = sys.argv[1]
thr = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
level = sys.argv[3] if len(sys.argv) > 3 else "2000"
scen = os.environ.get("SCEN", "simple")
offs = [float(l.split()[1]) for l in open(os.path.join(run, "clock.txt"))]
OFF = sum(offs) / len(offs)  # CLOCK_REALTIME - CLOCK_MONOTONIC, seconds

G = [(r"^C2 Compiler", "JIT C2"), (r"^C1 Compiler", "JIT C1"),
     (r"^Shen|Shenandoah", "GC: Shenandoah"), (r"^GC Thread|^G1 |^GC |VM Periodic|Concurrent|^VM Thread", "GC and VM thread"),
     (r"^ForkJoinPool-\d", "calls: carriers"), (r"Poller", "calls: JDK pollers"), (r"^agi-accept", "calls: agi-accept"),
     (r"^ivr-cluster-op", "ivr-cluster-op"), (r"^journal-outbox", "journal writer"), (r"^outbox-force", "journal forces"),
     (r"^crm", "CRM outbox and writer"), (r"^journal-kpis", "live KPIs"), (r"^hz\.", "Hazelcast"),
     (r"AsyncAppender|logback", "log writer"), (r"vert\.x|vertx", "Vert.x (HTTP)"), (r"^JFR ", "JFR"),
     (r"^callback-sweep|^webhook-poller|^journal-tail|^ivr-routing|^recording-upk", "other ivr loops"),
     (r"commonPool", "common pool"), (r"Signal|Finalizer|Reference|Common-Clean|Notification|Service Thread|Monitor Deflat"
      r"|Attach Listen", "JVM housekeeping")]


def group(comm):
    return next((g for p, g in G if re.search(p, comm)), "server other: " + comm)


# --- the scheduler trace: per CPU, a list of (start, end, tid) in wall-clock ms
SW = re.compile(r"^\s*(\d+)/(\d+)\s+\[(\d+)\]\s+([\d.]+):\s+sched:sched_switch:\s+prev_comm=(.*) prev_pid=(\d+) "
                r"prev_prio=\d+ prev_state=\S+ ==> next_comm=(.*) next_pid=(\d+) next_prio")
WK = re.compile(r"^\s*\d+/\d+\s+\[\d+\]\s+([\d.]+):\s+sched:sched_wakeup:\s+comm=(.*) pid=(\d+) prio=\d+ target_cpu=(\d+)")
tgid = {0: 0}
comm = {0: "idle"}
runs = {0: [], 1: []}
cur = {}
woken = {}   # tid -> wall ms of its last wake-up (not yet running)
waits = []   # (woken, ran, tid) on CPU 1: a thread's time runnable before it ran
lagruns = []  # when the load generator's platform lag ticker was switched in (to check the two clocks)
for l in open(os.path.join(run, "perf.txt"), errors="replace"):
    m = SW.match(l)
    if not m:
        w = WK.match(l)
        if w and int(w.group(4)) == 1:
            woken.setdefault(int(w.group(3)), (float(w.group(1)) + OFF) * 1000)
        continue
    pid, tid, cpu, t = int(m.group(1)), int(m.group(2)), int(m.group(3)), (float(m.group(4)) + OFF) * 1000
    prev, nxt = int(m.group(6)), int(m.group(8))
    tgid[prev] = pid if prev == tid else tgid.get(prev, -1)
    comm[prev] = m.group(5)
    comm.setdefault(nxt, m.group(7))
    if cpu in cur and cpu in runs:
        runs[cpu].append((cur[cpu][0], t, prev))
    if cpu in runs:
        cur[cpu] = (t, nxt)
    if m.group(7).startswith("loadgen-lag-pla"):
        lagruns.append((t, cpu))
    if cpu == 1 and nxt in woken:
        waits.append((woken.pop(nxt), t, nxt))
    if cpu == 1 and "prev_state=R" in l:
        woken[prev] = t  # preempted: runnable from now on
for c in runs:
    runs[c].sort()
server = next((tgid[t] for t, n in comm.items() if n.startswith(("agi-accept", "journal-outbox", "hz.", "prompt-render"))
               and tgid.get(t, -1) > 0), None)
loadgen = next((tgid[t] for t, n in comm.items() if n.startswith("loadgen-lag") and tgid.get(t, -1) > 0), None)


def cls(tid):
    if tid == 0:
        return "idle"
    p = tgid.get(tid, -1)
    if server is not None and p == server:
        return group(comm.get(tid, "?"))
    if loadgen is not None and p == loadgen:
        return "load generator"
    n = comm.get(tid, "?")
    return "perf (the trace)" if n.startswith("perf") else "other processes"


cls_cache = {}


def occupancy(cpu, a, b):
    """{class: ms} on this CPU between wall-clock ms a and b"""
    out = collections.Counter()
    r = runs[cpu]
    i = max(0, bisect.bisect_left(r, (a,)) - 1)
    while i < len(r) and r[i][0] < b:
        s, e, tid = r[i]
        o = min(e, b) - max(s, a)
        if o > 0:
            c = cls_cache.get(tid)
            if c is None:
                c = cls_cache[tid] = cls(tid)
            out[c] += o
        i += 1
    return out


# --- safepoints (the GC log's wall-clock decoration, ms; the log is written at the safepoint's end)
DECO = re.compile(r"^\[(\d{4}-\d\d-\d\dT\d\d:\d\d:[\d.]+[+-]\d{4})\]")
SP = re.compile(r'Safepoint "([^"]+)".*Total: (\d+) ns')
pauses = []
for l in open(os.path.join(run, "gc.log"), errors="replace"):
    m = SP.search(l)
    if m:
        end = datetime.datetime.strptime(DECO.match(l).group(1), "%Y-%m-%dT%H:%M:%S.%f%z").timestamp() * 1000
        pauses.append((end - int(m.group(2)) / 1e6, end, m.group(1)))
pauses.sort()

tl = os.path.join(run, "tl")
late = []
lagf = os.path.join(tl, f"ivr-{scen}-{level}-lag.csv")
if os.path.exists(lagf):
    for l in open(lagf):
        if l[0].isdigit():
            w, k, ms = l.strip().split(",")
            late.append((float(w) - float(ms), float(w), k, float(ms)))
late.sort()

slow = []
for l in open(os.path.join(tl, f"ivr-{scen}-{level}-slow.csv")):
    if l[0].isdigit():
        r, s, ms, c = l.rstrip("\n").split(",", 3)
        if float(ms) > thr:
            slow.append((float(s), float(r), float(ms), c))
slow.sort()
t0 = max(runs[1][0][0], slow[0][0]) if slow else runs[1][0][0]
t1 = min(runs[1][-1][1], slow[-1][1]) if slow else runs[1][-1][1]


def ov(a0, a1, b0, b1):
    return max(0.0, min(a1, b1) - max(a0, b0))


CALLS = ("calls: carriers", "calls: JDK pollers", "calls: agi-accept")
causes = collections.Counter()
cpu1_sum = collections.Counter()
cpu0_sum = collections.Counter()
bycmd = collections.defaultdict(collections.Counter)
rows = []
for s, r, ms, c in slow:
    if s < t0 or r > t1:
        continue
    d = r - s
    o1 = occupancy(1, s, r)
    o0 = occupancy(0, s, r)
    pz = sum(ov(s, r, p0, p1) for p0, p1, _ in pauses[max(0, bisect.bisect_left(pauses, (s - 5000,))):bisect.bisect_left(pauses, (r,))])
    lg = max([x[3] for x in late[max(0, bisect.bisect_left(late, (s - 5000,))):bisect.bisect_left(late, (r,))] if ov(s, r, x[0], x[1]) > 0] or [0])
    busy1 = d - o1.get("idle", 0)
    busy0 = d - o0.get("idle", 0)
    cpu1_sum.update(o1)
    cpu0_sum.update(o0)
    if pz >= 0.3 * d:
        k = "pause (server safepoint)"
    elif busy1 >= 0.7 * d:
        others = {g: v for g, v in o1.items() if g != "idle" and g not in CALLS}
        callsv = sum(o1.get(g, 0) for g in CALLS)
        top = max(others.items(), key=lambda x: x[1]) if others else ("", 0)
        k = "CPU 1 busy: " + (top[0] if top[1] > callsv else "the calls' own threads")
    elif busy0 >= 0.7 * d or lg > 1.0:
        k = "load generator late (CPU 0 busy or its ticker > 1 ms late)"
    else:
        k = "neither CPU busy, no pause"
    causes[k] += 1
    bycmd[c][k] += 1
    rows.append((s, r, ms, c, k, busy1 / d, busy0 / d, pz, lg, o1.most_common(3)))

n = sum(causes.values())
hms = lambda t: datetime.datetime.fromtimestamp(t / 1000, datetime.timezone.utc).strftime("%H:%M:%S.%f")[:-3]
print(f"run {run}: server pid {server}, load generator pid {loadgen}; clock offset {OFF:.6f} s "
      f"(before/after differ by {abs(offs[0] - offs[-1]) * 1e6:.0f} us)")
print(f"window {hms(t0)}-{hms(t1)} UTC; replies over {thr:g} ms in it: {n}")
print()
print(f"| cause of the slow reply (over {thr:g} ms) | replies | share |")
print("|---|---:|---:|")
for k, v in causes.most_common():
    print(f"| {k} | {v} | {100 * v / max(n, 1):.1f}% |")
print()
whole1 = occupancy(1, t0, t1)
whole0 = occupancy(0, t0, t1)
tot_s = sum(cpu1_sum.values())
W = t1 - t0
print("| CPU 1 (server's) by thread group | in the slow replies' intervals | whole window |")
print("|---|---:|---:|")
for g in sorted(set(list(cpu1_sum) + list(whole1)), key=lambda g: -cpu1_sum.get(g, 0)):
    a, b = cpu1_sum.get(g, 0), whole1.get(g, 0)
    if a / max(tot_s, 1) >= 0.001 or b / W >= 0.001:
        print(f"| {g} | {100 * a / max(tot_s, 1):.1f}% | {100 * b / W:.1f}% |")
print()
tot0 = sum(cpu0_sum.values())
print("| CPU 0 (load generator's) | in the slow replies' intervals | whole window |")
print("|---|---:|---:|")
for g in sorted(set(list(cpu0_sum) + list(whole0)), key=lambda g: -cpu0_sum.get(g, 0)):
    a, b = cpu0_sum.get(g, 0), whole0.get(g, 0)
    if a / max(tot0, 1) >= 0.001 or b / W >= 0.001:
        print(f"| {g} | {100 * a / max(tot0, 1):.1f}% | {100 * b / W:.1f}% |")
print()
print("by command:")
for c, cc in sorted(bycmd.items(), key=lambda x: -sum(x[1].values())):
    print(f"  {c}: {sum(cc.values())}: " + ", ".join(f"{k} {v}" for k, v in cc.most_common()))
print()
print("pauses in the window:", [(hms(p0), round(p1 - p0, 2), nm) for p0, p1, nm in pauses if t0 <= p0 <= t1 and p1 - p0 > 0.5])
print()
print("the 40 slowest: sent, ms, command, cause, CPU 1 busy, CPU 0 busy, pause ms, lag ms, CPU 1's top three (ms)")
for x in sorted(rows, key=lambda x: -x[2])[:40]:
    print(f"  {hms(x[0])} {x[2]:7.2f} {x[3]:28s} {x[4]:45s} {100 * x[5]:4.0f}% {100 * x[6]:4.0f}% {x[7]:6.2f} {x[8]:6.2f} "
          + ", ".join(f"{g} {v:.2f}" for g, v in x[9]))

print()
CALLW = [w for w in waits if cls_cache.get(w[2]) in CALLS or cls(w[2]) in CALLS]
CALLW = [w for w in CALLW if t0 <= w[0] <= t1]
if CALLW:
    ds = sorted(w[1] - w[0] for w in CALLW)
    q = lambda p: ds[min(len(ds) - 1, int(p * len(ds)))]
    print(f"the calls' threads (carriers, pollers, accept) on CPU 1, from runnable (woken or preempted) to running: "
          f"{len(ds)} waits, p50 {q(0.5):.3f} ms, p99 {q(0.99):.3f}, p99.9 {q(0.999):.3f}, max {ds[-1]:.3f}")
    for lim in (0.5, 1.0):
        big = [w for w in CALLW if w[1] - w[0] > lim]
        who = collections.Counter()
        for a, b, _ in big:
            who.update(occupancy(1, a, b))
        tot = sum(who.values())
        print(f"  waits over {lim} ms: {len(big)} ({100 * len(big) / len(ds):.2f}%), {tot:.0f} ms in all; CPU 1 meanwhile: "
              + ", ".join(f"{g} {100 * v / max(tot, 1):.0f}%" for g, v in who.most_common(8)))

# --- the clocks: each late wake-up of the load generator's platform ticker (its own wall clock, read right after it
# woke) against the kernel's switch-in of that thread (CLOCK_MONOTONIC + offset): the difference should be small and
# constant (the ticker's code between the switch and its clock read), whatever the lateness
chk = []
lagruns.sort()
for a, w, k, ms in late:
    if k != "platform" or not (t0 <= w <= t1):
        continue
    i = bisect.bisect_right(lagruns, (w,))
    if i > 0:
        chk.append(w - lagruns[i - 1][0])
if chk:
    chk.sort()
    print(f"clock check: {len(chk)} late wake-ups of the platform lag ticker, its wall clock minus the last switch-in "
          f"before it in the trace: min {chk[0]:.3f} ms, median {chk[len(chk) // 2]:.3f}, max {chk[-1]:.3f}")
