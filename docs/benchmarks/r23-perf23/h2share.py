"""h2share.py F.txt ...: JFR CPU-time samples (jfr print --events jdk.CPUTimeSample --stack-depth 96 F.jfr > F.txt) by
thread, all and those under H2's chunk write (MVStore.storeNow), for the journal's writer, the CRM writer and the rest
(perf23)."""
import sys,re,collections
for f in sys.argv[1:]:
    txt=open(f).read(); n=collections.Counter(); h=collections.Counter(); tot=0
    for e in txt.split("jdk.CPUTimeSample {")[1:]:
        th=re.search(r'(?:eventThread|sampledThread) = "([^"]*)"',e); th=th.group(1) if th else ""
        g="journal writer" if th.startswith("journal-outbox") else "CRM writer" if th.startswith("crm-writer") else "other threads"
        tot+=1; n[g]+=1
        if "MVStore.storeNow" in e: h[g]+=1
    print(f"{f}: {tot} samples; under MVStore.storeNow {sum(h.values())} ({100*sum(h.values())/max(tot,1):.1f}%)")
    for g in ("journal writer","CRM writer","other threads"):
        print(f"  {g}: {n[g]} samples ({100*n[g]/max(tot,1):.1f}%), of which storeNow {h[g]} ({100*h[g]/max(tot,1):.1f}% of all)")
