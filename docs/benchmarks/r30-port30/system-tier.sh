#!/usr/bin/env bash
# The system tier (real Asterisk) or some of its classes, under the benchmark lock, without re-packaging:
#   docs/benchmarks/r30-port30/system-tier.sh NAME [CLASSES]     (CLASSES: it.test's form, default '*SystemIT')
# Build first (./ivr mvn -q -o -P '!dist-for-tests' -DskipTests -Divr.unit.skip=true install): the failover test
# starts target/ivr-server.jar. Runs failsafe's system-tests execution directly on the compiled classes, prints the
# machine's load and the top processes at the start, and writes NAME.txt (each class's tests, failures and time)
# and NAME.log (Maven's output) beside this script's working directory (target/r30-port30/).
# FLOCK=-n: give up when the lock is held (outside one's own slot).
set -euo pipefail
name=${1:?name}
classes=${2:-'*SystemIT'}
cd "$(dirname "$0")/../../.."
out=target/r30-port30
mkdir -p "$out"
{
  echo "start $(date -u +%FT%TZ) classes=$classes"
  uptime
  ps -eo pcpu,etime,args --sort=-pcpu | head -6 | cut -c1-140
} > "$out/$name.txt"
rm -rf ivr-server/target/failsafe-reports-system
start=$(date +%s)
set +e
flock ${FLOCK:-} /tmp/ivr-bench.lock ./ivr mvn -o -P '!dist-for-tests' -pl ivr-server \
  -Dit.test="$classes" -Dfailsafe.failIfNoSpecifiedTests=false \
  failsafe:integration-test@system-tests failsafe:verify@system-tests > "$out/$name.log" 2>&1
rc=$?
set -e
{
  echo "end $(date -u +%FT%TZ) rc=$rc wall=$(( $(date +%s) - start )) s"
  grep -h "Tests run" ivr-server/target/failsafe-reports-system/*.txt 2>/dev/null | sed 's/ -- in dev.ivr.server.system./ /'
} >> "$out/$name.txt"
cat "$out/$name.txt"
exit $rc
