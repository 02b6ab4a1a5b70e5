#!/bin/bash
# lone32: HeldFlushProbe (test sources) as run right after the pair, under the lock (slot.sh's own probe step was
# skipped: the pair ended at 23:23). From the repository's root after a build with test classes
# (./ivr mvn -q -o -pl routing,ivr-server -P '!dist-for-tests' -Dtest=HeldCheckpointsTest test) and the test classpath:
#   ./ivr mvn -q -o -pl ivr-server dependency:build-classpath -Dmdep.outputFile=$PWD/target/lone32-test-cp.txt -Dmdep.includeScope=test
#   flock /tmp/ivr-bench.lock docs/benchmarks/r32-lone32/probe.sh
set -u
J=$(./ivr java-home)/bin/java
cp="ivr-server/target/test-classes:ivr-server/target/classes:$(cat target/lone32-test-cp.txt)"
echo "== probe $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
"$J" -cp "$cp" dev.ivr.server.cluster.HeldFlushProbe 2000 3 1500 2 2>&1 | grep '^round'   # calls steps size rounds
"$J" -cp "$cp" dev.ivr.server.cluster.HeldFlushProbe 10000 3 1500 1 2>&1 | grep '^round'
"$J" -cp "$cp" dev.ivr.server.cluster.HeldFlushProbe 10000 3 1500 2 2>&1 | grep '^round'
echo "end $(date -u +%T)"
