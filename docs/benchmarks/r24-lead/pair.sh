#!/bin/bash
# lead's pair: main before this round (75cc231) then the merged main, back to back
cd /work/main
J=$(./ivr java-home)/bin/java
for x in before:/tmp/wt-base/ivr-server/target/ivr-server.jar after:/work/main/ivr-server/target/ivr-server.jar; do
  n=${x%%:*}; jar=${x#*:}
  echo "== $n $(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)"
  $J -XX:+UseZGC -Xms3g -Xmx3g -jar loadgen/target/loadgen.jar compare --scenario simple --servers ivr --levels 2000 \
    --search-steps 0 --hold 30s --warmup 120s --ramp 1500 --ivr-jar $jar --name lead-$n --out /tmp/lead24/out \
    --work /tmp/lead24/work-$n > /tmp/lead24/$n.log 2>&1
  echo "rc=$?"
done
