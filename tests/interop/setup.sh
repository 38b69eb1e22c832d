#!/usr/bin/env bash
# Installs what tests/interop.rs and tests/interop_signing.rs run: a Python venv at
# VENV_DIR with tests/interop/python/requirements.txt (cryptography and protobuf), and
# Debian's Go toolchain, protobuf-go and protoc when any of them is missing. Safe to run
# more than once: what is already installed is kept.
#
# Usage: tests/interop/setup.sh VENV_DIR
# Then:  TITUS_INTEROP_PYTHON=VENV_DIR/bin/python TITUS_INTEROP_REQUIRED=1 cargo test
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

"$venv/bin/python" -c 'import cryptography; print("cryptography", cryptography.__version__)'
"$venv/bin/python" -c 'import google.protobuf; print("protobuf", google.protobuf.__version__)'
go version
protoc --version
echo "export TITUS_INTEROP_PYTHON=$(cd "$venv" && pwd)/bin/python"
