// Command goverify verifies titus-identity signatures with the Go standard library.
//
// Usage: goverify MANIFEST.json
//
// It reads the manifest format of ../verify_signatures.py and makes the same checks. Each
// signature must verify with the leaf certificate's public key and must not verify over a
// changed message. An RSA-PSS signature must also fail with the other salt length, which is
// 20 bytes versus the digest length. The exit status is 1 when any check fails.
package main

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	_ "crypto/sha256"
	_ "crypto/sha512"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

const agentSaltLength = 20

type manifestCase struct {
	Name          string `json:"name"`
	Algorithm     string `json:"algorithm"`
	Certificate   []byte `json:"certificate"`
	Message       []byte `json:"message"`
	Signature     []byte `json:"signature"`
	PssSaltLength *int   `json:"pss_salt_length"`
}

type manifest struct {
	Cases []manifestCase `json:"cases"`
}

func hashFor(algorithm string) (crypto.Hash, error) {
	switch {
	case strings.HasPrefix(algorithm, "SHA256"):
		return crypto.SHA256, nil
	case strings.HasPrefix(algorithm, "SHA384"):
		return crypto.SHA384, nil
	case strings.HasPrefix(algorithm, "SHA512"):
		return crypto.SHA512, nil
	}
	return 0, fmt.Errorf("unknown algorithm %q", algorithm)
}

func verifies(
	key crypto.PublicKey, algorithm string, hash crypto.Hash,
	message, signature []byte, saltLength int,
) bool {
	h := hash.New()
	h.Write(message)
	digest := h.Sum(nil)

	switch {
	case strings.HasSuffix(algorithm, "withRSAandMGF1"):
		rsaKey, ok := key.(*rsa.PublicKey)
		if !ok {
			return false
		}
		options := &rsa.PSSOptions{SaltLength: saltLength, Hash: hash}
		return rsa.VerifyPSS(rsaKey, hash, digest, signature, options) == nil
	case strings.HasSuffix(algorithm, "withECDSA"):
		ecKey, ok := key.(*ecdsa.PublicKey)
		if !ok {
			return false
		}
		return ecdsa.VerifyASN1(ecKey, digest, signature)
	}
	return false
}

func checkCase(c manifestCase) ([]string, error) {
	hash, err := hashFor(c.Algorithm)
	if err != nil {
		return nil, err
	}
	certificate, err := x509.ParseCertificate(c.Certificate)
	if err != nil {
		return nil, fmt.Errorf("parse certificate: %w", err)
	}
	if len(c.Message) == 0 {
		return nil, fmt.Errorf("empty message")
	}
	key := certificate.PublicKey
	saltLength := 0
	if c.PssSaltLength != nil {
		saltLength = *c.PssSaltLength
	}

	var failures []string
	if !verifies(key, c.Algorithm, hash, c.Message, c.Signature, saltLength) {
		failures = append(failures, "signature does not verify")
	}

	tampered := append([]byte(nil), c.Message...)
	tampered[len(tampered)-1] ^= 1
	if verifies(key, c.Algorithm, hash, tampered, c.Signature, saltLength) {
		failures = append(failures, "signature verifies over a changed message")
	}

	if c.PssSaltLength != nil {
		other := agentSaltLength
		if saltLength == agentSaltLength {
			other = hash.Size()
		}
		if verifies(key, c.Algorithm, hash, c.Message, c.Signature, other) {
			failures = append(failures, fmt.Sprintf(
				"signature made with salt %d verifies with salt %d", saltLength, other))
		}
	}
	return failures, nil
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintf(os.Stderr, "usage: %s MANIFEST.json\n", os.Args[0])
		os.Exit(2)
	}
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintf(os.Stderr, "read manifest: %v\n", err)
		os.Exit(2)
	}
	var m manifest
	if err := json.Unmarshal(data, &m); err != nil {
		fmt.Fprintf(os.Stderr, "parse manifest: %v\n", err)
		os.Exit(2)
	}

	failed := 0
	for _, c := range m.Cases {
		failures, err := checkCase(c)
		if err != nil {
			failures = []string{err.Error()}
		}
		for _, failure := range failures {
			fmt.Printf("FAIL %s: %s\n", c.Name, failure)
			failed++
		}
	}
	fmt.Printf("go-stdlib: checked %d cases, %d failures\n", len(m.Cases), failed)
	if failed > 0 {
		os.Exit(1)
	}
}
