#!/usr/bin/env python3
"""tail.py SLOW_CSV SCHED GC_LOG [THRESHOLD_MS=20]: what each command slower than THRESHOLD_MS waited for (t26).

SLOW_CSV: the load generator's NAME-slow.csv (--timeline: each reply over 5 ms, sent and arrived, epoch ms);
SCHED: sched.py's samples of the server's threads (run and run-queue wait ns, every 50 ms) and of each CPU's busy ticks;
GC_LOG: the server's -Xlog:gc*,safepoint:file=...:time,uptime,tags (every safepoint with its time to reach and at it).

For each slow command, over its own interval [sent, arrived]: the server's stop-the-world time (safepoints, by VM
operation), the server's CPU by thread group (sched windows weighted by their overlap), other processes' CPU on the
server's CPU 1, CPU 1 idle, and CPU 0's busy time (the load generator's CPU). What the command had, the first that
applies: a pause over half its time; CPU 1 busy over 90% of it (with the group that took most of it); CPU 0 busy over
90% of it; neither. Prints the share of slow commands for each, the components summed over all slow commands, and
the sampling windows in which most slow commands were sent. The run-queue wait (of the calls' threads, summed over
them: over 100% when several carriers waited at once) is shown, not used."""
import sys, re, collections, datetime, bisect

slow_csv, sched_f, gc_f = sys.argv[1:4]
thr = float(sys.argv[4]) if len(sys.argv) > 4 else 20.0

G = [(r"C2.Compiler", "JIT C2"), (r"C1.Compiler", "JIT C1"), (r"GC.Thread|^G1.|^GC.", "GC threads"),
     (r"ForkJoinPool-\d", "carriers"), (r"^AJ_DaemonPool", "stock server's call threads"), (r"^whole-process", "server, whole process (its threads not sampled apart)"), (r"commonPool|ForkJoinPool\.c", "common pool"), (r"^hz\.", "Hazelcast"),
     (r"^ivr-cluster", "ivr-cluster-op"), (r"^journal-outbo", "journal writer"), (r"^journal-kpi", "live KPIs"),
     (r"^crm", "CRM writer"), (r"Poller", "JDK pollers"), (r"^agi-accept", "agi-accept"),
     (r"AsyncAppender|logback", "log writer"), (r"^VM.Thread", "VM Thread"),
     (r"VM.Periodic|Service.Thread|Monitor.Deflati|Signal|Finalizer|Reference|Common-Cleaner|Notification|G1.Service|G1.Refine|G1.Conc|G1.Main", "JVM housekeeping")]
def group(n):
    return next((g for p, g in G if re.search(p, n)), "other:" + n)

# --- slow commands
cmds = []
for l in open(slow_csv):
    if l[0].isdigit():
        r, s, ms, c = l.rstrip("\n").split(",", 3)
        if float(ms) >= thr:
            cmds.append((int(s), int(r), float(ms), c))
allslow = sum(1 for l in open(slow_csv) if l[0].isdigit())

# --- sched windows: per window (t0, t1], run ms per group, wait ms of all server threads
T, last = [], {}
win = []  # (t0, t1, Counter(group->run ms), calls' threads' run-queue wait ms, {cpuN: busy ms by /proc/stat})
cur_t, cur = None, {}
ticks, lastticks = {}, {}
def flush(t):
    global cur_t
    if cur_t is not None and cur:
        g, w = collections.Counter(), 0.0
        for tid, (name, run, wait) in cur.items():
            if tid in last:
                g[group(name)] += (run - last[tid][0]) / 1e6
                if group(name) in ("carriers", "stock server's call threads"):
                    w += (wait - last[tid][1]) / 1e6
            last[tid] = (run, wait)
        cpus = {k: (v - lastticks[k]) * 10.0 for k, v in ticks.items() if k in lastticks}
        lastticks.update(ticks)
        if prev_t[0] is not None:
            win.append((prev_t[0], cur_t, g, w, cpus))
    prev_t[0] = cur_t
prev_t = [None]
for l in open(sched_f):
    if l.startswith("#"):
        continue
    p = l.split()
    t = int(p[0])
    if p[1] == "-":
        flush(t); cur_t, cur = t, {}
        ticks = {k: int(v) for k, v in (x.split(":") for x in p[3:])}
        continue
    cur[p[1]] = (p[2], int(p[3]), int(p[4]))
flush(None)
starts = [w[0] for w in win]

# --- safepoints from the GC log
DECO = re.compile(r'^\[(\d{4}-\d\d-\d\dT\d\d:\d\d:[\d.]+[+-]\d{4})\]')
SP = re.compile(r'Safepoint "([^"]+)".*Reaching safepoint: (\d+) ns.*At safepoint: (\d+) ns.*Total: (\d+) ns')
pauses = []
for l in open(gc_f, errors="replace"):
    m = SP.search(l)
    if m:
        end = datetime.datetime.strptime(DECO.match(l).group(1), "%Y-%m-%dT%H:%M:%S.%f%z").timestamp() * 1000
        tot = int(m.group(4)) / 1e6
        at = int(m.group(3)) / 1e6
        pauses.append((end - tot, end, m.group(1), at))
pauses.sort()

def overlap(a0, a1, b0, b1):
    return max(0.0, min(a1, b1) - max(a0, b0))

causes = collections.Counter()
sums = collections.Counter()
pause_kinds = collections.Counter()
bycmd = collections.defaultdict(collections.Counter)
for s, r, ms, c in cmds:
    comp = collections.Counter()
    # the log's decoration has ms resolution and the command's ends too: an overlap of a pause is good to ~1 ms
    for p0, p1, name, at in pauses[max(0, bisect.bisect_left(pauses, (s - 60000,))):]:
        if p0 > r:
            break
        o = overlap(s, r, p0, p1)
        if o > 0:
            comp["stop-the-world"] += o
            pause_kinds[name] += o
    i = max(0, bisect.bisect_right(starts, s) - 1)
    server, cpu0, cpu1, cwait = 0.0, 0.0, 0.0, 0.0
    while i < len(win) and win[i][0] < r:
        t0, t1, g, w, cpus = win[i]
        f = overlap(s, r, t0, t1) / max(1, t1 - t0)
        if f > 0:
            for k, v in g.items():
                comp[k] += v * f
                server += v * f
            cwait += w * f
            cpu0 += cpus.get("cpu0", 0) * f
            cpu1 += cpus.get("cpu1", 0) * f
        i += 1
    # in a pause only the GC threads and the VM thread run: their CPU up to the pause's length is the pause's
    stw = comp["stop-the-world"]
    gcvm = comp.get("GC threads", 0) + comp.get("VM Thread", 0)
    if stw:
        left = max(0.0, gcvm - stw)
        comp.pop("GC threads", None); comp.pop("VM Thread", None)
        if left:
            comp["GC threads / VM Thread outside pauses"] = left
    comp["other processes on CPU 1"] = max(0.0, cpu1 - server)
    busy1 = max(cpu1, server)
    comp["CPU 1 idle"] = max(0.0, ms - busy1)
    comp["(calls' threads' run-queue wait)"] = cwait
    comp["(CPU 0 busy: the load generator's)"] = cpu0
    for k, v in comp.items():
        sums[k] += v
    if stw >= 0.5 * ms:
        cause = "server's stop-the-world pause (over half the command's time)"
    elif busy1 >= 0.9 * ms:
        rest = {k: v for k, v in comp.items() if not k.startswith("(") and k not in ("stop-the-world", "CPU 1 idle")}
        top = max(rest, key=rest.get)
        cause = "server's CPU busy (>= 90%), most of it: " + top
    elif cpu0 >= 0.9 * ms:
        cause = "load generator's CPU busy (>= 90%), the server's not"
    else:
        cause = "neither CPU busy >= 90%, no pause over half"
    causes[cause] += 1
    bycmd[c][cause] += 1

n = len(cmds)
print(f"commands over {thr:g} ms: {n} (of {allslow} over 5 ms)")
print(f"stop-the-world pauses in the log: {len(pauses)}; over 5 ms: {sum(1 for p in pauses if p[1]-p[0] > 5)}")
print()
print(f"| what the command's own interval [sent, reply] had (first that applies) | commands over {thr:g} ms | share |")
print("|---|---:|---:|")
for k, v in causes.most_common():
    print(f"| {k} | {v} | {100*v/max(1,n):.1f}% |")
print()
tot = sum(ms for _, _, ms, _ in cmds)
print(f"| summed over the slow commands' intervals ({tot:.0f} ms) | ms | share |")
print("|---|---:|---:|")
for k, v in sums.most_common():
    if v >= 0.001 * tot:
        print(f"| {k} | {v:.0f} | {100*v/tot:.1f}% |")
print()
if pause_kinds:
    print("stop-the-world time inside slow commands, by VM operation: " + ", ".join(f"{k} {v:.0f} ms" for k, v in pause_kinds.most_common()))
print()
print("by command: " + "; ".join(f"{c} {sum(v.values())}" for c, v in sorted(bycmd.items(), key=lambda x: -sum(x[1].values()))))
print()
# the windows in which most slow commands were sent, with what the server's CPU did in them
sent = collections.Counter()
for s, r, ms, c in cmds:
    i = bisect.bisect_right(starts, s) - 1
    if 0 <= i < len(win):
        sent[i] += 1
print()
print("| window (UTC) | slow commands sent in it | server CPU ms in it, by group (over 2 ms) | calls' threads' run-queue wait ms | CPU 0 / CPU 1 busy ms | stop-the-world ms |")
print("|---|---:|---|---:|---:|---:|")
for i, k in sorted(sent.most_common(15)):
    t0, t1, g, w, cpus = win[i]
    stw = sum(overlap(t0, t1, p0, p1) for p0, p1, _, _ in pauses if p1 > t0 - 1000 and p0 < t1)
    ts = datetime.datetime.fromtimestamp(t0 / 1000, datetime.timezone.utc).strftime("%H:%M:%S.%f")[:-3]
    print(f"| {ts} +{t1-t0} ms | {k} | " + ", ".join(f"{a} {b:.0f}" for a, b in g.most_common() if b > 2) + f" | {w:.0f} | {cpus.get('cpu0',0):.0f} / {cpus.get('cpu1',0):.0f} | {stw:.0f} |")
