# shellcheck shell=bash
# Shared by the Go builds (sample-plugins/go-kv, interop/go-host): finds Go and protoc, installs the
# pinned protoc plugins into <module>/.build/bin and generates compensa.v1 into <module>/gen.
# Callers set PROTOC_VERSION, PROTOC_GEN_GO_VERSION, PROTOC_GEN_GO_GRPC_VERSION first.

die() { echo "error: $*" >&2; exit 1; }

find_go() {
  if ! command -v go >/dev/null 2>&1; then
    if [[ -x /usr/local/go/bin/go ]]; then
      export PATH="$PATH:/usr/local/go/bin"
    else
      die "Go is not installed (no 'go' on PATH or in /usr/local/go/bin): install Go 1.26 from https://go.dev/dl/"
    fi
  fi
  local version
  version="$(go env GOVERSION)"
  case "$version" in
    go1.2[6-9]*|go1.[3-9]*) ;;
    *) die "Go $version is too old: these modules need Go 1.26 or later (https://go.dev/dl/)";;
  esac
}

# Sets PROTOC and PROTO_INCLUDE (a directory holding google/protobuf/*.proto).
find_protoc() {
  local build="$1"
  mkdir -p "$build/bin" "$build/include"
  local m2="${MAVEN_REPOSITORY:-$HOME/.m2/repository}"
  local artifact="$m2/com/google/protobuf/protoc/$PROTOC_VERSION/protoc-$PROTOC_VERSION-linux-x86_64.exe"
  if [[ -n "${PROTOC:-}" ]]; then
    :
  elif [[ -x "$build/bin/protoc" ]]; then
    PROTOC="$build/bin/protoc"
  elif [[ -f "$artifact" ]]; then
    cp "$artifact" "$build/bin/protoc" && chmod +x "$build/bin/protoc"
    PROTOC="$build/bin/protoc"
  elif command -v protoc >/dev/null 2>&1; then
    PROTOC="$(command -v protoc)"
  else
    die "protoc is missing: build the Java modules once (mvn -pl proto install) so Maven fetches protoc $PROTOC_VERSION into $m2, install Debian's protobuf-compiler, or set PROTOC"
  fi
  local jar="$m2/com/google/protobuf/protobuf-java/$PROTOC_VERSION/protobuf-java-$PROTOC_VERSION.jar"
  if [[ -f "$build/include/google/protobuf/struct.proto" ]]; then
    PROTO_INCLUDE="$build/include"
  elif [[ -f "$jar" ]] && command -v unzip >/dev/null 2>&1; then
    (cd "$build/include" && unzip -qo "$jar" 'google/protobuf/*.proto')
    PROTO_INCLUDE="$build/include"
  elif [[ -f /usr/include/google/protobuf/struct.proto ]]; then
    PROTO_INCLUDE=/usr/include
  else
    die "the well-known .proto files (google/protobuf/struct.proto) are missing: build the Java modules once (mvn -pl proto install) or install Debian's protobuf-compiler"
  fi
}

# go_codegen MODULE_DIR PROTO_DIR 'IMPORT/PATH;pkgname'
go_codegen() {
  local module="$1" protos="$2" package="$3"
  find_go
  local build="$module/.build"
  find_protoc "$build"
  export GOBIN="$build/bin"
  [[ -x "$GOBIN/protoc-gen-go" && -f "$build/protoc-gen-go.$PROTOC_GEN_GO_VERSION" ]] || {
    go install "google.golang.org/protobuf/cmd/protoc-gen-go@$PROTOC_GEN_GO_VERSION"
    touch "$build/protoc-gen-go.$PROTOC_GEN_GO_VERSION"
  }
  [[ -x "$GOBIN/protoc-gen-go-grpc" && -f "$build/protoc-gen-go-grpc.$PROTOC_GEN_GO_GRPC_VERSION" ]] || {
    go install "google.golang.org/grpc/cmd/protoc-gen-go-grpc@$PROTOC_GEN_GO_GRPC_VERSION"
    touch "$build/protoc-gen-go-grpc.$PROTOC_GEN_GO_GRPC_VERSION"
  }
  unset GOBIN
  local files=() f
  for f in "$protos"/compensa/v1/*.proto; do files+=("compensa/v1/$(basename "$f")"); done
  # regenerate only when a .proto (or this script's pins) is newer than the stamp
  local stamp="$module/gen/.stamp"
  local pins="$PROTOC_VERSION $PROTOC_GEN_GO_VERSION $PROTOC_GEN_GO_GRPC_VERSION $package"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$pins" ]] && [[ -z "$(find "$protos/compensa/v1" -name '*.proto' -newer "$stamp")" ]]; then
    return 0
  fi
  local mapping=() go_opts grpc_opts
  for f in "${files[@]}"; do mapping+=("M$f=$package"); done
  go_opts="paths=source_relative$(printf ',%s' "${mapping[@]}")"
  grpc_opts="paths=source_relative,require_unimplemented_servers=true$(printf ',%s' "${mapping[@]}")"
  rm -rf "$module/gen" && mkdir -p "$module/gen"
  PATH="$build/bin:$PATH" "$PROTOC" -I "$protos" -I "$PROTO_INCLUDE" \
    --go_out="$module/gen" --go_opt="$go_opts" \
    --go-grpc_out="$module/gen" --go-grpc_opt="$grpc_opts" \
    "${files[@]}"
  echo "$pins" > "$stamp"
}
