#!/bin/bash
# Waits for the ivr server of a customer-service run (the java process running SERVER_JAR, not the loadgen) to hold
# 10,000 sockets, then, 15 s later (in the settle, before the measured plateau), writes a JSON thread dump of every
# thread (virtual ones included); with HISTO=1 also a class histogram of the live objects (a full GC: diagnostic
# runs only).
# usage: docs/benchmarks/r25-cs25/dump.sh OUT_PREFIX SERVER_JAR   (start it just before the run; it ends after the dump)
set -u
OUT=$(readlink -f $1); JAR=$(basename $2)
J=$(dirname "$(readlink -f "$(./ivr java-home)/bin/java")")
server() {
  pgrep -f -- "-jar [^ ]*$JAR run" | head -1
}
PID=
for i in $(seq 1 900); do
  PID=$(server)
  if [ -n "$PID" ] && [ "$(ls /proc/$PID/fd 2>/dev/null | wc -l)" -ge 10000 ]; then break; fi
  PID=; sleep 1
done
[ -z "$PID" ] && { echo "no server with 10,000 sockets"; exit 1; }
echo "10k fds at $(date -u +%T) pid $PID" > $OUT.meta
sleep 15
echo "dump at $(date -u +%T)" >> $OUT.meta
$J/jcmd $PID Thread.dump_to_file -format=json $OUT.threads.json >> $OUT.meta 2>&1
if [ "${HISTO:-0}" = 1 ]; then
  echo "histogram at $(date -u +%T)" >> $OUT.meta
  $J/jcmd $PID GC.class_histogram > $OUT.histo.txt 2>&1
fi
echo "done $(date -u +%T)" >> $OUT.meta
