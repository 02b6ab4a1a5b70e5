#!/bin/bash
# nice27: one simple-flow run at 2,000 then 5,000 calls (the lead's pair's options: 120 s warm-up, 30 s hold, the
# ladder's --ramp 1500), with watch.sh's record of the writers' backlog and the threads' nice values.
# Usage, from the repository root after the install, holding the benchmark lock:
#   flock /tmp/ivr-bench.lock docs/benchmarks/r27-nice27/run.sh NAME JAR [more compare options]
# (JAR inside an ivr-server/target with lib/ beside it.) Output in target/nice27/: NAME.log, out/NAME*, watch-NAME*
J=$(./ivr java-home)/bin/java
out=target/nice27; mkdir -p $out/out
n=$1 jar=$2; shift 2
echo "== $n $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"; ps -eo pcpu,comm --sort=-pcpu | head -4
$J -XX:+UseZGC -Xms3g -Xmx3g -jar loadgen/target/loadgen.jar compare --scenario simple --servers ivr --ivr-jar $jar \
  --levels ${LEVELS:-2000,5000} --search-steps 0 --hold 30s --warmup ${WARMUP:-120s} --ramp 1500 --name $n \
  --out $out/out --work $out/work-$n "$@" > $out/$n.log 2>&1 &
lg=$!; taskset -c 0 docs/benchmarks/r27-nice27/watch.sh $lg $out/work-$n $out/watch-$n & wait $lg; echo "rc=$? $(date -u +%H:%M:%S)"; wait
