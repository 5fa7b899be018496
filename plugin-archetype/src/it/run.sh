#!/usr/bin/env bash
# A plugin author's first step, end to end: `mvn archetype:generate` with compensa-plugin-archetype
# makes a plugin project in a temporary folder; `mvn verify` builds it and runs its tests (an
# in-process driver test and the conformance suite through the real host) offline, against the
# Compensa artifacts installed in the local repository; the compensa CLI's `describe` and
# `conformance` then accept the launcher it wrote. Needs the reactor installed first
# (mvn install -DskipTests). Usage: plugin-archetype/src/it/run.sh (extra Maven options may come
# in MAVEN_ARGS)
set -euo pipefail
repo="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../../.." && pwd)"
version="$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$repo/pom.xml" | head -1)"
archetype_plugin="$(sed -n 's:.*<archetype.version>\(.*\)</archetype.version>.*:\1:p' "$repo/pom.xml")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() {
  echo "plugin archetype: $1" >&2
  [[ -f "${2:-}" ]] && tail -60 "$2" >&2
  exit 1
}
cd "$work"
# shellcheck disable=SC2086 # MAVEN_ARGS holds several options on purpose
# the plugin's full coordinates: offline, Maven cannot look up the "archetype:" prefix
mvn -B -ntp -o ${MAVEN_ARGS:-} "org.apache.maven.plugins:maven-archetype-plugin:$archetype_plugin:generate" \
  -DarchetypeGroupId=io.compensa -DarchetypeArtifactId=compensa-plugin-archetype \
  -DarchetypeVersion="$version" \
  -DgroupId=com.example.greetings -DartifactId=greetings-plugin -Dversion=1.0.0-SNAPSHOT \
  -Dpackage=com.example.greetings -DpluginName=greetings > generate.log 2>&1 \
  || fail "mvn archetype:generate failed" generate.log
project="$work/greetings-plugin"
for made in pom.xml README.md src/main/java/com/example/greetings/Main.java \
  src/main/java/com/example/greetings/FileDriver.java \
  src/test/java/com/example/greetings/FileDriverTest.java \
  src/test/java/com/example/greetings/ConformanceTest.java; do
  [[ -f "$project/$made" ]] || fail "the generated project has no $made" generate.log
done
# shellcheck disable=SC2086
(cd "$project" && mvn -B -ntp -o ${MAVEN_ARGS:-} verify > "$work/verify.log" 2>&1) \
  || fail "the generated project did not pass mvn verify" "$work/verify.log"
# both tests ran, and passed: surefire's reports say how many
for suite in FileDriverTest ConformanceTest; do
  report="$project/target/surefire-reports/TEST-com.example.greetings.$suite.xml"
  [[ -f "$report" ]] || fail "$suite did not run" "$work/verify.log"
  grep -q 'failures="0"' "$report" && grep -q 'errors="0"' "$report" && ! grep -q 'tests="0"' "$report" \
    || fail "$suite did not pass" "$report"
done
tests="$(grep -ho 'tests="[0-9]*"' "$project"/target/surefire-reports/TEST-*.xml | grep -o '[0-9]*' | paste -sd+ | bc)"
launcher="$project/target/compensa-greetings"
[[ -x "$launcher" ]] || fail "the build wrote no launcher $launcher" "$work/verify.log"
described="$("$repo/bin/compensa" describe --json "$launcher")" || fail "compensa describe refused the launcher"
grep -q '"name": *"greetings_file"' <<<"$described" \
  || fail "compensa describe did not list greetings_file: $described"
mkdir -p "$work/scratch"
"$repo/bin/compensa" conformance --plugin-config "{\"root\": \"$work/scratch\"}" "$launcher" \
  > "$work/conformance.log" 2>&1 || fail "compensa conformance failed" "$work/conformance.log"
summary="$(grep -E '^[0-9]+ passed, 0 failed' "$work/conformance.log")" \
  || fail "compensa conformance printed no clean summary" "$work/conformance.log"
echo "plugin archetype: generated greetings-plugin; mvn verify ran $tests tests, all passed; compensa describe lists greetings_file; compensa conformance: $summary"
