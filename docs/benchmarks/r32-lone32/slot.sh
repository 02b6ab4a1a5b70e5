#!/bin/bash
# lone32's bench window, under one hold of the lock: flock /tmp/ivr-bench.lock docs/benchmarks/r32-lone32/slot.sh
# the pair in both orders (pair.sh), then HeldFlushProbe (the join's flush of 2,000 and 10,000 held calls) if the
# window has room, then each run's per-thread table (cpu31's post.sh, sf22's jtable.py). From the repository's root.
set -u
d=docs/benchmarks/r32-lone32
$d/pair.sh
J=$(./ivr java-home)/bin/java
cp="ivr-server/target/test-classes:ivr-server/target/classes:$(cat target/lone32-test-cp.txt)"
if [ "$(date -u +%H%M)" -lt 2323 ]; then
  echo "== probe $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
  "$J" -cp "$cp" dev.ivr.server.cluster.HeldFlushProbe 2000 3 1500 3 2>&1 | grep '^round'
  [ "$(date -u +%H%M)" -lt 2325 ] && "$J" -cp "$cp" dev.ivr.server.cluster.HeldFlushProbe 10000 3 1500 2 2>&1 | grep '^round'
fi
for n in main-1 lone-1 lone-2 main-2; do docs/benchmarks/r31-cpu31/post.sh $n > /dev/null; done
echo "end $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
