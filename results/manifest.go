package results

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/internal/buildinfo"
)

// Manifest is the content of run.json: what ran, with which parameters,
// how long it took and which files the folder holds. Its JSON (keys in
// field order, parameters in ecs.ParamSpecs order) is what bam run writes.
type Manifest struct {
	Program        string     `json:"program"`
	Version        string     `json:"version"`
	GitCommit      string     `json:"git_commit,omitempty"`
	GitDirty       *bool      `json:"git_dirty,omitempty"`
	GoVersion      string     `json:"go_version"`
	Scenario       string     `json:"scenario"`
	ScenarioSource string     `json:"scenario_source"`
	Parameters     ecs.Params `json:"parameters"` // keys in ecs.ParamSpecs order
	Seed           uint64     `json:"seed"`
	Periods        int        `json:"periods"`
	PeriodsRun     int        `json:"periods_run"`
	Collapsed      bool       `json:"collapsed"`
	Population     Population `json:"population"`
	Pipeline       []string   `json:"pipeline"`
	Timing         Timing     `json:"timing"`
	PeakRSSBytes   int64      `json:"peak_rss_bytes"`
	Files          []string   `json:"files"`
	StartedAt      string     `json:"started_at"`

	// IDColumns are the id columns every table of the folder starts with
	// (bam run --id-columns); absent from the JSON when there are none.
	IDColumns []string `json:"id_columns,omitempty"`
	// Collected describes the collected data's files and columns (bam run
	// --collect); nil, and absent from the JSON, without collected data.
	Collected *CollectRecord `json:"collected,omitempty"`

	// ResumedFrom is the checkpoint a run resumed (bam run --resume);
	// nil, and absent from the JSON, otherwise.
	ResumedFrom *ResumedFrom `json:"resumed_from,omitempty"`
}

// CollectRecord is the manifest's record of a run's collected data: the
// layout, the format, the recorded periods, and every file with the
// variables in it.
type CollectRecord struct {
	Layout      Layout        `json:"layout"`
	Format      Format        `json:"format"`
	FirstPeriod int           `json:"first_period"`
	Periods     int           `json:"periods"`
	Files       []CollectFile `json:"files"`
}

// CollectFile is a file of collected data: its name, the panel it holds
// (panel layout), and its variable columns (panel layout) or the variables
// in its rows (long layout) or its one variable (wide layout).
type CollectFile struct {
	File    string          `json:"file"`
	Panel   string          `json:"panel,omitempty"`
	Columns []CollectColumn `json:"columns"`
}

// CollectColumn is a collected variable: its column name in the panel
// layout, its collected name (with its capture point), the system it is
// captured after ("" for the end of the period), its panel (firms,
// households, banks or economy), its type (float, int or bool) and its
// description.
type CollectColumn struct {
	Name     string `json:"name"`
	Variable string `json:"variable"`
	At       string `json:"at,omitempty"`
	Panel    string `json:"panel"`
	Type     string `json:"type"`
	Doc      string `json:"doc,omitempty"`
}

// Population is the manifest's agent counts.
type Population struct {
	Firms      int `json:"firms"`
	Households int `json:"households"`
	Banks      int `json:"banks"`
}

// Timing is the manifest's wall times, in seconds.
type Timing struct {
	InitSeconds      float64 `json:"init_seconds"`
	RunSeconds       float64 `json:"run_seconds"`
	PerPeriodSeconds float64 `json:"per_period_seconds"`
}

// ResumedFrom is the manifest's record of the checkpoint a run continued.
type ResumedFrom struct {
	File    string `json:"file"`
	Period  int    `json:"period"`
	Version string `json:"version"` // bam version that wrote the checkpoint
}

// NewManifest returns the manifest of the simulation sim as it stands:
// program "bam" with the build's version, sim's scenario and parameters
// (sim.Scenario; the world's parameters if it is nil), periods requested
// (n_periods) and run, collapse, population and pipeline. Timing,
// StartedAt, ResumedFrom and Files are left for the caller (and for
// [Run.Write], which fills Files, IDColumns, Collected and PeakRSSBytes).
func NewManifest(sim *bam.Simulation) *Manifest {
	bi := ReadBuildInfo()
	m := &Manifest{
		Program:    "bam",
		Version:    bi.Version,
		GitCommit:  bi.GitCommit,
		GitDirty:   bi.GitDirty,
		GoVersion:  bi.GoVersion,
		Parameters: sim.World.Params,
		PeriodsRun: sim.Period(),
		Collapsed:  sim.Collapsed(),
		Population: Population{
			Firms:      sim.World.Count(ecs.Firms),
			Households: sim.World.Count(ecs.Households),
			Banks:      sim.World.Count(ecs.Banks),
		},
		Pipeline: sim.Pipeline.Names(),
	}
	if sc := sim.Scenario; sc != nil {
		m.Scenario, m.ScenarioSource, m.Parameters = sc.Name, sc.Source, sc.Params
	}
	m.Seed, m.Periods = m.Parameters.Seed, m.Parameters.NPeriods
	return m
}

// WriteManifest writes m as indented JSON with a final newline, as
// run.json holds it.
func WriteManifest(w io.Writer, m *Manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}

// ReadManifest reads run.json of the run folder dir. The "scenario" and
// "seed" keys must be present; a missing file is an error wrapping
// fs.ErrNotExist, bad content a [*FormatError].
func ReadManifest(dir string) (*Manifest, error) {
	path := filepath.Join(dir, ManifestFile)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, pathErrCause(err))
	}
	m, err := parseManifest(data)
	if err != nil {
		return nil, &FormatError{Path: path, Err: err}
	}
	return m, nil
}

// parseManifest decodes a run.json document whose scenario and seed are
// present.
func parseManifest(data []byte) (*Manifest, error) {
	var keys struct {
		Scenario *string `json:"scenario"`
		Seed     *uint64 `json:"seed"`
	}
	if err := json.Unmarshal(data, &keys); err != nil {
		return nil, fmt.Errorf("malformed JSON: %w", err)
	}
	switch {
	case keys.Scenario == nil:
		return nil, errors.New(`no "scenario" key`)
	case keys.Seed == nil:
		return nil, errors.New(`no "seed" key`)
	}
	m := new(Manifest)
	if err := json.Unmarshal(data, m); err != nil {
		return nil, fmt.Errorf("malformed JSON: %w", err)
	}
	return m, nil
}

// BuildInfo is what the running binary knows about its own build.
type BuildInfo struct {
	Version   string // the main module's version, "devel" if unknown
	GitCommit string // "" if unknown
	GitDirty  *bool  // nil if unknown
	GoVersion string
}

// ReadBuildInfo returns bam's version and the commit the binary was built
// from, as `bam version` prints them (package internal/buildinfo): the
// version stamped at link time (-ldflags -X, as make build does), else the
// module version the go command recorded, else "devel"; the commit and
// whether the tree was modified from the go command's VCS record, else
// from the link-time stamp, so that a binary built with -buildvcs=false
// (or by go run) still carries them when stamped.
func ReadBuildInfo() BuildInfo {
	in := buildinfo.Read()
	return BuildInfo{Version: in.Version, GitCommit: in.Commit, GitDirty: in.Modified, GoVersion: in.GoVersion}
}

// PeakRSS returns the process's peak resident set size in bytes (VmHWM of
// /proc/self/status), or 0 where that is unavailable.
func PeakRSS() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range bytes.Lines(data) {
		rest, ok := bytes.CutPrefix(line, []byte("VmHWM:"))
		if !ok {
			continue
		}
		f := bytes.Fields(rest)
		if len(f) == 0 {
			return 0
		}
		n, err := strconv.ParseInt(string(f[0]), 10, 64)
		if err != nil {
			return 0
		}
		if len(f) < 2 || string(f[1]) != "kB" {
			return 0 // not the unit the kernel documents
		}
		return n * 1024
	}
	return 0
}

// writeFile creates dir/name and writes it with write through a buffer.
func writeFile(dir, name string, write func(w *bufio.Writer) error) error {
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		return fmt.Errorf("creating %s: %w", name, pathErrCause(err))
	}
	bw := bufio.NewWriterSize(f, 64<<10)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", name, pathErrCause(err))
	}
	return nil
}
