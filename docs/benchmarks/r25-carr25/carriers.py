"""carriers.py F.txt [THREAD_REGEX] [N]: the CPU samples of the calls' own threads (virtual threads "call-N" and their
carriers "ForkJoinPool-N-worker-M"; another regex for others), by leaf frame (self) and by every frame on the stack
(inclusive, once per sample), top N each (carr25). F.txt: jfr print --events jdk.CPUTimeSample --stack-depth 96."""
import sys,re,collections
txt=open(sys.argv[1]).read()
tre=sys.argv[2] if len(sys.argv)>2 else r"^call-|ForkJoinPool-\d+-worker|^$"
top=int(sys.argv[3]) if len(sys.argv)>3 else 60
ev="jdk.CPUTimeSample" if "jdk.CPUTimeSample {" in txt else "jdk.ExecutionSample"
selfc=collections.Counter(); inc=collections.Counter(); n=tot=0; threads=collections.Counter()
for e in txt.split(ev+" {")[1:]:
    tot+=1
    th=re.search(r'(?:eventThread|sampledThread) = "([^"]*)"',e); th=th.group(1) if th else ""
    if not re.search(tre,th): continue
    threads[re.sub(r"\d+","N",th)]+=1
    fr=[re.sub(r"\(.*","",f.strip()) for f in re.findall(r"^\s{4}(\S.*?)$",e,re.M) if "(" in f]
    n+=1
    if fr: selfc[fr[0]]+=1
    for f in set(fr): inc[f]+=1
print(f"{n} of {tot} samples ({100*n/max(tot,1):.1f}%); threads: {dict(threads.most_common(5))}")
print("\n## self (leaf frame)")
for k,v in selfc.most_common(top): print(f"{v:6d} {100*v/n:5.1f}% {k}")
print("\n## inclusive (any frame)")
for k,v in inc.most_common(top*2): print(f"{v:6d} {100*v/n:5.1f}% {k}")
