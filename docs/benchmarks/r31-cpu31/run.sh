#!/bin/bash
# cpu31: one simple-flow run at 2,000 calls (the usual compare: 120 s warm-up, 30 s plateau) with sf22's jt.sh thread
# windows, optionally JFR of the plateau (profile settings; JFR=1). From the repository's root after the install:
#   docs/benchmarks/r31-cpu31/run.sh NAME JAR   (holds the benchmark lock itself unless LOCK= is given; output in target/cpu31/)
set -u
name=$1; jar=$2
J=$(./ivr java-home)/bin/java; export JCMDX=$(./ivr java-home)/bin/jcmd
out=target/cpu31; mkdir -p $out
jfr=(); [ "${JFR:-0}" = 1 ] && jfr=(--jfr $out/jfr-$name)
echo "== $name $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"; ps -eo pcpu,comm --sort=-pcpu | head -4
${LOCK-flock /tmp/ivr-bench.lock} "$J" -XX:+UseZGC -Xms3g -Xmx3g -jar loadgen/target/loadgen.jar compare --scenario simple \
  --servers ivr --ivr-jar "$jar" --levels 2000 --search-steps 0 --hold 30s --warmup 120s --ramp 1500 "${jfr[@]}" \
  --name $name --out $out --work $out/work-$name > $out/$name.log 2>&1 &
lg=$!; docs/benchmarks/r22-sf22/jt.sh $lg $out/jt-$name & wait $lg; echo "rc=$? end $(date -u +%T)"
