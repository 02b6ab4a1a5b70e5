#!/bin/sh
# jit24's diagnosis slot, after the training run of slot1.sh (slot1.sh's jt.sh found the load generator, not the server,
# under flock: here jt.sh gets flock's child, the load generator). The diagnosed run with -XX:AOTCache, the same without
# diagnostics, main without the cache and the diagnosed main again with jt.sh's windows.
J=$(./ivr java-home)/bin/java; export JCMDX=$(./ivr java-home)/bin/jcmd
B=$PWD/target/bench; A=$PWD/target/aot; mkdir -p $B $A
JITOPTS="--server-jvm-opt=-XX:+UnlockDiagnosticVMOptions --server-jvm-opt=-XX:+PrintCompilation"
jfr() { echo "--server-jvm-opt=-XX:StartFlightRecording:jdk.Compilation#threshold=0ms,filename=$B/$1.jfr,dumponexit=true"; }
run() { # NAME WARMUP JT(yes/no) OPTIONS...
  n=$1; w=$2; jt=$3; shift 3
  echo "start $n $(date -u +%H:%M:%S) $(uptime)"; ps -eo pcpu,comm --sort=-pcpu | head -5
  flock /tmp/ivr-bench.lock $J -XX:+UseZGC -Xms3g -Xmx3g -jar loadgen/target/loadgen.jar compare --scenario simple --servers ivr \
    --ivr-jar ivr-server/target/ivr-server-main.jar --levels 2000 --search-steps 0 --hold 30s --warmup $w --ramp 1500 \
    --name $n --out $B --work $PWD/target/bench-work-$n "$@" &
  fl=$!; lg=""; while [ -z "$lg" ] && kill -0 $fl 2>/dev/null; do sleep 1; lg=$(pgrep -P $fl); done
  echo "load generator $lg"
  [ $jt = yes ] && [ -n "$lg" ] && docs/benchmarks/r23-perf23/jt.sh $lg $B/jt-$n & wait $fl; wait
  echo "end $n $(date -u +%H:%M:%S)"
}
timely() { [ "$(date -u +%H%M)" -lt "${STOP:-2010}" ] || { echo "no time for $1 ($(date -u +%H:%M:%S))"; exit 0; }; }
i=0; while [ $i -lt 400 ] && { [ ! -s $A/main.aot ] || [ -e $A/main.aot.config ]; }; do sleep 2; i=$((i+2)); done
ls -la $A; echo "cache after $i s $(date -u +%H:%M:%S)"
timely diag-aot; run diag-aot 120s yes $JITOPTS $(jfr diag-aot) --server-jvm-opt=-XX:AOTCache=$A/main.aot --server-jvm-opt=-Xlog:aot
timely plain-aot; run plain-aot 120s yes --server-jvm-opt=-XX:AOTCache=$A/main.aot
timely plain-main; run plain-main 120s yes
timely diag-main2; run diag-main2 120s yes $JITOPTS $(jfr diag-main2)
echo "end $(date -u +%H:%M:%S) $(uptime)"
