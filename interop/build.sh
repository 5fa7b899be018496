#!/usr/bin/env bash
# Builds everything the interop tests need, idempotently (quick when already built):
#   sample-plugins/go-kv/bin/compensa-go-kv      the Go plugin (go-plugin v1.8.0)
#   interop/go-host/bin/go-host                  the Go host (go-plugin v1.8.0 client)
#   sample-plugins/python-notes/.venv + gen/     the Python plugin's venv and generated code
#   sample-plugins/node-tasks/node_modules + gen/ the Node.js plugin's npm packages and descriptor set
# and, when it is missing, the Java localfs plugin's jar (which the Go host launches).
# Exits non-zero with a message naming what is missing when a toolchain is absent.
# Pinned versions: go.mod/go.sum of each Go module, sample-plugins/go-kv/codegen.sh's callers
# (protoc 3.25.9, protoc-gen-go v1.36.12, protoc-gen-go-grpc v1.6.2), and
# sample-plugins/python-notes/requirements.txt (grpcio* 1.85.1), and
# sample-plugins/node-tasks/package-lock.json (@grpc/grpc-js 1.14.7, @grpc/proto-loader 0.8.1).
#
# Usage: interop/build.sh [go|python|node|java]...   (default: all)
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
repo="$(cd "$here/.." && pwd)"
parts=("$@")
[[ ${#parts[@]} -gt 0 ]] || parts=(go python node java)

for part in "${parts[@]}"; do
  case "$part" in
    go)
      "$repo/sample-plugins/go-kv/build.sh"
      "$repo/interop/go-host/build.sh"
      ;;
    python)
      "$repo/sample-plugins/python-notes/build.sh"
      ;;
    node)
      "$repo/sample-plugins/node-tasks/build.sh"
      ;;
    java)
      if [[ ! -f "$repo/sample-plugins/localfs/target/compensa-localfs.jar" ]]; then
        command -v mvn >/dev/null 2>&1 || { echo "error: Maven (mvn) is missing: it builds the localfs jar" >&2; exit 1; }
        (cd "$repo" && mvn -q -B -pl sample-plugins/localfs -am package -DskipTests)
      fi
      echo "localfs: $repo/sample-plugins/localfs/target/compensa-localfs.jar" >&2
      ;;
    *)
      echo "error: unknown part '$part': use go, python, node or java" >&2
      exit 2
      ;;
  esac
done
