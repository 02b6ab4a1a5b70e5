#!/bin/bash
# jt.sh LOADGEN_PID OUT [W1 W2]: sf22's jt.sh (each platform thread's CPU time from jcmd Thread.print, W1 s (default 8)
# and W1+W2 s (default 20 more) after the server holds 1,900 sockets, and the process's CPU ticks), plus each thread's
# write system calls and bytes (/proc/PID/task/TID/io syscw, wchar) at the same moments: on the journal's and the CRM
# writer's threads each H2 chunk is one write (a pwrite of the whole chunk; the file is O_DSYNC). JCMDX: the JDK's jcmd.
lg=$1; out=$2; w1=${3:-8}; w2=${4:-20}
find_server() { for p in $(pgrep -P $lg); do if grep -q java /proc/$p/comm 2>/dev/null; then echo $p; return; fi; for c in $(pgrep -P $p); do echo $c; return; done; done; }
sockets() { ls -l /proc/$1/fd 2>/dev/null | grep -c socket; }
io() { for t in /proc/$srv/task/*; do echo "$(cat $t/comm 2>/dev/null)|$(awk '/^(syscw|wchar)/{printf "%s %s ", $1, $2}' $t/io 2>/dev/null)"; done; }
snap() { "$JCMDX" $srv Thread.print 2>/dev/null | grep '^"' > $out.$1; io > $out.$1.io; echo "$1 $(date -u +%T.%N) ticks $(awk '{print $14+$15}' /proc/$srv/stat) load $(cut -d' ' -f1-3 /proc/loadavg)" >> $out; }
srv=""; while [ -z "$srv" ]; do sleep 1; kill -0 $lg 2>/dev/null || exit 0; srv=$(find_server); done
while [ "$(sockets $srv)" -lt 1900 ]; do sleep 1; kill -0 $srv 2>/dev/null || exit 0; done
sleep $w1; snap L2000.0; sleep $w2; snap L2000.1
