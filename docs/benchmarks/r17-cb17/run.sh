#!/bin/bash
# run.sh NAME [loadgen compare options...]: the twelfth round's r16-syscalls run (simple flow, ivr only, 1,000 and 2,000
# calls) with r16-syscalls/probe.sh (JCMD set): system calls by kind (perf stat), then per thread, and each platform thread's
# CPU time from two `jcmd Thread.print` snapshots around the windows (percmd.py: per AGI command). Run from the
# repository's root after `./ivr mvn -q -DskipTests -Divr.unit.skip=true install`; results in target/r17-syscalls/.
#   docs/benchmarks/r17-cb17/run.sh before --ivr-jar ivr-server/target/main.jar
#   python3 docs/benchmarks/r17-cb17/percmd.py target/r17-syscalls/before.probe.L1000
#   python3 docs/benchmarks/r16-syscalls/by-thread.py target/r17-syscalls/before.probe.L1000
n=$1; shift
J=$(./ivr java-home)/bin/java; export JCMD=$(./ivr java-home)/bin/jcmd
d=target/r17-syscalls; mkdir -p $d; here=$(dirname "$0")/../r16-syscalls
{ date -u; uptime; } > $d/$n.log
flock /tmp/ivr-bench.lock bash -c '
  { echo "lock taken $(date -u +%T)"; uptime; ps -eo pcpu,comm --sort=-pcpu | head -6; }
  '$J' -Xmx3g -jar loadgen/target/loadgen.jar compare --scenario simple --servers ivr --levels 1000,2000 \
    --search-steps 0 --hold 30s --warmup 45s --ramp 1500 --name '$n' --out '$d'/out --work '$d'/work-'$n' "$@" &
  lg=$!; '$here'/probe.sh $lg '$d'/'$n'.probe & wait $lg; echo rc=$? $(date -u +%T)' _ "$@" >> $d/$n.log 2>&1
