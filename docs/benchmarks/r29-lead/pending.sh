#!/bin/bash
# Samples a running benchmark server's writer backlogs every 5 s until killed: the journal's and the CRM outbox's
# pending events and the calls in progress, read from /metrics with the admin token, the HTTP port taken from the
# server's ports.json. usage: pending.sh DATA_DIR OUT_FILE &   (DATA_DIR: the server's node.data-dir)
D=$1; OUT=$2
while true; do
  if [ -f "$D/ports.json" ] && [ -f "$D/admin-token" ]; then
    P=$(python3 -c "import json,sys;print(json.load(open(sys.argv[1]))['http']['port'])" "$D/ports.json" 2>/dev/null)
    T=$(cat "$D/admin-token")
    V=$(curl -s -m 2 -H "Authorization: Bearer $T" "http://127.0.0.1:$P/metrics" \
        | grep -E '^ivr_(journal_pending|crm_outbox_pending|calls_active)' | tr '\n' ' ')
    [ -n "$V" ] && echo "$(date -u +%T) $V" >> "$OUT"
  fi
  sleep 5
done
