#!/bin/bash
# jt.sh LOADGEN_PID OUT [W1 W2]: each platform thread's CPU time (jcmd Thread.print cpu=) W1 s (default 8) and W1+W2 s
# (default 20 more) after the server holds 1,900 sockets (the 2,000-call level of `compare --levels 2000`: the warm-up
# holds 1,000; settle 5 s, plateau 30 s), and the process's CPU ticks (/proc/PID/stat) at the same moments (sf18's jt.sh,
# one level). JCMDX: the JDK's jcmd. Then: python3 ../r18-sf18/jtdelta.py OUT L2000 COMMANDS_PER_S.
lg=$1; out=$2; w1=${3:-8}; w2=${4:-20}
find_server() { for p in $(pgrep -P $lg); do if grep -q java /proc/$p/comm 2>/dev/null; then echo $p; return; fi; for c in $(pgrep -P $p); do echo $c; return; done; done; }
sockets() { ls -l /proc/$1/fd 2>/dev/null | grep -c socket; }
snap() { "$JCMDX" $srv Thread.print 2>/dev/null | grep '^"' > $out.$1; echo "$1 $(date -u +%T.%N) ticks $(awk '{print $14+$15}' /proc/$srv/stat) load $(cut -d' ' -f1-3 /proc/loadavg)" >> $out; }
srv=""; while [ -z "$srv" ]; do sleep 1; kill -0 $lg 2>/dev/null || exit 0; srv=$(find_server); done
while [ "$(sockets $srv)" -lt 1900 ]; do sleep 1; kill -0 $srv 2>/dev/null || exit 0; done
sleep $w1; snap L2000.0; sleep $w2; snap L2000.1
