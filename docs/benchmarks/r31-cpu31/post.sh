#!/bin/bash
# cpu31: the tables of one run of run.sh (from the repository's root): the load generator's summary line, the threads'
# CPU per 1,000 commands (sf22's jtable.py), and with JFR=1 the loadgen's profile summary and the busiest threads'
# methods (bg26's jfrtop.py over the CPU-time samples), the calls' threads by frame (carr25's carriers.py).
#   docs/benchmarks/r31-cpu31/post.sh NAME      -> target/cpu31/NAME-*.txt|md
set -u
n=$1; out=target/cpu31; J=$(./ivr java-home)/bin
cps=$(grep -h "^| ivr" $out/$n.md 2>/dev/null | head -1 | awk -F'|' '{x=$6; gsub(/[ ,]/,"",x); print x}')
echo "commands/s: $cps"
[ -n "$cps" ] && python3 docs/benchmarks/r22-sf22/jtable.py $out/jt-$n:$cps:$n > $out/$n-threads.md && cat $out/$n-threads.md
f=$(ls $out/jfr-$n/*.jfr 2>/dev/null | head -1)
if [ -n "$f" ]; then
  "$J/java" -jar loadgen/target/loadgen.jar profile --top 25 "$f" > $out/$n-profile.md
  "$J/jfr" print --events jdk.CPUTimeSample --stack-depth 96 "$f" > $out/$n-cpu.txt
  python3 docs/benchmarks/r26-bg26/jfrtop.py $out/$n-cpu.txt 16 > $out/$n-jfrtop.txt
  python3 docs/benchmarks/r25-carr25/carriers.py $out/$n-cpu.txt > $out/$n-carriers.txt 2>&1
  python3 docs/benchmarks/r18-sf18/layers.py $out/$n-cpu.txt > $out/$n-layers.txt 2>&1
fi
