#!/bin/bash
# jf26: one simple-flow run at 2,000 calls (the lead's pair's options: 120 s warm-up, 30 s hold) with fsync.sh's
# record of the server's forces. Usage, from the repository root after the install, holding the benchmark lock:
#   flock /tmp/ivr-bench.lock docs/benchmarks/r26-jf26/run.sh NAME JAR [more compare options]
# (JAR inside an ivr-server/target with lib/ beside it.) Output in target/jf26/: NAME.log, out/NAME*, fsync-NAME.*
J=$(./ivr java-home)/bin/java
out=target/jf26; mkdir -p $out/out
n=$1 jar=$2; shift 2
echo "== $n $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"; ps -eo pcpu,comm --sort=-pcpu | head -4
$J -XX:+UseZGC -Xms3g -Xmx3g -jar loadgen/target/loadgen.jar compare --scenario simple --servers ivr --ivr-jar $jar \
  --levels ${LEVEL:-2000} --search-steps 0 --hold 30s --warmup ${WARMUP:-120s} --ramp 1500 --name $n --out $out/out \
  --work $out/work-$n "$@" > $out/$n.log 2>&1 &
lg=$!; docs/benchmarks/r26-jf26/fsync.sh $lg $out/fsync-$n & wait $lg; echo "rc=$? $(date -u +%H:%M:%S)"; wait
