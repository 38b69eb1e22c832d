// Command godocs verifies Titus task identity documents with the rules of the deployed
// Go agent, using only Go's standard crypto and the protobuf-go runtime.
//
// Usage: godocs FILE...
//
// Each FILE is a TaskIdentityDocument or TaskPodIdentityDocument in protobuf, or a
// TaskIdentityStringDocument in JSON. For each it prints "OK FILE (details)" or
// "FAIL FILE: reason", and it exits with status 1 when any file fails.
//
// RSA signatures are RSASSA-PSS with MGF1 over the algorithm's hash and a salt of
// exactly 20 bytes, as the agent signs them. ECDSA signatures are ASN.1 DER over the
// algorithm's hash. A string document's signature covers the deterministic protobuf
// encoding of its identity, which is rebuilt here from the JSON read by encoding/json.
package main

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	_ "crypto/sha256"
	_ "crypto/sha512"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"titus-identity/interop/messages"
)

// agentSaltLength is the RSA-PSS salt length, in bytes, of the deployed agent.
const agentSaltLength = 20

// signedDocument is what a verifier needs from a document of any kind.
type signedDocument struct {
	kind        string
	signedBytes []byte
	signature   []byte
	algorithm   messages.SignatureAlgorithm
	certChain   [][]byte
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: godocs FILE...")
		os.Exit(2)
	}

	failures := 0
	for _, path := range os.Args[1:] {
		detail, err := verifyFile(path)
		if err != nil {
			failures++
			fmt.Printf("FAIL %s: %v\n", path, err)
			continue
		}
		fmt.Printf("OK %s (%s)\n", path, detail)
	}
	if failures > 0 {
		os.Exit(1)
	}
}

func verifyFile(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}

	document, err := parseDocument(data)
	if err != nil {
		return "", err
	}
	if len(document.certChain) == 0 {
		return "", errors.New("signature.certChain is empty")
	}

	detail, err := verifySignature(document)
	if err != nil {
		return "", err
	}
	return document.kind + ", " + detail, nil
}

func parseDocument(data []byte) (*signedDocument, error) {
	if strings.HasPrefix(strings.TrimSpace(string(data)), "{") {
		return parseStringDocument(data)
	}

	// TaskIdentityDocument and TaskPodIdentityDocument share their field numbers and
	// types, so one decode reads the envelope of either.
	envelope := &messages.TaskIdentityDocument{}
	if err := proto.Unmarshal(data, envelope); err != nil {
		return nil, fmt.Errorf("decode document: %w", err)
	}
	kind, err := detectKind(envelope.GetIdentity())
	if err != nil {
		return nil, err
	}
	if err := decodeIdentity(kind, envelope.GetIdentity()); err != nil {
		return nil, err
	}

	signature := envelope.GetSignature()
	if signature == nil || signature.Signature == nil || signature.Algorithm == nil {
		return nil, errors.New("signature, signature.signature or signature.algorithm is missing")
	}
	return &signedDocument{
		kind:        kind,
		signedBytes: envelope.GetIdentity(),
		signature:   signature.GetSignature(),
		algorithm:   signature.GetAlgorithm(),
		certChain:   signature.GetCertChain(),
	}, nil
}

// detectKind returns "identity" or "pod" by the wire type of field 3:
// a varint unixTimestampSec or a length-delimited requestTimestamp.
func detectKind(identity []byte) (string, error) {
	for len(identity) > 0 {
		number, wireType, length := protowire.ConsumeField(identity)
		if length < 0 {
			return "", fmt.Errorf("decode identity: %w", protowire.ParseError(length))
		}
		if number == 3 && wireType == protowire.VarintType {
			return "identity", nil
		}
		if number == 3 && wireType == protowire.BytesType {
			return "pod", nil
		}
		identity = identity[length:]
	}
	return "", errors.New("cannot tell the document kind: the identity has no field 3")
}

func decodeIdentity(kind string, identity []byte) error {
	var message proto.Message = &messages.TaskIdentity{}
	if kind == "pod" {
		message = &messages.TaskPodIdentity{}
	}
	if err := proto.Unmarshal(identity, message); err != nil {
		return fmt.Errorf("decode %s: %w", kind, err)
	}
	return nil
}

func parseStringDocument(data []byte) (*signedDocument, error) {
	document := &messages.TaskIdentityStringDocument{}
	if err := json.Unmarshal(data, document); err != nil {
		return nil, fmt.Errorf("encoding/json: %w", err)
	}
	if document.Identity == nil {
		return nil, errors.New("identity is missing")
	}
	signature := document.GetSignature()
	if signature == nil || signature.Signature == nil || signature.Algorithm == nil {
		return nil, errors.New("signature, signature.signature or signature.algorithm is missing")
	}

	signedBytes, err := proto.MarshalOptions{Deterministic: true}.Marshal(document.Identity)
	if err != nil {
		return nil, fmt.Errorf("marshal identity: %w", err)
	}
	rawSignature, err := base64.StdEncoding.DecodeString(signature.GetSignature())
	if err != nil {
		return nil, fmt.Errorf("signature.signature: %w", err)
	}
	chain := make([][]byte, 0, len(signature.GetCertChain()))
	for index, entry := range signature.GetCertChain() {
		certificate, err := base64.StdEncoding.DecodeString(entry)
		if err != nil {
			return nil, fmt.Errorf("signature.certChain[%d]: %w", index, err)
		}
		chain = append(chain, certificate)
	}

	return &signedDocument{
		kind:        "string",
		signedBytes: signedBytes,
		signature:   rawSignature,
		algorithm:   signature.GetAlgorithm(),
		certChain:   chain,
	}, nil
}

// hashOf maps each SignatureAlgorithm to its hash, and whether it is RSA-PSS.
func hashOf(algorithm messages.SignatureAlgorithm) (crypto.Hash, bool, error) {
	switch algorithm {
	case messages.SignatureAlgorithm_SHA256withRSAandMGF1:
		return crypto.SHA256, true, nil
	case messages.SignatureAlgorithm_SHA384withRSAandMGF1:
		return crypto.SHA384, true, nil
	case messages.SignatureAlgorithm_SHA512withRSAandMGF1:
		return crypto.SHA512, true, nil
	case messages.SignatureAlgorithm_SHA256withECDSA:
		return crypto.SHA256, false, nil
	case messages.SignatureAlgorithm_SHA384withECDSA:
		return crypto.SHA384, false, nil
	case messages.SignatureAlgorithm_SHA512withECDSA:
		return crypto.SHA512, false, nil
	}
	return 0, false, fmt.Errorf("unknown SignatureAlgorithm %d", algorithm)
}

func verifySignature(document *signedDocument) (string, error) {
	hash, isRSA, err := hashOf(document.algorithm)
	if err != nil {
		return "", err
	}
	leaf, err := x509.ParseCertificate(document.certChain[0])
	if err != nil {
		return "", fmt.Errorf("parse certChain[0]: %w", err)
	}
	digester := hash.New()
	digester.Write(document.signedBytes)
	digest := digester.Sum(nil)

	switch key := leaf.PublicKey.(type) {
	case *rsa.PublicKey:
		if !isRSA {
			return "", fmt.Errorf("%s needs an EC key, certChain[0] has RSA", document.algorithm)
		}
		options := &rsa.PSSOptions{SaltLength: agentSaltLength, Hash: hash}
		if err := rsa.VerifyPSS(key, hash, digest, document.signature, options); err != nil {
			return "", fmt.Errorf("%s: %w", document.algorithm, err)
		}
		return fmt.Sprintf("%s, RSA %d bits", document.algorithm, key.N.BitLen()), nil
	case *ecdsa.PublicKey:
		if isRSA {
			return "", fmt.Errorf("%s needs an RSA key, certChain[0] has EC", document.algorithm)
		}
		if !ecdsa.VerifyASN1(key, digest, document.signature) {
			return "", fmt.Errorf("%s: ECDSA signature does not verify", document.algorithm)
		}
		return fmt.Sprintf("%s, %s", document.algorithm, key.Curve.Params().Name), nil
	}
	return "", fmt.Errorf("unsupported public key type %T", leaf.PublicKey)
}
