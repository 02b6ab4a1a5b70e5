#!/bin/bash
# The lead's full ladder (twenty-first round): the simple flow at 1,000, 2,000, 5,000 and 10,000 calls, ivr and the
# stock server with its pool raised, side by side in one run, then a search for the most calls each holds with p99
# under 20 ms. Usage, from the repository's root after the install:
#   docs/benchmarks/r25-lead/ladder.sh IVR_JAR NAME
# (the jar inside an ivr-server/target with lib/ beside it). Output in target/lead25/.
set -u
jar=$1 name=$2
out=target/lead25
mkdir -p "$out"
J=$(./ivr java-home)/bin/java
echo "== $name $(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)"
flock /tmp/ivr-bench.lock "$J" -XX:+UseZGC -Xms3g -Xmx3g -jar loadgen/target/loadgen.jar compare --scenario simple \
  --servers ivr,stock-raised --levels 1000,2000,5000,10000 --search-steps 2 --hold 30s --warmup 120s --ramp 1500 \
  --ivr-jar "$jar" --name "$name" --out "$out/out" --work "$out/work-$name" > "$out/$name.log" 2>&1
echo "rc=$? $(date -u +%H:%M:%S)"
