package stability

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/study"
)

// JournalFormat is the format tag of a journal's header line.
const JournalFormat = "bam-stability-journal/1"

// Header is the first line of a journal: the study it belongs to. The
// fields up to ParamsHash are the study's identity, which a journal
// re-opened for appending must match; the seed range may change between
// runs (a longer study reuses the seeds already done).
type Header struct {
	// Format is JournalFormat.
	Format string `json:"format"`
	// Scenario is the scenario's name and Suite the validation suite.
	Scenario string `json:"scenario"`
	Suite    string `json:"suite"`
	// NPeriods is n_periods; BurnIn the resolved burn-in.
	NPeriods int `json:"n_periods"`
	BurnIn   int `json:"burn_in"`
	// Population.
	NFirms      int `json:"n_firms"`
	NHouseholds int `json:"n_households"`
	NBanks      int `json:"n_banks"`
	// ParamsHash is [Identity] of the scenario: every parameter but the
	// seed, and the pipeline.
	ParamsHash string `json:"params_hash"`
	// SeedStart and NSeeds give the study's seeds, SeedStart … SeedStart +
	// NSeeds − 1, of which the journal holds those of Shard.
	SeedStart uint64 `json:"seed_start"`
	NSeeds    int    `json:"n_seeds"`
	// Shard is the shard of the study the journal belongs to; nil for the
	// whole study.
	Shard *Shard `json:"shard,omitempty"`
}

// Seeds returns the seeds the journal is meant to hold, in order.
func (h *Header) Seeds() []uint64 {
	if h.Shard == nil {
		return Shard{Index: 0, Count: 1}.Seeds(h.SeedStart, h.NSeeds)
	}
	return h.Shard.Seeds(h.SeedStart, h.NSeeds)
}

// mismatch returns the first identity field in which h and want differ,
// with both values, or "" when they agree.
func (h *Header) mismatch(want *Header) (field, have, wanted string) {
	type f struct {
		name string
		a, b string
	}
	shard := func(s *Shard) string {
		if s == nil {
			return "none"
		}
		return s.String()
	}
	for _, x := range []f{
		{"format", h.Format, want.Format},
		{"scenario", h.Scenario, want.Scenario},
		{"suite", h.Suite, want.Suite},
		{"n_periods", strconv.Itoa(h.NPeriods), strconv.Itoa(want.NPeriods)},
		{"burn_in", strconv.Itoa(h.BurnIn), strconv.Itoa(want.BurnIn)},
		{"n_firms", strconv.Itoa(h.NFirms), strconv.Itoa(want.NFirms)},
		{"n_households", strconv.Itoa(h.NHouseholds), strconv.Itoa(want.NHouseholds)},
		{"n_banks", strconv.Itoa(h.NBanks), strconv.Itoa(want.NBanks)},
		{"params_hash", h.ParamsHash, want.ParamsHash},
		{"shard", shard(h.Shard), shard(want.Shard)},
	} {
		if x.a != x.b {
			return x.name, x.a, x.b
		}
	}
	return "", "", ""
}

// SameStudy reports whether two headers have the same identity (all but
// the seed range and the shard), so that their records can be combined.
func (h *Header) SameStudy(o *Header) bool {
	a, b := *h, *o
	a.Shard, b.Shard = nil, nil
	f, _, _ := a.mismatch(&b)
	return f == ""
}

// covers reports whether the seed range of a contains that of b: a study
// of a's seeds can reuse a journal of b's without dropping any.
func covers(a, b *Header) bool {
	if b.NSeeds == 0 {
		return true
	}
	return a.SeedStart <= b.SeedStart && b.SeedStart-a.SeedStart+uint64(b.NSeeds) <= uint64(a.NSeeds)
}

// RangeError reports a journal re-opened for a seed range that does not
// contain its own: a study of fewer (or other) seeds would replace the
// result of the journal's study with one of its part. A longer study
// (a range containing the journal's) reuses it instead.
type RangeError struct {
	Path string
	// Journal is the journal's header, Want the one it was opened with.
	Journal, Want Header
}

// Is reports that a RangeError is of the class [ErrUnusable].
func (e *RangeError) Is(target error) bool { return target == ErrUnusable }

func (e *RangeError) Error() string {
	r := func(h *Header) string {
		if h.NSeeds == 1 {
			return fmt.Sprintf("seed %d", h.SeedStart)
		}
		return fmt.Sprintf("seeds %d…%d (%d)", h.SeedStart, h.SeedStart+uint64(h.NSeeds)-1, h.NSeeds)
	}
	return fmt.Sprintf("journal %s holds a study of %s; %s here would replace its result with a part of it; "+
		"give a range that contains its seeds (--seed-start %d --seeds %d or more) to reuse them, or use another --out",
		e.Path, r(&e.Journal), r(&e.Want), e.Journal.SeedStart, e.Journal.NSeeds)
}

// MismatchError reports a journal written for another study than the one
// being run.
type MismatchError struct {
	Path          string
	Field         string
	Journal, Want string
}

// Is reports that a MismatchError is of the class [ErrUnusable].
func (e *MismatchError) Is(target error) bool { return target == ErrUnusable }

func (e *MismatchError) Error() string {
	what := e.Field
	if e.Field == "params_hash" {
		what = "the parameters or pipeline (params_hash)"
	}
	return fmt.Sprintf("journal %s belongs to another study: %s is %s there, %s here; "+
		"use another --out, or delete the journal to start over", e.Path, what, e.Journal, e.Want)
}

// Identity returns a hash of everything a validation run depends on apart
// from the seed: every core parameter but the seed, every registered
// extension parameter (unset ones with their defaults) and the resolved
// pipeline, as "sha256:" and 32 hex digits.
func Identity(p *ecs.Params, pipeline []string) string {
	var b strings.Builder
	for i := range ecs.ParamSpecs {
		s := &ecs.ParamSpecs[i]
		if s.Kind == ecs.KindSeed {
			continue
		}
		fmt.Fprintf(&b, "%s=%s\n", s.Name, s.Text(p))
	}
	ext := ecs.ExtParamSpecs()
	slices.SortFunc(ext, func(a, b ecs.ParamSpec) int { return strings.Compare(a.Name, b.Name) })
	for i := range ext {
		fmt.Fprintf(&b, "%s=%s\n", ext[i].Name, ext[i].Text(p))
	}
	b.WriteString("pipeline=" + strings.Join(pipeline, ",") + "\n")
	sum := sha256.Sum256([]byte(b.String()))
	return "sha256:" + hex.EncodeToString(sum[:16])
}

// Journal is an open journal file, appended to by one process at a time.
type Journal struct {
	path   string
	header Header
	mu     sync.Mutex
	f      *os.File
}

// Path returns the journal's file name.
func (j *Journal) Path() string { return j.path }

// Header returns the journal's header.
func (j *Journal) Header() Header { return j.header }

// Open opens the journal at path for the study h, creating it if it does
// not exist, and returns the records it already holds (the first record of
// each seed, in file order). A journal of another study is refused with a
// *MismatchError; a journal that is not one, or whose lines before the
// last are damaged, with an error naming the line. A torn or damaged last
// line (a crash while writing it) is dropped. If h's seed range contains
// the journal's, the header is rewritten (atomically) with h's; a range
// that does not is refused with a *RangeError. The
// file is locked against other processes until Close.
func Open(path string, h Header) (*Journal, []Record, error) {
	h.Format = JournalFormat
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, nil, fmt.Errorf("journal: %w", err)
	}
	if err := study.LockFile(f); err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("journal %s is in use by another process: %w", path, err)
	}
	j := &Journal{path: path, header: h, f: f}
	recs, err := j.load()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return j, recs, nil
}

// load reads the open file, checks its header, drops a torn tail and
// positions the file for appending.
func (j *Journal) load() ([]Record, error) {
	data, err := io.ReadAll(j.f)
	if err != nil {
		return nil, fmt.Errorf("journal %s: %w", j.path, err)
	}
	h, recs, good, err := parse(data)
	switch {
	case errors.Is(err, errNoHeader):
		// New, empty, or a header torn by a crash: start afresh.
		return nil, j.rewrite(nil)
	case err != nil:
		return nil, fmt.Errorf("journal %s: %w", j.path, err)
	}
	if field, have, want := h.mismatch(&j.header); field != "" {
		return nil, &MismatchError{Path: j.path, Field: field, Journal: have, Want: want}
	}
	if h.SeedStart != j.header.SeedStart || h.NSeeds != j.header.NSeeds {
		if !covers(&j.header, &h) {
			return nil, &RangeError{Path: j.path, Journal: h, Want: j.header}
		}
		return recs, j.rewrite(data[bytes.IndexByte(data, '\n')+1 : good])
	}
	if good < len(data) {
		if err := j.f.Truncate(int64(good)); err != nil {
			return nil, fmt.Errorf("journal %s: dropping a torn last line: %w", j.path, err)
		}
	}
	if _, err := j.f.Seek(int64(good), io.SeekStart); err != nil {
		return nil, fmt.Errorf("journal %s: %w", j.path, err)
	}
	return recs, nil
}

// rewrite replaces the file's content by the header line and body
// (complete record lines), atomically, and reopens it for appending.
func (j *Journal) rewrite(body []byte) error {
	hl, err := json.Marshal(j.header)
	if err != nil {
		return err
	}
	content := append(append(hl, '\n'), body...)
	tmp := j.path + ".tmp"
	if err := writeSynced(tmp, content); err != nil {
		return fmt.Errorf("journal %s: %w", j.path, err)
	}
	if err := os.Rename(tmp, j.path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("journal %s: %w", j.path, err)
	}
	syncDir(filepath.Dir(j.path))
	f, err := os.OpenFile(j.path, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	if err := study.LockFile(f); err != nil {
		f.Close()
		return fmt.Errorf("journal %s is in use by another process: %w", j.path, err)
	}
	j.f.Close()
	j.f = f
	if _, err := f.Seek(0, io.SeekEnd); err != nil {
		return fmt.Errorf("journal %s: %w", j.path, err)
	}
	return nil
}

// Append writes r as one line with a single write and flushes it to disk
// before returning, so that a record, once appended, survives a crash.
func (j *Journal) Append(r Record) error {
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("journal %s: %w", j.path, err)
	}
	b = append(b, '\n')
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		return fmt.Errorf("journal %s: closed", j.path)
	}
	if _, err := j.f.Write(b); err != nil {
		return fmt.Errorf("journal %s: %w", j.path, err)
	}
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("journal %s: %w", j.path, err)
	}
	return nil
}

// Close closes the journal (and releases its lock).
func (j *Journal) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		return nil
	}
	err := j.f.Close()
	j.f = nil
	return err
}

// Read reads the journal at path without locking it: its header and its
// records (the first of each seed, in file order). A torn or damaged last
// line is ignored.
func Read(path string) (Header, []Record, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Header{}, nil, fmt.Errorf("journal: %w", err)
	}
	h, recs, _, err := parse(data)
	if err != nil {
		return Header{}, nil, fmt.Errorf("journal %s: %w", path, err)
	}
	return h, recs, nil
}

// errNoHeader marks a journal without a complete header line.
var errNoHeader = errors.New("no header line")

// parse decodes a journal's content. good is the length of the valid
// prefix: everything but a torn or damaged last line.
func parse(data []byte) (h Header, recs []Record, good int, err error) {
	nl := bytes.IndexByte(data, '\n')
	if nl < 0 {
		return h, nil, 0, errNoHeader
	}
	if err := json.Unmarshal(data[:nl], &h); err != nil || h.Format == "" {
		return h, nil, 0, unusable(errors.New("not a bam stability journal (its first line is not a journal header)"))
	}
	if h.Format != JournalFormat {
		return h, nil, 0, unusable(fmt.Errorf("journal format %q, this bam reads %q", h.Format, JournalFormat))
	}
	good = nl + 1
	seen := map[uint64]bool{}
	line := 1
	for rest := data[good:]; len(rest) > 0; {
		line++
		end := bytes.IndexByte(rest, '\n')
		last := end < 0 || end == len(rest)-1
		if end < 0 {
			break // torn: the crash came in the middle of the write
		}
		var r Record
		if err := json.Unmarshal(rest[:end], &r); err != nil {
			if last {
				break // damaged last line: as if torn
			}
			return h, nil, 0, unusable(fmt.Errorf("line %d is damaged: %v", line, err))
		}
		if !seen[r.Seed] {
			seen[r.Seed] = true
			recs = append(recs, r)
		}
		good += end + 1
		rest = rest[end+1:]
	}
	return h, recs, good, nil
}

// writeSynced writes data to a new file at path and flushes it to disk.
func writeSynced(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// WriteFileAtomic writes data to path through a temporary file in the same
// folder, flushed and renamed into place, so that path holds either its old
// content or data, never a mixture.
func WriteFileAtomic(path string, data []byte) error {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Chmod(0o644); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	ok = true
	syncDir(dir)
	return nil
}

// syncDir flushes a folder's entries (a rename) to disk, where the system
// allows it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}
