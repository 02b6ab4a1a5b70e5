"""alloc.py F.txt: the calls' threads' JFR allocation samples by count (JFR's weights on virtual threads are lumpy), by
class and by class at the first ivr frame (carr25). F.txt: jfr print --events jdk.ObjectAllocationSample --stack-depth 40"""
import sys,re,collections
txt=open(sys.argv[1]).read()
n=0;site=collections.Counter();cls=collections.Counter()
for e in txt.split("jdk.ObjectAllocationSample {")[1:]:
    th=re.search(r'eventThread = "([^"]*)"',e); th=th.group(1) if th else ""
    if not re.search(r"^call-|ForkJoinPool-\d+-worker|^$",th): continue
    n+=1
    fr=[re.sub(r"\(.*","",f.strip()) for f in re.findall(r"^\s{4}(\S.*?)$",e,re.M) if "(" in f]
    cl=re.search(r"objectClass = (\S+)",e).group(1); cls[cl]+=1
    i=next((i for i,f in enumerate(fr) if f.startswith("dev.ivr")),None)
    site[(cl+" at "+fr[i]+(" < "+fr[i-1] if i and i>0 else "")) if i is not None else (cl+" at "+(fr[0] if fr else "?"))]+=1
print(f"{n} allocation samples (jdk.ObjectAllocationSample, by count; JFR's weights on virtual threads are lumpy) of the calls' threads")
print("\n## by class"); [print(f"{v:5d} {100*v/n:5.1f}% {k}") for k,v in cls.most_common(15)]
print("\n## by class at the first ivr frame < the frame it called"); [print(f"{v:5d} {100*v/n:5.1f}% {k}") for k,v in site.most_common(30)]
