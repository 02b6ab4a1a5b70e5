#!/bin/sh
# Issue 16, eleventh round: a directory of PostgreSQL's tools for IVR_TEST_PG_BIN (test-support's PostgresServer) whose
# initdb turns on auto_explain (every statement's plan, nested ones too) and statement logging with parameters, and whose
# pg_ctl keeps a copy of the server's log in LOGDIR when the throwaway server is stopped (its directory is deleted).
# Usage: pg-auto-explain-bin.sh BINDIR LOGDIR [PGBIN=/usr/lib/postgresql/15/bin]
set -e
B=$1; L=$2; P=${3:-/usr/lib/postgresql/15/bin}
mkdir -p "$B" "$L"; chmod 777 "$L"
for f in "$P"/*; do ln -sf "$f" "$B/"; done
rm -f "$B/initdb" "$B/pg_ctl"
cat > "$B/initdb" <<EOS
#!/bin/sh
$P/initdb "\$@" || exit \$?
while [ \$# -gt 0 ]; do if [ "\$1" = "-D" ]; then D=\$2; fi; shift; done
printf "shared_preload_libraries = 'auto_explain'\nauto_explain.log_min_duration = 0\nauto_explain.log_nested_statements = on\nlog_min_duration_statement = 0\n" >> "\$D/postgresql.conf"
EOS
cat > "$B/pg_ctl" <<EOS
#!/bin/sh
for a in "\$@"; do if [ "\$a" = "stop" ]; then cp server.log $L/server-\$(date +%s).log 2>/dev/null; fi; done
exec $P/pg_ctl "\$@"
EOS
chmod 755 "$B" "$B/initdb" "$B/pg_ctl"
