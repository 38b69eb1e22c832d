// Command golden writes reference encodings of identity fixtures with the Go protobuf
// runtime, for the Rust codec tests to compare against byte for byte.
//
// For each NAME.json given (Go encoding/json shape), it reads a TaskIdentity, or a
// TaskPodIdentity when NAME starts with "pod", and writes NAME.bin (deterministic
// protobuf) and NAME.go.json (encoding/json output) beside it.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"google.golang.org/protobuf/proto"

	"titus-identity/interop/messages"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: golden FIXTURE.json...")
		os.Exit(2)
	}
	for _, path := range os.Args[1:] {
		if err := writeReference(path); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", path, err)
			os.Exit(1)
		}
	}
}

func writeReference(path string) error {
	input, err := os.ReadFile(path)
	if err != nil {
		return err
	}

	var message proto.Message = &messages.TaskIdentity{}
	base := strings.TrimSuffix(path, ".json")
	if strings.HasPrefix(base[strings.LastIndex(base, "/")+1:], "pod") {
		message = &messages.TaskPodIdentity{}
	}
	if err := json.Unmarshal(input, message); err != nil {
		return fmt.Errorf("encoding/json: %w", err)
	}

	encoded, err := proto.MarshalOptions{Deterministic: true}.Marshal(message)
	if err != nil {
		return fmt.Errorf("marshal: %w", err)
	}
	marshalled, err := json.Marshal(message)
	if err != nil {
		return fmt.Errorf("json.Marshal: %w", err)
	}

	if err := os.WriteFile(base+".bin", encoded, 0o644); err != nil {
		return err
	}
	return os.WriteFile(base+".go.json", marshalled, 0o644)
}
