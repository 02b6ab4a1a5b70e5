#!/bin/sh
# jn21: the simple flow, main's jar then this branch's, back to back under one hold of the benchmark lock (jr20's ab.sh
# with the unit file's heap, -Xms2g); each platform thread's CPU (jcmd Thread.print cpu=) twice in each plateau by sf18's
# jt.sh (jtdelta.py groups it). Run from the worktree root after the install, with main's ivr-server.jar copied to
# ivr-server/target/ivr-server-main.jar and this branch's to ivr-server/target/ivr-server-jn21.jar (lib/ beside both):
#   flock /tmp/ivr-bench.lock docs/benchmarks/r21-jn21/ab.sh
J=$(./ivr java-home)/bin/java; export JCMDX=$(./ivr java-home)/bin/jcmd
mkdir -p target/bench
for side in main jn21; do
  echo "$side start $(date -u +%H:%M:%S) $(uptime)"; ps -eo pcpu,comm --sort=-pcpu | head -5
  $J -Xmx3g -jar loadgen/target/loadgen.jar compare --scenario simple --servers ivr --ivr-jar ivr-server/target/ivr-server-$side.jar \
    --levels 1000,2000 --search-steps 0 --warmup 120s --hold 30s --ramp 1500 --server-jvm-opt=-Xms2g \
    --name jn21-$side --out target/bench --work target/bench-work-$side &
  lg=$!; docs/benchmarks/r18-sf18/jt.sh $lg target/bench/jt-$side & wait $lg
done
echo "end $(date -u +%H:%M:%S) $(uptime)"
