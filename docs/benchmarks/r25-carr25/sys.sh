#!/bin/bash
# sys.sh LOADGEN_PID OUT: r16-syscalls/probe.sh's in-kernel counts (perf stat tracepoints, no ptrace) for one
# 2,000-call plateau, per thread: 8 s after the server holds 1,900 sockets, 15 s. OUT (counts), OUT.threads (tid name).
lg=$1; out=$2; ulimit -n $(ulimit -Hn)
SC="read write pwrite64 fsync fdatasync newfstat lseek epoll_ctl epoll_wait epoll_pwait futex shutdown setsockopt getsockopt close accept accept4 poll sched_yield"
ev="raw_syscalls:sys_enter,context-switches"; for s in $SC; do [ -d /sys/kernel/tracing/events/syscalls/sys_enter_$s -o -d /sys/kernel/debug/tracing/events/syscalls/sys_enter_$s ] && ev="$ev,syscalls:sys_enter_$s"; done
find_server() { for p in $(pgrep -P $lg); do if grep -q java /proc/$p/comm 2>/dev/null; then echo $p; return; fi; for c in $(pgrep -P $p); do echo $c; return; done; done; }
sockets() { ls -l /proc/$1/fd 2>/dev/null | grep -c socket; }
srv=""; while [ -z "$srv" ]; do sleep 1; kill -0 $lg 2>/dev/null || exit 0; srv=$(find_server); done
while [ "$(sockets $srv)" -lt 1900 ]; do sleep 1; kill -0 $srv 2>/dev/null || exit 0; done
sleep 8
for t in /proc/$srv/task/*; do echo "$(basename $t) $(cat $t/comm)"; done > $out.threads
echo "start $(date -u +%T.%N) threads $(ls /proc/$srv/task | wc -l) load $(cut -d' ' -f1-3 /proc/loadavg)" > $out
perf stat --per-thread -x, -e "$ev" -p $srv -- sleep 15 2>> $out
echo "end $(date -u +%T.%N)" >> $out
