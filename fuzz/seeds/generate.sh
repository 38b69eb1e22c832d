#!/usr/bin/env bash
# Regenerates the committed fuzz seeds: one folder per fuzz target, and anchor.der, the
# root certificate that the decode_document and chain targets validate against.
#
# A throwaway openssl CA issues an RSA and an EC leaf, and
# tests/interop/python/titus_agent.py signs documents with them, so the seeds have real
# envelopes and certificates. Needs openssl, protoc and a Python with
# tests/interop/python/requirements.txt (PYTHON, default python3).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
python=${PYTHON:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat >"$work/ca.ext" <<'EOF'
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
EOF
cat >"$work/leaf.ext" <<'EOF'
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF

openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
    -subj "/CN=titus-fuzz-root" -keyout "$work/root.key" -out "$work/root.csr" 2>/dev/null
openssl x509 -req -in "$work/root.csr" -signkey "$work/root.key" -days 3650 \
    -extfile "$work/ca.ext" -out "$work/root.pem" 2>/dev/null

make_leaf() {
    local name=$1
    shift
    openssl req -new -nodes -subj "/CN=titus-fuzz-$name" "$@" \
        -keyout "$work/$name.key" -out "$work/$name.csr" 2>/dev/null
    openssl x509 -req -in "$work/$name.csr" -CA "$work/root.pem" -CAkey "$work/root.key" \
        -CAcreateserial -days 3650 -extfile "$work/leaf.ext" \
        -out "$work/$name.crt" 2>/dev/null
    cat "$work/$name.crt" "$work/root.pem" >"$work/$name.pem"
    openssl x509 -in "$work/$name.crt" -outform der -out "$work/$name.der"
}

make_leaf rsa -newkey rsa:2048
make_leaf ec -newkey ec -pkeyopt ec_paramgen_curve:P-256
openssl x509 -in "$work/root.pem" -outform der -out "$here/anchor.der"

sign() {
    "$python" "$repo/tests/interop/python/titus_agent.py" sign --timestamp 1700000000 \
        --out-dir "$work/docs" "$@" >/dev/null
}

sign --chain "$work/rsa.pem" --key "$work/rsa.key" --kind identity --kind string
sign --chain "$work/ec.pem" --key "$work/ec.key" --kind pod --kind string

reset() {
    rm -rf "$here/$1" && mkdir -p "$here/$1"
    echo "$here/$1"
}

target=$(reset decode_document)
cp "$work/docs/identity-SHA512withRSAandMGF1.bin" "$target/identity-rsa.bin"
cp "$work/docs/pod-SHA512withECDSA.bin" "$target/pod-ec.bin"
cp "$work/docs/string-SHA512withECDSA.json" "$target/string-ec.json"
cp "$work/docs/string-SHA512withRSAandMGF1.json" "$target/string-rsa.json"

target=$(reset json_input)
cp "$work/docs/string-SHA512withECDSA.json" "$target/string-ec.json"
cp "$repo/testdata/golden/rich_identity.go.json" "$target/rich_identity.json"
cp "$repo/testdata/golden/unknown_enums_identity.json" "$target/unknown_enums_identity.json"
cp "$repo/testdata/golden/pod_identity.json" "$target/pod_identity.json"
cp "$repo/testdata/golden/pod_zero_timestamp.go.json" "$target/pod_zero_timestamp.json"

# chain inputs: the leaf, then pool certificates, as concatenated DER.
target=$(reset chain)
cat "$work/ec.der" >"$target/ec-leaf.der"
cat "$work/rsa.der" "$here/anchor.der" >"$target/rsa-leaf-and-root.der"
cat "$work/ec.der" "$work/rsa.der" "$here/anchor.der" >"$target/ec-leaf-pool.der"

# credentials inputs: a format byte (0 PEM, 1 DER), the key length as two big-endian
# bytes, the key, then the chain.
target=$(reset credentials)
frame() {
    "$python" - "$@" <<'EOF'
import sys
mode, key_path, chain_path, out_path = sys.argv[1:]
key = open(key_path, "rb").read()
chain = open(chain_path, "rb").read()
with open(out_path, "wb") as out:
    out.write(bytes([int(mode)]) + len(key).to_bytes(2, "big") + key + chain)
EOF
}
openssl pkey -in "$work/ec.key" -outform der -out "$work/ec.key.der"
openssl pkey -in "$work/rsa.key" -outform der -out "$work/rsa.key.der"
openssl ec -in "$work/ec.key" -out "$work/ec.sec1.pem" 2>/dev/null
openssl rsa -in "$work/rsa.key" -traditional -out "$work/rsa.pkcs1.pem" 2>/dev/null
cat "$work/ec.der" "$here/anchor.der" >"$work/ec.chain.der"
frame 0 "$work/ec.key" "$work/ec.pem" "$target/ec-pkcs8.pem.bin"
frame 0 "$work/ec.sec1.pem" "$work/ec.pem" "$target/ec-sec1.pem.bin"
frame 0 "$work/rsa.pkcs1.pem" "$work/rsa.pem" "$target/rsa-pkcs1.pem.bin"
frame 1 "$work/ec.key.der" "$work/ec.chain.der" "$target/ec-pkcs8.der.bin"
frame 1 "$work/rsa.key.der" "$work/rsa.der" "$target/rsa-pkcs8.der.bin"
