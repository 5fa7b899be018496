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
# quick JVM: C1 only, the serial collector, a 64 MiB heap, no hsperfdata file). JVM warnings go to
# stderr, never before the handshake on stdout.
opts=(@JVM_OPTIONS@)
# The class-data archive the build made with a training run (mvn package): it maps the classes a
# launch needs instead of loading them one by one. Used only with the JDK that made it (the
# training run writes that JDK's home into the .jdk file); otherwise the plugin starts the slow
# way. With it, the archive is mapped at the address it was written for instead of a random one,
# which saves relocating every pointer in it (~25 ms of each start); give
# -XX:ArchiveRelocationMode=1 in COMPENSA_PLUGIN_JAVA_OPTS to have it placed at random again.
archive="${jar%.jar}.jsa"
if [[ -f "$archive" && -f "${jar%.jar}.jdk" ]]; then
  read -r trained_with < "${jar%.jar}.jdk" || true
  hash java 2>/dev/null || true # the java exec runs below, looked up without a subshell
  java_path="${BASH_CMDS[java]:-}"
  if [[ -n "$java_path" && "$(readlink -f "$java_path")" == "$trained_with/bin/java" ]]; then
    opts+=("-XX:SharedArchiveFile=$archive" -XX:+UnlockDiagnosticVMOptions
      -XX:ArchiveRelocationMode=0)
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
exec java "${opts[@]}" ${COMPENSA_PLUGIN_JAVA_OPTS:-} -jar "$jar" "$@"
