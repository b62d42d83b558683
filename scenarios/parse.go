package scenarios

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/BurntSushi/toml"

	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/systems/extensions"
)

// Top-level keys of a scenario file that are not parameters.
const (
	keyName        = "name"
	keyDescription = "description"
	keyPipeline    = "pipeline"
	keyHooks       = "hooks"
	keySystems     = "systems"
	keyExtensions  = "extensions"
)

// hookKeys are the keys of a [[hooks]] table.
var hookKeys = []string{OpBefore, OpAfter, OpReplace, OpRemove, keySystems}

// topKeys returns every key allowed at the top level of a scenario file:
// the parameter names in spec order (core, then extension parameters), then
// the other keys.
func topKeys() []string {
	return append(ecs.AllParamNames(), keyName, keyDescription, keyExtensions, keyPipeline, keyHooks)
}

// parser decodes one scenario document.
type parser struct {
	source string
	data   []byte
}

// errorf returns an *Error for key (which may be "") at line.
func (p *parser) errorf(key string, line int, cause error, format string, args ...any) *Error {
	return &Error{Source: p.source, Key: key, Line: line, Msg: fmt.Sprintf(format, args...), Err: cause}
}

// Parse decodes a scenario document. source names it in error messages and
// becomes the scenario's Source; its file name without extension is the
// scenario's name unless the document has a `name` key.
//
// Parameters not in the document keep their defaults (spec §2.1). Every
// value is checked against its range in [ecs.ParamSpecs]; the error, always
// an [*Error], reports the first problem in file order.
func Parse(source string, data []byte) (*Scenario, error) {
	p := &parser{source: source, data: data}
	var raw map[string]any
	md, err := toml.Decode(string(data), &raw)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			msg := "TOML syntax error: " + lineBreaks.Replace(pe.Message)
			if pe.LastKey != "" {
				msg += fmt.Sprintf(" (after key %q)", pe.LastKey)
			}
			return nil, p.errorf(pe.LastKey, pe.Position.Line, err, "%s", msg)
		}
		return nil, p.errorf("", 0, err, "TOML syntax error: %s", lineBreaks.Replace(err.Error()))
	}

	s := &Scenario{Name: stem(source), Source: source, Params: ecs.DefaultParams()}
	// Visit the top-level keys in file order, so that the first problem
	// reported is the first one in the file.
	var order []string
	for _, k := range md.Keys() {
		if !slices.Contains(order, k[0]) {
			order = append(order, k[0])
		}
	}
	for _, key := range order {
		if err := p.topLevel(s, key, raw[key]); err != nil {
			return nil, err
		}
	}
	// The pipeline may refer to integer parameters (name x max_M), so check
	// it once every parameter is known.
	for _, e := range s.Pipeline {
		if _, _, err := ecs.ParseEntry(e, &s.Params); err != nil {
			return nil, p.errorf(keyPipeline, p.line(keyPipeline), err, "key %q: %v", keyPipeline, err)
		}
	}
	// Extension parameters are added only if not already set (spec §2.3).
	for _, name := range s.Extensions {
		e, _ := extensions.Lookup(name) // checked when the key was read
		for i := range e.Params {
			spec := &e.Params[i]
			if _, set := s.Params.Ext[spec.Name]; !set {
				if err := spec.SetFloat(&s.Params, spec.DefaultFloat()); err != nil {
					return nil, p.errorf(keyExtensions, p.line(keyExtensions), err, "extension %q: %v", name, err)
				}
			}
		}
	}
	// Safety net: every value was range-checked when it was set.
	if err := s.Params.Validate(); err != nil {
		return nil, p.errorf("", 0, err, "invalid parameters: %v", err)
	}
	return s, nil
}

// topLevel decodes one top-level key into s.
func (p *parser) topLevel(s *Scenario, key string, v any) error {
	line := p.line(key)
	switch key {
	case keyName, keyDescription:
		str, ok := v.(string)
		if !ok {
			return p.errorf(key, line, nil, "key %q: want string, got %s", key, describe(v))
		}
		if key == keyName {
			if strings.TrimSpace(str) == "" {
				return p.errorf(key, line, nil, "key %q: want a non-empty string", key)
			}
			s.Name = str
		} else {
			s.Description = str
		}
		return nil
	case keyPipeline:
		entries, err := stringList(v)
		if err != nil || len(entries) == 0 {
			return p.errorf(key, line, nil, `key %q: want a non-empty array of strings ("name", "name x COUNT" or "name x max_M"), got %s`, key, describe(v))
		}
		s.Pipeline = entries
		return nil
	case keyHooks:
		return p.hooks(s, v)
	case keyExtensions:
		return p.extensions(s, v)
	}
	spec, ok := ecs.LookupParam(key)
	if !ok {
		return p.errorf(key, line, nil, "unknown key %q%s", key, didYouMean(key, topKeys()))
	}
	if err := setValue(&s.Params, spec, v); err != nil {
		return p.errorf(key, line, err, "key %q: %v", key, err)
	}
	return nil
}

// extensions decodes the extensions array: names of registered extensions
// (package systems/extensions), each at most once.
func (p *parser) extensions(s *Scenario, v any) error {
	line := p.line(keyExtensions)
	known := extensions.Names()
	names, err := stringList(v)
	if err != nil {
		return p.errorf(keyExtensions, line, nil, "key %q: want an array of extension names (%s), got %s",
			keyExtensions, strings.Join(known, ", "), describe(v))
	}
	for i, n := range names {
		if _, ok := extensions.Lookup(n); !ok {
			return p.errorf(keyExtensions, line, nil, "key %q: unknown extension %q%s; known extensions: %s",
				keyExtensions, n, didYouMean(n, known), strings.Join(known, ", "))
		}
		if slices.Contains(names[:i], n) {
			return p.errorf(keyExtensions, line, nil, "key %q: extension %q is listed twice", keyExtensions, n)
		}
	}
	s.Extensions = names
	return nil
}

// hooks decodes the [[hooks]] array of tables.
func (p *parser) hooks(s *Scenario, v any) error {
	var tables []map[string]any
	ok := true
	switch t := v.(type) {
	case []map[string]any:
		tables = t
	case []any: // hooks = [{...}, {...}]
		for _, e := range t {
			m, isTable := e.(map[string]any)
			ok = ok && isTable
			tables = append(tables, m)
		}
	default:
		ok = false
	}
	if !ok {
		return p.errorf(keyHooks, p.line(keyHooks), nil,
			"key %q: want an array of tables ([[hooks]] with before, after, replace or remove, and systems), got %s", keyHooks, describe(v))
	}
	for i, t := range tables {
		h, err := p.hook(i+1, t)
		if err != nil {
			return err
		}
		s.Hooks = append(s.Hooks, h)
	}
	return nil
}

// hook decodes the n-th (1-based) [[hooks]] table.
func (p *parser) hook(n int, t map[string]any) (Hook, error) {
	// fail reports a problem with key of the table (key "" for the table
	// as a whole), prefixing msg with `[[hooks]] #n: key "key": `.
	fail := func(key, msg string) error {
		e := p.errorf(keyHooks, p.hookLine(n, key), nil, "[[hooks]] #%d: %s", n, msg)
		if key != "" {
			e.Key = keyHooks + "." + key
		}
		return e
	}
	failKey := func(key, format string, args ...any) error {
		return fail(key, fmt.Sprintf("key %q: ", key)+fmt.Sprintf(format, args...))
	}

	// Unknown keys first, in a stable order.
	keys := make([]string, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !slices.Contains(hookKeys, k) {
			return Hook{}, fail(k, fmt.Sprintf("unknown key %q%s; want one of before, after, replace, remove, and systems",
				k, didYouMean(k, hookKeys)))
		}
	}

	var h Hook
	var anchors []string
	for _, op := range []string{OpBefore, OpAfter, OpReplace, OpRemove} {
		v, ok := t[op]
		if !ok {
			continue
		}
		name, ok := v.(string)
		if !ok || !isSystemName(name) {
			return Hook{}, failKey(op, "want a system name (a non-empty string without spaces), got %s", describe(v))
		}
		anchors = append(anchors, op)
		switch op {
		case OpBefore:
			h.Before = name
		case OpAfter:
			h.After = name
		case OpReplace:
			h.Replace = name
		case OpRemove:
			h.Remove = name
		}
	}
	switch len(anchors) {
	case 0:
		return Hook{}, fail("", "want exactly one of before, after, replace or remove (the anchor system), got none")
	case 1:
	default:
		return Hook{}, fail(anchors[1], "want exactly one of before, after, replace or remove, got "+strings.Join(anchors, " and "))
	}
	op, anchor := h.Op()

	raw, hasSystems := t[keySystems]
	if hasSystems {
		list, err := stringList(raw)
		if err != nil {
			return Hook{}, failKey(keySystems, "want an array of system names, got %s", describe(raw))
		}
		for _, name := range list {
			if !isSystemName(name) {
				return Hook{}, failKey(keySystems, "want system names (non-empty strings without spaces), got %q", name)
			}
		}
		h.Systems = list
	}
	switch op {
	case OpBefore, OpAfter:
		if len(h.Systems) == 0 {
			return Hook{}, failKey(keySystems, "%s %q needs a non-empty array of systems to insert", op, anchor)
		}
	case OpReplace:
		if len(h.Systems) != 1 {
			return Hook{}, failKey(keySystems, "replace %q takes exactly one system, got %d", anchor, len(h.Systems))
		}
	case OpRemove:
		if hasSystems {
			return Hook{}, failKey(keySystems, "remove %q takes no systems; leave the key out", anchor)
		}
	}
	return h, nil
}

// isSystemName reports whether name can be a registered system name
// (non-empty, no white space; see [ecs.Registry.Register]).
func isSystemName(name string) bool {
	return name != "" && strings.IndexFunc(name, unicode.IsSpace) < 0
}

// stringList converts a TOML array of strings.
func stringList(v any) ([]string, error) {
	arr, ok := v.([]any)
	if !ok {
		return nil, errors.New("not an array")
	}
	out := make([]string, len(arr))
	for i, e := range arr {
		s, ok := e.(string)
		if !ok {
			return nil, fmt.Errorf("element %d is %s", i+1, describe(e))
		}
		out[i] = s
	}
	return out, nil
}

// want describes the values a parameter accepts, for type errors.
func want(spec *ecs.ParamSpec) string {
	r := spec.RangeString()
	if (spec.Kind == ecs.KindFloat || spec.Kind == ecs.KindOptFloat) && !math.IsInf(spec.Max, 1) {
		return "number in " + r
	}
	return r
}

// setValue checks a decoded TOML value against spec and stores it in p.
// Integer parameters accept integral floats (4.0); float parameters accept
// integers (3). NaN and infinities are out of every range.
func setValue(p *ecs.Params, spec *ecs.ParamSpec, v any) error {
	switch spec.Kind {
	case ecs.KindInt, ecs.KindSeed:
		switch x := v.(type) {
		case int64:
			return spec.SetInt(p, x)
		case float64:
			return setIntegralFloat(p, spec, x)
		}
	case ecs.KindFloat, ecs.KindOptFloat:
		switch x := v.(type) {
		case int64:
			return spec.SetFloat(p, float64(x))
		case float64:
			return spec.SetFloat(p, x)
		}
	case ecs.KindEnum:
		if x, ok := v.(string); ok {
			return spec.SetString(p, x)
		}
	}
	return fmt.Errorf("want %s, got %s", want(spec), describe(v))
}

// setIntegralFloat sets an integer parameter from a float, which must be
// integral and within the range of int64.
func setIntegralFloat(p *ecs.Params, spec *ecs.ParamSpec, x float64) error {
	if x == math.Trunc(x) && (x >= 1<<63 || x < -(1<<63)) {
		return fmt.Errorf("%s = %v is out of range: want %s", spec.Name, x, spec.RangeString())
	}
	return spec.SetFloat(p, x)
}

// describe names the TOML type and value of v for error messages.
func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "nothing"
	case string:
		return fmt.Sprintf("string %q", x)
	case int64:
		return fmt.Sprintf("integer %d", x)
	case float64:
		return fmt.Sprintf("float %v", x)
	case bool:
		return fmt.Sprintf("boolean %v", x)
	case time.Time:
		return "datetime " + x.Format(time.RFC3339Nano)
	case []map[string]any:
		return "array of tables"
	case []any:
		return "array"
	case map[string]any:
		return "table"
	}
	return "datetime" // local date and time types
}

// line returns the 1-based line on which top-level key is set, or 0.
func (p *parser) line(key string) int { return keyLine(p.data, "", 0, key) }

// hookLine returns the line of key in the n-th (1-based) [[hooks]] table,
// else of the table's header, else of the `hooks` key (hooks written
// inline); 0 if none is found.
func (p *parser) hookLine(n int, key string) int {
	if key != "" {
		if l := keyLine(p.data, keyHooks, n, key); l > 0 {
			return l
		}
	}
	if l := keyLine(p.data, keyHooks, n, ""); l > 0 {
		return l
	}
	return p.line(keyHooks)
}

// keyLine finds where a key is set by scanning the document's lines: at the
// top level if table is "", else in the n-th [[table]] element (its header
// line if key is ""); a top-level key may also be defined by a table
// header such as [key] or [[key]]. It follows table headers and skips multi-line
// strings; it does not parse TOML, so it is only used to point messages at
// a line after the decoder has accepted the document. It returns 0 if the
// key is not found.
func keyLine(data []byte, table string, n int, key string) int {
	section, count := "", 0
	inMulti := ""
	for i, l := range strings.Split(string(data), "\n") {
		t := strings.TrimSpace(l)
		if inMulti != "" {
			if strings.Count(t, inMulti)%2 == 1 {
				inMulti = ""
			}
			continue
		}
		if strings.HasPrefix(t, "[") {
			var name string
			if strings.HasPrefix(t, "[[") {
				name = strings.TrimSpace(strings.SplitN(t[2:], "]]", 2)[0])
				section = "[[" + name
				if name == table {
					count++
					if key == "" && count == n {
						return i + 1
					}
				}
			} else {
				name = strings.TrimSpace(strings.SplitN(t[1:], "]", 2)[0])
				section = "[" + name
			}
			// A header [key], [key.sub] or [[key]] defines top-level key.
			if table == "" && key != "" && assigns(name+"=", key) {
				return i + 1
			}
			continue
		}
		here := section == "" && table == "" ||
			table != "" && section == "[["+table && count == n
		if here && key != "" && assigns(t, key) {
			return i + 1
		}
		for _, q := range []string{`"""`, `'''`} {
			if strings.Count(t, q)%2 == 1 {
				inMulti = q
				break
			}
		}
	}
	return 0
}

// assigns reports whether the trimmed line t sets key (bare or quoted,
// possibly as the first part of a dotted key).
func assigns(t, key string) bool {
	for _, k := range []string{key, `"` + key + `"`, "'" + key + "'"} {
		if rest, ok := strings.CutPrefix(t, k); ok {
			rest = strings.TrimSpace(rest)
			if strings.HasPrefix(rest, "=") || strings.HasPrefix(rest, ".") {
				return true
			}
		}
	}
	return false
}

// lineBreaks escapes the line breaks of a message that quotes the
// document (the TOML decoder's messages do, e.g. "not a binary number:
// '0b\n'"), so that an error stays one line.
var lineBreaks = strings.NewReplacer("\n", `\n`, "\r", `\r`)
