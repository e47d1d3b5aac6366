package sqllogictest

import (
	"os"
	"regexp"
	"strings"

	"github.com/uqe-dev/uqe/errs"
)

var listKey = regexp.MustCompile(`^[^\s:]+:[1-9][0-9]*$`)

// ReadList reads a list of records, the form of skip.txt and baseline.txt:
// one "file.test:LINE" per line, optionally followed by white space and a
// reason; blank lines and lines starting with '#' are ignored. It returns
// key → reason (possibly empty).
func ReadList(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, errs.New(errs.BadPath, "%v", err)
	}
	return ParseList(path, string(data))
}

// ParseList parses the text of a list (see ReadList); name is used in error
// positions. A malformed key or a key listed twice is an error.
func ParseList(name, text string) (map[string]string, error) {
	out := map[string]string{}
	for i, ln := range strings.Split(text, "\n") {
		ln = strings.TrimSpace(ln)
		if ln == "" || ln[0] == '#' {
			continue
		}
		key, reason := ln, ""
		if j := strings.IndexAny(ln, " \t"); j >= 0 {
			key, reason = ln[:j], strings.TrimSpace(ln[j:])
		}
		pos := errs.Pos{File: name, Line: i + 1, Col: 1}
		if !listKey.MatchString(key) {
			return nil, errs.At(pos, errs.BadFile, "bad entry %q: want file.test:LINE", key)
		}
		if _, dup := out[key]; dup {
			return nil, errs.At(pos, errs.BadFile, "%s is listed twice", key)
		}
		out[key] = reason
	}
	return out, nil
}
