#!/bin/bash
# t26's second slot: ivr and the stock server (pool raised) at 5,000 calls with the load generator's --steady-ramp
# (each level reached at the rate its calls are replaced at), otherwise as slot1.sh's runs; under the lock.
# usage: flock /tmp/ivr-bench.lock docs/benchmarks/r26-t26/slot2.sh JAR
JAR=$1
D=$(dirname "$0")
LOADGEN_OPTS="--steady-ramp" $D/run.sh ivr-steady $JAR
LOADGEN_OPTS="--steady-ramp" SERVER=stock-raised $D/run.sh stock-steady $JAR
