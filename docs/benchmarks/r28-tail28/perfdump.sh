#!/bin/bash
# perfdump.sh RUN_DIR [LEVEL=2000] (SCEN=customer-service for that flow; default the simple flow): the scheduler trace of the plateau (its timeline's seconds, +-1 s) as text
# (RUN_DIR/perf.txt), for attrib.py; perf.data is then deleted unless KEEP=1 (it is hundreds of MB).
set -eu
R=$1; L=${2:-2000}
OFF=$(awk '{s+=$2;n++} END {printf "%.6f", s/n}' "$R/clock.txt")
TL="$R/tl/ivr-${SCEN:-simple}-$L-timeline.csv"
day=$(date -u -r "$TL" +%F)
first=$(sed -n 2p "$TL" | cut -d, -f1); last=$(tail -1 "$TL" | cut -d, -f1)
a=$(python3 -c "import datetime as d;print('%.6f'%(d.datetime.fromisoformat('${day}T$first+00:00').timestamp()-1-$OFF))")
b=$(python3 -c "import datetime as d;print('%.6f'%(d.datetime.fromisoformat('${day}T$last+00:00').timestamp()+2-$OFF))")
nice -n 19 perf script -i "$R/perf.data" -F pid,tid,cpu,time,event,trace --ns --time "$a,$b" > "$R/perf.txt" 2> "$R/perfdump.err"
wc -l < "$R/perf.txt"
[ "${KEEP:-0}" = 1 ] || rm -f "$R/perf.data"
