#!/bin/sh
# sf22 step 3: this branch's jar (ivr-server/target/ivr-server-sf22.jar), the same command as slot1.sh's first run.
J=$(./ivr java-home)/bin/java; export JCMDX=$(./ivr java-home)/bin/jcmd
echo "start $(date -u +%H:%M:%S) $(uptime)"; ps -eo pcpu,comm --sort=-pcpu | head -5
$J -XX:+UseZGC -Xms3g -Xmx3g -jar loadgen/target/loadgen.jar compare --scenario simple --servers ivr \
  --ivr-jar ivr-server/target/ivr-server-${JAR:-sf22}.jar --levels 2000 --search-steps 0 --hold 30s --warmup 120s --ramp 1500 \
  --name ${NAME:-sf22-threads} --out target/bench --work target/bench-work-${NAME:-sf22} &
lg=$!; docs/benchmarks/r22-sf22/jt.sh $lg target/bench/jt-${NAME:-sf22} & wait $lg
echo "end $(date -u +%H:%M:%S) $(uptime)"
