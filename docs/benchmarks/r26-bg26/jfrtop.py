"""jfrtop.py PRINTED [N] [FROM]: `jfr print --events jdk.CPUTimeSample --stack-depth 64 X.jfr` read back: samples by thread,
and for each of the N (default 12) busiest threads the methods found most often in its stacks (inclusive), to say what
each thread does. Only samples at FROM (HH:MM:SS, the recording's clock) or later. Thread names with digits folded (hz.NAME.cached.thread-3 -> hz.*.cached.thread-#)."""
import sys,re,collections
text=open(sys.argv[1]).read(); n=int(sys.argv[2]) if len(sys.argv)>2 else 12; since=sys.argv[3] if len(sys.argv)>3 else ""
by=collections.Counter(); inc=collections.defaultdict(collections.Counter); leaf=collections.defaultdict(collections.Counter)
for ev in text.split("jdk.CPUTimeSample")[1:]:
    at=re.search(r"startTime = ([\d:]+)",ev)
    if at and at.group(1)<since: continue
    m=re.search(r'(?:sampledThread|eventThread) = "(.*?)"',ev)
    t=re.sub(r"\d+","#",re.sub(r"^hz\.[^.]+\.","hz.*.",m.group(1))) if m else "?"
    frames=re.findall(r"^\s+([\w$.<>/]+)\(",ev,re.M)
    by[t]+=1
    for f in set(frames): inc[t][f]+=1
    if frames: leaf[t][frames[0]]+=1
total=sum(by.values()); print(f"{total} samples")
for t,c in by.most_common(n):
    print(f"\n{c:5d} {100*c/total:5.1f}%  {t}")
    print("   leaf: "+"; ".join(f"{f} {k}" for f,k in leaf[t].most_common(4)))
    shown=0
    for f,k in inc[t].most_common(60):
        if re.match(r"(java\.|jdk\.|sun\.)",f) and k<c: continue
        print(f"   {k:5d} {f}"); shown+=1
        if shown>=10: break
