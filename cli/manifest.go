package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"strconv"

	"github.com/bam-abm/bam/ecs"
)

// manifest is the content of run.json.
type manifest struct {
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
	Population     population `json:"population"`
	Pipeline       []string   `json:"pipeline"`
	Timing         timing     `json:"timing"`
	PeakRSSBytes   int64      `json:"peak_rss_bytes"`
	Files          []string   `json:"files"`
	StartedAt      string     `json:"started_at"`

	// ResumedFrom is the checkpoint a run resumed with --resume (absent
	// otherwise).
	ResumedFrom *resumedFrom `json:"resumed_from,omitempty"`
}

// population is the manifest's agent counts.
type population struct {
	Firms      int `json:"firms"`
	Households int `json:"households"`
	Banks      int `json:"banks"`
}

// timing is the manifest's wall times, in seconds.
type timing struct {
	InitSeconds      float64 `json:"init_seconds"`
	RunSeconds       float64 `json:"run_seconds"`
	PerPeriodSeconds float64 `json:"per_period_seconds"`
}

// writeManifest writes m as indented JSON.
func writeManifest(w *bufio.Writer, m *manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if _, err := w.Write(b); err != nil {
		return err
	}
	return w.WriteByte('\n')
}

// peakRSS returns the process's peak resident set size in bytes (VmHWM of
// /proc/self/status), or 0 where that is unavailable.
func peakRSS() int64 {
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
