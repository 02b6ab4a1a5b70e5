#!/bin/bash
# jitnice.sh RUN_DIR NICE [SECONDS=400] [DELAY=0]: DELAY seconds after its start, from outside the server, gives the JIT's compiler threads of the running
# server (run.sh's, --config RUN_DIR/work) the nice value NICE by tid (renice; raising one's own threads' nice value
# needs no privilege), scanning /proc/PID/task again every 3 s for SECONDS (the JVM starts and stops compiler threads as
# its queue grows and shrinks); each thread reniced is logged to RUN_DIR/jitnice.txt.
set -u
R=$1; N=$2; T=${3:-400}; sleep "${4:-0}"
end=$(( $(date +%s) + T )); declare -A done
while [ "$(date +%s)" -lt "$end" ]; do
  sp=$(pgrep -f -- "java.*[-]-config $R/work" | head -1)
  if [ -n "$sp" ]; then
    for t in /proc/$sp/task/*; do
      tid=${t##*/}; [ -n "${done[$tid]:-}" ] && continue
      c=$(cat "$t/comm" 2>/dev/null) || continue
      case "$c" in "C1 CompilerThre"*|"C2 CompilerThre"*)
        renice -n "$N" -p "$tid" > /dev/null 2>&1 && done[$tid]=1 && echo "$(date -u +%T) $c $tid nice $N" >> "$R/jitnice.txt";;
      esac
    done
  fi
  sleep 3
done
