#!/usr/bin/env bash
# A plugin author's path, end to end: a project outside this repository with only
# io.compensa:compensa-plugin-parent as its parent and the two properties the README names
# (notes-plugin/) is built against the installed Compensa artifacts, and the compensa CLI then
# runs the launcher the build wrote. Needs the reactor installed first (mvn install -DskipTests).
# Usage: plugin-parent/src/it/run.sh   (extra Maven options may come in MAVEN_ARGS)
set -euo pipefail
repo="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$repo/plugin-parent/src/it/notes-plugin" "$work/"
cd "$work/notes-plugin"
# shellcheck disable=SC2086 # MAVEN_ARGS holds several options on purpose
if ! mvn -B -ntp -q ${MAVEN_ARGS:-} package > build.log 2>&1; then
  cat build.log >&2
  echo "plugin author path: the notes plugin did not build with compensa-plugin-parent" >&2
  exit 1
fi
for built in target/compensa-notes target/compensa-notes.jar target/compensa-notes.jsa target/compensa-notes.jdk; do
  [[ -e "$built" ]] || { echo "plugin author path: the build wrote no $built" >&2; exit 1; }
done
# the author sees the SDK's one package, not the wire: a class that imports a generated protobuf
# type (io.compensa.proto.v1.ResourceType, a name the SDK also uses) must not compile
mkdir -p "$work/wire/src/main/java/notes"
cp pom.xml "$work/wire/"
cat > "$work/wire/src/main/java/notes/UsesTheWire.java" <<'JAVA'
package notes;

final class UsesTheWire {
  io.compensa.proto.v1.ResourceType type;
}
JAVA
# shellcheck disable=SC2086
if (cd "$work/wire" && mvn -B -ntp -q ${MAVEN_ARGS:-} compile > compile.log 2>&1); then
  echo "plugin author path: a plugin could compile against io.compensa.proto.v1: the generated classes are on its compile class path" >&2
  exit 1
fi
if ! grep -q "package io.compensa.proto.v1 does not exist" "$work/wire/compile.log"; then
  cat "$work/wire/compile.log" >&2
  echo "plugin author path: the wire check failed for another reason than the missing package" >&2
  exit 1
fi
described="$("$repo/bin/compensa" describe --json target/compensa-notes)"
if ! grep -q '"name": *"note"' <<<"$described"; then
  echo "plugin author path: compensa describe did not list the type \"note\":" >&2
  echo "$described" >&2
  exit 1
fi
# without compensa.plugin.aotJdk the build makes no JDK 25 AOT cache, as before it existed
if [[ -e target/compensa-notes.aot || -e target/compensa-notes.aot.jdk ]]; then
  echo "plugin author path: a build without compensa.plugin.aotJdk wrote an AOT cache" >&2
  exit 1
fi
# with a JDK 25 (COMPENSA_IT_AOT_JDK, or Temurin 25 where installed): the cache, its JDK record,
# and the launcher still serves the host through it
aot_jdk="${COMPENSA_IT_AOT_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}"
aot_note="no JDK 25 at $aot_jdk: the AOT cache path was not tried"
if [[ -x "$aot_jdk/bin/java" ]]; then
  # shellcheck disable=SC2086
  if ! mvn -B -ntp -q ${MAVEN_ARGS:-} package -Dcompensa.plugin.aotJdk="$aot_jdk" > build-aot.log 2>&1; then
    cat build-aot.log >&2
    echo "plugin author path: the notes plugin did not build with -Dcompensa.plugin.aotJdk=$aot_jdk" >&2
    exit 1
  fi
  for built in target/compensa-notes.aot target/compensa-notes.aot.jdk target/compensa-notes.jsa; do
    [[ -e "$built" ]] || { cat build-aot.log >&2; echo "plugin author path: the build with an AOT JDK wrote no $built" >&2; exit 1; }
  done
  described="$("$repo/bin/compensa" describe --json target/compensa-notes)"
  if ! grep -q '"name": *"note"' <<<"$described"; then
    echo "plugin author path: compensa describe through the JDK 25 AOT cache did not list the type \"note\":" >&2
    echo "$described" >&2
    exit 1
  fi
  aot_note="built again with the JDK 25 AOT cache ($aot_jdk), described through it"
fi
echo "plugin author path: notes-plugin built with compensa-plugin-parent; compensa describe lists its type; the generated protobuf classes are off its compile class path; $aot_note"
