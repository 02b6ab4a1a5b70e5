#!/bin/bash
# slot.sh QUEUE_FILE LAST_START(HH:MM, UTC): under one hold of the lock (run it with flock /tmp/ivr-bench.lock), takes
# the first line of QUEUE_FILE ("NAME ENV=VALUE... -- JAR [SERVER_JVM_OPT...]"), removes it, runs it with r30-cs30/run.sh
# (the env assignments before "--" given to it), then post.sh; again until the file is empty or LAST_START has passed
# (the file is read again before each run, so runs can be added or changed meanwhile).
set -u
Q=$1; LAST=$2
while [ -s "$Q" ] && [[ "$(date -u +%H:%M)" < "$LAST" || "$(date -u +%H:%M)" == "$LAST" ]]; do
  line=$(head -1 "$Q"); sed -i 1d "$Q"
  [ -z "$line" ] && continue
  name=${line%% *}; rest=${line#* }
  envs=${rest%% -- *}; args=${rest#* -- }
  echo "$(date -u +%T) run $name env [$envs] args [$args]"
  env $envs docs/benchmarks/r30-cs30/run.sh $name $args
  docs/benchmarks/r30-cs30/post.sh $name
  echo "$(date -u +%T) done $name: $(grep -E '^(p99|p999|cpu_k|heap_kb|failed|concurrent_pct|pacing_ms|degenerated):' target/cs30/$name/plateau.txt | tr '\n' ' ')"
done
