"""writer.py F.txt ...: the journal writer's JFR CPU-time samples (jfr print --events jdk.CPUTimeSample --stack-depth 96
F.jfr > F.txt; thread journal-outbox) in all, and those with each of the summaries' frames on the stack (jw24)."""
import sys,re
MARKS=["FunnelSummary.lines","FlowSummary.lines","FunnelSummary.write","FlowSummary.write","CallLines.",
       "JournalSummary.added","JournalSummary.insert","MVStore.storeNow","JdbcJournal.seqs"]
for f in sys.argv[1:]:
    txt=open(f).read(); tot=0; w=0; c={m:0 for m in MARKS}
    for e in txt.split("jdk.CPUTimeSample {")[1:]:
        tot+=1
        th=re.search(r'(?:eventThread|sampledThread) = "([^"]*)"',e)
        if not th or not th.group(1).startswith("journal-outbox"): continue
        w+=1
        for m in MARKS:
            if m in e: c[m]+=1
    print(f"{f}: {tot} samples, journal writer {w} ({100*w/max(tot,1):.1f}%)")
    for m in MARKS: print(f"  {m}: {c[m]} ({100*c[m]/max(w,1):.0f}% of the writer's)")
