#!/bin/bash
# nice27's slot: from START (UTC, HHMMSS) the runs named in ORDER one after another, each holding the benchmark lock,
# each only if it can start by LAST (HHMMSS; a run of run.sh takes about 4 min 50 s).
# Usage, from the repository root after the install:
#   docs/benchmarks/r27-nice27/slot.sh BEFORE_JAR AFTER_JAR START LAST NAME...   (NAME: before2, after2, ...)
b=$1 a=$2 start=$3 last=$4; shift 4
while [ "$(date -u +%H%M%S)" -lt "$start" ]; do sleep 5; done
for n in "$@"; do
  case $n in before*) jar=$b ;; *) jar=$a ;; esac
  flock /tmp/ivr-bench.lock bash -c '[ "$(date -u +%H%M%S)" -gt "$1" ] && { echo "== $2 skipped, too late $(date -u +%H:%M:%S)"; exit 3; }
    exec docs/benchmarks/r27-nice27/run.sh "$2" "$3"' _ "$last" "$n" "$jar" || break
done
