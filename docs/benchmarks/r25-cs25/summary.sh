#!/bin/bash
# The figures of runs made by run.sh: the loadgen's line, G1 in the plateau (gcsum.py), the live StackChunks after
# the plateau's full GC (the histogram), and the parked stacks of the thread dump (stacks.py).
# usage: docs/benchmarks/r25-cs25/summary.sh NAME...   (from the repository's root)
D=$(pwd)/docs/benchmarks
for N in "$@"; do
  R=target/cs23/$N
  echo "=== $N ($(head -1 $R/meta.txt))"
  tail -1 $R/loadgen.txt
  (cd target/cs23 && python3 $D/r23-cs23/gcsum.py $N | grep -E "^(young|young_ms|copied_mb|copied_mb_per_s|objcopy_ms|scanroots_ms|age1_mb|age2plus_mb|to_old_mb|old_regions|paused_pct|conc_cycles_plateau|mixed_plateau):")
  grep -h "jdk.internal.vm.StackChunk" $R/histo/*10000*.histo.txt | head -1 | awk '{printf "StackChunk after the full GC: %d chunks, %d bytes = %.2f chunks and %.0f bytes a call, %.0f bytes a chunk\n", $2, $3, $2/10000, $3/10000, $3/$2}'
  [ -f $R/$N.threads.json ] && python3 $D/r25-cs25/stacks.py $R/$N.threads.json | head -12
done
