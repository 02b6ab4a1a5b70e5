#!/usr/bin/env python3
"""sched.py LOADGEN_PID OUT [INTERVAL_S]: every INTERVAL_S (default 0.05) from when the server (the load generator's
child java) exists until it exits, each of its threads' run time and run-queue wait time (/proc/PID/task/TID/schedstat,
nanoseconds, exact) with the thread's name, as "epoch_ms tid name run_ns wait_ns" lines, only for the threads whose
figures changed since the last sample (a line "epoch_ms - ALL" marks each sample). Run it pinned to the load
generator's CPU (taskset -c 0) so that it takes nothing from the server's. Each "ALL" line also carries each CPU's
busy ticks from /proc/stat (cpuN:ticks, USER_HZ; idle and iowait left out). A server with more than MAX_THREADS threads
(the stock server: one a call) is sampled as one line "whole-process" with its CPU ticks instead: reading thousands of
files every 50 ms took most of the load generator's CPU (t26's first stock run). Read with tail.py."""
import os, sys, time

lg, out = int(sys.argv[1]), sys.argv[2]
iv = float(sys.argv[3]) if len(sys.argv) > 3 else 0.05

def children(pid):
    out = []
    try:
        for t in os.listdir(f"/proc/{pid}/task"):  # each thread's own children: the one that started the server
            try:
                with open(f"/proc/{pid}/task/{t}/children") as f:
                    out += [int(x) for x in f.read().split()]
            except OSError:
                pass
    except OSError:
        pass
    return out

def find_server():
    for p in children(lg):
        try:
            if open(f"/proc/{p}/comm").read().strip() == "java":
                return p
        except OSError:
            pass
        for c in children(p):
            return c
    return None

MAX_THREADS = 400
srv = None
while srv is None:
    if not os.path.exists(f"/proc/{lg}"):
        sys.exit(0)
    time.sleep(0.5)
    srv = find_server()
last = {}
names = {}
with open(out, "w") as f:
    f.write(f"# server pid {srv}\n")
    nxt = time.time()
    while True:
        try:
            tids = os.listdir(f"/proc/{srv}/task")
        except OSError:
            break
        now = int(time.time() * 1000)
        with open("/proc/stat") as g:  # each CPU's busy ticks (USER_HZ): what else ran on the two CPUs
            busy = [l.split()[0] + ":" + str(sum(int(x) for i, x in enumerate(l.split()[1:]) if i not in (3, 4)))
                    for l in g if l.startswith("cpu") and l[3] != " "]
        lines = [f"{now} - ALL {' '.join(busy)}\n"]
        if len(tids) > MAX_THREADS:
            # thousands of threads (the stock server's, one a call): reading each one's file every 50 ms would take the
            # load generator's CPU; the whole process's ticks instead (/proc/PID/stat utime + stime, USER_HZ)
            try:
                with open(f"/proc/{srv}/stat") as g:
                    f14 = g.read().rsplit(")", 1)[1].split()
                run = (int(f14[11]) + int(f14[12])) * 10_000_000
            except OSError:
                break
            if last.get("process") != run:
                last["process"] = run
                lines.append(f"{now} 0 whole-process {run} 0\n")
            tids = []
        for t in tids:
            try:
                with open(f"/proc/{srv}/task/{t}/schedstat") as g:
                    run, wait, _ = g.read().split()
                if t not in names:
                    with open(f"/proc/{srv}/task/{t}/comm") as g:
                        names[t] = g.read().strip().replace(" ", "_")
            except OSError:
                continue
            v = (run, wait)
            if last.get(t) != v:
                last[t] = v
                lines.append(f"{now} {t} {names[t]} {run} {wait}\n")
        f.writelines(lines)
        nxt += iv
        d = nxt - time.time()
        if d > 0:
            time.sleep(d)
        else:
            nxt = time.time()
