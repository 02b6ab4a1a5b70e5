#!/bin/bash
# tsample.sh PID OUT [PERIOD]: every PERIOD s (default 2) each thread's CPU ticks from /proc (utime+stime, field 14+15
# of /proc/PID/task/TID/stat) with the wall clock, into OUT (lines "T epoch_ms", "ALL ticks" for the
# whole process, then "tid ticks name"); every 10th sample
# the JVM's thread names by native id (jcmd Thread.print, JCMDX: the JDK's jcmd) into OUT.names
# (/proc's names are cut at 15 characters). Reading /proc costs the server nothing; jcmd attaches (a few ms).
pid=$1; out=$2; per=${3:-2}; n=0
: > $out; : > $out.names
names() { "$JCMDX" $pid Thread.print 2>/dev/null | grep '^"' | sed -n 's/^"\(.*\)".* nid=\([0-9a-fx]*\).*/\2 \1/p' >> $out.names; }
while kill -0 $pid 2>/dev/null; do
  { echo "T $(date +%s%3N)"; read -r s < /proc/$pid/stat; r=${s##*) }; set -- $r; echo "ALL $(( ${12} + ${13} )) process"; for t in /proc/$pid/task/*; do
      read -r s < $t/stat 2>/dev/null || continue; read -r c < $t/comm; r=${s##*) }; set -- $r; echo "${t##*/} $(( ${12} + ${13} )) ${c// /}"; done; } >> $out
  [ $((n % 10)) -eq 0 ] && names
  n=$((n+1)); sleep $per
done
