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

if ! command -v go >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
        apt-get update
        apt-get install -y golang-go
    else
        sudo apt-get update
        sudo apt-get install -y golang-go
    fi
fi

"$venv_dir/bin/python" -c 'import cryptography; print("cryptography", cryptography.__version__)'
go version
