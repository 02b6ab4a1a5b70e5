#!/bin/bash
# slices.sh RUN_DIR: the running server's (run.sh's, --config RUN_DIR/work) background writers, JIT compiler threads
# and carriers with their nice value, policy (0 SCHED_OTHER, 5 SCHED_IDLE) and EEVDF slice (se.slice, ns).
sp=$(pgrep -f -- "java.*[-]-config $1/work" | head -1)
for t in /proc/$sp/task/*; do
  c=$(cat $t/comm 2>/dev/null)
  case "$c" in journal-outbox|crm-writer|crm-outbox|journal-kpis|journal-tail|jit-slice|C1\ CompilerThre*|C2\ CompilerThre*|ForkJoinPool-1-*)
    echo "$c | ${t##*/} | $(sed 's/.*) //' $t/stat | awk '{print "nice", $17, "policy", $39}') | slice $(awk -F: '/^se.slice/ {gsub(/ /,"",$2); print $2}' $t/sched)";;
  esac
done
