#!/usr/bin/env bash
# Prepares a GOPATH workspace for the Go interop programs and prints its path.
#
# Debian's golang-google-protobuf-dev installs google.golang.org/protobuf under
# /usr/share/gocode, so the programs build in GOPATH mode with no module download.
# protoc and protoc-gen-go (Debian packages protobuf-compiler and protoc-gen-go)
# generate the Go types from proto/ into the workspace.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
workspace=${1:-$(mktemp -d)}

generated="$workspace/src/titus-identity/interop"
mkdir -p "$generated"
protoc --proto_path="$repo/proto" \
    --go_out="$workspace/src" --go_opt=paths=import \
    netflix/titus/agent.proto netflix/titus/titus_vpc_api.proto

for program in "$repo"/tests/interop/go*/; do
    name=$(basename "$program")
    [ -f "$program/main.go" ] || continue
    mkdir -p "$generated/$name"
    cp "$program"/*.go "$generated/$name/"
done

echo "$workspace"
