#!/bin/bash
# cpu31 slot 2, under one hold of the lock: flock /tmp/ivr-bench.lock docs/benchmarks/r31-cpu31/slot2.sh
# the pair's other order: this branch's jar twice, then main's (slot 1's main-1 was the first "before"), then ReplyProbe.
set -u
export LOCK=
d=docs/benchmarks/r31-cpu31
$d/run.sh c1-1 ivr-server/target/ivr-server-c1.jar
$d/run.sh c1-2 ivr-server/target/ivr-server-c1.jar
$d/run.sh main-2 ivr-server/target/ivr-server-main.jar
echo "== probe $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
taskset -c 1 "$(./ivr java-home)/bin/java" -cp "ivr-server/target/ivr-server-c1.jar:ivr-server/target/lib/*" $d/ReplyProbe.java 5
echo "end $(date -u +%T)"
