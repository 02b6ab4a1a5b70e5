#!/bin/bash
# t26's first slot: ivr at 5,000 calls, the stock server (pool raised) at 5,000, ivr again with a JFR recording of the
# plateau (profile settings and CPU-time samples), each with run.sh's GC log and thread samples; under the lock.
# usage: flock /tmp/ivr-bench.lock docs/benchmarks/r26-t26/slot1.sh JAR
JAR=$1
D=$(dirname "$0")
$D/run.sh ivr-a $JAR
SERVER=stock-raised $D/run.sh stock-a $JAR
LOADGEN_OPTS="--jfr $(pwd)/target/t26/ivr-jfr/jfr" $D/run.sh ivr-jfr $JAR
