#!/bin/bash
# cpu31 slot 1, under one hold of the lock: flock /tmp/ivr-bench.lock docs/benchmarks/r31-cpu31/slot1.sh
# main's jar with JFR of the plateau, main's jar plain (the pair's first "before"), the idle server 60 s with JFR.
set -u
export LOCK=
d=docs/benchmarks/r31-cpu31; main=ivr-server/target/ivr-server-main.jar
JFR=1 $d/run.sh main-jfr $main
$d/run.sh main-1 $main
c=$(find target/cpu31/work-main-jfr -type d -name prompt-cache | head -1)
[ -n "$c" ] && mkdir -p target/bg26 && rm -rf target/bg26/prompt-cache && cp -r "$c" target/bg26/prompt-cache
echo "== idle $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
docs/benchmarks/r26-bg26/idle.sh $main main31 30 60 \
  -XX:StartFlightRecording=filename=$PWD/target/cpu31/idle-main.jfr,settings=$PWD/docs/benchmarks/r26-bg26/cpu.jfc
echo "end $(date -u +%T)"
