#!/usr/bin/env bash
# Builds the go-kv sample plugin: generates the Go code for compensa.v1 from ../../proto (never
# committed), then compiles bin/compensa-go-kv. Idempotent, and quick when nothing changed.
#
# Needs: Go >= 1.26 (on PATH or at /usr/local/go/bin), and protoc 3.25.9 (the Maven artifact the
# Java build downloads, found in ~/.m2; or PROTOC=/path/to/protoc; or a protoc on PATH) with the
# well-known .proto files (taken from protobuf-java's jar in ~/.m2, or /usr/include).
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
# pinned code generators: protoc-gen-go matches the google.golang.org/protobuf runtime in go.mod
PROTOC_VERSION=3.25.9
PROTOC_GEN_GO_VERSION=v1.36.12
PROTOC_GEN_GO_GRPC_VERSION=v1.6.2
GO_MODULE=compensa.dev/samples/go-kv
GEN_PACKAGE="$GO_MODULE/gen/compensa/v1;compensav1"

source "$repo/sample-plugins/go-kv/codegen.sh"
go_codegen "$here" "$repo/proto" "$GEN_PACKAGE"

cd "$here"
mkdir -p bin
# go build is incremental; -trimpath keeps local paths out of the binary
go build -trimpath -o bin/compensa-go-kv .
echo "go-kv: built $here/bin/compensa-go-kv" >&2
