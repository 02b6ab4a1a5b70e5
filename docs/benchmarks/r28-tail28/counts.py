"""counts.py RUN_DIR LEVEL: the plateau's replies, and those over 1 and 2 ms, all and leaving out those whose interval
overlaps a safepoint over 10 ms (the G1 young pause that falls in some plateaus and not others)."""
import sys, re, datetime
run, level = sys.argv[1], sys.argv[2]
tl = f"{run}/tl/ivr-simple-{level}"
total = sum(int(l.split(",")[1]) for l in open(tl + "-timeline.csv") if l[0].isdigit())
DECO = re.compile(r"^\[(\d{4}-\d\d-\d\dT\d\d:\d\d:[\d.]+[+-]\d{4})\]")
SP = re.compile(r'Safepoint "([^"]+)".*Total: (\d+) ns')
pauses = []
for l in open(run + "/gc.log", errors="replace"):
    m = SP.search(l)
    if m and int(m.group(2)) > 10_000_000:
        end = datetime.datetime.strptime(DECO.match(l).group(1), "%Y-%m-%dT%H:%M:%S.%f%z").timestamp() * 1000
        pauses.append((end - int(m.group(2)) / 1e6, end))
rows = [tuple(map(float, l.split(",")[:3])) for l in open(tl + "-slow.csv") if l[0].isdigit()]
inp = lambda s, r: any(min(r, b) > max(s, a) for a, b in pauses)
for lim in (1, 2):
    a = [x for x in rows if x[2] > lim]
    b = [x for x in a if not inp(x[1], x[0])]
    print(f"{run}: {total} replies; over {lim} ms: {len(a)} ({100 * len(a) / total:.2f}%), "
          f"{len(b)} ({100 * len(b) / total:.2f}%) without those in a pause")
