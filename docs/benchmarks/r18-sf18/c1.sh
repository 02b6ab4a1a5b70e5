#!/bin/sh
# sf18: the branch's server with C1 only (-XX:TieredStopAtLevel=1), same compare as ab.sh's after (ivr only); skipped if the lock came too late
# run from the repository root (see ab.sh)
now=$(date -u +%H%M); if [ "$now" -gt 0134 ]; then echo "lock at $now: too late, skipped"; exit 0; fi
J=$(./ivr java-home)/bin/java; export JCMDX=$(./ivr java-home)/bin/jcmd
echo "start $(date -u +%H:%M:%S) $(uptime)"; ps -eo pcpu,comm --sort=-pcpu | head -4
$J -Xmx3g -jar loadgen/target/loadgen.jar compare --scenario simple --servers ivr --ivr-jar ivr-server/target/ivr-server-sf18.jar \
  --levels 1000,2000 --search-steps 0 --warmup 120s --hold 30s --ramp 1500 --name sf18-c1 --out target/bench --work target/bench-work-c1 \
  --server-jvm-opt=-XX:TieredStopAtLevel=1 &
lg=$!; docs/benchmarks/r18-sf18/jt.sh $lg target/bench/jt-c1 & wait $lg
echo "end $(date -u +%H:%M:%S) $(uptime)"
