#!/usr/bin/env bash
# Architecture figures, from the root of an ivr checkout:
#   ./ivr arch-report    (or: bash tools/arch/run.sh; builds first if classes are missing)
# Prints: the 15 largest classes and 15 longest methods (javac's parser) over all main
# sources, then package-level cycles (jdeps over the built classes + Tarjan SCC).
# Needs a JDK 21+ ($JAVA_HOME, else the one ./ivr finds).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
JAVA_HOME="${JAVA_HOME:-$(./ivr java-home)}"
java="$JAVA_HOME/bin/java"
modules=(routing fake-pbx ivr-server loadgen)
[ -d test-support ] && modules+=(test-support)
srcs=(); classes=()
for m in "${modules[@]}"; do
  [ -d "$m/src/main/java" ] && srcs+=("$m/src/main/java")
  [ -d "$m/target/classes" ] && classes+=("$m/target/classes")
done
if [ "${#classes[@]}" -lt 4 ]; then
  echo "building (./ivr build) ..." >&2
  ./ivr build
  classes=(); for m in "${modules[@]}"; do classes+=("$m/target/classes"); done
fi
echo "## size (main sources of: ${modules[*]})"
"$java" "$here/SourceMetrics.java" --top "${TOP:-15}" "${srcs[@]}"
echo
echo "## package cycles (jdeps -verbose:class over ${classes[*]})"
"$java" "$here/PackageCycles.java" --dot "${DOT:-/tmp/ivr-packages.dot}" "${classes[@]}" || true
