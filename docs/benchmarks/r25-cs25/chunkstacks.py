"""Where the StackChunks are allocated (the frozen stacks), from JFR's allocation samples with stack traces.

    jfr print --json --stack-depth 96 --events jdk.ObjectAllocationSample REC.jfr > alloc.json
    python3 chunkstacks.py alloc.json

A StackChunk is allocated when a virtual thread's freeze finds no chunk to write into (after a young collection:
the thread's chunk is no longer young, or in the collector's mode), so its sampled stack is the stack being frozen.
Prints the share of StackChunk samples (and of their weights, the bytes allocated since the thread's previous sample)
by the frame of ours nearest the park, and for the commonest stacks the frames with their kind (Interpreted, JIT
compiled, Inlined): the physical frames are the ones not inlined.
"""
import collections
import json
import sys

events = json.load(open(sys.argv[1]))['recording']['events']
allw = collections.Counter()
chunks = [e for e in events if (e['values'].get('objectClass') or {}).get('name', '').replace('/', '.') == 'jdk.internal.vm.StackChunk']
for e in events:
    allw[(e['values'].get('objectClass') or {}).get('name', '?').replace('/', '.')] += e['values']['weight']
tot = sum(allw.values())
print(f"{len(events)} allocation samples, {len(chunks)} of StackChunk; StackChunk {100 * allw['jdk.internal.vm.StackChunk'] / tot:.1f}% of the sampled weight")
print("by weight:", ", ".join(f"{c} {100 * w / tot:.1f}%" for c, w in allw.most_common(8)))

def frames(e):
    st = e['values'].get('stackTrace') or {}
    return [(f['method']['type']['name'].replace('/', '.') + '.' + f['method']['name'], f.get('type', '?')) for f in st.get('frames', [])]

def ours(fs):
    return next((m for m, _ in fs if m.startswith('dev.ivr') or m.startswith('org.asteriskjava')), '?')

by = collections.Counter(ours(frames(e)) for e in chunks)
print("StackChunk samples by our frame nearest the park:")
for m, n in by.most_common(12):
    print(f"  {n:6d} {100 * n / max(1, len(chunks)):5.1f}%  {m}")
seqs = collections.Counter()
for e in chunks:
    fs = frames(e)
    wait = [i for i, (m, _) in enumerate(fs) if m.startswith('dev.ivr.server.routing.QueueWait.')]
    cut = wait[0] + 1 if wait else min(len(fs), 30)
    seqs[tuple(fs[:cut])] += 1
for s, n in seqs.most_common(3):
    phys = sum(1 for _, k in s if k != 'Inlined')
    print(f"--- {n} samples; {len(s)} frames to the lowest QueueWait frame, {phys} not inlined:")
    for m, k in s:
        print(f"    {k:13s} {m}")
