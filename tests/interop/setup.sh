#!/bin/sh
# Installs the independent verifiers that tests/interop_signing.rs runs: a Python virtual
# environment with `cryptography`, and a Go toolchain. Safe to run more than once.
#
# Usage: tests/interop/setup.sh VENV_DIR
# Then: TITUS_INTEROP_PYTHON=VENV_DIR/bin/python TITUS_INTEROP_REQUIRED=1 cargo test
set -eu

if [ "$#" -ne 1 ]; then
    echo "usage: $0 VENV_DIR" >&2
    exit 2
fi
venv_dir=$1

if [ ! -x "$venv_dir/bin/python" ]; then
    python3 -m venv "$venv_dir"
fi
if ! "$venv_dir/bin/python" -c 'import cryptography' 2>/dev/null; then
    "$venv_dir/bin/pip" install --quiet cryptography
fi

# Go, protoc and protoc-gen-go build the Go programs and the reference encodings in
# testdata/golden; golang-google-protobuf-dev is the Go protobuf runtime they import.
debian_packages="golang-go protobuf-compiler protoc-gen-go golang-google-protobuf-dev"
if ! command -v go >/dev/null 2>&1 || ! command -v protoc >/dev/null 2>&1 \
    || ! command -v protoc-gen-go >/dev/null 2>&1 \
    || [ ! -d /usr/share/gocode/src/google.golang.org/protobuf ]; then
    sudo_prefix=""
    if [ "$(id -u)" -ne 0 ]; then
        sudo_prefix="sudo"
    fi
    $sudo_prefix apt-get update
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $sudo_prefix apt-get install -y $debian_packages
fi

"$venv_dir/bin/python" -c 'import cryptography; print("cryptography", cryptography.__version__)'
go version
