#!/usr/bin/env bash
# Builds the interop Go host: generates the Go code for compensa.v1 from ../../proto (never
# committed), then compiles bin/go-host. Idempotent, and quick when nothing changed.
# Needs Go >= 1.26 and protoc (see sample-plugins/go-kv/codegen.sh for where they are looked up).
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
PROTOC_VERSION=3.25.9
PROTOC_GEN_GO_VERSION=v1.36.12
PROTOC_GEN_GO_GRPC_VERSION=v1.6.2
GEN_PACKAGE="compensa.dev/interop/go-host/gen/compensa/v1;compensav1"

source "$repo/sample-plugins/go-kv/codegen.sh"
go_codegen "$here" "$repo/proto" "$GEN_PACKAGE"

cd "$here"
mkdir -p bin
go build -trimpath -o bin/go-host .
echo "go-host: built $here/bin/go-host" >&2
