"""stints.py RUN_DIR [MIN_MS=2]: on CPU 1 (the server's) in the scheduler trace (perf.txt of perfdump.sh), how long each
thread ran once switched in (a stint), by thread name (comm, cut to 15 characters): the stints, their CPU time, and
those of MIN_MS or longer (in which a call's thread woken meanwhile waits, the CPU being one) (cs30)."""
import sys, re, collections

run = sys.argv[1]
lim = float(sys.argv[2]) if len(sys.argv) > 2 else 2.0
SW = re.compile(r"^\s*(\d+)/(\d+)\s+\[(\d+)\]\s+([\d.]+):\s+sched:sched_switch:\s+prev_comm=(.*) prev_pid=(\d+) "
                r"prev_prio=\d+ prev_state=\S+ ==> next_comm=(.*) next_pid=(\d+) next_prio")
start = None
n, tot, big, bigt, mx = (collections.Counter() for _ in range(5))
first = last = None
for l in open(run + "/perf.txt", errors="replace"):
    m = SW.match(l)
    if not m or int(m.group(3)) != 1:
        continue
    t = float(m.group(4)) * 1000
    first = first if first is not None else t
    last = t
    if start is not None:
        c = re.sub(r"[-#]?\d+$", "", m.group(5)).rstrip("-")
        d = t - start
        n[c] += 1
        tot[c] += d
        mx[c] = max(mx[c], d)
        if d >= lim:
            big[c] += 1
            bigt[c] += d
    start = t
W = (last - first) / 1000
print(f"{run}: {W:.1f} s of CPU 1; stints of {lim:g} ms or more by thread name (the rest below 0.5% of the CPU and none that long are left out)")
print(f"| thread (comm) | stints/s | CPU % | stints >= {lim:g} ms per s | their CPU % | longest ms |")
print("|---|---:|---:|---:|---:|---:|")
for c in sorted(tot, key=lambda c: -bigt[c] - tot[c] / 1000):
    if c.startswith("swapper") or (tot[c] / W / 10 < 0.5 and big[c] == 0):
        continue
    print(f"| {c} | {n[c] / W:.0f} | {tot[c] / W / 10:.1f} | {big[c] / W:.1f} | {bigt[c] / W / 10:.2f} | {mx[c]:.1f} |")
