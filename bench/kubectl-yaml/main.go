// Command kubectl-yaml reads YAML files as `kubectl apply -f` does, to measure wilint's YAML
// reading against it: the stream is split like k8s.io/apimachinery's YAMLReader (a line that
// starts with `---` followed by nothing but spaces or a comment ends a document; other
// content after `---` is an error), and each document is decoded with sigs.k8s.io/yaml
// (go-yaml v2), as kubectl's decoder does; a stream that starts with `{` is JSON.
//
// Usage: kubectl-yaml FILE... ; prints `ok PATH` or `error PATH: MESSAGE` per file.
// Built offline from Debian's packages (see bench/kubectl_yaml.sh).
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"sigs.k8s.io/yaml"
)

func documents(data []byte) ([][]byte, error) {
	var docs [][]byte
	var buffer bytes.Buffer
	reader := bufio.NewReader(bytes.NewReader(data))
	for {
		line, err := reader.ReadBytes('\n')
		if err != nil && err != io.EOF {
			return nil, err
		}
		if bytes.HasPrefix(line, []byte("---")) {
			trimmed := strings.TrimSpace(string(line[3:]))
			if len(trimmed) > 0 && trimmed[0] != '#' {
				return nil, fmt.Errorf("invalid Yaml document separator: %s", trimmed)
			}
			if buffer.Len() != 0 {
				docs = append(docs, append([]byte(nil), buffer.Bytes()...))
				buffer.Reset()
			}
			if err == io.EOF {
				return docs, nil
			}
			continue
		}
		buffer.Write(line)
		if err == io.EOF {
			if buffer.Len() != 0 {
				docs = append(docs, buffer.Bytes())
			}
			return docs, nil
		}
	}
}

func check(data []byte) error {
	if bytes.HasPrefix(bytes.TrimLeft(data, " \t\r\n"), []byte("{")) {
		decoder := json.NewDecoder(bytes.NewReader(data))
		for {
			var value interface{}
			if err := decoder.Decode(&value); err == io.EOF {
				return nil
			} else if err != nil {
				return err
			}
		}
	}
	docs, err := documents(data)
	if err != nil {
		return err
	}
	for _, doc := range docs {
		if _, err := yaml.YAMLToJSON(doc); err != nil {
			return err
		}
	}
	return nil
}

func main() {
	for _, path := range os.Args[1:] {
		data, err := os.ReadFile(path)
		if err == nil {
			err = check(data)
		}
		if err != nil {
			fmt.Printf("error %s: %s\n", path, strings.ReplaceAll(err.Error(), "\n", " "))
		} else {
			fmt.Printf("ok %s\n", path)
		}
	}
}
