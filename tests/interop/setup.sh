#!/usr/bin/env bash
# Installs what the interop tests run: a Python venv at VENV_DIR with
# tests/interop/python/requirements.txt, and Debian's Go toolchain, protobuf-go and
# protoc when `go` or `protoc` is missing. Safe to run again: existing parts are kept.
#
# Usage: tests/interop/setup.sh VENV_DIR
# Then:  TITUS_INTEROP_PYTHON=VENV_DIR/bin/python cargo test --test interop
set -euo pipefail

if [ $# -ne 1 ]; then
    echo "usage: $0 VENV_DIR" >&2
    exit 2
fi
venv=$1
here=$(cd "$(dirname "$0")" && pwd)

debian_packages=(golang-go golang-google-protobuf-dev protoc-gen-go protobuf-compiler)

install_debian_packages() {
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        sudo=(sudo)
    fi
    # The package lists may be missing or stale on a fresh machine, so update them
    # only when the first install fails.
    if ! "${sudo[@]}" apt-get install -y "${debian_packages[@]}"; then
        "${sudo[@]}" apt-get update
        "${sudo[@]}" apt-get install -y "${debian_packages[@]}"
    fi
}

if ! command -v go >/dev/null || ! command -v protoc >/dev/null \
    || ! command -v protoc-gen-go >/dev/null \
    || [ ! -d /usr/share/gocode/src/google.golang.org/protobuf ]; then
    install_debian_packages
fi

if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet -r "$here/python/requirements.txt"

echo "export TITUS_INTEROP_PYTHON=$(cd "$venv" && pwd)/bin/python"
