#!/bin/bash
# collect.sh NAME...: copies what run.sh left in target/t26/NAME into docs/benchmarks/r26-t26/ (the loadgen's table,
# per-command csv, the per-second timeline, tail.py's output, the stop-the-world pauses of the plateau from the GC log).
D=$(dirname "$0")
for N in "$@"; do
  B=target/t26/$N
  cp $B/out/$N.md $D/$N.md
  cp $B/out/$N-commands.csv $D/$N-commands.csv
  tl=$(ls $B/tl/*-timeline.csv)
  cp $tl $D/$N-timeline.csv
  cp $B/tail.txt $D/$N-tail.txt
  a=$(sed -n 2p $tl | cut -d, -f1); b=$(tail -1 $tl | cut -d, -f1)
  { echo "# $N: the server's pauses (GC log) from $a to $b UTC, the plateau"; cat $B/meta.txt
    grep -E "\) Pause (Young|Full|Remark|Cleanup)|Survivor regions|Eden regions|Old regions" $B/gc.log | grep -v "gc,start" \
      | awk -v a="$a" -v b="$b" '{t=substr($1,13,8); if (t>=a && t<=b) print}'; } > $D/$N-pauses.txt
done
