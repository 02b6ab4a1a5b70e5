#!/bin/bash
# sat1.sh NAME JARDIR [LEVEL=10000]: one saturation run of the simple flow (the lead's r29-lead/sat.sh: steady ramp,
# 120 s warm-up, the journal's and CRM outbox's backlog sampled every 5 s from /metrics) on
# target/t28/JARDIR/ivr-server.jar, holding the benchmark lock (LOCK="flock -n" to give up if it is held); 200 s in,
# slice29's slices.sh writes target/sat29/NAME/slices.txt (the threads' nice values) to check the setting took.
set -u
n=$1; jar=$2; level=${3:-10000}
R="$(pwd)/target/sat29/$n"
echo "== $n $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
${LOCK:-flock} /tmp/ivr-bench.lock bash -c "
  ( sleep 200; docs/benchmarks/r29-slice29/slices.sh $R > $R/slices.txt; top -b -n 1 -d 1 | head -15 > $R/top.txt ) & sp=\$!
  docs/benchmarks/r29-lead/sat.sh simple $n target/t28/$jar/ivr-server.jar $level
  pkill -P \$sp; kill \$sp 2>/dev/null"
echo "   done $(date -u +%T): $(grep -h '| ivr |' target/sat29/$n/loadgen.txt | head -1)"
