#!/bin/bash
# fsync.sh LOADGEN_PID OUT: every fdatasync/fsync of the ivr server's process (each one's thread, start and end, from
# the kernel's tracepoints via perf record: no ptrace), for 15 s of a 2,000-call plateau (8 s after the server holds
# 1,900 sockets; FSYNC_SOCKETS=N for another level). OUT.txt: perf script's lines; fsync.py OUT.txt makes the table.
lg=$1; out=$2; ulimit -n $(ulimit -Hn)
find_server() { for p in $(pgrep -P $lg); do if grep -q java /proc/$p/comm 2>/dev/null; then echo $p; return; fi; for c in $(pgrep -P $p); do echo $c; return; done; done; }
sockets() { ls -l /proc/$1/fd 2>/dev/null | grep -c socket; }
srv=""; while [ -z "$srv" ]; do sleep 1; kill -0 $lg 2>/dev/null || exit 0; srv=$(find_server); done
while [ "$(sockets $srv)" -lt ${FSYNC_SOCKETS:-1900} ]; do sleep 1; kill -0 $srv 2>/dev/null || exit 0; done
sleep 8
echo "start $(date -u +%T.%N) load $(cut -d' ' -f1-3 /proc/loadavg)" > $out.info
perf record -q -e syscalls:sys_enter_fdatasync,syscalls:sys_exit_fdatasync,syscalls:sys_enter_fsync,syscalls:sys_exit_fsync \
  -p $srv -o $out.data -- sleep 15 2>> $out.info
perf script -i $out.data -F comm,tid,time,event > $out.txt 2>> $out.info
rm -f $out.data
echo "end $(date -u +%T.%N)" >> $out.info
