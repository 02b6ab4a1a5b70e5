#!/bin/bash
# run1.sh NAME JARDIR [JITNICE [JITDELAY]]: one of nice30's runs (repository root): tail28's run.sh (simple flow, 2,000 calls,
# steady ramp, the scheduler trace of the plateau) on target/t28/JARDIR/ivr-server.jar holding the benchmark lock, then
# the trace's dump (perfdump.sh); with JITNICE, jitnice.sh renices the JIT's compiler threads to it, JITDELAY (0) s after the start;
# 170 s in, slice29's slices.sh writes RUN_DIR/slices.txt (the threads' nice and policy) to check the settings took;
# then, still holding the lock (so that no analysis runs beside the next run), counts.py, attrib.py and preempt2.py.
# LOCK="flock -n" to give up if the lock is held.
set -u
n=$1; jar=$2; jn=${3:-}; jd=${4:-0}; level=${LEVEL:-2000}
R="$(pwd)/target/t28/$n"; mkdir -p "$R"; rm -f "$R/jitnice.txt"
D=docs/benchmarks/r30-nice30
echo "== $n $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
${LOCK:-flock} /tmp/ivr-bench.lock bash -c "
  ( sleep 170; docs/benchmarks/r29-slice29/slices.sh $R > $R/slices.txt; top -b -n 1 -d 1 | head -15 > $R/top.txt ) & sp=\$!
  jp=''; if [ -n '$jn' ]; then $D/jitnice.sh $R $jn 600 $jd & jp=\$!; fi
  LEVEL=$level docs/benchmarks/r28-tail28/run.sh $n target/t28/$jar/ivr-server.jar
  [ -n \"\$jp\" ] && kill \$jp
  pkill -P \$sp; kill \$sp 2>/dev/null
  docs/benchmarks/r28-tail28/perfdump.sh target/t28/$n $level
  python3 docs/benchmarks/r28-tail28/counts.py target/t28/$n $level > target/t28/$n/counts.txt
  python3 docs/benchmarks/r28-tail28/attrib.py target/t28/$n 1 $level > target/t28/$n/attrib.txt
  python3 docs/benchmarks/r29-slice29/preempt2.py target/t28/$n > target/t28/$n/preempt2.txt"
echo "   done $(date -u +%T): $(grep -h '| ivr |' target/t28/$n/loadgen.txt | head -1)"
