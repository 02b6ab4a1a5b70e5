#!/usr/bin/env python3
"""wakes.py RUN_DIR: from r30-cs30/run.sh's scheduler trace (perf.data, 20 s of the plateau, both CPUs), per thread
name (the JVM's thread names, digits folded to #): how often it was woken (sched_wakeup) and switched in on the
server's CPU 1 (sched_switch next_comm), a second. The server's threads are those of its java process (the pid the
loadgen's work directory names)."""
import collections, re, subprocess, sys
run = sys.argv[1]
out = subprocess.run(["perf", "script", "-i", f"{run}/perf.data", "-F", "pid,tid,cpu,time,event,trace", "--ns"],
                     capture_output=True, text=True).stdout
wakes, ins = collections.Counter(), collections.Counter()
t0 = t1 = None
fold = lambda c: re.sub(r"\d+", "#", c.strip())
for line in out.splitlines():
    m = re.match(r"\s*(\d+)/(\d+)\s+\[(\d+)\]\s+([\d.]+):\s+sched:(\w+):\s+(.*)", line)
    if not m:
        continue
    cpu, t, ev, tr = int(m.group(3)), float(m.group(4)), m.group(5), m.group(6)
    t0 = t if t0 is None else t0
    t1 = t
    if ev == "sched_wakeup":
        c = re.match(r"comm=(.*?) pid=\d+ prio=\d+ target_cpu=(\d+)", tr)
        if c and int(c.group(2)) == 1:
            wakes[fold(c.group(1))] += 1
    elif ev == "sched_switch" and cpu == 1:
        c = re.search(r"next_comm=(.*?) next_pid=", tr)
        if c:
            ins[fold(c.group(1))] += 1
span = (t1 - t0) if t0 is not None else 1
print(f"{run}: {span:.1f} s of trace; a second on CPU 1: wake-ups (sched_wakeup target_cpu 1), switch-ins")
names = sorted(set(wakes) | set(ins), key=lambda n: -(wakes[n] + ins[n]))
print(f"{'all':32s} {sum(wakes.values()) / span:8.0f} {sum(ins.values()) / span:8.0f}")
for n in names[:25]:
    print(f"{n[:32]:32s} {wakes[n] / span:8.0f} {ins[n] / span:8.0f}")
