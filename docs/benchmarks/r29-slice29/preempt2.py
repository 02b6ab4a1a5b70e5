"""preempt2.py RUN_DIR...: tail28's preempt.py for more than the writers: each time a carrier (ForkJoinPool-1-worker)
of the server is woken on CPU 1 while a thread of one of these groups runs there, how long until the carrier ran
(perf.txt from perfdump.sh): the background writers (journal-outbox, crm-writer, crm-outbox), the JIT's C2 and C1
compiler threads. Under SCHED_IDLE, or with a slice longer than the carrier's (PREEMPT_SHORT), the kernel preempts at
once (~0.07 ms at p99); otherwise the running thread keeps the CPU for its slice or to the next tick (2-5 ms)."""
import re, sys
EV = re.compile(r"^\s*(\d+)/(\d+)\s+\[(\d+)\]\s+([\d.]+):\s+sched:sched_(switch|wakeup):\s+(.*)$")
GROUPS = {"writers": ("journal-outbox", "crm-writer", "crm-outbox"), "C2": ("C2 CompilerThre",),
          "C1": ("C1 CompilerThre",)}
def group(comm):
    for g, names in GROUPS.items():
        if comm and comm.startswith(names):
            return g
    return None
for run in sys.argv[1:]:
    cur = None
    pending = {}
    d = {g: [] for g in GROUPS}
    for l in open(run + "/perf.txt"):
        m = EV.match(l)
        if not m or m.group(3) != "001":
            continue
        t = float(m.group(4)) * 1000
        rest = m.group(6)
        if m.group(5) == "wakeup":
            mm = re.search(r"comm=(.*) pid=(\d+)", rest)
            g = group(cur)
            if mm.group(1).startswith("ForkJoinPool-1") and g:
                pending.setdefault(mm.group(2), (t, g))
            continue
        mm = re.search(r"next_comm=(.*) next_pid=(\d+)", rest)
        cur = mm.group(1)
        if mm.group(2) in pending:
            t0, g = pending.pop(mm.group(2))
            d[g].append(t - t0)
    for g, x in d.items():
        x.sort()
        q = lambda p: x[min(len(x) - 1, int(p * len(x)))]
        if x:
            print(f"{run} {g}: {len(x)} carrier wake-ups during its run; until the carrier ran: p50 {q(0.5):.3f} ms, "
                  f"p90 {q(0.9):.3f}, p99 {q(0.99):.3f}, max {x[-1]:.3f}; over 0.1 ms: {100 * sum(v > 0.1 for v in x) / len(x):.0f}%")
        else:
            print(f"{run} {g}: none")
