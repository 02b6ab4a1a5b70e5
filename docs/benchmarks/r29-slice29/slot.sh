#!/bin/bash
# slot.sh END_HHMM QUEUE_FILE: slice29's runs in its slot, one after the other (run1.sh, each holding the benchmark
# lock); each line of QUEUE_FILE is "NAME JARDIR [LEVEL]", read when the run before has ended (so that the later runs
# can be chosen from the first ones' traces); a run that would end after END_HHMM (UTC) is not started (~5.7 min).
set -u
end=$1; q=$2; i=1
while true; do
  spec=$(sed -n "${i}p" "$q"); [ -z "$spec" ] && break
  now=$(date -u +%s); stop=$(date -u -d "today $end" +%s)
  if [ $((now + 340)) -gt "$stop" ]; then echo "== $spec not started: $(date -u +%T) + 5.7 min is past $end"; break; fi
  docs/benchmarks/r29-slice29/run1.sh $spec
  i=$((i + 1))
done
