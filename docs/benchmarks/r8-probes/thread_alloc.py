# Bytes allocated over a JFR recording, summed over threads (jdk.ThreadAllocationStatistics, first to last sample
# of each thread; virtual threads' allocation is their carriers'). Usage: python3 thread_alloc.py FILE.jfr (the JDK's jfr on PATH, or its path in JFR)
import re,sys,collections,subprocess
import os
J=os.environ.get('JFR', 'jfr')
out=subprocess.run([J,'print','--events','jdk.ThreadAllocationStatistics',sys.argv[1]],capture_output=True,text=True).stdout
ev=out.split('jdk.ThreadAllocationStatistics {')[1:]
first={};last={};tfirst=None;tlast=None
def bytes_(s):
    v,u=s.split(); v=float(v.replace(',',''))
    return v*{'bytes':1,'byte':1,'kB':1024,'MB':1024**2,'GB':1024**3}[u]
times=[]
for e in ev:
    a=re.search(r'allocated = ([\d.,]+ \w+)',e).group(1)
    t=re.search(r'startTime = (\S+)',e).group(1)
    th=re.search(r'thread = "([^"]*)"',e)
    tid=re.search(r'javaThreadId = (\d+)',e)
    k=(th.group(1) if th else '?')+'#'+(tid.group(1) if tid else '?')
    b=bytes_(a); times.append(t)
    if k not in first: first[k]=b
    last[k]=b
tot=0; rows=[]
for k in last:
    d=last[k]-first[k]; tot+=d; rows.append((d,k))
rows.sort(reverse=True)
print('span',min(times),max(times))
print('total allocated MB over the recording (ThreadAllocationStatistics, first to last sample per thread): %.1f'%(tot/1024**2))
for d,k in rows[:15]: print('%9.1f MB %s'%(d/1024**2,k))
