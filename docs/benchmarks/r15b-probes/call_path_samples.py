"""Issue 16, eleventh round: CPU-time samples of a plateau's JFR by what the calls' path costs.

Usage: JFR=$(./ivr java-home)/bin/jfr python3 call_path_samples.py FILE.jfr [FILE.jfr ...]
Counts jdk.CPUTimeSample events (all threads) whose stack or thread is: Hazelcast's partition threads (and of those,
the IVR-exit entry processor and the cluster values opened and sealed there), the outbox's force on the calls' own
threads (call-N), any fdatasync, the outbox's own force thread, checkpoints.
"""
import collections
import os
import re
import subprocess
import sys

jfr = os.environ.get("JFR", "jfr")
for path in sys.argv[1:]:
    text = subprocess.run([jfr, "print", "--events", "jdk.CPUTimeSample", "--stack-depth", "80", path],
                          capture_output=True, text=True, check=True).stdout
    events = text.split("jdk.CPUTimeSample {")[1:]
    count = collections.Counter()
    for e in events:
        m = re.search(r'eventThread = "([^"]*)"', e)
        thread = m.group(1) if m else "?"
        partition = "partition-operation" in thread
        call = thread.startswith("call-")
        count["partition threads"] += partition
        count["partition threads, IvrExits$Increment"] += partition and "IvrExits" in e
        count["partition threads, ClusterValueSerializer (open, seal)"] += partition and "ClusterValueSerializer" in e
        count["calls' threads, Outbox.forceUpTo"] += call and "Outbox.forceUpTo" in e
        count["calls' threads, any Outbox frame"] += call and "server.outbox.Outbox" in e
        count["force0 (fdatasync), any thread"] += "force0" in e
        count["the outbox's force thread (forceWritten)"] += "Outbox.forceWritten" in e
        count["HazelcastCheckpoints on the stack"] += "HazelcastCheckpoints" in e
    print(f"{path}: {len(events)} samples")
    for k, v in sorted(count.items()):
        print(f"  {k}: {v} ({100 * v / max(1, len(events)):.1f}%)")
