#!/bin/bash
# A slot's customer-service runs back to back under one hold of the benchmark lock, each NAME=OPT,OPT,... (no OPT:
# the loadgen's G1 as it is). From the repository's root:
#   flock /tmp/ivr-bench.lock docs/benchmarks/r28-cs28/slot.sh JAR NAME[=OPT,...] ...
# e.g. slot.sh target/main.jar gen1=-XX:-UseG1GC,-XX:+UseShenandoahGC,-XX:ShenandoahGCMode=generational g1a
JAR=$1; shift
for x in "$@"; do
  n=${x%%=*}; o=""; [[ $x == *=* ]] && o=${x#*=}
  IFS=, read -r -a opts <<< "$o"
  docs/benchmarks/r28-cs28/cs.sh "$n" "$JAR" "${opts[@]}"
done
