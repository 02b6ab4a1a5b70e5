#!/bin/bash
# slot.sh LAST_START(HH:MM UTC) NAME:JARDIR[:FLAG,FLAG] ...: cs32's runs, r31-cs31/slot.sh with its small files copied
# to docs/benchmarks/r32-cs32/ instead (run it under flock /tmp/ivr-bench.lock, from the repository's root).
SLOT_OUT=docs/benchmarks/r32-cs32 exec "$(dirname "$0")/../r31-cs31/slot.sh" "$@"
