#!/usr/bin/env bash
# Runs every test, including the cross-checks against Python `cryptography` and Go.
#
# It installs what the cross-checks need when it is missing: a Python virtual
# environment in .venv (packages from PyPI) and Go with its protobuf packages (Debian).
# Then it regenerates the Go reference encodings in testdata/golden, fails if they
# differ from the committed ones, and runs `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tests/interop/setup.sh "$PWD/.venv"
export TITUS_INTEROP_PYTHON="$PWD/.venv/bin/python"
export TITUS_INTEROP_REQUIRED=1

bash testdata/golden/generate.sh
if ! git diff --quiet -- testdata/golden 2>/dev/null; then
    echo "testdata/golden differs from Go's output; run testdata/golden/generate.sh" >&2
    git diff --stat -- testdata/golden >&2
    exit 1
fi

cargo test --all-targets
cargo test --doc
