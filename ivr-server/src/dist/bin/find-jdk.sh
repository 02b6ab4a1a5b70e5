# shellcheck shell=bash
# Finds a JDK (or JRE with IVR_RUNTIME_ONLY=1) of version $min_java or newer, newest first:
# IVR_JAVA_HOME, JAVA_HOME, java on PATH, /usr/lib/jvm, /usr/java, /opt, ~/.sdkman, ~/.jdks, macOS.
# Sourced by ./ivr (development) and bin/ivr-server (the distribution).
min_java="${min_java:-21}"

java_major() { # prints the feature version of the java binary $1, or nothing
  local v
  v=$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n1) || return 0
  case "$v" in 1.*) echo "${v#1.}" | cut -d. -f1 ;; *) echo "$v" | cut -d. -f1 ;; esac
}

find_jdk() { # prints a JAVA_HOME with java and javac >= $min_java, newest first
  local c best="" best_v=0 v
  local candidates=()
  [ -n "${IVR_JAVA_HOME:-}" ] && candidates+=("$IVR_JAVA_HOME")
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for c in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "${HOME:-/nonexistent}"/.sdkman/candidates/java/* "${HOME:-/nonexistent}"/.jdks/* \
           /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$c" ] && candidates+=("$c")
  done
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/java" ] || continue
    [ -n "${IVR_RUNTIME_ONLY:-}" ] || [ -x "$c/bin/javac" ] || continue
    v=$(java_major "$c/bin/java")
    [ -n "$v" ] || continue
    # an explicit IVR_JAVA_HOME or JAVA_HOME that is new enough wins
    if [ "$v" -ge "$min_java" ] && { [ "$c" = "${IVR_JAVA_HOME:-}" ] || [ "$c" = "${JAVA_HOME:-}" ]; }; then
      echo "$c"; return 0
    fi
    if [ "$v" -ge "$min_java" ] && [ "$v" -gt "$best_v" ]; then best="$c"; best_v="$v"; fi
  done
  [ -n "$best" ] && echo "$best"
}

