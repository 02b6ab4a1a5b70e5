#!/bin/bash
# idle.sh JAR NAME [WARM_S] [WINDOW_S] [JVM_OPTION...]: the ivr server as `loadgen compare` starts it (the same
# configuration as BenchDeployment writes, the same JVM options: -Xms2g -Xmx2g G1, pinned to CPU 1), with no call at
# all: started, prompts pre-rendered, WARM_S (default 60) s left alone, then its threads' CPU sampled for WINDOW_S
# (default 120) s with tsample.sh, then stopped (JVM_OPTIONs go after the benchmark's). From the repository's root after the install; output in
# target/bg26/idle-NAME(.names, -server.log); then: python3 docs/benchmarks/r26-bg26/tgroup.py target/bg26/idle-NAME +WARM_S -0 -t
set -u
jar=$(realpath "$1"); name=$2; warm=${3:-60}; window=${4:-120}; shift $(( $# < 4 ? $# : 4 ))
here=$(cd "$(dirname "$0")" && pwd); repo=$(pwd)
J=$(./ivr java-home)/bin/java; export JCMDX=$(./ivr java-home)/bin/jcmd
out=$repo/target/bg26; work=$out/work-idle-$name; rm -rf "$work"; mkdir -p "$work/flows" "$work/prompts"
cp -r flows/. "$work/flows/"; cp -r prompts/. "$work/prompts/"
mkdir -p "$work/prompts/en"
unzip -p loadgen/target/loadgen.jar bench/flows/simple.yaml > "$work/flows/simple.yaml"
unzip -p loadgen/target/loadgen.jar bench/prompts/en/bench.yaml > "$work/prompts/en/bench.yaml"
# the rendered prompts of an earlier idle run are taken along (rendering them takes minutes; not what is measured)
[ -d "$out/prompt-cache" ] && mkdir -p "$work/ivr-data" && cp -r "$out/prompt-cache" "$work/ivr-data/"
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
agi=$(port); http=$(port)
cat > "$work/bench-calendars.yaml" <<YAML
calendars:
  support:
    time-zone: UTC
    open:
      mon-sun: "00:00-24:00"
YAML
q() { printf '    - id: %s\n      skills: {%s: 1}\n      ring-time: 20s\n      wrap-up: 5s\n      max-wait: 30m\n      default-handle-time: 30s\n' $1 $2; }
cat > "$work/bench-ivr.yaml" <<YAML
# as the load generator writes it for one benchmark run (BenchDeployment.writeConfig)
node:
  name: bench
  data-dir: $work/ivr-data
agi:
  port: $agi
  max-calls: 50000
  drain-time: 5s
http:
  port: $http
cluster:
  name: bench-$(cat /proc/sys/kernel/random/uuid)
  port: 17701
flows:
  dir: $work/flows
  calendars: $work/bench-calendars.yaml
  watch: false
prompts:
  dir: $work/prompts
speech:
  enabled: false
  port: 0
routing:
  queues:
$(q support technical; q sales sales; q billing billing)
YAML
env -u IVR_CONFIG taskset -c 1 "$J" -Xms2g -Xmx2g -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError "$@" --sun-misc-unsafe-memory-access=allow \
  -jar "$jar" run --config "$work/bench-ivr.yaml" > "$out/idle-$name-server.log" 2>&1 &
srv=$!
for i in $(seq 600); do grep -q "pre-rendered " "$out/idle-$name-server.log" && break; kill -0 $srv || exit 1; sleep 1; done
echo "$name: pre-rendered at $(date -u +%T); load $(cut -d' ' -f1-3 /proc/loadavg)"
[ -d "$out/prompt-cache" ] || cp -r "$work/ivr-data/prompt-cache" "$out/"
sleep "$warm"
taskset -c 0 "$here/tsample.sh" $srv "$out/idle-$name" 2 & smp=$!
sleep "$window"
echo "$name: sampled to $(date -u +%T); load $(cut -d' ' -f1-3 /proc/loadavg)"
kill $smp; kill $srv; wait $srv
