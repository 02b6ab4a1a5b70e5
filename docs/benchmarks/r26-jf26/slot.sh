#!/bin/bash
# jf26's slot: main's jar and this branch's, four 2,000-call runs in the order A B B A (both orders), each with
# fsync.sh's record of the server's forces. Usage, from the repository root after the install:
#   flock /tmp/ivr-bench.lock docs/benchmarks/r26-jf26/slot.sh MAIN_JAR JF26_JAR [SUFFIX]
main=$1 jf=$2 s=${3:-}
for x in main-1$s:$main jf26-1$s:$jf jf26-2$s:$jf main-2$s:$main; do
  docs/benchmarks/r26-jf26/run.sh ${x%%:*} ${x#*:}
done
