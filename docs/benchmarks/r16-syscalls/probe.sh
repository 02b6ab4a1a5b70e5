#!/bin/bash
# probe.sh LOADGEN_PID OUTFILE (run.sh starts it) : finds the server started by the load generator, and for each plateau
# (sockets >= 950, then >= 1900) counts system calls by kind (perf stat tracepoints, in-kernel counters,
# no ptrace), context switches of all threads and /proc/PID/io over 15 s.
# With JCMD set (a JDK's jcmd; r17-cb17/run.sh sets it), each platform thread's CPU time is taken from
# `jcmd Thread.print` before and after each plateau's windows too (files .jt0 and .jt1; r17-cb17/percmd.py reads them).
lg=$1; out=$2; : > $out; ulimit -n $(ulimit -Hn)
SC="read write sendto recvfrom epoll_ctl epoll_wait epoll_pwait futex shutdown setsockopt getsockopt close accept poll sched_yield"
ev="raw_syscalls:sys_enter,context-switches"; for s in $SC; do ev="$ev,syscalls:sys_enter_$s"; done
find_server() { for p in $(pgrep -P $lg); do if grep -q java /proc/$p/comm 2>/dev/null; then echo $p; return; fi; for c in $(pgrep -P $p); do echo $c; return; done; done; }
ctx() { local v=0 n=0; for t in /proc/$1/task/*; do read a b < <(awk '/^voluntary_ctxt/{v=$2}/^nonvoluntary_ctxt/{n=$2}END{print v, n}' $t/status 2>/dev/null); v=$((v+a)); n=$((n+b)); done; echo "$v $n"; }
sockets() { ls -l /proc/$1/fd 2>/dev/null | grep -c socket; }
srv=""; while [ -z "$srv" ]; do sleep 1; kill -0 $lg 2>/dev/null || exit 0; srv=$(find_server); done
echo "server pid $srv: $(tr '\0' ' ' < /proc/$srv/cmdline | cut -c1-300)" >> $out
jt() { [ -n "$JCMD" ] && "$JCMD" $srv Thread.print 2>/dev/null | grep '^"' > $out.$1.$2; }
measure() { # label
  jt $1 jt0
  local c0 c1 io0 io1 cpu0 cpu1
  c0=$(ctx $srv); io0=$(awk '/syscr|syscw/{printf "%s ", $2}' /proc/$srv/io); cpu0=$(awk '{print $14+$15}' /proc/$srv/stat)
  if [ $(( $(ls /proc/$srv/task | wc -l) * 18 )) -lt 19000 ]; then
    perf stat -x, -e "$ev" -p $srv -- sleep 15 2> /tmp/r16-perf.$$
    if [ $(ls /proc/$srv/task | wc -l) -lt 300 ]; then # per thread, by thread name, once more (another 15 s)
      for t in /proc/$srv/task/*; do echo "$(basename $t) $(cat $t/comm)"; done > $out.$1.threads
      perf stat --per-thread -x, -e "$ev" -p $srv -- sleep 15 2> $out.$1.perthread
    fi
  else # too many threads for per-thread counters under the fd limit: strace (slows the process; counts per command stay valid)
    timeout -s INT 15 strace -c -f -p $srv -o /tmp/r16-perf.$$ 2>/dev/null; sed -i 's/^/strace,/' /tmp/r16-perf.$$
  fi
  jt $1 jt1
  c1=$(ctx $srv); io1=$(awk '/syscr|syscw/{printf "%s ", $2}' /proc/$srv/io); cpu1=$(awk '{print $14+$15}' /proc/$srv/stat)
  { echo "== $1 at $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg) sockets $(sockets $srv) threads $(ls /proc/$srv/task | wc -l)"
    echo "ctx before $c0 after $c1 ; io(syscr syscw) before $io0 after $io1 ; cpu ticks $cpu0 -> $cpu1"
    awk -F, '/^strace,/{sub(/^strace,/,""); print; next}{print $3, $1}' /tmp/r16-perf.$$ ; } >> $out
}
while [ "$(sockets $srv)" -lt 950 ]; do sleep 1; kill -0 $srv 2>/dev/null || exit 0; done
sleep 50; measure L1000
while [ "$(sockets $srv)" -lt 1900 ]; do sleep 1; kill -0 $srv 2>/dev/null || exit 0; done
sleep 5; measure L2000
