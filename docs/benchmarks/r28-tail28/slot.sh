#!/bin/bash
# slot.sh END_HHMM NAME:JARDIR:LEVEL ...: tail28's runs in a slot, one after the other, each holding the benchmark lock
# with its trace's dump (perfdump.sh); a run that would end after END_HHMM (UTC) is not started (a run takes ~5.3 min).
# JARDIR: target/t28/JARDIR/ivr-server.jar (main: main's jar; nice10: the same with node.background-nice 10 in its
# defaults.yaml).
set -u
end=$1; shift
for spec in "$@"; do
  IFS=: read -r n jar level <<< "$spec"
  now=$(date -u +%s); stop=$(date -u -d "today $end" +%s)
  if [ $((now + 330)) -gt "$stop" ]; then echo "== $n not started: $(date -u +%T) + 5.5 min is past $end"; continue; fi
  echo "== $n $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
  flock /tmp/ivr-bench.lock bash -c "LEVEL=$level docs/benchmarks/r28-tail28/run.sh $n target/t28/$jar/ivr-server.jar; \
    docs/benchmarks/r28-tail28/perfdump.sh target/t28/$n $level"
  echo "   done $(date -u +%T): $(grep -h '^.*| ivr |' target/t28/$n/loadgen.txt | head -1)"
done
