#!/usr/bin/env bash
# Regenerates the reference encodings in this folder with Go's protobuf runtime:
# for each fixture NAME.json it writes NAME.bin (protobuf-go deterministic output)
# and NAME.go.json (Go encoding/json output). Needs Debian's golang-go,
# golang-google-protobuf-dev, protoc-gen-go and protobuf-compiler.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
workspace=$(mktemp -d)
trap 'rm -rf "$workspace"' EXIT

bash "$repo/tests/interop/go-env.sh" "$workspace" >/dev/null
fixtures=()
for fixture in "$here"/*.json; do
    case "$fixture" in *.go.json) continue ;; esac
    fixtures+=("$fixture")
done

cd "$workspace/src/titus-identity/interop/golden"
GOPATH="$workspace:/usr/share/gocode" GO111MODULE=off GOFLAGS= GOCACHE="$workspace/cache" \
    go run . "${fixtures[@]}"
