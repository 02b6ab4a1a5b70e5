#!/bin/sh
# jit24's before/after (20:40-20:58): main's jar without and with slot1.sh's AOT cache (target/aot/main.aot),
# alternating, 120 s warm-up, no other diagnostics; this branch's load generator (the JIT compilers' column).
STOP=${STOP:-2054}
. docs/benchmarks/r24-jit24/run.sh
timely s2-main; run s2-main 120s
timely s2-aot; run s2-aot 120s --server-jvm-opt=-XX:AOTCache=$A/main.aot
timely s2-main2; run s2-main2 120s
timely s2-aot2; run s2-aot2 120s --server-jvm-opt=-XX:AOTCache=$A/main.aot
echo "end $(date -u +%H:%M:%S) $(uptime)"
