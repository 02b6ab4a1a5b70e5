#!/usr/bin/env python3
"""jitwin.py SERVER_LOG JT_FILE [JFR_JSON]: the JIT by phase of a compare run (jit24). The server's log holds
-XX:+PrintCompilation lines (JVM uptime in ms) between logback lines (UTC wall clock): the uptime is put on the wall
clock by the logback lines, the phases come from the log (start, pre-rendering done, first call) and from jt.sh's window
(L2000.0..L2000.1). Prints compilations and made-not-entrant per 10 s with the phase, the tier-4 (C2) compilations in the
window by package group and the methods compiled most often there; with JFR_JSON (jfr print --json --events
jdk.Compilation,jdk.Deoptimization) the C2 compile time by package group in the window, and deoptimisations by reason."""
import collections, datetime, json, re, sys
comp = re.compile(r'^\s*(\d+)\s+(\d+)\s+([%sbn!* ]{0,7})\s*(\d)\s+(\S+)')
wall = re.compile(r'^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+)Z ')
def ts(s): return datetime.datetime.fromisoformat(s).replace(tzinfo=datetime.timezone.utc).timestamp()
def group(m):
    for p, g in (("dev.ivr.", "ivr"), ("marytts.", "MaryTTS"), ("org.h2.", "H2"), ("com.hazelcast.", "Hazelcast"),
                 ("io.vertx.", "Vert.x"), ("io.netty.", "Netty"), ("ch.qos.", "logback"), ("org.slf4j", "logback"),
                 ("com.fasterxml.", "Jackson"), ("org.asteriskjava.", "asterisk-java"),
                 ("java.", "JDK"), ("javax.", "JDK"), ("jdk.", "JDK"), ("sun.", "JDK"), ("com.sun.", "JDK")):
        if m.startswith(p): return g
    return "other (" + ".".join(m.split(".")[:2]) + ")"
log, jtf = sys.argv[1], sys.argv[2]
offs = []; last_up = None; marks = {}; comps = []; nent = []
for line in open(log, errors='replace'):
    m = comp.match(line)
    if m:
        last_up = int(m.group(1)) / 1000.0
        if 'made not entrant' in line: nent.append((last_up, m.group(5)))
        elif 'made zombie' not in line: comps.append((last_up, m.group(4), m.group(5)))
        continue
    w = wall.match(line)
    if not w: continue
    t = ts(w.group(1))
    if last_up is not None: offs.append(t - last_up)
    if 'starting ivr' in line: marks.setdefault('server starting', t)
    if ' started in ' in line: marks.setdefault('server started', t)
    if 'pre-rendering ' in line and 'static prompt' in line: marks.setdefault('pre-rendering starts', t)
    if 'pre-rendered ' in line: marks.setdefault('pre-rendering done', t)
    if ' runs ' in line and 'CallDispatcher' in line: marks.setdefault('first call (warm-up starts)', t)
off = min(offs)  # uptime 0 on the wall clock (a logback line comes after the PrintCompilation line before it)
day = datetime.datetime.fromtimestamp(marks['server starting'], datetime.timezone.utc).date().isoformat()
jt = {l.split()[0]: ts(day + "T" + l.split()[1][:15]) for l in open(jtf) if l.startswith("L2000")}
w0, w1 = jt["L2000.0"], jt["L2000.1"]
marks['window starts (jt L2000.0)'] = w0; marks['window ends (jt L2000.1)'] = w1
print("phases (s of JVM uptime):")
for k, v in sorted(marks.items(), key=lambda kv: kv[1]): print(f"  {v - off:7.1f}  {k}")
per = collections.defaultdict(collections.Counter); ne = collections.Counter()
for u, tier, _ in comps: per[int(u // 10) * 10][tier] += 1
for u, _ in nent: ne[int(u // 10) * 10] += 1
print("\nper 10 s of uptime: compilations by tier, made not entrant")
for t in sorted(set(per) | set(ne)):
    c = per[t]; ph = [k for k, v in marks.items() if t <= v - off < t + 10]
    print(f"  {t:4d}-{t+10:<4d} s  t1 {c['1']:4d} t2 {c['2']:4d} t3 {c['3']:5d} t4 {c['4']:5d}  not entrant {ne[t]:4d}  {'; '.join(ph)}")
lo, hi = w0 - off, w1 - off
win = [(u, t, m) for u, t, m in comps if lo <= u < hi]
c4 = [m for u, t, m in win if t == '4']
print(f"\nwindow {lo:.1f}-{hi:.1f} s ({hi-lo:.1f} s): {len(win)} compilations, {len(c4)} C2, "
      f"{sum(1 for u, _ in nent if lo <= u < hi)} made not entrant")
g = collections.Counter(group(m) for m in c4)
print("C2 compilations in the window by package:", ", ".join(f"{k} {v}" for k, v in g.most_common()))
print("C2 in the window, most often:")
for m, n in collections.Counter(c4).most_common(15): print(f"  {n:3d}  {m}")
allc4 = collections.Counter(m for u, t, m in comps if t == '4')
print("C2 in the window, methods compiled by C2 before too (recompilations):", sum(1 for m in set(c4) if allc4[m] > c4.count(m)), "of", len(set(c4)))
if len(sys.argv) > 3:
    d = json.load(open(sys.argv[3]))["recording"]["events"]
    ms = collections.Counter(); n = collections.Counter(); reasons = collections.Counter(); dm = collections.Counter()
    def et(e): return ts(e["values"]["startTime"][:26].rstrip("Z"))
    def dur(s):  # PT0.001234S
        return float(re.sub(r'[PTS]', '', s)) if s.endswith('S') and 'M' not in s else 0.0
    tot = 0.0
    for e in d:
        v = e["values"]; t = et(e)
        if not (w0 <= t < w1): continue
        if e["type"] == "jdk.Compilation" and v.get("compileLevel") == 4:
            meth = v["method"]; name = meth["type"]["name"].replace("/", ".")
            s = dur(v["duration"]); ms[group(name)] += s * 1000; n[group(name)] += 1; tot += s * 1000
        elif e["type"] == "jdk.Deoptimization":
            reasons[(v.get("reason"), v.get("action"))] += 1
            mm = v.get("method"); dm[group(mm["type"]["name"].replace("/", ".")) if mm else "?"] += 1
    print(f"\nJFR, window: C2 compile time (wall) {tot:.0f} ms by package:", ", ".join(f"{k} {v:.0f} ms ({n[k]})" for k, v in ms.most_common()))
    print("deoptimisations in the window by reason/action:", ", ".join(f"{k[0]}/{k[1]} {v}" for k, v in reasons.most_common(10)))
    print("deoptimised methods by package:", ", ".join(f"{k} {v}" for k, v in dm.most_common()))
