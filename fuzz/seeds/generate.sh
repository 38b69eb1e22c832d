#!/usr/bin/env bash
# Regenerates the committed fuzz seeds in this folder: one folder per fuzz target.
#
# Documents are signed by tests/interop/python/titus_agent.py with throwaway openssl
# keys, so the seeds have real envelopes and certificates. Needs openssl, protoc and a
# Python with tests/interop/python/requirements.txt (PYTHON, default python3).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
python=${PYTHON:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

make_pki() {
    local name=$1
    shift
    openssl req -x509 -nodes -days 3650 -subj "/CN=titus-fuzz-$name" \
        -keyout "$work/$name.key" -out "$work/$name.pem" "$@" 2>/dev/null
}

make_pki rsa -newkey rsa:2048
make_pki ec -newkey ec -pkeyopt ec_paramgen_curve:P-256

sign() {
    "$python" "$repo/tests/interop/python/titus_agent.py" sign --timestamp 1700000000 \
        --out-dir "$work/docs" "$@" >/dev/null
}

sign --chain "$work/rsa.pem" --key "$work/rsa.key" --kind identity --kind string
sign --chain "$work/ec.pem" --key "$work/ec.key" --kind pod --kind string

target="$here/decode_document"
rm -rf "$target" && mkdir -p "$target"
cp "$work/docs/identity-SHA512withRSAandMGF1.bin" "$target/identity-rsa.bin"
cp "$work/docs/pod-SHA512withECDSA.bin" "$target/pod-ec.bin"
cp "$work/docs/string-SHA512withECDSA.json" "$target/string-ec.json"
cp "$work/docs/string-SHA512withRSAandMGF1.json" "$target/string-rsa.json"

target="$here/json_input"
rm -rf "$target" && mkdir -p "$target"
cp "$work/docs/string-SHA512withECDSA.json" "$target/string-ec.json"
cp "$repo/testdata/golden/rich_identity.go.json" "$target/rich_identity.json"
cp "$repo/testdata/golden/unknown_enums_identity.json" "$target/unknown_enums_identity.json"
cp "$repo/testdata/golden/pod_identity.json" "$target/pod_identity.json"
cp "$repo/testdata/golden/pod_zero_timestamp.go.json" "$target/pod_zero_timestamp.json"
