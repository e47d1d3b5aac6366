package openai

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/uqe-dev/uqe/errs"
)

// StatusError is an HTTP error reply of the server, with its message
// redacted (no key, no bearer token) and shortened. It is the Err of the
// errs.Error a failed request returns.
type StatusError struct {
	Status  int
	Code    string // the error's code, e.g. "insufficient_quota"
	Type    string
	Message string
}

func (e *StatusError) Error() string {
	s := fmt.Sprintf("HTTP %d", e.Status)
	if e.Code != "" {
		s += " " + e.Code
	} else if e.Type != "" {
		s += " " + e.Type
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

var reSecret = regexp.MustCompile(`(?i)(sk-|bearer\s+|api[_-]?key[=:]\s*)[A-Za-z0-9_\-\*\.]+`)

// redact removes the API key and anything that looks like a key from s,
// and shortens it.
func (b *Backend) redact(s string) string {
	if k := b.cfg.APIKey; k != "" {
		s = strings.ReplaceAll(s, k, "[redacted]")
	}
	s = reSecret.ReplaceAllString(s, "${1}[redacted]")
	if len(s) > 400 {
		s = s[:400] + "…"
	}
	return s
}

// requestError turns a failed request into an errs.Error that holds no
// secret: the key is redacted from server messages, and transport errors
// are shown without their URL.
func (b *Backend) requestError(err error) error {
	var ae *goopenai.APIError
	var re *goopenai.RequestError
	var ue *url.Error
	switch {
	case errors.As(err, &ae):
		se := &StatusError{Status: ae.HTTPStatusCode, Type: ae.Type, Message: b.redact(ae.Message)}
		if c, ok := ae.Code.(string); ok {
			se.Code = c
		}
		return errs.Wrap(se, errs.Runtime, "openai: model %s: request failed: %s", b.cfg.Model, se)
	case errors.As(err, &re):
		se := &StatusError{Status: re.HTTPStatusCode, Message: b.redact(string(re.Body))}
		return errs.Wrap(se, errs.Runtime, "openai: model %s: request failed: %s", b.cfg.Model, se)
	case errors.As(err, &ue):
		return errs.New(errs.Runtime, "openai: model %s: cannot reach the server: %s", b.cfg.Model, b.redact(ue.Err.Error()))
	}
	return errs.New(errs.Runtime, "openai: model %s: request failed: %s", b.cfg.Model, b.redact(err.Error()))
}
