#!/bin/bash
# One customer-service run at 10,000 calls as r23-cs23/run.sh (the GC log this round reads, pauses.py on it), plus a
# class histogram after the plateau's full GC (--histogram) and a JSON thread dump in the settle (dump.sh).
# usage: [HOLD=60s] docs/benchmarks/r25-cs25/run.sh NAME IVR_JAR [SERVER_JVM_OPT...]   (from the repository's root)
# writes target/cs23/NAME/{gc.log,out/,tl/,work/,histo/,loadgen.txt,pauses.txt,NAME.threads.json}
set -u
N=$1; JAR=$2; shift 2
B="$(pwd)/target/cs23"
mkdir -p $B/$N
docs/benchmarks/r25-cs25/dump.sh $B/$N/$N $JAR &
DUMP=$!
LOADGEN_OPTS="--histogram $B/$N/histo" docs/benchmarks/r23-cs23/run.sh "$N" "$JAR" "$@"
kill $DUMP 2>/dev/null
