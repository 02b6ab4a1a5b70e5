"""bursts.py RUN_DIR|TIMELINE_CSV... (cs30): how uneven a customer-service plateau's load was and where its replies over 5 ms fell.

Per run (r30-cs30/run.sh's directory, or any compare run with --timeline): from tl/*-timeline.csv (replies per
second) the mean, the coefficient of variation and the busiest second's replies; the share of the replies over 5 ms
that fell in the busy seconds (replies >= 1.5x the plateau's mean) and the share of the plateau's seconds those are;
from tl/*-slow.csv (replies over --slow-ms, with the command) the slow replies by command, and per 100 ms of the
second (a synchronized timer would pile them on a few tenths)."""
import sys, csv, glob, os, collections, statistics

for run in sys.argv[1:]:
    tl = run if run.endswith(".csv") else glob.glob(os.path.join(run, "tl", "*-timeline.csv"))[0]
    rows = list(csv.DictReader(open(tl)))
    rep = [int(r["replies"]) for r in rows]
    o5 = [int(r["over_5ms"]) for r in rows]
    mean = statistics.mean(rep)
    cv = statistics.pstdev(rep) / mean
    busy = [i for i, v in enumerate(rep) if v >= 1.5 * mean]
    tot5 = sum(o5)
    in_busy = sum(o5[i] for i in busy)
    top = sorted(range(len(rep)), key=lambda i: -o5[i])[:5]
    print(f"{os.path.basename(run.rstrip('/'))}: {len(rep)} s, replies/s mean {mean:.0f}, CV {cv:.2f}, max {max(rep)} "
          f"({max(rep) / mean:.1f}x), min {min(rep)}; over 5 ms: {tot5}, of them in the {len(busy)} seconds with >= 1.5x "
          f"the mean replies ({100 * len(busy) / len(rep):.0f}% of the seconds): {in_busy} ({100 * in_busy / max(tot5, 1):.0f}%)")
    print("  the five seconds with the most replies over 5 ms: " + ", ".join(
        f"{rows[i]['second_utc']} {o5[i]} of {rep[i]} (max {rows[i]['max_ms']} ms)" for i in top))
    # replies over 5 ms by the second's load (replies a second), in bands
    bands = collections.Counter()
    bsec = collections.Counter()
    for v, s in zip(rep, o5):
        b = min(v // 1000, 5)
        bands[b] += s
        bsec[b] += 1
    print("  by the second's replies: " + ", ".join(
        f"{b * 1000}-{'' if b == 5 else (b + 1) * 1000}/s: {bsec[b]} s, {bands[b]} over 5 ms ({bands[b] / bsec[b]:.0f}/s)"
        for b in sorted(bsec)))
    sl = [] if run.endswith(".csv") else glob.glob(os.path.join(run, "tl", "*-slow.csv"))
    if not sl:
        continue
    first, last = rows[0]["second_utc"], rows[-1]["second_utc"]
    bycmd = collections.Counter()
    tenth = collections.Counter()
    n = 0
    import datetime
    for l in open(sl[0]):
        if not l[0].isdigit():
            continue
        r, s, ms, c = l.rstrip("\n").split(",", 3)
        if float(ms) <= 5:
            continue
        t = datetime.datetime.fromtimestamp(float(r) / 1000, datetime.timezone.utc)
        if not (first <= t.strftime("%H:%M:%S") <= last):
            continue
        n += 1
        bycmd[c.split(" ")[0] + " " + (c.split(" ")[1] if len(c.split(" ")) > 1 else "")] += 1
        tenth[t.microsecond // 100000] += 1
    print(f"  replies over 5 ms in the plateau (slow.csv): {n}; by command: " + ", ".join(f"{k} {v}" for k, v in bycmd.most_common(8)))
    print("  by tenth of the second (reply): " + " ".join(f"{tenth[i]}" for i in range(10)))
