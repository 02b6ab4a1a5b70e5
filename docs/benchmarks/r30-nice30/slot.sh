#!/bin/bash
# slot.sh START_HHMM END_HHMM QUEUE_FILE: nice30's runs in its slot, one after the other, from START on; each line of
# QUEUE_FILE is "run NAME JARDIR [JITNICE]" (run1.sh, ~6 min) or "sat NAME JARDIR" (sat1.sh, ~5 min), read when the
# run before has ended; a run that would end after END (UTC) is not started.
set -u
start=$1; end=$2; q=$3; i=1
D=$(dirname "$0")
sleep $(( $(date -u -d "today $start" +%s) - $(date -u +%s) )) 2>/dev/null
while true; do
  spec=$(sed -n "${i}p" "$q"); [ -z "$spec" ] && break
  set -- $spec; kind=$1; shift
  need=370; [ "$kind" = sat ] && need=300
  now=$(date -u +%s); stop=$(date -u -d "today $end" +%s)
  if [ $((now + need)) -gt "$stop" ]; then echo "== $spec not started: $(date -u +%T) + $need s is past $end"; break; fi
  if [ "$kind" = sat ]; then "$D/sat1.sh" "$@"; else "$D/run1.sh" "$@"; fi
  i=$((i + 1))
done
