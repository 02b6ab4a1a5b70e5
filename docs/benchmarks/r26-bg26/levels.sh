#!/bin/bash
# levels.sh JAR NAME [LEVELS] [LOADGEN OPTION...]: the simple flow's compare for ivr alone at LEVELS (default 1000,100:
# the warm-up's 1,000 calls held on into the first plateau, then down to a trickle of 100), under the benchmark lock,
# with tsample.sh on the server all along and the load generator's lines stamped with the wall clock (UTC), so that
# tgroup.py gives each plateau's CPU by thread: its window is the 30 s before the plateau's first per-command line.
# WARMUP: the warm-up (default 120s). A fresh work directory, with the prompts rendered by an earlier run (idle.sh's)
# copied in (not what is measured).
# From the repository's root after the install; output in target/bg26/NAME.log, NAME-threads(.names), out/NAME.md.
set -u
jar=$1; name=$2; levels=${3:-1000,100}; shift $(( $# < 3 ? $# : 3 ))
here=$(cd "$(dirname "$0")" && pwd)
J=$(./ivr java-home)/bin/java; export JCMDX=$(./ivr java-home)/bin/jcmd
out=target/bg26; work=$out/work-$name; rm -rf "$work"; mkdir -p "$work/ivr-data"
[ -d "$out/prompt-cache" ] && cp -r "$out/prompt-cache" "$work/ivr-data/"
echo "== $name $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)" > "$out/$name.log"
flock /tmp/ivr-bench.lock "$J" -XX:+UseZGC -Xms3g -Xmx3g -jar loadgen/target/loadgen.jar compare --scenario simple \
  --servers ivr --levels "$levels" --search-steps 0 --hold 30s --warmup "${WARMUP:-120s}" --ramp 1500 --ivr-jar "$jar" \
  --name "$name" --out "$out/out" --work "$work" "$@" 2>&1 | while IFS= read -r l; do echo "$(date -u +%T) $l"; done >> "$out/$name.log" &
# the server: the java process started with this work directory's configuration
for i in $(seq 900); do srv=$(pgrep -f -- "--config $work/bench-ivr.yaml" | head -1); [ -n "$srv" ] && break; sleep 1; done
echo "$(date -u +%T) server $srv" >> "$out/$name.log"
taskset -c 0 "$here/tsample.sh" "$srv" "$out/$name-threads" 2 &
wait
