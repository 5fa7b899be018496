#!/usr/bin/env bash
# Builds the node-tasks sample plugin: installs the npm packages pinned by package-lock.json into
# node_modules (npm ci), and compiles every .proto file it serves into one descriptor set,
# gen/contract.pb (never committed), with protoc. The plugin loads its services from that set and
# serves its files, byte for byte, through server reflection. Idempotent, and quick when nothing
# changed.
#
# Needs: Node.js >= 20 (what @peculiar/x509 2.x, the AutoMTLS certificate maker, supports) with npm, access to the npm registry (or a mirror npm is configured for) the
# first time, and protoc 3.25.9 (found as the Go sample finds it: the Maven artifact in ~/.m2, or
# PROTOC=/path/to/protoc, or a protoc on PATH) with the well-known .proto files.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
die() { echo "error: $*" >&2; exit 1; }

command -v node >/dev/null 2>&1 || die "Node.js is not installed (no 'node' on PATH): install Node.js 20 or later"
command -v npm >/dev/null 2>&1 || die "npm is not installed (no 'npm' on PATH): install it with Node.js"
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' ||
  die "Node.js $(node --version) is too old: node-tasks needs Node.js 20 or later (Debian 12 ships 18: use Debian 13's nodejs or NodeSource's)"

# npm ci installs exactly package-lock.json; redo it only when the lockfile changed
stamp="$here/node_modules/.compensa-lock"
if [[ ! -f "$stamp" ]] || ! cmp -s "$here/package-lock.json" "$stamp"; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error) ||
    die "npm ci failed in $here (is the npm registry reachable?)"
  cp "$here/package-lock.json" "$stamp"
fi

PROTOC_VERSION=3.25.9
# find_protoc (shared with the Go builds) sets PROTOC and PROTO_INCLUDE; it is a function only and
# changes no shell option
source "$repo/sample-plugins/go-kv/codegen.sh"
find_protoc "$here/.build"

gen="$here/gen"
out="$gen/contract.pb"
protos=("$repo"/proto/compensa/v1/*.proto "$repo"/proto/plugin/*.proto "$repo"/proto/third_party/grpc/health/v1/health.proto
  "$repo"/proto/third_party/grpc/reflection/v1/reflection.proto "$repo"/proto/third_party/grpc/reflection/v1alpha/reflection.proto
  "$repo"/proto/third_party/google/rpc/status.proto)
if [[ ! -f "$out" ]] || [[ -n "$(find "${protos[@]}" -newer "$out")" ]]; then
  mkdir -p "$gen"
  names=()
  for f in "${protos[@]}"; do
    case "$f" in
      "$repo"/proto/third_party/*) names+=("${f#"$repo"/proto/third_party/}") ;;
      *) names+=("${f#"$repo"/proto/}") ;;
    esac
  done
  "$PROTOC" -I "$repo/proto" -I "$repo/proto/third_party" -I "$PROTO_INCLUDE" \
    --include_imports --descriptor_set_out="$out.tmp" "${names[@]}"
  mv "$out.tmp" "$out"
fi
echo "node-tasks: built ($here/node_modules, $out)" >&2
