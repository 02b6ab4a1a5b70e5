#!/bin/sh
# WriterProbe (every index) with main's jar and this branch's, alternately: JARS="main js25 main js25" [FLUSHES=1200]
J=$(./ivr java-home)/bin/java
for j in ${JARS:-main js25 main js25}; do
  echo "$j $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg): $($J -cp "ivr-server/target/ivr-server-$j.jar:ivr-server/target/lib/*" \
    docs/benchmarks/r25-js25/WriterProbe.java ${FLUSHES:-1200} main 2>&1 | grep '^every')"
done
