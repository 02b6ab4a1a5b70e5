#!/bin/bash
# The lead's pair (twentieth round): a "before" jar and an "after" jar back to back, the usual simple-flow compare.
# Usage, from the repository's root after the install:
#   docs/benchmarks/r24-lead/pair.sh BEFORE_JAR AFTER_JAR [reverse]
# (each jar inside an ivr-server/target with lib/ beside it; "reverse": the after jar first). Output in target/lead24/.
# Run here: pair.sh with 75cc231's jar and ce222a3's (lead-before, lead-after), then with reverse and names
# lead-after2 / lead-before2 (SUFFIX=2).
set -u
before=$1 after=$2
runs="before:$before after:$after"
[ "${3:-}" = reverse ] && runs="after:$after before:$before"
out=target/lead24
mkdir -p "$out"
J=$(./ivr java-home)/bin/java
for x in $runs; do
  n=${x%%:*}${SUFFIX:-}; jar=${x#*:}
  echo "== $n $(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)"
  flock /tmp/ivr-bench.lock "$J" -XX:+UseZGC -Xms3g -Xmx3g -jar loadgen/target/loadgen.jar compare --scenario simple \
    --servers ivr --levels 2000 --search-steps 0 --hold 30s --warmup 120s --ramp 1500 --ivr-jar "$jar" \
    --name "lead-$n" --out "$out/out" --work "$out/work-$n" > "$out/$n.log" 2>&1
  echo "rc=$?"
done
