#!/usr/bin/env python3
"""Sign and verify Titus task identity documents the way the deployed Go agent does.

This program is an independent implementation for interoperability tests. It shares no
code with the Rust crate: messages come from protoc's Python output for proto/, signatures
from the `cryptography` package.

    titus_agent.py sign --chain CHAIN.pem --key KEY.pem --out-dir DIR
        [--kind identity|pod|string]... [--algorithm NAME|all]... [--timestamp SECONDS]
    titus_agent.py verify FILE... [--kind identity|pod|string]

`sign` writes DIR/KIND-ALGORITHM.bin (protobuf) or .json (string documents) and prints
each path. `verify` prints "OK path" or "FAIL path: reason" per file and exits with
status 1 when any file fails.
"""

import argparse
import base64
import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from google.protobuf import descriptor, json_format
from google.protobuf.message import DecodeError

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
PROTO_DIR = os.path.join(REPO, "proto")
PROTO_FILES = ["netflix/titus/agent.proto", "netflix/titus/titus_vpc_api.proto"]

# RSA-PSS salt length of the deployed agent, in bytes, for every RSA algorithm.
AGENT_PSS_SALT_LENGTH = 20

# SignatureAlgorithm enum of agent.proto: name -> (wire number, key type, hash).
ALGORITHMS = {
    "SHA256withRSAandMGF1": (0, "RSA", hashes.SHA256),
    "SHA384withRSAandMGF1": (1, "RSA", hashes.SHA384),
    "SHA512withRSAandMGF1": (2, "RSA", hashes.SHA512),
    "SHA256withECDSA": (3, "EC", hashes.SHA256),
    "SHA384withECDSA": (4, "EC", hashes.SHA384),
    "SHA512withECDSA": (5, "EC", hashes.SHA512),
}
ALGORITHM_NAMES = {number: name for name, (number, _, _) in ALGORITHMS.items()}
AGENT_DEFAULT_ALGORITHM = {"RSA": "SHA512withRSAandMGF1", "EC": "SHA512withECDSA"}

KINDS = ("identity", "pod", "string")

# Protobuf wire types.
VARINT, FIXED64, LENGTH_DELIMITED, START_GROUP, END_GROUP, FIXED32 = range(6)

# ContainerInfo field numbers of its map<string, string> fields.
CONTAINER_MAP_FIELDS = (24, 25, 37)
TASK_IDENTITY_CONTAINER_FIELD = 2
TIMESTAMP_FIELD = 3


class VerificationFailure(Exception):
    """A document that does not verify, with the reason as its message."""


def load_messages():
    """Generate agent_pb2 with protoc into a temporary folder and import it.

    The folder is removed once imported, because importing agent_pb2 also imports
    titus_vpc_api_pb2 and nothing more is read from it afterwards.
    """
    out_dir = tempfile.mkdtemp(prefix="titus-agent-pb2-")
    try:
        command = ["protoc", f"--proto_path={PROTO_DIR}", f"--python_out={out_dir}"]
        subprocess.run(command + PROTO_FILES, check=True)
        sys.path.insert(0, out_dir)
        return importlib.import_module("netflix.titus.agent_pb2")
    finally:
        if out_dir in sys.path:
            sys.path.remove(out_dir)
        shutil.rmtree(out_dir)


# --- Protobuf wire format -------------------------------------------------------------


def read_varint(data, offset):
    """Read a base-128 varint at offset, returning (value, next offset)."""
    value = 0
    shift = 0
    while True:
        if offset >= len(data) or shift > 63:
            raise ValueError("truncated or overlong varint")
        byte = data[offset]
        value |= (byte & 0x7F) << shift
        offset += 1
        shift += 7
        if byte < 0x80:
            return value, offset


def encode_varint(value):
    """Encode a non-negative integer as a base-128 varint."""
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def iter_fields(data):
    """Yield (field number, wire type, whole record, payload) for each top-level field."""
    offset = 0
    while offset < len(data):
        start = offset
        key, offset = read_varint(data, offset)
        number, wire_type = key >> 3, key & 7
        if wire_type == VARINT:
            _, offset = read_varint(data, offset)
            payload = b""
        elif wire_type == LENGTH_DELIMITED:
            length, offset = read_varint(data, offset)
            payload = data[offset : offset + length]
            if len(payload) != length:
                raise ValueError("truncated length-delimited field")
            offset += length
        elif wire_type in (FIXED64, FIXED32):
            offset += 8 if wire_type == FIXED64 else 4
            payload = b""
        else:
            raise ValueError(f"unsupported wire type {wire_type}")
        if offset > len(data):
            raise ValueError("truncated field")
        yield number, wire_type, data[start:offset], payload


def map_entry_key(entry):
    """Return the key bytes (field 1) of an encoded map entry."""
    for number, _, _, payload in iter_fields(entry):
        if number == 1:
            return payload
    return b""


def sort_map_entries(message_bytes, map_fields):
    """Reorder the entries of each map field by key bytes, as protobuf-go writes them.

    Python's deterministic serialization already writes fields in number order and
    each map entry with both key and value, but orders map keys differently from
    protobuf-go, which sorts string keys by their UTF-8 bytes.
    """
    records = list(iter_fields(message_bytes))
    out = bytearray()
    index = 0
    while index < len(records):
        number = records[index][0]
        if number not in map_fields:
            out += records[index][2]
            index += 1
            continue
        end = index
        while end < len(records) and records[end][0] == number:
            end += 1
        entries = sorted(records[index:end], key=lambda record: map_entry_key(record[3]))
        out += b"".join(record[2] for record in entries)
        index = end
    return bytes(out)


def go_deterministic_identity(identity):
    """Encode a TaskIdentity as protobuf-go's deterministic Marshal does."""
    python_bytes = identity.SerializeToString(deterministic=True)
    out = bytearray()
    for number, wire_type, record, payload in iter_fields(python_bytes):
        if number == TASK_IDENTITY_CONTAINER_FIELD and wire_type == LENGTH_DELIMITED:
            container = sort_map_entries(payload, CONTAINER_MAP_FIELDS)
            out += encode_varint(number << 3 | LENGTH_DELIMITED)
            out += encode_varint(len(container)) + container
        else:
            out += record
    return bytes(out)


def detect_kind(data):
    """Tell a document's kind: JSON is a string document, otherwise the wire type of
    field 3 of the signed bytes (varint unixTimestampSec or message requestTimestamp)."""
    if data.lstrip()[:1] == b"{":
        return "string"
    for number, _, _, payload in iter_fields(data):
        if number != 1:
            continue
        for inner_number, wire_type, _, _ in iter_fields(payload):
            if inner_number == TIMESTAMP_FIELD:
                return "identity" if wire_type == VARINT else "pod"
    raise VerificationFailure("cannot tell the document kind: no identity timestamp")


# --- Go encoding/json shape ------------------------------------------------------------


def scalar_to_go_json(field, value):
    """Convert one scalar as Go's encoding/json writes the protoc-gen-go field."""
    if field.type == descriptor.FieldDescriptor.TYPE_BYTES:
        return base64.b64encode(value).decode("ascii")
    if field.type == descriptor.FieldDescriptor.TYPE_MESSAGE:
        return message_to_go_json(value)
    return value


def message_to_go_json(message):
    """Convert a message to the dict Go's encoding/json writes for its protoc-gen-go
    struct: proto field names, enums and 64-bit integers as numbers, bytes as base64,
    and absent fields omitted."""
    out = {}
    for field, value in message.ListFields():
        if field.message_type is not None and field.message_type.GetOptions().map_entry:
            out[field.name] = dict(value)
        elif field.is_repeated:
            out[field.name] = [scalar_to_go_json(field, item) for item in value]
        else:
            out[field.name] = scalar_to_go_json(field, value)
    return out


# --- Sample messages -------------------------------------------------------------------


def sample_task_info(pb):
    """Build a TaskInfo with the fields the agent fills in."""
    task = pb.TaskInfo(
        containerId="titus-7a3b-container",
        taskId="7a3b2c1d-0000-4e5f-9a8b-123456789abc",
        hostName="titusagent-1.example.test",
        slaveId="agent-1",
        status=pb.TaskInfo.RUNNING,
        message="running",
    )
    task.environmentVariable.add(name="TITUS_TASK_ID", value=task.taskId)
    task.environmentVariable.add(name="EMPTY", value="")
    return task


def sample_container(pb):
    """Build a ContainerInfo that covers maps with keys whose orders differ between
    protobuf implementations, repeated enums, nested messages and zero values."""
    container = pb.ContainerInfo(
        imageName="titusops/alpine",
        command="/bin/sh -c true",
        version="latest",
        jobId="job-1",
        appName="interop",
        jobGroupStack="test",
        jobGroupDetail="python",
        iamProfile="arn:aws:iam::000000000000:role/interop",
        numGpus=0,
        imageDigest="sha256:" + "ab" * 32,
        allowNetworkBursting=False,
        batch=True,
        oomScoreAdj=-1000,
        imagePullPolicy=pb.ContainerInfo.IfNotPresent,
        shmSizeMB=64,
        jobAcceptedTimestampMs=1_700_000_000_123,
    )

    container.entrypointCmd.extend(["/bin/sh", "-c", "true"])
    container.networkConfigInfo.eniLablel = "0"
    container.networkConfigInfo.eniLabel = "0"
    container.networkConfigInfo.securityGroups.extend(["sg-1", "sg-2"])
    container.capabilities.add.extend([pb.ContainerInfo.Capabilities.NET_ADMIN])
    container.capabilities.drop.extend([pb.ContainerInfo.Capabilities.CHOWN])

    keys = ["VAR10", "VAR100", "VAR2", "Z", "a", "\u00e9t\u00e9", "", "\U0001f600"]
    for index, key in enumerate(keys):
        container.userProvidedEnv[key] = f"value-{index}"
    container.titusProvidedEnv["TITUS_IAM_ROLE"] = container.iamProfile
    container.titusProvidedEnv["EMPTY"] = ""
    container.passthroughAttributes["b"] = "2"
    container.passthroughAttributes["a"] = "1"
    return container


def sample_identity(pb, timestamp):
    """Build a TaskIdentity as the agent's metadata server sends it."""
    return pb.TaskIdentity(
        task=sample_task_info(pb),
        container=sample_container(pb),
        unixTimestampSec=timestamp,
        ipv4Address="192.0.2.10",
        ipv6Address="2001:db8::10",
    )


def sample_pod_identity(pb, timestamp):
    """Build a TaskPodIdentity with opaque pod bytes and a nanosecond timestamp."""
    identity = pb.TaskPodIdentity(
        taskInfo=sample_task_info(pb),
        pod=b'{"kind":"Pod"}\x00\xff',
        ipv4Address="192.0.2.11",
    )
    identity.requestTimestamp.seconds = timestamp
    identity.requestTimestamp.nanos = 123_456_789
    return identity


# --- Signatures ------------------------------------------------------------------------


def key_type_of(key):
    """Return "RSA" or "EC" for a private or public key."""
    if isinstance(key, (rsa.RSAPrivateKey, rsa.RSAPublicKey)):
        return "RSA"
    if isinstance(key, (ec.EllipticCurvePrivateKey, ec.EllipticCurvePublicKey)):
        return "EC"
    raise VerificationFailure(f"unsupported key type {type(key).__name__}")


def sign_bytes(key, algorithm, data):
    """Sign data with the named algorithm: RSA-PSS (MGF1 over the same hash, salt 20)
    or ECDSA with an ASN.1 DER signature."""
    _, key_type, hash_class = ALGORITHMS[algorithm]
    if key_type_of(key) != key_type:
        raise ValueError(f"{algorithm} needs an {key_type} key")
    if key_type == "RSA":
        pss = padding.PSS(mgf=padding.MGF1(hash_class()), salt_length=AGENT_PSS_SALT_LENGTH)
        return key.sign(data, pss, hash_class())
    return key.sign(data, ec.ECDSA(hash_class()))


def verify_rsa_pss(public_key, signature, data, hash_class):
    """Verify RSA-PSS with the agent's salt length, then with the digest length, and
    return the salt length that verified."""
    for salt_length in (AGENT_PSS_SALT_LENGTH, hash_class.digest_size):
        pss = padding.PSS(mgf=padding.MGF1(hash_class()), salt_length=salt_length)
        try:
            public_key.verify(signature, data, pss, hash_class())
            return salt_length
        except InvalidSignature:
            continue
    raise VerificationFailure("RSA-PSS signature does not verify")


def verify_bytes(leaf_der, algorithm_number, signature, data):
    """Verify a signature over data against the public key of the leaf certificate."""
    name = ALGORITHM_NAMES.get(algorithm_number)
    if name is None:
        raise VerificationFailure(f"unknown SignatureAlgorithm number {algorithm_number}")
    _, key_type, hash_class = ALGORITHMS[name]

    public_key = x509.load_der_x509_certificate(leaf_der).public_key()
    if key_type_of(public_key) != key_type:
        raise VerificationFailure(f"{name} does not match the leaf's {key_type_of(public_key)} key")

    if key_type == "RSA":
        salt_length = verify_rsa_pss(public_key, signature, data, hash_class)
        return f"{name}, PSS salt {salt_length}"
    try:
        public_key.verify(signature, data, ec.ECDSA(hash_class()))
    except InvalidSignature as error:
        raise VerificationFailure("ECDSA signature does not verify") from error
    return f"{name}, {public_key.curve.name}"


# --- sign ------------------------------------------------------------------------------


def load_credentials(chain_path, key_path):
    """Load a PEM chain (leaf first) as DER, and a PEM private key."""
    with open(chain_path, "rb") as chain_file:
        chain = x509.load_pem_x509_certificates(chain_file.read())
    with open(key_path, "rb") as key_file:
        key = serialization.load_pem_private_key(key_file.read(), password=None)
    return [cert.public_bytes(serialization.Encoding.DER) for cert in chain], key


def make_document(pb, kind, key, chain, algorithm, timestamp):
    """Sign a sample identity of the given kind and return the document bytes."""
    number = ALGORITHMS[algorithm][0]
    if kind == "string":
        identity = sample_identity(pb, timestamp)
        signature = sign_bytes(key, algorithm, go_deterministic_identity(identity))
        document = {
            "identity": message_to_go_json(identity),
            "signature": {
                "signature": base64.b64encode(signature).decode("ascii"),
                "algorithm": number,
                "certChain": [base64.b64encode(cert).decode("ascii") for cert in chain],
            },
        }
        return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()

    if kind == "identity":
        signed = go_deterministic_identity(sample_identity(pb, timestamp))
        document = pb.TaskIdentityDocument(identity=signed)
    else:
        signed = sample_pod_identity(pb, timestamp).SerializeToString(deterministic=True)
        document = pb.TaskPodIdentityDocument(podIdentity=signed)
    document.signature.signature = sign_bytes(key, algorithm, signed)
    document.signature.algorithm = number
    document.signature.certChain.extend(chain)
    return document.SerializeToString(deterministic=True)


def expand_algorithms(requested, key):
    """Resolve --algorithm values: none means the agent's default for the key type,
    and "all" means every algorithm for the key type."""
    key_type = key_type_of(key)
    if not requested:
        return [AGENT_DEFAULT_ALGORITHM[key_type]]
    if "all" in requested:
        return [name for name, (_, kind, _) in ALGORITHMS.items() if kind == key_type]
    return requested


def run_sign(args, pb):
    """Write one document per requested kind and algorithm."""
    chain, key = load_credentials(args.chain, args.key)
    timestamp = args.timestamp if args.timestamp is not None else int(time.time())
    os.makedirs(args.out_dir, exist_ok=True)
    for kind in args.kind or KINDS:
        for algorithm in expand_algorithms(args.algorithm, key):
            document = make_document(pb, kind, key, chain, algorithm, timestamp)
            extension = "json" if kind == "string" else "bin"
            path = os.path.join(args.out_dir, f"{kind}-{algorithm}.{extension}")
            with open(path, "wb") as out:
                out.write(document)
            print(path)
    return 0


# --- verify ----------------------------------------------------------------------------


def parse_protobuf_document(pb, kind, data):
    """Parse an identity or pod document and decode the identity it signs."""
    if kind == "identity":
        document = pb.TaskIdentityDocument.FromString(data)
        signed = document.identity
        pb.TaskIdentity.FromString(signed)
    else:
        document = pb.TaskPodIdentityDocument.FromString(data)
        signed = document.podIdentity
        pb.TaskPodIdentity.FromString(signed)
    signature = document.signature
    if not signature.HasField("algorithm") or not signature.HasField("signature"):
        raise VerificationFailure("signature.algorithm or signature.signature is missing")
    return signed, signature.algorithm, signature.signature, list(signature.certChain)


def parse_string_document(pb, data):
    """Parse a string document with the protobuf runtime's JSON reader and re-encode
    its identity as protobuf-go does."""
    document = json.loads(data)
    identity = pb.TaskIdentity()
    json_format.ParseDict(document["identity"], identity)
    signature = document["signature"]
    signed = go_deterministic_identity(identity)
    chain = [base64.b64decode(entry, validate=True) for entry in signature["certChain"]]
    raw_signature = base64.b64decode(signature["signature"], validate=True)
    return signed, signature["algorithm"], raw_signature, chain


def verify_file(pb, path, kind):
    """Verify one document file and return a description of what verified."""
    with open(path, "rb") as document_file:
        data = document_file.read()
    kind = kind or detect_kind(data)
    if kind == "string":
        signed, algorithm, signature, chain = parse_string_document(pb, data)
    else:
        signed, algorithm, signature, chain = parse_protobuf_document(pb, kind, data)
    if not chain:
        raise VerificationFailure("signature.certChain is empty")
    return f"{kind}, " + verify_bytes(chain[0], algorithm, signature, signed)


def run_verify(args, pb):
    """Verify every file, printing one line each; return 1 when any fails."""
    failures = 0
    for path in args.files:
        try:
            detail = verify_file(pb, path, args.kind)
            print(f"OK {path} ({detail})")
        except (VerificationFailure, ValueError, KeyError, TypeError, DecodeError) as error:
            failures += 1
            print(f"FAIL {path}: {type(error).__name__}: {error}")
    return 1 if failures else 0


def parse_args(argv):
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    sign = commands.add_parser("sign", help="sign sample documents")
    sign.add_argument("--chain", required=True, help="PEM certificate chain, leaf first")
    sign.add_argument("--key", required=True, help="PEM private key (RSA or EC)")
    sign.add_argument("--out-dir", required=True, help="folder for the documents")
    sign.add_argument("--kind", action="append", choices=KINDS, help="repeatable")
    sign.add_argument(
        "--algorithm",
        action="append",
        choices=list(ALGORITHMS) + ["all"],
        help="repeatable; default: the agent's SHA-512 algorithm for the key type",
    )
    sign.add_argument("--timestamp", type=int, help="unix seconds; default: now")

    verify = commands.add_parser("verify", help="verify documents")
    verify.add_argument("files", nargs="+", help="document files")
    verify.add_argument("--kind", choices=KINDS, help="default: detect per file")
    return parser.parse_args(argv)


def main(argv):
    args = parse_args(argv)
    pb = load_messages()
    if args.command == "sign":
        return run_sign(args, pb)
    return run_verify(args, pb)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
