package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// table is one dataset: its texts and label columns.
type table struct {
	name   string
	text   []string
	labels map[string][]string
}

// loadTable reads every part of a dataset folder (CSV or JSONL), keeping
// the text column and the label columns asked for.
func loadTable(root, name string, cols []string) (*table, error) {
	dir := filepath.Join(root, name)
	files, _ := filepath.Glob(filepath.Join(dir, "*.csv"))
	jfiles, _ := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	files = append(files, jfiles...)
	sort.Strings(files)
	if len(files) == 0 {
		return nil, fmt.Errorf("no data files in %s", dir)
	}
	t := &table{name: name, labels: map[string][]string{}}
	for _, f := range files {
		var err error
		if strings.HasSuffix(f, ".jsonl") {
			err = t.readJSONL(f, cols)
		} else {
			err = t.readCSV(f, cols)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
	}
	return t, nil
}

func (t *table) readCSV(path string, cols []string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReader(f))
	head, err := r.Read()
	if err != nil {
		return err
	}
	at := map[string]int{}
	for i, h := range head {
		at[h] = i
	}
	ti, ok := at["text"]
	if !ok {
		return fmt.Errorf("no text column")
	}
	for _, c := range cols {
		if _, ok := at[c]; !ok {
			return fmt.Errorf("no column %q", c)
		}
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		t.text = append(t.text, rec[ti])
		for _, c := range cols {
			t.labels[c] = append(t.labels[c], rec[at[c]])
		}
	}
}

func (t *table) readJSONL(path string, cols []string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			return err
		}
		s, _ := m["text"].(string)
		t.text = append(t.text, s)
		for _, c := range cols {
			t.labels[c] = append(t.labels[c], fmt.Sprint(m[c]))
		}
	}
	return sc.Err()
}
