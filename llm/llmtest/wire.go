package llmtest

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// The prompt conventions of llm/openai that this package understands (the
// backend writes them; keep the two in step):
//
//   - the operation is the JSON schema's name "uqe_<op>" (response_format
//     json_schema), or, in json_object mode, the text `(schema "uqe_<op>")`
//     in the system message;
//   - the system message lists the instructions one per line as
//     `p<i>: "<json string>"` (Judge predicates), `a<i>: "<json string>" ...`
//     (Extract attributes) or `instruction: "<json string>"` (Taxonomy, Score,
//     Compare, Anchors), and for Taxonomy `Maximum number of categories: <n>`;
//   - the user message's first text part holds the rows as a JSON array
//     between a line `<<ROWS-<hex>>>` and a line `<<END-ROWS-<hex>>>`, each
//     row `{"id":"r0","fields":{name: text, ...},"images":[name, ...]}`;
//     images follow as image_url parts, each preceded by a text part
//     `Image for row "<id>", field "<name>":`.

// WireRow is one row as the backend sent it.
type WireRow struct {
	ID     string            `json:"id"`
	Fields map[string]string `json:"fields"`
	Images []string          `json:"images,omitempty"`
	// ImageURLs maps a field name to the data URL sent for it.
	ImageURLs map[string]string `json:"-"`
}

// Chat is a parsed chat completions request.
type Chat struct {
	Model string
	// Raw holds the request's top-level JSON members, verbatim.
	Raw map[string]json.RawMessage
	// System is the system message; User the concatenated text parts of the
	// user message.
	System string
	User   string
	// Format is the response_format type ("json_schema", "json_object" or
	// ""); SchemaName and Schema the json_schema's name and schema.
	Format     string
	SchemaName string
	Schema     json.RawMessage
	Strict     bool
	// Logprobs and TopLogprobs as requested.
	Logprobs    bool
	TopLogprobs int
	// Op is the operation: judge, extract, taxonomy, score, compare or
	// anchors.
	Op string
	// Instructions are the predicates/attributes (Judge, Extract) or the
	// single instruction (others).
	Instructions []string
	// Max is Taxonomy's maximum number of categories (0 if absent).
	Max int
	// Boundary is the random part of the row markers; Data the exact text
	// between the opening and closing marker lines; Rows that text parsed.
	Boundary string
	Data     string
	Rows     []WireRow
}

var (
	reSchemaName = regexp.MustCompile(`\(schema "uqe_([a-z]+)"\)`)
	reIndexed    = regexp.MustCompile(`(?m)^[pa](\d+): ("(?:[^"\\\n]|\\.)*")`)
	reSingle     = regexp.MustCompile(`(?m)^instruction: ("(?:[^"\\\n]|\\.)*")`)
	reMax        = regexp.MustCompile(`(?m)^Maximum number of categories: (\d+)`)
	reOpen       = regexp.MustCompile(`<<ROWS-([0-9a-f]+)>>\n`)
	reImageLabel = regexp.MustCompile(`^Image for row ("(?:[^"\\]|\\.)*"), field ("(?:[^"\\]|\\.)*"):`)
)

type wirePart struct {
	Type     string `json:"type"`
	Text     string `json:"text"`
	ImageURL *struct {
		URL string `json:"url"`
	} `json:"image_url"`
}

type wireMessage struct {
	Role    string          `json:"role"`
	Content json.RawMessage `json:"content"`
}

// ParseChat parses the body of a chat completions request in the format of
// llm/openai.
func ParseChat(body []byte) (*Chat, error) {
	c := &Chat{}
	if err := json.Unmarshal(body, &c.Raw); err != nil {
		return nil, fmt.Errorf("request body is not a JSON object: %w", err)
	}
	var req struct {
		Model          string        `json:"model"`
		Messages       []wireMessage `json:"messages"`
		Logprobs       bool          `json:"logprobs"`
		TopLogprobs    int           `json:"top_logprobs"`
		ResponseFormat *struct {
			Type       string `json:"type"`
			JSONSchema *struct {
				Name   string          `json:"name"`
				Schema json.RawMessage `json:"schema"`
				Strict bool            `json:"strict"`
			} `json:"json_schema"`
		} `json:"response_format"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return nil, fmt.Errorf("bad chat request: %w", err)
	}
	c.Model, c.Logprobs, c.TopLogprobs = req.Model, req.Logprobs, req.TopLogprobs
	if rf := req.ResponseFormat; rf != nil {
		c.Format = rf.Type
		if rf.JSONSchema != nil {
			c.SchemaName, c.Schema, c.Strict = rf.JSONSchema.Name, rf.JSONSchema.Schema, rf.JSONSchema.Strict
		}
	}
	var images []wirePart // image parts with the label before each
	var labels []string
	for _, m := range req.Messages {
		var s string
		if err := json.Unmarshal(m.Content, &s); err == nil {
			switch m.Role {
			case "system", "developer":
				c.System += s
			case "user":
				c.User += s
			}
			continue
		}
		var parts []wirePart
		if err := json.Unmarshal(m.Content, &parts); err != nil {
			return nil, fmt.Errorf("message content is neither a string nor parts: %w", err)
		}
		last := ""
		for _, p := range parts {
			switch p.Type {
			case "text":
				if m.Role == "user" {
					c.User += p.Text
				} else {
					c.System += p.Text
				}
				last = p.Text
			case "image_url":
				if p.ImageURL != nil {
					images = append(images, p)
					labels = append(labels, last)
				}
			}
		}
	}
	switch {
	case strings.HasPrefix(c.SchemaName, "uqe_"):
		c.Op = strings.TrimPrefix(c.SchemaName, "uqe_")
	default:
		if m := reSchemaName.FindStringSubmatch(c.System); m != nil {
			c.Op = m[1]
		}
	}
	for _, m := range reIndexed.FindAllStringSubmatch(c.System, -1) {
		var s string
		if err := json.Unmarshal([]byte(m[2]), &s); err != nil {
			return nil, fmt.Errorf("bad instruction line %q: %w", m[0], err)
		}
		c.Instructions = append(c.Instructions, s)
	}
	if m := reSingle.FindStringSubmatch(c.System); m != nil {
		var s string
		if err := json.Unmarshal([]byte(m[1]), &s); err != nil {
			return nil, fmt.Errorf("bad instruction line %q: %w", m[0], err)
		}
		c.Instructions = append(c.Instructions, s)
	}
	if m := reMax.FindStringSubmatch(c.System); m != nil {
		c.Max, _ = strconv.Atoi(m[1])
	}
	loc := reOpen.FindStringSubmatchIndex(c.User)
	if loc == nil {
		return c, nil
	}
	c.Boundary = c.User[loc[2]:loc[3]]
	rest := c.User[loc[1]:]
	end := strings.Index(rest, "\n<<END-ROWS-"+c.Boundary+">>")
	if end < 0 {
		return nil, fmt.Errorf("no closing marker for boundary %s", c.Boundary)
	}
	c.Data = rest[:end]
	if err := json.Unmarshal([]byte(c.Data), &c.Rows); err != nil {
		return nil, fmt.Errorf("rows between the markers are not a JSON array of rows: %w", err)
	}
	byID := map[string]int{}
	for i, r := range c.Rows {
		byID[r.ID] = i
	}
	for i, p := range images {
		m := reImageLabel.FindStringSubmatch(labels[i])
		if m == nil {
			return nil, fmt.Errorf("image part %d has no label", i)
		}
		var id, field string
		_ = json.Unmarshal([]byte(m[1]), &id)
		_ = json.Unmarshal([]byte(m[2]), &field)
		ri, ok := byID[id]
		if !ok {
			return nil, fmt.Errorf("image for unknown row %q", id)
		}
		if c.Rows[ri].ImageURLs == nil {
			c.Rows[ri].ImageURLs = map[string]string{}
		}
		c.Rows[ri].ImageURLs[field] = p.ImageURL.URL
	}
	return c, nil
}
