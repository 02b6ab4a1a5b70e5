#!/bin/sh
# perf23's slot: main's jar and this branch's at 2,000 calls of the simple flow, back to back, each with jt.sh's windows
# (threads' CPU, the writers' write calls), first without JFR, then with. Run from the repository root after the install;
# ivr-server/target/ivr-server-main.jar is main's jar (ad31c31), ivr-server/target/ivr-server-perf23.jar this branch's.
J=$(./ivr java-home)/bin/java; export JCMDX=$(./ivr java-home)/bin/jcmd
mkdir -p target/bench
run() { # JAR NAME [--jfr DIR]
  echo "start $2 $(date -u +%H:%M:%S) $(uptime)"; ps -eo pcpu,comm --sort=-pcpu | head -5
  $J -XX:+UseZGC -Xms3g -Xmx3g -jar loadgen/target/loadgen.jar compare --scenario simple --servers ivr \
    --ivr-jar ivr-server/target/ivr-server-$1.jar --levels 2000 --search-steps 0 --hold 30s --warmup 120s --ramp 1500 \
    --name $2 --out target/bench --work target/bench-work-$2 $3 $4 &
  lg=$!; docs/benchmarks/r23-perf23/jt.sh $lg target/bench/jt-$2 & wait $lg; wait
}
timely() { [ "$(date -u +%H%M)" -lt "${STOP:-1754}" ] || { echo "no time for $1 ($(date -u +%H:%M:%S))"; exit 0; }; }
timely main; run main main
timely perf23; run perf23 perf23
timely perf23-jfr; run perf23 perf23-jfr --jfr target/bench/jfr-perf23
timely main-jfr; run main main-jfr --jfr target/bench/jfr-main
echo "end $(date -u +%H:%M:%S) $(uptime)"
