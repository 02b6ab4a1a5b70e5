"""buckets.py F.txt: the calls' own threads' CPU samples (virtual threads call-N and their carriers) in buckets of
the call's work, each sample to the first bucket one of its frames matches (carr25).
F.txt: jfr print --events jdk.CPUTimeSample --stack-depth 96 F.jfr"""
import sys,re,collections
txt=open(sys.argv[1]).read()
B=[("AGI: the command's write (the write system call)",r"AgiSocket\.writeLine"),
   ("journal's end of the call: force (fdatasync)",r"FileChannelImpl\.force"),
   ("AGI: the reply's read (read, park, poller registration)",r"AgiSocket\.fill"),
   ("journal: the rest (JSON, write, ids)",r"dev\.ivr\.server\.(journal|outbox)"),
   ("checkpoint JSON (CallState.toJson)",r"CallState\.toJson"),
   ("socket close (shutdown, close)",r"AgiSocket\.close"),
   ("the environment (readRequest)",r"FastAgiReader\.readRequest"),
   ("metrics",r"io\.micrometer"),("logging",r"ch\.qos\.logback|org\.slf4j"),
   ("buffer pool (PooledBytes)",r"PooledBytes\.(take|giveBack)"),
   ("carrier: ForkJoinPool (idle, wake, scan)",r"^java\.util\.concurrent\.ForkJoin")]
c=collections.Counter(); n=0
for e in txt.split("jdk.CPUTimeSample {")[1:]:
    th=re.search(r'(?:eventThread|sampledThread) = "([^"]*)"',e); th=th.group(1) if th else ""
    if not re.search(r"^call-|ForkJoinPool-\d+-worker|^$",th): continue
    fr=[re.sub(r"\(.*","",f.strip()) for f in re.findall(r"^\s{4}(\S.*?)$",e,re.M) if "(" in f]
    n+=1
    c[next((name for name,p in B if any(re.search(p,f) for f in fr)),"other (flow engine, AGI objects, ...)")]+=1
print(f"{n} samples of the calls' threads\n| bucket | samples | share |\n|---|---:|---:|")
for k,v in c.most_common(): print(f"| {k} | {v} | {100*v/n:.1f}% |")
