"""gcnear.py RUN_DIR... (cs30): the whole plateau's replies over 5 ms against Shenandoah's concurrent phases.

From the GC log (-Xlog:gc*...:time,...): every concurrent phase ("[gc,start] GC(n) Concurrent X" to "[gc] GC(n)
Concurrent X <ms>") and pause; from tl/*-slow.csv the replies over 5 ms in the plateau (the timeline's seconds). Each
slow reply: 'GC concurrent' when a concurrent phase overlaps at least 30% of its interval, else 'pause' when a pause
does, else 'just after' when one ended within AFTER_MS (250) before it was sent (the backlog a phase leaves),
else 'new call' when it is a call's first command (SET VARIABLE __IVR_CALL_ID), else 'other'. Also the share of
the plateau's time with a concurrent phase running, and the replies over 5 ms per second in and out of them."""
import sys, re, glob, os, csv, datetime, collections

DECO = re.compile(r"^\[(\d{4}-\d\d-\d\dT\d\d:\d\d:[\d.]+[+-]\d{4})\]")
ST = re.compile(r"\[gc,start\s*\] GC\((\d+)\) ((?:Concurrent|Coalescing) [^(\d]+?(?: \(\w+\))?)$")
EN = re.compile(r"\[gc\s*\] GC\((\d+)\) ((?:Concurrent|Coalescing) [^(\d]+?(?: \(\w+\))?)(?: [\dM>()-]+)? ([\d.]+)ms$")
PZ = re.compile(r"\[gc\s*\] GC\((\d+)\) (Pause [^\d]+?) (?:[\dM>()-]+ )?([\d.]+)ms$")


def ts(l):
    return datetime.datetime.strptime(DECO.match(l).group(1), "%Y-%m-%dT%H:%M:%S.%f%z").timestamp() * 1000


def ov(a0, a1, b0, b1):
    return max(0.0, min(a1, b1) - max(a0, b0))


AFTER = float(os.environ.get("AFTER_MS", "250"))
for run in sys.argv[1:]:
    conc, pauses, open_ = [], [], {}
    for l in open(os.path.join(run, "gc.log"), errors="replace"):
        l = l.rstrip("\n")
        m = ST.search(l)
        if m:
            open_[(m.group(1), m.group(2).strip())] = ts(l)
            continue
        m = EN.search(l)
        if m and (m.group(1), m.group(2).strip()) in open_:
            conc.append((open_.pop((m.group(1), m.group(2).strip())), ts(l), m.group(2).strip()))
            continue
        m = PZ.search(l)
        if m:
            e = ts(l)
            pauses.append((e - float(m.group(3)), e, m.group(2)))
    tl = glob.glob(os.path.join(run, "tl", "*-timeline.csv"))[0]
    rows = list(csv.DictReader(open(tl)))
    day = datetime.datetime.fromtimestamp(os.path.getmtime(tl), datetime.timezone.utc).strftime("%Y-%m-%d")
    t0 = datetime.datetime.fromisoformat(f"{day}T{rows[0]['second_utc']}+00:00").timestamp() * 1000
    t1 = datetime.datetime.fromisoformat(f"{day}T{rows[-1]['second_utc']}+00:00").timestamp() * 1000 + 1000
    cin = sorted((max(a, t0), min(b, t1), n) for a, b, n in conc if b > t0 and a < t1)
    conc_ms = sum(b - a for a, b, _ in cin)
    k = collections.Counter()
    for l in open(glob.glob(os.path.join(run, "tl", "*-slow.csv"))[0]):
        if not l[0].isdigit():
            continue
        r, s, ms, c = l.rstrip("\n").split(",", 3)
        r, s, ms = float(r), float(s), float(ms)
        if ms <= 5 or not (t0 <= r < t1):
            continue
        d = r - s
        if sum(ov(s, r, a, b) for a, b, _ in cin) >= 0.3 * d:
            k["GC concurrent phase"] += 1
        elif any(ov(s - AFTER, r, a, b) > 0 for a, b, _ in cin):
            k[f"just after a GC phase (< {AFTER:.0f} ms)"] += 1
        elif sum(ov(s, r, a, b) for a, b, _ in pauses) >= 0.3 * d:
            k["GC pause"] += 1
        elif "__IVR_CALL_ID" in c:
            k["a new call's first command"] += 1
        else:
            k["other"] += 1
    n = sum(k.values())
    W = t1 - t0
    inside = k["GC concurrent phase"]
    print(f"{os.path.basename(run.rstrip('/'))}: plateau {W / 1000:.0f} s, concurrent phases {conc_ms / 1000:.1f} s "
          f"({100 * conc_ms / W:.1f}%), {len(set(n for n in cin))} phases; replies over 5 ms {n}: "
          + ", ".join(f"{a} {b} ({100 * b / max(n, 1):.0f}%)" for a, b in k.most_common())
          + f"; per second inside the phases {inside / max(conc_ms / 1000, 0.001):.0f}, outside "
          f"{(n - inside) / max((W - conc_ms) / 1000, 0.001):.0f}")
