#!/bin/bash
# lone32: the simple flow at 2,000 calls, main's jar against this branch's, a pair in both orders (main, lone, lone,
# main) back to back under one hold of the benchmark lock, with cpu31's run.sh (120 s warm-up, 30 s plateau, sf22's
# jt.sh thread windows). From the repository's root, after copying main's jar and lib/ to target/bench/main/ and this
# branch's to target/bench/lone32/:
#   flock /tmp/ivr-bench.lock docs/benchmarks/r32-lone32/pair.sh     -> target/cpu31/{main-1,lone-1,lone-2,main-2}*
# then, per run, docs/benchmarks/r31-cpu31/post.sh NAME (the per-thread table, sf22's jtable.py).
set -u
export LOCK=
d=docs/benchmarks/r31-cpu31
$d/run.sh main-1 target/bench/main/ivr-server.jar
$d/run.sh lone-1 target/bench/lone32/ivr-server.jar
$d/run.sh lone-2 target/bench/lone32/ivr-server.jar
$d/run.sh main-2 target/bench/main/ivr-server.jar
echo "end $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
