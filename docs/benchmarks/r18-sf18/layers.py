"""Attributes a JFR recording's CPU samples to layers of ivr's call path (sf18).
usage: jfr print --events jdk.CPUTimeSample --stack-depth 96 F.jfr > F.txt; python3 layers.py F.txt [event] [-v]
Each sample goes to the first rule that matches, the thread's name first, then the frames from the top down."""
import sys,re,collections
txt=open(sys.argv[1]).read()
evname=sys.argv[2] if len(sys.argv)>2 and not sys.argv[2].startswith("-") else "jdk.CPUTimeSample"
THREADS=[(r"^hz\.","checkpoints: Hazelcast's threads (partition, I/O, response)"),
 (r"commonPool","checkpoints: common-pool completions"),
 (r"^(journal|outbox)","journal: its writer threads"),
 (r"^crm","CRM: its writer threads"),
 (r"Poller","JDK pollers (epoll)"),
 (r"AsyncAppender|logback","logging: the appender's thread"),
 (r"C[12] CompilerThread","JIT")]
FRAMES=[(r"^java\.lang\.VirtualThread\.(park|unpark|yield|runContinuation|submit|lazySubmit|afterYield|tryYield)|^jdk\.internal\.vm\.Continuation\.(yield|run|doYield)|^java\.util\.concurrent\.(ForkJoinPool|ForkJoinWorkerThread)|^java\.util\.concurrent\.locks\.LockSupport|^sun\.nio\.ch\.(Poller|EPoll)","virtual-thread scheduling (park, unpark, poller registration)"),
 (r"^dev\.ivr\.server\.(journal|outbox)","journal (on the call's thread)"),
 (r"^dev\.ivr\.server\.crm","CRM (on the call's thread)"),
 (r"^dev\.ivr\.server\.cluster\.(HazelcastCheckpoints|ClusterValueSerializer|ClusterCipher)|^dev\.ivr\.server\.flow\.engine\.CallState\.(toJson|value|field|stringKeys)|^com\.hazelcast","checkpoints (on the call's thread: JSON, seal, put)"),
 (r"^io\.micrometer|^dev\.ivr\.server\.agi\.(AgiMetrics|CommandNames)","metrics"),
 (r"^ch\.qos\.logback|^org\.slf4j|^dev\.ivr\.server\.logging","logging/MDC"),
 (r"^dev\.ivr\.server\.agi\.AgiSocket\.(fill|readLine|readRawLine|text|checkReplyLine|isReplyLine|takeSkip)|TimedReader|^org\.asteriskjava\.fastagi\.(internal\.FastAgiReader|internal\.AgiReplyImpl|reply)","AGI: read and parse replies"),
 (r"^dev\.ivr\.server\.agi\.AgiSocket\.(write|armAfterWrite)|AgiCommandLine|TimedWriter|^org\.asteriskjava\.fastagi\.command","AGI: build and write commands"),
 (r"^dev\.ivr\.server\.agi\.AgiCallChannel|^org\.asteriskjava\.fastagi\.internal\.AgiChannelImpl","AGI: channel (commands and replies as objects)"),
 (r"^dev\.ivr\.server\.flow","flow engine (per node)"),
 (r"^dev\.ivr\.server\.agi|^org\.asteriskjava","AGI: call start and end (accept, environment, dispatcher)"),
 (r"^dev\.ivr","ivr, other")]
c=collections.Counter(); detail=collections.defaultdict(collections.Counter)
for e in txt.split(evname+" {")[1:]:
    th=re.search(r'(?:eventThread|sampledThread) = "([^"]*)"',e); th=th.group(1) if th else ""
    fr=[re.sub(r"\(.*","",f.strip()) for f in re.findall(r"^\s{4}(\S.*?)$",e,re.M) if "(" in f]
    l=next((n for p,n in THREADS if re.search(p,th)),None)
    if l is None:
        l=next((n for f in fr for p,n in FRAMES if re.search(p,f)),None) or ("other: "+(fr[0].rsplit(".",2)[0] if fr else "(no stack)"))
    c[l]+=1
    detail[l][next((f for f in fr if f.startswith("dev.ivr")), fr[0] if fr else "?")]+=1
tot=sum(c.values())
print("samples",tot)
print("| layer | samples | share |\n|---|---:|---:|")
for k,v in c.most_common(): print(f"| {k} | {v} | {100*v/tot:.1f}% |")
if "-v" in sys.argv:
    for k,_ in c.most_common():
        print("##",k)
        for m,v in detail[k].most_common(10): print(f"   {v:5d} {m}")
