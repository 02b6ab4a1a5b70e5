#!/bin/bash
# Copies a run's small files into docs/benchmarks/r28-cs28/ (from the repository's root, after cs.sh):
#   docs/benchmarks/r28-cs28/collect.sh NAME...
# NAME.md the loadgen's table, NAME-timeline.csv, NAME-plateau.txt (gcplateau.py), NAME-pauses.txt (pauses.py),
# NAME-gc-extract.txt the GC log's pause, trigger, cycle, cleanup (heap before->after) and pacing lines of the
# plateau and the minute before it (the whole logs, 1-5 MB, are not committed).
D=docs/benchmarks/r28-cs28
for n in "$@"; do
  r=target/cs23/$n
  cp $r/out/*.md $D/$n.md
  cp $r/tl/*-timeline.csv $D/$n-timeline.csv
  cp $r/plateau.txt $D/$n-plateau.txt
  cp $r/pauses.txt $D/$n-pauses.txt
  t0=$(sed -n 2p $r/tl/*-timeline.csv | cut -d, -f1); t1=$(tail -1 $r/tl/*-timeline.csv | cut -d, -f1)
  from=$(date -u -d "$t0 60 seconds ago" +%T)
  awk -v a="$from" -v b="$t1.999" 'match($0, /T[0-9:.]+/) { t = substr($0, RSTART + 1, 12); if (t >= a && t <= b) print }' $r/gc.log \
    | grep -E 'Pause [A-Z].*ms$|Trigger|Start GC cycle|Cancelling|Degenerated|cleanup.*M->|Concurrent (marking|evacuation|update references)[^,]* [0-9.]+ms$|<total>|Safepoint "[^"]+".*Total: [0-9]{7,}' \
    > $D/$n-gc-extract.txt
done
