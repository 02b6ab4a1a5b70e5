#!/bin/bash
# run.sh NAME SERVER [jvm-opt...]: one `loadgen compare` (simple flow, 1,000 and 2,000 calls) with probe.sh counting the
# server's system calls, context switches and /proc/PID/io over 15 s of each plateau. Run from the repository's root
# after `./ivr mvn -q -DskipTests -Divr.unit.skip=true install`; results in target/r16-syscalls/.
n=$1; server=$2; shift 2
opts=(); for o in "$@"; do opts+=("--server-jvm-opt=$o"); done
d=target/r16-syscalls; mkdir -p $d; here=$(dirname "$0")
uptime > $d/$n.log
flock /tmp/ivr-bench.lock bash -c '
  java -Xmx3g -jar loadgen/target/loadgen.jar compare --scenario simple --servers '$server' --levels 1000,2000 \
    --search-steps 0 --hold 30s --warmup 45s --ramp 1500 --name '$n' --out '$d'/out --work '$d'/work-'$n' "$@" &
  lg=$!; '$here'/probe.sh $lg '$d'/'$n'.probe & wait $lg; echo rc=$?' _ "${opts[@]}" >> $d/$n.log 2>&1
