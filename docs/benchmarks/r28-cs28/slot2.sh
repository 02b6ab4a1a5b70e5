#!/bin/bash
# cs28's second slot: the simple flow at 2,000 and 5,000 calls, main's jar on G1 then on generational Shenandoah.
#   flock /tmp/ivr-bench.lock docs/benchmarks/r28-cs28/slot2.sh target/main/ivr-server.jar
JAR=$1
docs/benchmarks/r28-cs28/simple.sh s-g1 $JAR
docs/benchmarks/r28-cs28/simple.sh s-gen $JAR -XX:-UseG1GC -XX:+UseShenandoahGC -XX:ShenandoahGCMode=generational -XX:-ExplicitGCInvokesConcurrent
