#!/bin/bash
# throwables.sh REC.jfr FROM TO (HH:MM:SS): throwables created a second between the jdk.ExceptionStatistics samples
# nearest FROM and TO (JFR settings=profile samples the JVM's count every 10 s or so)
J=$(./ivr java-home)/bin/jfr   # run from the repository's root
$J print --events jdk.ExceptionStatistics "$1" | grep -E "startTime|throwables" | paste - - | \
  awk -v f="$1" -v a="$2" -v b="$3" '{t=substr($3,1,8); n=$NF; if (t>=a && !s) {s=1; t0=t; n0=n} if (t<=b) {t1=t; n1=n}}
    END {split(t0,x,":"); split(t1,y,":"); d=(y[1]*3600+y[2]*60+y[3])-(x[1]*3600+x[2]*60+x[3]);
         printf "%s: %d throwables from %s to %s: %.0f a second\n", f, n1-n0, t0, t1, (n1-n0)/d}'
