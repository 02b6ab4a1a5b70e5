"""The waiting callers' parked stacks in a JSON thread dump (jcmd PID Thread.dump_to_file -format=json FILE).

    python3 stacks.py FILE.threads.json

Prints: the call threads' depths; where they are parked (the frame under the JDK's, the top-most of ours); for the
callers in a queue wait, the frames between the wait's own frame that returns per command (the lowest
dev.ivr.server.routing.QueueWait frame) and the park: how many, and the most common sequences of them.
"""
import collections
import json
import re
import sys

d = json.load(open(sys.argv[1]))['threadDump']
threads = [t for c in d['threadContainers'] for t in c.get('threads', [])]
calls = [t for t in threads if re.fullmatch(r'call-\d+', t.get('name', ''))]
print(f"threads {len(threads)}, call threads {len(calls)}")

def method(frame):
    f = frame.split('/', 1)[-1] if '/' in frame.split('(')[0] else frame
    return f.split('(')[0]

depths = collections.Counter(len(t['stack']) for t in calls)
print("depths", sorted(depths.items()))
ours = collections.Counter()
below = collections.Counter()
seqs = collections.Counter()
in_wait = 0
for t in calls:
    st = [method(f) for f in t['stack']]
    top = next((m for m in st if m.startswith('dev.ivr') or m.startswith('org.asteriskjava')), '?')
    ours[top] += 1
    idx = [i for i, m in enumerate(st) if m.startswith('dev.ivr.server.routing.QueueWait.')]
    if idx:
        in_wait += 1
        low = idx[0]  # the stack is listed top (the park) first
        below[low] += 1
        seqs[tuple(st[:low + 1])] += 1
print(f"in a queue wait: {in_wait}")
print("parked in (our top-most frame):")
for m, n in ours.most_common(10):
    print(f"  {n:6d}  {m}")
print("frames from the park up to and with the lowest QueueWait frame:", sorted(below.items()))
for s, n in seqs.most_common(4):
    print(f"--- {n} threads, {len(s)} frames (park first):")
    for m in s:
        print("   ", m)
