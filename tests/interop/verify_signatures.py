"""Verify titus-identity signatures with the Python `cryptography` package.

Usage: python verify_signatures.py MANIFEST.json

The manifest is written by tests/interop_signing.rs:
    {"cases": [{"name": str, "algorithm": "SHA512withRSAandMGF1", "certificate": base64 DER,
                "message": base64, "signature": base64, "pss_salt_length": int or null}]}

For each case the signature must verify with the leaf certificate's public key. It must not
verify over a message with its last byte changed, and an RSA-PSS signature must not verify
with the other salt length (20 bytes versus the digest length). Exits with status 1 when any
check fails.
"""

import base64
import json
import sys

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

HASHES = {"SHA256": hashes.SHA256, "SHA384": hashes.SHA384, "SHA512": hashes.SHA512}
AGENT_SALT_LENGTH = 20


def hash_for(algorithm):
    return HASHES[algorithm[:6]]()


def verifies(public_key, algorithm, signature, message, salt_length):
    hash_algorithm = hash_for(algorithm)
    try:
        if algorithm.endswith("withRSAandMGF1"):
            if not isinstance(public_key, rsa.RSAPublicKey):
                return False
            pss = padding.PSS(mgf=padding.MGF1(hash_algorithm), salt_length=salt_length)
            public_key.verify(signature, message, pss, hash_algorithm)
        elif algorithm.endswith("withECDSA"):
            if not isinstance(public_key, ec.EllipticCurvePublicKey):
                return False
            public_key.verify(signature, message, ec.ECDSA(hash_algorithm))
        else:
            raise ValueError(f"unknown algorithm {algorithm}")
    except InvalidSignature:
        return False
    return True


def check_case(case):
    """Return a list of failed checks for one manifest case."""
    algorithm = case["algorithm"]
    certificate = x509.load_der_x509_certificate(base64.b64decode(case["certificate"]))
    public_key = certificate.public_key()
    message = base64.b64decode(case["message"])
    signature = base64.b64decode(case["signature"])
    salt_length = case.get("pss_salt_length")
    failures = []

    if not verifies(public_key, algorithm, signature, message, salt_length):
        failures.append("signature does not verify")

    tampered = message[:-1] + bytes([message[-1] ^ 1])
    if verifies(public_key, algorithm, signature, tampered, salt_length):
        failures.append("signature verifies over a changed message")

    if salt_length is not None:
        digest_length = hash_for(algorithm).digest_size
        other = digest_length if salt_length == AGENT_SALT_LENGTH else AGENT_SALT_LENGTH
        if verifies(public_key, algorithm, signature, message, other):
            failures.append(f"signature made with salt {salt_length} verifies with salt {other}")

    return failures


def main(argv):
    if len(argv) != 2:
        print(f"usage: {argv[0]} MANIFEST.json", file=sys.stderr)
        return 2

    with open(argv[1], encoding="utf-8") as manifest_file:
        cases = json.load(manifest_file)["cases"]

    failed = 0
    for case in cases:
        for failure in check_case(case):
            print(f"FAIL {case['name']}: {failure}")
            failed += 1

    print(f"python-cryptography: checked {len(cases)} cases, {failed} failures")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
