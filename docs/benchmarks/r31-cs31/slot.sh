#!/bin/bash
# slot.sh LAST_START(HH:MM UTC) NAME:JARDIR[:FLAG,FLAG] ...: cs31's customer-service runs at 10,000 callers, one after
# the other under one hold of the lock (run it with flock /tmp/ivr-bench.lock): each is r30-cs30/run.sh NAME
# target/JARDIR/ivr-server.jar with --steady-ramp and generational Shenandoah; FLAGs: g1 (G1 instead), jfr (a JFR
# recording, settings=profile, to target/cs30/NAME.jfr), exc (a JFR recording of the count of throwables only, every
# 10 s: throwables.sh), noperf (no scheduler trace);
# then its small files are copied to docs/benchmarks/r31-cs31/ (NAME.md, NAME-commands.csv, NAME-plateau.txt,
# NAME-meta.txt, NAME-top.txt, NAME-timeline.csv); the trace is read afterwards by wakes.py. A run is not started after
# LAST_START. SLOT_OUT=DIR: the small files go to DIR instead.
set -u
LAST=$1; shift
D=${SLOT_OUT:-docs/benchmarks/r31-cs31}
GEN="-XX:-UseG1GC -XX:+UseShenandoahGC -XX:ShenandoahGCMode=generational -XX:-ExplicitGCInvokesConcurrent"
for spec in "$@"; do
  IFS=: read -r n jar flags <<< "$spec"
  if [[ "$(date -u +%H:%M)" > "$LAST" ]]; then echo "== $n not started: $(date -u +%T) is past $LAST"; continue; fi
  o=$GEN; perf=1
  [[ ",$flags," == *,g1,* ]] && o=""
  [[ ",$flags," == *,jfr,* ]] && o="$o -XX:StartFlightRecording=filename=$(pwd)/target/cs30/$n.jfr,settings=profile"
  [[ ",$flags," == *,exc,* ]] && o="$o -XX:StartFlightRecording=filename=$(pwd)/target/cs30/$n.jfr,settings=none,+jdk.ExceptionStatistics#enabled=true,+jdk.ExceptionStatistics#period=10s"
  [[ ",$flags," == *,noperf,* ]] && perf=0
  echo "== $n $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg) jar $jar flags [$flags] opts [$o]"
  LOADGEN_OPTS=--steady-ramp PERF=$perf docs/benchmarks/r30-cs30/run.sh "$n" "target/$jar/ivr-server.jar" $o
  R=target/cs30/$n
  cp $R/out/$n.md $D/$n.md; cp $R/out/$n-commands.csv $D/$n-commands.csv; cp $R/plateau.txt $D/$n-plateau.txt
  cp $R/meta.txt $D/$n-meta.txt; cp $R/top.txt $D/$n-top.txt 2>/dev/null
  cp $R/tl/ivr-customer-service-10000-timeline.csv $D/$n-timeline.csv
  # the trace (perf.data) is read afterwards, outside the lock: python3 $D/wakes.py $R > $D/$n-wakes.txt
  echo "   done $(date -u +%T): $(grep -h '| ivr |' $R/out/$n.md | head -1)"
  grep "SET MUSIC\|STREAM FILE\|WAIT FOR DIGIT" $R/out/$n-commands.csv
done
