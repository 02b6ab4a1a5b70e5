#!/bin/bash
# collect.sh NAME LEVEL...: copies a run.sh run's small files here (the run's table, per-command csv, the plateau's
# timeline, slow replies and lag csv, attrib.py's output, meta, and whichever of the run's extra records it has: the
# chrt log (idle.txt), the threads' slices (slice29), counts/preempt2/jitnice/top (nice30)); the trace itself (perf.txt)
# stays out. DEST=DIR copies into DIR instead of this script's folder (slice29's and nice30's collect.sh).
set -u
D=${DEST:-$(dirname "$0")}
while [ $# -ge 2 ]; do
  n=$1; l=$2; shift 2; R=target/t28/$n
  cp "$R/out/$n.md" "$D/$n.md"; cp "$R/out/$n-commands.csv" "$D/$n-commands.csv"
  for f in timeline slow lag; do [ -f "$R/tl/ivr-simple-$l-$f.csv" ] && cp "$R/tl/ivr-simple-$l-$f.csv" "$D/$n-$f.csv"; done
  [ -f "$R/attrib.txt" ] && cp "$R/attrib.txt" "$D/$n-attrib.txt"
  for f in idle slices counts preempt2 jitnice top; do [ -f "$R/$f.txt" ] && cp "$R/$f.txt" "$D/$n-$f.txt"; done
  grep -E 'Pause Young|Pause Full' "$R/gc.log" | grep -v 'gc,start' | sed 's/\[[0-9.]*s\]//' > "$D/$n-pauses.txt"
  cat "$R/meta.txt" > "$D/$n-meta.txt"
done
