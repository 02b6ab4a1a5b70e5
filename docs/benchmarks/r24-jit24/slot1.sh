#!/bin/sh
# jit24's diagnosis slot (19:35-20:08), the runs in the order they ran (they ran from four scripts, slot1.sh to
# slot1d.sh, merged here: the first version's jt.sh found the load generator, not the server, so diag-main has no
# threads table). diag-main: main with -XX:+PrintCompilation and JFR's jdk.Compilation (threshold 0); train: the JDK 25
# AOT cache's training run (-XX:AOTCacheOutput; the JVM writes the cache when the server stops); diag-nocache: meant
# as diag-main with the cache, which the JVM refused (JFR from the start adds the jdk.jfr module): a second diag-main;
# diag-aot2: the cache with PrintCompilation; plain-aot, plain-main: without diagnostics; main-w300: main after a
# 300 s warm-up (the steady state). jitwin.py then reads each server log with its jt.sh file.
STOP=${STOP:-2010}
. docs/benchmarks/r24-jit24/run.sh
timely diag-main; run diag-main 120s $JITOPTS $(jfr diag-main)
timely train; run train 60s --server-jvm-opt=-XX:AOTCacheOutput=$A/main.aot
timely diag-nocache; run diag-nocache 120s $JITOPTS $(jfr diag-nocache) --server-jvm-opt=-XX:AOTCache=$A/main.aot --server-jvm-opt=-Xlog:aot
timely diag-aot2; run diag-aot2 120s $JITOPTS --server-jvm-opt=-XX:AOTCache=$A/main.aot --server-jvm-opt=-Xlog:aot
timely plain-aot; run plain-aot 120s --server-jvm-opt=-XX:AOTCache=$A/main.aot
timely plain-main; run plain-main 120s
timely main-w300; run main-w300 300s
echo "end $(date -u +%H:%M:%S) $(uptime)"
