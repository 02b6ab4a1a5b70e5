"""frames.py F.txt THREAD_REGEX [FRAME_REGEX] [DEPTH]: the CPU samples of threads matching THREAD_REGEX (and, when
given, with a frame matching FRAME_REGEX), counted by their top DEPTH frames below that frame (sf22)."""
import sys,re,collections
txt=open(sys.argv[1]).read(); tre=sys.argv[2]; fre=sys.argv[3] if len(sys.argv)>3 else None; depth=int(sys.argv[4]) if len(sys.argv)>4 else 6
c=collections.Counter(); n=0
for e in txt.split("jdk.CPUTimeSample {")[1:]:
    th=re.search(r'(?:eventThread|sampledThread) = "([^"]*)"',e); th=th.group(1) if th else ""
    if not re.search(tre,th): continue
    fr=[re.sub(r"\(.*","",f.strip()) for f in re.findall(r"^\s{4}(\S.*?)$",e,re.M) if "(" in f]
    if fre:
        i=next((i for i,f in enumerate(fr) if re.search(fre,f)),None)
        if i is None: continue
        fr=fr[max(0,i-depth+1):i+1]
    else: fr=fr[:depth]
    n+=1; c[" < ".join(fr)]+=1
print(n,"samples")
for k,v in c.most_common(40): print(v,k)
