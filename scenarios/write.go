package scenarios

import (
	"bytes"
	"strconv"

	"github.com/bam-abm/bam/ecs"
)

// TOML returns the scenario as a scenario file that Load and Parse read
// back to the same scenario: comment (each line prefixed "# "), name,
// description, extensions, every core parameter that is set (so that the
// file does not depend on future defaults), every extension parameter the
// scenario holds, the pipeline and the hooks.
func (s *Scenario) TOML(comment string) []byte {
	var b bytes.Buffer
	for _, line := range bytes.Split([]byte(comment), []byte("\n")) {
		if len(comment) > 0 {
			b.WriteString("# ")
			b.Write(line)
			b.WriteString("\n")
		}
	}
	if comment != "" {
		b.WriteString("\n")
	}
	b.WriteString(keyName + " = " + strconv.Quote(s.Name) + "\n")
	if s.Description != "" {
		b.WriteString(keyDescription + " = " + strconv.Quote(s.Description) + "\n")
	}
	if len(s.Extensions) > 0 {
		b.WriteString(keyExtensions + " = " + quoteList(s.Extensions) + "\n")
	}
	b.WriteString("\n")
	for _, name := range ecs.ParamNames() {
		spec, _ := ecs.LookupParam(name)
		if spec.Get(&s.Params) == nil {
			continue // an unset optional parameter: absent is the key left out
		}
		b.WriteString(name + " = " + spec.Text(&s.Params) + "\n")
	}
	for _, spec := range ecs.ExtParamSpecs() {
		if _, ok := s.Params.Ext[spec.Name]; ok {
			b.WriteString(spec.Name + " = " + spec.Text(&s.Params) + "\n")
		}
	}
	if s.Pipeline != nil {
		b.WriteString("\n" + keyPipeline + " = " + quoteList(s.Pipeline) + "\n")
	}
	for _, h := range s.Hooks {
		b.WriteString("\n[[" + keyHooks + "]]\n")
		for _, op := range []struct{ key, v string }{{OpBefore, h.Before}, {OpAfter, h.After}, {OpReplace, h.Replace}, {OpRemove, h.Remove}} {
			if op.v != "" {
				b.WriteString(op.key + " = " + strconv.Quote(op.v) + "\n")
			}
		}
		if len(h.Systems) > 0 {
			b.WriteString(keySystems + " = " + quoteList(h.Systems) + "\n")
		}
	}
	return b.Bytes()
}

// quoteList writes a TOML array of strings.
func quoteList(xs []string) string {
	var b bytes.Buffer
	b.WriteString("[")
	for i, x := range xs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Quote(x))
	}
	b.WriteString("]")
	return b.String()
}
