#!/usr/bin/env bash
# Runs unit test classes over and over in one JVM squeezed onto one core with CPU hogs beside them (fl27, flaky tests).
# Usage (from the repository root, after ./ivr mvn -q -o -DskipTests -Divr.unit.skip=true install):
#   flock /tmp/ivr-bench.lock docs/benchmarks/r27-fl27/stress.sh SECONDS HOGS PARALLELISM CLASS[#method]...
# PARALLELISM: the common pool's (surefire sets 2; an IDE on a two-processor machine gets 1).
# EXTRA_CP: classes put first (e.g. an older Outbox compiled to a directory, for a before/after).
# CPUS=0 (default): one core, where a thread that signals usually runs on; CPUS=0,1: both, where the woken one runs at once.
set -euo pipefail
seconds=$1 hogs=$2 par=$3; shift 3
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export MAVEN_OPTS=${MAVEN_OPTS:-}
./ivr mvn -q -o -pl ivr-server dependency:build-classpath -Dmdep.outputFile="$work/cp" -Dmdep.includeScope=test >/dev/null
repo=$(dirname "$(tr ':' '\n' < "$work/cp" | grep junit-platform-engine | head -1)")/../..
launcher=$(ls "$repo"/junit-platform-launcher/"$(basename "$(dirname "$(tr ':' '\n' < "$work/cp" | grep junit-platform-engine | head -1)")")"/*.jar)
cp="ivr-server/target/test-classes:ivr-server/target/classes:$(cat "$work/cp"):$launcher"
jh=$(./ivr java-home)
"$jh/bin/javac" -d "$work" -cp "$cp" "$here/Loop.java"
CI=true taskset -c "${CPUS:-0}" "$jh/bin/java" -Djava.util.concurrent.ForkJoinPool.common.parallelism="$par" -Dloop.seconds="$seconds" \
  -cp "${EXTRA_CP:+$EXTRA_CP:}$work:$cp" Loop 100000 "$hogs" "$@" </dev/null 2>&1 | grep -E '^(runs|  [0-9]+x|FAIL)' || true
