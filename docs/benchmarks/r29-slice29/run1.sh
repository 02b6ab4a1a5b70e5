#!/bin/bash
# run1.sh NAME JARDIR [LEVEL=2000]: one of slice29's runs (repository root): tail28's run.sh (simple flow, steady ramp,
# the scheduler trace of the plateau) on target/t28/JARDIR/ivr-server.jar, holding the benchmark lock, then the trace's
# dump (perfdump.sh); 170 s in, slices.sh writes RUN_DIR/slices.txt (the threads' policy, nice and se.slice as the
# kernel has them) to check that the jar's setting took.
set -u
n=$1; jar=$2; level=${3:-2000}
R="$(pwd)/target/t28/$n"
D=docs/benchmarks/r29-slice29
echo "== $n $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
flock /tmp/ivr-bench.lock bash -c "
  ( sleep 170; $D/slices.sh $R > $R/slices.txt ) &
  LEVEL=$level docs/benchmarks/r28-tail28/run.sh $n target/t28/$jar/ivr-server.jar
  docs/benchmarks/r28-tail28/perfdump.sh target/t28/$n $level"
echo "   done $(date -u +%T): $(grep -h '| ivr |' target/t28/$n/loadgen.txt | head -1)"
