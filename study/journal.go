package study

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
)

// ErrDamagedJournal reports a journal whose lines before the last cannot
// be read: not a crash in the middle of a write (a torn last line is
// dropped), but a file damaged or edited since.
var ErrDamagedJournal = errors.New("damaged journal")

// Journal is an append-only file of JSON lines: a header line that names
// the study, then one line per finished job, each written with one write
// and synced before Append returns, so that a finished job survives any
// stop (kill -9, a full disk, a lost node): a study rerun with the same
// journal only runs what is missing. A journal is locked against other
// processes while open (LockFile).
type Journal struct {
	path string
	mu   sync.Mutex
	f    *os.File
}

// OpenJournal opens the journal at path for the study whose header line is
// header (encoded with encoding/json), creating it if it does not exist or
// holds no complete header line. Otherwise check receives the file's
// header line and returns an error if it is another study's; the records
// already there are returned as raw JSON lines, in file order, after
// dropping (and cutting off) a torn or undecodable last line. A damaged
// line before the last is an error wrapping ErrDamagedJournal. It fails at
// once if another process has the journal open.
func OpenJournal(path string, header any, check func(header []byte) error) (*Journal, [][]byte, error) {
	head, err := json.Marshal(header)
	if err != nil {
		return nil, nil, fmt.Errorf("journal %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, nil, fmt.Errorf("journal: %w", err)
	}
	if err := LockFile(f); err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("journal %s is in use by another process: %w", path, err)
	}
	j := &Journal{path: path, f: f}
	data, err := io.ReadAll(f)
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("journal %s: %w", path, err)
	}
	first, recs, good, err := parseLines(data)
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("journal %s: %w", path, err)
	}
	if first == nil { // new, empty, or a header torn by a crash: start afresh
		if err := j.reset(head); err != nil {
			f.Close()
			return nil, nil, err
		}
		return j, nil, nil
	}
	if err := check(first); err != nil {
		f.Close()
		return nil, nil, err
	}
	if err := f.Truncate(int64(good)); err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("journal %s: dropping a torn last line: %w", path, err)
	}
	if _, err := f.Seek(int64(good), io.SeekStart); err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("journal %s: %w", path, err)
	}
	return j, recs, nil
}

// ReadJournal returns the header line and the record lines of the journal
// at path, as OpenJournal would, without changing or locking it.
func ReadJournal(path string) (header []byte, records [][]byte, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("journal: %w", err)
	}
	header, records, _, err = parseLines(data)
	if err == nil && header == nil {
		err = fmt.Errorf("%w: no header line", ErrDamagedJournal)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("journal %s: %w", path, err)
	}
	return header, records, nil
}

// parseLines splits a journal's content into its header line and record
// lines; good is the length of the complete, valid prefix. A missing or
// torn header gives a nil header.
func parseLines(data []byte) (header []byte, recs [][]byte, good int, err error) {
	nl := bytes.IndexByte(data, '\n')
	if nl < 0 || !json.Valid(data[:nl]) {
		return nil, nil, 0, nil
	}
	header, good = data[:nl], nl+1
	line := 1
	for rest := data[good:]; len(rest) > 0; {
		line++
		end := bytes.IndexByte(rest, '\n')
		if end < 0 {
			break // torn: the stop came in the middle of the write
		}
		if !json.Valid(rest[:end]) {
			if end == len(rest)-1 {
				break // a damaged last line: as if torn
			}
			return nil, nil, 0, fmt.Errorf("%w: line %d is not JSON", ErrDamagedJournal, line)
		}
		recs = append(recs, rest[:end])
		good += end + 1
		rest = rest[end+1:]
	}
	return header, recs, good, nil
}

// reset makes the file hold only the header line.
func (j *Journal) reset(head []byte) error {
	if err := j.f.Truncate(0); err != nil {
		return fmt.Errorf("journal %s: %w", j.path, err)
	}
	if _, err := j.f.WriteAt(append(head, '\n'), 0); err != nil {
		return fmt.Errorf("journal %s: %w", j.path, err)
	}
	if _, err := j.f.Seek(int64(len(head)+1), io.SeekStart); err != nil {
		return fmt.Errorf("journal %s: %w", j.path, err)
	}
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("journal %s: %w", j.path, err)
	}
	return nil
}

// Append writes v (encoded with encoding/json) as one line with a single
// write and syncs it to disk before returning. Safe for concurrent use.
func (j *Journal) Append(v any) error {
	b, err := json.Marshal(v)
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

// Path returns the journal's file.
func (j *Journal) Path() string { return j.path }

// Close releases the journal and its lock.
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
