#!/usr/bin/env python3
"""jfrstacks.py REC.jfr [FROM TO] (from the repository's root): where a server's CPU samples (jdk.ExecutionSample) and sampled allocations
(jdk.ObjectAllocationSample, by weight) go, from `jfr print --stack-depth 64`; FROM/TO (HH:MM:SS, the recording's
local times as jfr prints them) restrict it to a window such as the plateau.

Prints: samples in all; the share of samples (and of allocated bytes) whose stack holds each of the marks below (a
sample counts once per mark, marks overlap); the 25 commonest top frames; for the routing marks, their 15 commonest
top frames.
"""
import collections
import os
import re
import subprocess
import sys

MARKS = [
    ("the queue loop (QueueWait)", "dev.ivr.server.routing.QueueWait."),
    ("  QueueWait.loop's awaitAgent", "dev.ivr.routing.hazelcast.Calls.awaitAgent"),
    ("  position (QueueFigures.positionOf)", "dev.ivr.routing.hazelcast.QueueFigures.positionOf"),
    ("    the order snapshot, main's (LocalView$QueueOrder.of)", "LocalView$QueueOrder.of"),
    ("    the queue line (QueueLine)", "dev.ivr.routing.hazelcast.QueueLine."),
    ("  whenNotWaiting", "dev.ivr.routing.hazelcast.Calls.whenNotWaiting"),
    ("  anyAgentCouldServe", "anyAgentCouldServe"),
    ("  music on/off (musicOnHold)", "musicOnHold"),
    ("  the watch's timer (completeOnTimeout / schedule)", "arrangeTimeout"),
    ("  the watch's timer set on the routing thread (Calls.timeOut)", "dev.ivr.routing.hazelcast.Calls.timeOut"),
    ("  a watch cancelled (CompletableFuture.cancel)", "java.util.concurrent.CompletableFuture.cancel"),
    ("the common pool's delay scheduler (DelayScheduler)", "java.util.concurrent.DelayScheduler."),
    ("the routing (dev.ivr.routing)", "dev.ivr.routing."),
    ("Hazelcast (com.hazelcast)", "com.hazelcast."),
    ("the flow engine (dev.ivr.server.flow)", "dev.ivr.server.flow."),
    ("the AGI path (dev.ivr.server.agi)", "dev.ivr.server.agi."),
    ("the journal (dev.ivr.server.journal)", "dev.ivr.server.journal."),
    ("logging (ch.qos.logback / org.slf4j)", "ch.qos.logback."),
]


def events(path, kind):
    home = subprocess.run(["./ivr", "java-home"], capture_output=True, text=True, check=True).stdout.strip()
    jfr = os.path.join(home, "bin", "jfr")  # run from the repository's root
    out = subprocess.run([jfr, "print", "--stack-depth", "64", "--events", kind, path],
                         capture_output=True, text=True, check=True).stdout
    for block in re.split(r"\n(?=jdk\.\w+ \{)", out):
        if not block.strip():
            continue
        m = re.search(r"startTime = (\d\d:\d\d:\d\d)", block)
        t = m.group(1) if m else None
        frames = re.findall(r"^\s+([\w$.<>/]+)\(", block.split("stackTrace = [", 1)[-1], re.M) if "stackTrace = [" in block else []
        w = re.search(r"weight = ([\d.]+) (bytes|kB|MB|GB)", block)
        weight = 1.0
        if w:
            weight = float(w.group(1)) * {"bytes": 1, "kB": 1e3, "MB": 1e6, "GB": 1e9}[w.group(2)]
        yield t, frames, weight


def report(path, kind, lo, hi, label):
    total = 0.0
    n = 0
    by_mark = collections.Counter()
    top = collections.Counter()
    top_in = collections.defaultdict(collections.Counter)
    for t, frames, weight in events(path, kind):
        if lo and t and not (lo <= t <= hi):
            continue
        if not frames:
            continue
        n += 1
        total += weight
        top[frames[0]] += weight
        stack = "\n".join(frames)
        for name, mark in MARKS:
            if mark in stack:
                by_mark[name] += weight
                if mark.startswith("dev.ivr.routing.") or mark.startswith("dev.ivr.server.routing"):
                    top_in[name][frames[0]] += weight
    print(f"== {label}: {kind}, {n} events" + (f" from {lo} to {hi}" if lo else "") +
          (f", {total / 1e6:.1f} MB sampled weight" if kind.endswith("AllocationSample") else ""))
    for name, _ in MARKS:
        print(f"  {by_mark[name] / total * 100 if total else 0:5.1f}%  {name}")
    print("  commonest top frames:")
    for f, c in top.most_common(25):
        print(f"  {c / total * 100:5.1f}%  {f}")
    for name in ("the routing (dev.ivr.routing)", "the queue loop (QueueWait)"):
        print(f"  top frames under {name}:")
        for f, c in top_in[name].most_common(15):
            print(f"  {c / total * 100:5.1f}%  {f}")


def main():
    path = sys.argv[1]
    lo, hi = (sys.argv[2], sys.argv[3]) if len(sys.argv) > 3 else (None, None)
    report(path, "jdk.ExecutionSample", lo, hi, "CPU samples")
    report(path, "jdk.ObjectAllocationSample", lo, hi, "allocation samples (by weight)")


if __name__ == "__main__":
    main()
