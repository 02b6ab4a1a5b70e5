#!/bin/bash
# nice27: beside one compare run (its load generator's pid, its work dir), every 5 s the server's journal and CRM
# backlog (/metrics: ivr_journal_pending, ivr_crm_outbox_pending) and how many of its threads run at a nice value
# other than 0, to OUT.csv; 60 s after the server is up (OUT-nice.txt) and every 20 s after (OUT-nice-last.txt: the
# last one before the server stopped), every thread's nice value and name, counted. Pinned to the load generator's
# CPU 0 by run.sh; one curl and one awk a sample. Whenever the count of niced threads changes, their names and
# nice values, with the time, are added to OUT-niced.txt.
# Usage: watch.sh LOADGEN_PID WORK_DIR OUT_PREFIX   (runs until the load generator exits)
lg=$1 work=$2 out=$3
echo "utc,elapsed_s,server_pid,journal_pending,crm_outbox_pending,threads,threads_niced" > "$out.csv"
t0=$(date +%s); spid=""; up=""; last=""
dump() { # nice value and thread name (comm, in parentheses in stat), counted
  awk '{ c=$0; sub(/^[^(]*\(/, "", c); sub(/\)[^)]*$/, "", c); r=$0; sub(/.*\) /, "", r); split(r, f, " "); print f[17] "\t" c }' \
    /proc/$spid/task/*/stat 2>/dev/null | sort | uniq -c | sort -k2,2nr -k3 > "$1.tmp" && mv "$1.tmp" "$1"
}
while kill -0 "$lg" 2>/dev/null; do
  if [ -z "$spid" ] || ! kill -0 "$spid" 2>/dev/null; then
    spid=$(pgrep -P "$lg" -f 'ivr-server.*\.jar run' | head -1)
    cfg=$(find "$work" -name bench-ivr.yaml 2>/dev/null | head -1)
  fi
  if [ -n "$spid" ] && [ -n "$cfg" ]; then
    port=$(awk '/^http:/{h=1} h&&/port:/{print $2; exit}' "$cfg")
    data=$(awk '/data-dir:/{print $2; exit}' "$cfg")
    tok=$(cat "$data/admin-token" 2>/dev/null)
    m=$(curl -s -m 2 -H "Authorization: Bearer $tok" "http://127.0.0.1:$port/metrics" 2>/dev/null)
    jp=$(echo "$m" | awk '/^ivr_journal_pending/{print $2; exit}')
    cp=$(echo "$m" | awk '/^ivr_crm_outbox_pending/{print $2; exit}')
    nn=$(awk '{ r=$0; sub(/.*\) /, "", r); split(r, f, " "); n++; if (f[17] != 0) k++ } END { print n "," k+0 }' \
      /proc/$spid/task/*/stat 2>/dev/null)
    now=$(date +%s)
    echo "$(date -u +%H:%M:%S),$((now-t0)),$spid,$jp,$cp,$nn" >> "$out.csv"
    if [ "${nn#*,}" != "${prev:-0}" ]; then
      { echo "$(date -u +%H:%M:%S) ${nn#*,} niced:"; awk '{ c=$0; sub(/^[^(]*\(/, "", c); sub(/\)[^)]*$/, "", c);
          r=$0; sub(/.*\) /, "", r); split(r, f, " "); if (f[17] != 0) print "  " f[17] "\t" c }' /proc/$spid/task/*/stat 2>/dev/null
      } >> "$out-niced.txt"; prev=${nn#*,}
    fi
    [ -z "$up" ] && [ -n "$jp" ] && up=$now
    if [ -n "$up" ] && [ -z "$last" ] && [ $((now-up)) -ge 60 ]; then dump "$out-nice.txt"; last=$now; fi
    if [ -n "$last" ] && [ $((now-last)) -ge 20 ]; then dump "$out-nice-last.txt"; last=$now; fi
  fi
  sleep 5
done
