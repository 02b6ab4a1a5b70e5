"""Promoted objects by class from a JFR recording with jdk.PromoteObjectInNewPLAB enabled (promo.jfc).

    jfr print --json --events jdk.PromoteObjectInNewPLAB REC.jfr > promo.json
    python3 promotions.py promo.json

The event is written for the object that opens a new promotion buffer (PLAB), so it is a sample: the share of
events is the share of buffers a class opened; the sampled objects' sizes weight it by bytes.
"""
import collections
import json
import sys

events = json.load(open(sys.argv[1]))['recording']['events']
count, size, ages = collections.Counter(), collections.Counter(), collections.defaultdict(collections.Counter)
for e in events:
    v = e['values']
    cls = v['objectClass']['name'] if v.get('objectClass') else '?'
    count[cls] += 1
    size[cls] += v['objectSize']
    ages[cls][v['tenuringAge']] += 1
total_n, total_b = sum(count.values()), sum(size.values())
print(f"{total_n} samples in {len({e['values']['gcId'] for e in events})} collections")
print("samples  share  sampled bytes  share  class  (tenuring ages)")
for cls, n in count.most_common(25):
    print(f"{n:7d} {100 * n / total_n:5.1f}% {size[cls]:13d} {100 * size[cls] / total_b:5.1f}%  {cls}  {dict(ages[cls])}")
