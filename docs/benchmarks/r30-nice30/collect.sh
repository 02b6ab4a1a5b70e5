#!/bin/bash
# collect.sh NAME LEVEL...: (slice29's, with counts/preempt2/jitnice/top added) copies a run.sh run's small files here (the run's table, per-command csv, the plateau's
# timeline, slow replies and lag csv, attrib.py's output, meta, the threads' slices); the trace itself (perf.txt) stays out.
set -u
D=$(dirname "$0")
while [ $# -ge 2 ]; do
  n=$1; l=$2; shift 2; R=target/t28/$n
  cp "$R/out/$n.md" "$D/$n.md"; cp "$R/out/$n-commands.csv" "$D/$n-commands.csv"
  for f in timeline slow lag; do [ -f "$R/tl/ivr-simple-$l-$f.csv" ] && cp "$R/tl/ivr-simple-$l-$f.csv" "$D/$n-$f.csv"; done
  [ -f "$R/attrib.txt" ] && cp "$R/attrib.txt" "$D/$n-attrib.txt"
  [ -f "$R/slices.txt" ] && cp "$R/slices.txt" "$D/$n-slices.txt"
  for f in counts preempt2 jitnice top; do [ -f "$R/$f.txt" ] && cp "$R/$f.txt" "$D/$n-$f.txt"; done
  grep -E 'Pause Young|Pause Full' "$R/gc.log" | grep -v 'gc,start' | sed 's/\[[0-9.]*s\]//' > "$D/$n-pauses.txt"
  cat "$R/meta.txt" > "$D/$n-meta.txt"
done
