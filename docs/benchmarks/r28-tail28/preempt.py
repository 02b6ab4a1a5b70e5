"""preempt.py RUN_DIR...: when a carrier (ForkJoinPool-1-worker) of the server is woken on CPU 1 while a background
writer (journal-outbox, crm-writer, crm-outbox) is running there, how long until the carrier runs (perf.txt): with
SCHED_IDLE writers the kernel preempts at once, with nice 0 or 10 the writer keeps the CPU for its slice or to the tick."""
import re, sys
EV = re.compile(r"^\s*(\d+)/(\d+)\s+\[(\d+)\]\s+([\d.]+):\s+sched:sched_(switch|wakeup):\s+(.*)$")
W = ("journal-outbox", "crm-writer", "crm-outbox")
for run in sys.argv[1:]:
    cur = None
    pending = {}
    d = []
    for l in open(run + "/perf.txt"):
        m = EV.match(l)
        if not m or m.group(3) != "001":
            continue
        t = float(m.group(4)) * 1000
        rest = m.group(6)
        if m.group(5) == "wakeup":
            mm = re.search(r"comm=(.*) pid=(\d+)", rest)
            if mm.group(1).startswith("ForkJoinPool-1") and cur and cur.startswith(W):
                pending.setdefault(mm.group(2), t)
            continue
        mm = re.search(r"next_comm=(.*) next_pid=(\d+)", rest)
        cur = mm.group(1)
        if mm.group(2) in pending:
            d.append(t - pending.pop(mm.group(2)))
    d.sort()
    q = lambda p: d[min(len(d) - 1, int(p * len(d)))]
    if d:
        print(f"{run}: {len(d)} carrier wake-ups during a writer's run; until the carrier ran: p50 {q(0.5):.3f} ms, "
              f"p90 {q(0.9):.3f}, p99 {q(0.99):.3f}, max {d[-1]:.3f}; over 0.1 ms: {100 * sum(x > 0.1 for x in d) / len(d):.0f}%")
