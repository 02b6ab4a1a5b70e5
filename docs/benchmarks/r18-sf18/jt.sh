#!/bin/bash
# jt.sh LOADGEN_PID OUT: each platform thread's CPU time (jcmd Thread.print cpu=) 35 s and 55 s after 1,000 sockets, 8 s and
# 23 s after 2,000 (the 2,000-call plateau is over sooner), and the process's CPU ticks (/proc/PID/stat) at the same moments.
# JCMDX: the JDK's jcmd (ab.sh sets it). Python: jtdelta.py OUT L1000 COMMANDS_PER_S groups the threads' CPU.
lg=$1; out=$2
find_server() { for p in $(pgrep -P $lg); do if grep -q java /proc/$p/comm 2>/dev/null; then echo $p; return; fi; for c in $(pgrep -P $p); do echo $c; return; done; done; }
sockets() { ls -l /proc/$1/fd 2>/dev/null | grep -c socket; }
snap() { "$JCMDX" $srv Thread.print 2>/dev/null | grep '^"' > $out.$1; echo "$1 $(date -u +%T.%N) ticks $(awk '{print $14+$15}' /proc/$srv/stat) load $(cut -d' ' -f1-3 /proc/loadavg)" >> $out; }
for lvl in 950:L1000:35:20 1900:L2000:8:15; do
  IFS=: read n name w1 w2 <<< "$lvl"
  srv=""; while [ -z "$srv" ]; do sleep 1; kill -0 $lg 2>/dev/null || exit 0; srv=$(find_server); done
  while [ "$(sockets $srv)" -lt $n ]; do sleep 1; kill -0 $srv 2>/dev/null || exit 0; done
  sleep $w1; snap $name.0; sleep $w2; snap $name.1
done
