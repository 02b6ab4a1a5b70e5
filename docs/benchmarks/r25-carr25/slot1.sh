#!/bin/sh
# carr25: one simple-flow run at 2,000 calls with the threads' CPU windows (perf23's jt.sh).
# Usage, from the repository root after the install, holding the benchmark lock:
#   flock /tmp/ivr-bench.lock docs/benchmarks/r25-carr25/slot1.sh NAME JAR WARMUP [more compare options, e.g. --jfr DIR]
# SYS=1: also the system calls per thread (sys.sh); NOJT=1: without the threads' CPU windows.
# (JAR inside an ivr-server/target with lib/ beside it.) Output in target/carr25/: NAME.log, jt-NAME*.
J=$(./ivr java-home)/bin/java; export JCMDX=$(./ivr java-home)/bin/jcmd
out=target/carr25; mkdir -p $out
n=$1 jar=$2 w=$3; shift 3
echo "== $n $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"; ps -eo pcpu,comm --sort=-pcpu | head -4
$J -XX:+UseZGC -Xms3g -Xmx3g -jar loadgen/target/loadgen.jar compare --scenario simple --servers ivr --ivr-jar $jar \
  --levels 2000 --search-steps 0 --hold 30s --warmup $w --ramp 1500 --name $n --out $out --work $out/work-$n "$@" > $out/$n.log 2>&1 &
lg=$!; if [ -n "$SYS" ]; then docs/benchmarks/r25-carr25/sys.sh $lg $out/sys-$n & fi; [ -n "$NOJT" ] || docs/benchmarks/r23-perf23/jt.sh $lg $out/jt-$n & wait $lg; echo "rc=$? $(date -u +%H:%M:%S)"; wait
