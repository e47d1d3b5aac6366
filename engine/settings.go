package engine

import (
	"sort"
	"strconv"
	"strings"

	"github.com/uqe-dev/uqe/errs"
	"github.com/uqe-dev/uqe/sampling"
)

// setting describes one session setting (DESIGN §1: SET / SHOW).
type setting struct {
	def   string
	doc   string
	check func(string) (string, error)
}

func intSetting(min int64) func(string) (string, error) {
	return func(s string) (string, error) {
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil || n < min {
			return "", errs.New(errs.BadSetting, "expected an integer >= %d, got %q", min, s)
		}
		return strconv.FormatInt(n, 10), nil
	}
}

func floatSetting(lo, hi float64) func(string) (string, error) {
	return func(s string) (string, error) {
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || f <= lo || f >= hi {
			return "", errs.New(errs.BadSetting, "expected a number between %g and %g (exclusive), got %q", lo, hi, s)
		}
		return strconv.FormatFloat(f, 'g', -1, 64), nil
	}
}

func oneOf(vals ...string) func(string) (string, error) {
	return func(s string) (string, error) {
		l := strings.ToLower(strings.TrimSpace(s))
		for _, v := range vals {
			if l == v {
				return l, nil
			}
		}
		return "", errs.New(errs.BadSetting, "expected one of %s, got %q", strings.Join(vals, ", "), s)
	}
}

func anyString(s string) (string, error) { return s, nil }

// DefaultBudget is the default number of rows the model may judge in one
// statement.
const DefaultBudget = 1000

// settings is the registry of session settings and their defaults.
var settings = map[string]setting{
	"budget":       {def: strconv.Itoa(DefaultBudget), doc: "most rows the model may judge in one statement (0: no limit)", check: intSetting(0)},
	"seed":         {def: "42", doc: "seed for sampling and the sim model; fixed so reruns reproduce", check: intSetting(-1 << 62)},
	"confidence":   {def: "0.95", doc: "confidence level of approximate answers' intervals", check: floatSetting(0, 1)},
	"target_error": {def: "0.05", doc: "relative half-width at which an approximate answer may stop early", check: floatSetting(0, 10)},
	"strategy":     {def: "auto", doc: "plan for semantic operators under a budget: " + strings.Join(sampling.Strategies(), ", "), check: oneOf(sampling.Strategies()...)},
	"model":        {def: "", doc: "model name for the openai backend", check: anyString},
	"batch_size":   {def: "16", doc: "rows per model request", check: intSetting(1)},
	"concurrency":  {def: "4", doc: "model requests in flight at once", check: intSetting(1)},
	"llm":          {def: "", doc: "model backend: openai, local or sim:PATH", check: anyString},
	"embed":        {def: "use", doc: "embedder: use (built-in USE-lite), hash or openai", check: oneOf("use", "hash", "openai")},
}

// SettingNames lists the settings, sorted.
func SettingNames() []string {
	var out []string
	for k := range settings {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// normaliseSetting validates a setting's name and value.
func normaliseSetting(name, val string) (string, string, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	s, ok := settings[n]
	if !ok {
		return "", "", errs.New(errs.BadSetting, "unknown setting %q (known: %s)", name, strings.Join(SettingNames(), ", "))
	}
	v, err := s.check(val)
	if err != nil {
		e := err.(*errs.Error)
		e.Msg = n + ": " + e.Msg
		return "", "", e
	}
	return n, v, nil
}
