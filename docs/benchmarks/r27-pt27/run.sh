#!/bin/bash
# pt27 (twenty-third round): the simple flow at 1,000, 5,000 and 10,000 calls in one run (one server start, one
# warm-up), ivr alone, its calls on virtual threads (main's jar, or --call-threads virtual) or on platform threads.
# Usage, from the repository's root after the install:
#   docs/benchmarks/r27-pt27/run.sh NAME IVR_JAR virtual|platform   (platform-pooled when this ran; now platform)
# (the jar inside a directory with lib/ beside it). Output in target/pt27/ (NAME.log, out/NAME*.csv|md, work-NAME/).
# LOCK=-n: give up if the lock is held (outside one's slot).
set -u
name=$1 jar=$2 kind=$3
out=target/pt27
mkdir -p "$out"
J=$(./ivr java-home)/bin/java
opt=()
[ "$kind" != virtual ] && opt=(--call-threads "$kind") # virtual: written as nothing, so main's jar reads the config too
echo "== $name $kind $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/runs.txt"
flock ${LOCK:-} /tmp/ivr-bench.lock "$J" -XX:+UseZGC -Xms3g -Xmx3g -jar loadgen/target/loadgen.jar compare --scenario simple \
  --servers ivr --levels 1000,5000,10000 --search-steps 0 --hold 30s --warmup 120s --ramp 1500 \
  --ivr-jar "$jar" "${opt[@]}" --name "$name" --out "$out/out" --work "$out/work-$name" > "$out/$name.log" 2>&1
echo "rc=$? $name $(date -u +%H:%M:%S)" | tee -a "$out/runs.txt"
