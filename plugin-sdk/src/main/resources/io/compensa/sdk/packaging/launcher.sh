#!/usr/bin/env bash
# Launches the plugin @EXECUTABLE@: written by the build (compensa-plugin-parent, from the
# Compensa plugin SDK) next to the plugin's jar, @EXECUTABLE@.jar. A Compensa (or go-plugin) host
# runs this script; exec keeps the plugin's process id the one the host started, so the host's
# shutdown and the plugin's orphan guard see the real plugin. Every fork here delays the plugin's
# start by a millisecond or two: keep to bash builtins.
set -euo pipefail
self="${BASH_SOURCE[0]}"
# a host names the launcher by its absolute path: readlink (a process) only for a link or another path
if [[ -L "$self" || "$self" != /* ]]; then self="$(readlink -f "$self")"; fi
jar="${self%/*}/@EXECUTABLE@.jar"
if [[ ! -f "$jar" ]]; then
  echo "@EXECUTABLE@: $jar is missing: build the plugin (mvn package)" >&2
  exit 1
fi
# The JVM options of the plugin's pom (compensa.plugin.jvmOptions; the SDK's default is a small,
# quick JVM: C1 only, the serial collector, a 64 MiB heap starting at 16 MiB, no hsperfdata
# file). opts25 are the options only JDK 25 and newer know
# (compensa.plugin.jvmOptions25), given only to such a JDK. The JVM's own messages go to stderr
# whatever the pom says: its default is stdout, where a warning (as a JDK 25's about a stale AOT
# cache) would come before the handshake line and fail the launch.
opts=(-Xlog:disable -Xlog:all=warning:stderr @JVM_OPTIONS@)
opts25=(@JVM_OPTIONS_25@)
base="${jar%.jar}"
# Which JVM runs the plugin:
# 1. COMPENSA_PLUGIN_JAVA, a java executable or a Java home, when set;
# 2. else the JDK 25 (or newer) that made the plugin's AOT cache (base.aot, its home in base.aot.jdk;
#    the build makes them when compensa.plugin.aotJdk names such a JDK), while that JDK and a cache
#    newer than the jar are there;
# 3. else java on PATH, with the class-data archive (base.jsa) when that java is the JDK that made
#    it (its home in base.jdk).
# `[[ A -ef B ]]` (same file, links followed) compares executables without a readlink process.
java_cmd=""
java_home=""
aot_home=""
if [[ -f "$base.aot" && "$base.aot" -nt "$jar" && -f "$base.aot.jdk" ]]; then
  read -r aot_home < "$base.aot.jdk" || true
fi
if [[ -n "${COMPENSA_PLUGIN_JAVA:-}" ]]; then
  java_cmd="$COMPENSA_PLUGIN_JAVA"
  if [[ -d "$java_cmd" ]]; then java_cmd="${java_cmd%/}/bin/java"; fi
  if [[ ! -f "$java_cmd" || ! -x "$java_cmd" ]]; then
    echo "@EXECUTABLE@: COMPENSA_PLUGIN_JAVA=$COMPENSA_PLUGIN_JAVA is neither a java executable nor a Java home with bin/java: fix it or unset it" >&2
    exit 1
  fi
  # its home, for its version: readlink (a process) only for a link or a java not in a bin/
  if [[ -L "$java_cmd" || "$java_cmd" != */bin/java ]]; then java_home="$(readlink -f "$java_cmd")"; else java_home="$java_cmd"; fi
  java_home="${java_home%/bin/java}"
elif [[ -n "$aot_home" && -x "$aot_home/bin/java" ]]; then
  java_cmd="$aot_home/bin/java"
  java_home="$aot_home"
else
  hash java 2>/dev/null || true # the java exec runs below, looked up without a subshell
  java_cmd="${BASH_CMDS[java]:-java}"
fi
if [[ -n "$aot_home" && "$java_cmd" -ef "$aot_home/bin/java" ]]; then
  # The JDK 25 AOT cache of the training run: classes loaded and linked ahead of time, with the
  # run's method profiles. A cache the JVM finds stale it reports on stderr and ignores. Mapped at
  # the address it was written for, as the archive below: its pages then stay the file's, shared
  # and clean, instead of ~13 MiB of private copies of relocated pages.
  opts+=("${opts25[@]}" "-XX:AOTCache=$base.aot" -XX:+UnlockDiagnosticVMOptions
    -XX:ArchiveRelocationMode=0)
else
  # The class-data archive the build made with a training run (mvn package): it maps the classes
  # a launch needs instead of loading them one by one. Used only with the JDK that made it;
  # otherwise the plugin starts the slow way. With it, the archive is mapped at the address it was
  # written for instead of a random one, which saves relocating every pointer in it (~25 ms of
  # each start); give -XX:ArchiveRelocationMode=1 in COMPENSA_PLUGIN_JAVA_OPTS to have it placed
  # at random again.
  trained_with=""
  if [[ -f "$base.jsa" && -f "$base.jdk" ]]; then read -r trained_with < "$base.jdk" || true; fi
  if [[ -n "$trained_with" && "$java_cmd" -ef "$trained_with/bin/java" ]]; then
    opts+=("-XX:SharedArchiveFile=$base.jsa" -XX:+UnlockDiagnosticVMOptions
      -XX:ArchiveRelocationMode=0)
  elif [[ -n "$java_home" && -f "$java_home/release" ]]; then
    # another JDK named by COMPENSA_PLUGIN_JAVA: the JDK 25 options if it is 25 or newer
    feature=0
    while IFS= read -r line; do
      if [[ "$line" == JAVA_VERSION=* ]]; then
        line="${line#JAVA_VERSION=}"
        line="${line//\"/}"
        feature="${line%%[.+-]*}"
        break
      fi
    done < "$java_home/release"
    if [[ "$feature" =~ ^[0-9]+$ ]] && ((feature >= 25)); then opts+=("${opts25[@]}"); fi
  fi
fi
# Netty's epoll library, copied out of the jar by the same training run: loaded in place instead
# of being extracted to a temporary file at every start (through LD_LIBRARY_PATH, which the JVM
# puts in front of its default java.library.path). Ignored when older than the jar.
native="${jar%.jar}-native"
if [[ -d "$native" && "$native" -nt "$jar" ]]; then
  export LD_LIBRARY_PATH="$native${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
# shellcheck disable=SC2086 # COMPENSA_PLUGIN_JAVA_OPTS holds several JVM options on purpose
exec "$java_cmd" "${opts[@]}" ${COMPENSA_PLUGIN_JAVA_OPTS:-} -jar "$jar" "$@"
