# jit24's runs, sourced by slot1.sh and slot2.sh from the repository's root after the install:
# run NAME WARMUP OPTIONS...: perf23's compare of ivr-server/target/ivr-server-main.jar (main's jar, lib/ beside it) at
# 2,000 calls of the simple flow under the benchmark lock, with perf23's jt.sh on the load generator (flock's child:
# jt.sh finds the server among its children) for the threads' CPU in a 20 s window of the plateau.
J=$(./ivr java-home)/bin/java; export JCMDX=$(./ivr java-home)/bin/jcmd
B=$PWD/target/bench; A=$PWD/target/aot; mkdir -p $B $A
JITOPTS="--server-jvm-opt=-XX:+UnlockDiagnosticVMOptions --server-jvm-opt=-XX:+PrintCompilation"
jfr() { echo "--server-jvm-opt=-XX:StartFlightRecording:jdk.Compilation#threshold=0ms,filename=$B/$1.jfr,dumponexit=true"; }
run() {
  n=$1; w=$2; shift 2
  echo "start $n $(date -u +%H:%M:%S) $(uptime)"; ps -eo pcpu,comm --sort=-pcpu | head -5
  flock /tmp/ivr-bench.lock $J -XX:+UseZGC -Xms3g -Xmx3g -jar loadgen/target/loadgen.jar compare --scenario simple --servers ivr \
    --ivr-jar ivr-server/target/ivr-server-main.jar --levels 2000 --search-steps 0 --hold 30s --warmup $w --ramp 1500 \
    --name $n --out $B --work $PWD/target/bench-work-$n "$@" &
  fl=$!; lg=""; while [ -z "$lg" ] && kill -0 $fl 2>/dev/null; do sleep 1; lg=$(pgrep -P $fl); done
  [ -n "$lg" ] && docs/benchmarks/r23-perf23/jt.sh $lg $B/jt-$n & wait $fl; wait
  echo "end $n $(date -u +%H:%M:%S)"
}
# timely NAME: stop the slot when the next run would not end within it (STOP: HHMM, UTC)
timely() { [ "$(date -u +%H%M)" -lt "$STOP" ] || { echo "no time for $1 ($(date -u +%H:%M:%S))"; exit 0; }; }
