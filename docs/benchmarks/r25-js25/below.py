"""below.py F.txt THREAD MARK ...: for the samples of THREAD with MARK on the stack (not under MVStore.storeNow unless MARK is it), the two frames below the outermost MARK and the leaf frames, most common first (js25)."""
import re,collections,sys
txt=open(sys.argv[1]).read(); th=sys.argv[2]
ev=[e for e in re.split(r"jdk\.(?:ExecutionSample|CPUTimeSample) \{",txt)[1:] if re.search(r'(?:sampledThread|eventThread) = "'+th,e)]
def frames(e):
    return [re.sub(r'\(.*','',l.strip()) for l in e.split('\n') if 'line:' in l]
for mark in sys.argv[3:]:
    c=collections.Counter(); c2=collections.Counter(); n=0
    for e in ev:
        if mark not in e: continue
        if mark!='MVStore.storeNow' and 'MVStore.storeNow' in e: continue
        n+=1
        fr=frames(e)
        idx=[i for i,f in enumerate(fr) if mark in f]
        i=idx[-1]
        c[" < ".join(fr[max(0,i-2):i])]+=1
        c2[fr[0]]+=1
    print(f"== {mark}: {n}; the two frames below the outermost {mark}:")
    for k,v in c.most_common(10): print(f"   {v:4d} {k}")
    print("   leaf frames:")
    for k,v in c2.most_common(8): print(f"   {v:4d} {k}")
