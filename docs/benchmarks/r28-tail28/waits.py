"""waits.py RUN_DIR [N=3] [MIN_MS=2] [SKIP=0]: the first N times a carrier (ForkJoinPool-1-worker) of the server waited
over MIN_MS between its wake-up and running on CPU 1, with every scheduler event on CPU 1 meanwhile (perf.txt of
run.sh/perfdump.sh; times in ms from the wake-up; pN: the kernel's priority, 120 + the nice value)."""
import re, sys
run = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 3
lim = float(sys.argv[3]) / 1000 if len(sys.argv) > 3 else 0.002
skip = int(sys.argv[4]) if len(sys.argv) > 4 else 0
EV = re.compile(r"^\s*(\d+)/(\d+)\s+\[(\d+)\]\s+([\d.]+):\s+sched:sched_(switch|wakeup):\s+(.*)$")
ev = []
for l in open(run + "/perf.txt"):
    m = EV.match(l)
    if m and m.group(3) == "001":
        ev.append((float(m.group(4)), m.group(5), m.group(6)))
woken = {}
found = 0
for i, (t, k, rest) in enumerate(ev):
    if k == "wakeup":
        mm = re.search(r"comm=(.*) pid=(\d+)", rest)
        if mm.group(1).startswith("ForkJoinPool-1"):
            woken.setdefault(mm.group(2), (t, i))
        continue
    mm = re.search(r"next_comm=(.*) next_pid=(\d+)", rest)
    p = mm.group(2)
    if p in woken:
        t0, i0 = woken.pop(p)
        if t - t0 > lim:
            found += 1
            if found <= skip:
                continue
            print(f"--- carrier {p} runnable {(t - t0) * 1000:.2f} ms before it ran")
            for tt, kk, rr in ev[max(0, i0 - 3):i + 1]:
                rr = re.sub(r"prev_prio=(\d+) ", r"p\1 ", rr)
                rr = re.sub(r"next_prio=(\d+)", r"p\1", rr)
                print(f"  {(tt - t0) * 1000:8.3f} {kk:6s} {rr[:160]}")
            if found >= skip + n:
                break
