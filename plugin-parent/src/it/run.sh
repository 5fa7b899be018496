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
described="$("$repo/bin/compensa" describe --json target/compensa-notes)"
if ! grep -q '"name": *"note"' <<<"$described"; then
  echo "plugin author path: compensa describe did not list the type \"note\":" >&2
  echo "$described" >&2
  exit 1
fi
echo "plugin author path: notes-plugin built with compensa-plugin-parent; compensa describe lists its type"
