#!/bin/bash
# nice27: copies run.sh's small files of the named runs from target/nice27 to here (the table, the per-command csv,
# the writers' backlog and nice values), then the table of all of them: collect.sh NAME...
cd "$(dirname "$0")"; src=../../../target/nice27
for n in "$@"; do
  cp $src/out/$n.md $n.md; cp $src/out/$n-commands.csv $n-commands.csv 2>/dev/null
  cp $src/watch-$n.csv .; for f in $src/watch-$n-nice*.txt; do [ -f "$f" ] && cp "$f" .; done
done
python3 table.py $src "$@" > runs.md
