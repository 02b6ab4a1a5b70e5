"""The sizes of the promoted StackChunks in a JFR recording with promo.jfc or promo-alloc.jfc (the samples of
jdk.PromoteObjectInNewPLAB / OutsidePLAB: one per promotion buffer opened).

    jfr print --json --events jdk.PromoteObjectInNewPLAB,jdk.PromoteObjectOutsidePLAB REC.jfr > promo.json
    python3 chunksizes.py promo.json
"""
import json
import statistics
import sys

ev = json.load(open(sys.argv[1]))['recording']['events']
s = sorted(e['values']['objectSize'] for e in ev
           if (e['values'].get('objectClass') or {}).get('name', '').replace('/', '.') == 'jdk.internal.vm.StackChunk')
allb = sum(e['values']['objectSize'] for e in ev)
print(f"{len(ev)} promotion samples, {len(s)} of StackChunk ({100 * sum(s) / allb:.1f}% of the sampled bytes); "
      f"StackChunk size p10 {s[len(s) // 10]}, median {statistics.median(s):.0f}, mean {statistics.mean(s):.0f}, "
      f"p90 {s[9 * len(s) // 10]} bytes")
