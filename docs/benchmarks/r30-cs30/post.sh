#!/bin/bash
# post.sh NAME...: after r30-cs30/run.sh (needs no lock): the scheduler trace as text (tail28's perfdump.sh), tail28's attrib.py over 5 ms,
# bursts.py; copies the small files to docs/benchmarks/r30-cs30/ (NAME.md the loadgen's table, NAME-plateau.txt,
# NAME-attrib5.txt, NAME-bursts.txt, NAME-timeline.csv, NAME-idle.txt, NAME-meta.txt); deletes perf.data and perf.txt.
set -u
D=docs/benchmarks/r30-cs30
T=docs/benchmarks/r28-tail28
export SCEN=customer-service
for N in "$@"; do
  R=target/cs30/$N
  if [ -f $R/perf.data ]; then
    KEEP=1 $T/perfdump.sh $R 10000 > /dev/null
    nice -n 19 python3 $T/attrib.py $R 5 10000 > $R/attrib5.txt 2>&1
  fi
  python3 $D/bursts.py $R > $R/bursts.txt 2>&1
  cp $R/out/$N.md $D/$N.md
  cp $R/plateau.txt $D/$N-plateau.txt
  cp $R/meta.txt $D/$N-meta.txt
  cp $R/tl/ivr-customer-service-10000-timeline.csv $D/$N-timeline.csv
  cp $R/bursts.txt $D/$N-bursts.txt
  [ -f $R/attrib5.txt ] && cp $R/attrib5.txt $D/$N-attrib5.txt
  [ -f $R/idle.txt ] && cp $R/idle.txt $D/$N-idle.txt
  [ -f $R/top.txt ] && cp $R/top.txt $D/$N-top.txt
  rm -f $R/perf.txt
done
