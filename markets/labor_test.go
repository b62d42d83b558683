package markets_test

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/bam-abm/bam/ecs/rng"

	"github.com/bam-abm/bam/markets"
)

// flatQueue lays rows out as a j·m … (j+1)·m queue padded with −1.
func flatQueue(m int, rows ...[]int32) []int32 {
	q := make([]int32, m*len(rows))
	for i := range q {
		q[i] = -1
	}
	for j, row := range rows {
		copy(q[j*m:(j+1)*m], row)
	}
	return q
}

// laborState is the state a labour-market round reads and writes.
type laborState struct {
	seekers   []int32
	queue     []int32
	m         int
	cursor    []int32
	vacancies []int32
}

// checkedRound runs one Round and checks it against spec §5.11: every seeker
// with a valid cursor applies to queue[cursor]; the cursor advances in every
// case (−1 when the queue is exhausted or the next slot is empty, −1 when
// hired); an application is valid iff the firm has vacancies > 0 at the start
// of the round; each firm hires exactly min(vacancies, valid applicants) of
// its valid applicants; vacancies are reduced by the hires. It returns the
// hired (worker, firm) pairs.
func checkedRound(t tb, lm *markets.LaborRound, r *rng.Rand, s *laborState) (hw, hf []int32) {
	t.Helper()
	nf := len(s.vacancies)
	cur0 := slices.Clone(s.cursor)
	vac0 := slices.Clone(s.vacancies)
	applied := make(map[int32]int32) // valid applicant → firm
	wantCursor := slices.Clone(s.cursor)
	validApps := make([]int32, nf)
	for _, j := range s.seekers {
		c := cur0[j]
		if c < 0 {
			continue
		}
		row := s.queue[int(j)*s.m : int(j+1)*s.m]
		f := row[c]
		next := c + 1
		if int(next) >= s.m || row[next] < 0 {
			next = -1
		}
		wantCursor[j] = next
		if f >= 0 && vac0[f] > 0 {
			applied[j] = f
			validApps[f]++
		}
	}
	hw = make([]int32, len(s.seekers))
	hf = make([]int32, len(s.seekers))
	h := lm.Run(r, s.seekers, s.queue, s.m, s.cursor, s.vacancies, hw, hf)
	hw, hf = hw[:h], hf[:h]

	hires := make([]int32, nf)
	seen := map[int32]bool{}
	for i, j := range hw {
		f := hf[i]
		if seen[j] {
			t.Fatalf("worker %d hired twice", j)
		}
		seen[j] = true
		if g, ok := applied[j]; !ok || g != f {
			t.Fatalf("worker %d hired by firm %d without a valid application to it (applied: %v, ok=%v)", j, f, g, ok)
		}
		hires[f]++
		wantCursor[j] = -1
	}
	for f := range nf {
		want := min(max(vac0[f], 0), validApps[f])
		if hires[f] != want {
			t.Fatalf("firm %d: %d hires with %d vacancies and %d valid applicants, want %d", f, hires[f], vac0[f], validApps[f], want)
		}
		if hires[f] > max(vac0[f], 0) {
			t.Fatalf("firm %d over-hired: %d > %d", f, hires[f], vac0[f])
		}
		if s.vacancies[f] != vac0[f]-hires[f] {
			t.Fatalf("firm %d: vacancies %d → %d after %d hires", f, vac0[f], s.vacancies[f], hires[f])
		}
	}
	if !slices.Equal(s.cursor, wantCursor) {
		t.Fatalf("cursors %v, want %v (before: %v)", s.cursor, wantCursor, cur0)
	}
	return hw, hf
}

// removeHired drops the hired workers from the seekers (they are employed).
func removeHired(seekers, hired []int32) []int32 {
	return slices.DeleteFunc(seekers, func(j int32) bool { return slices.Contains(hired, j) })
}

func TestLaborRoundCursor(t *testing.T) {
	tests := []struct {
		name       string
		row        []int32
		m          int
		cursor     int32
		vacancies  []int32
		wantCursor int32
		wantHire   int32 // firm, −1 = not hired
		wantVac    []int32
	}{
		{"advance after rejection (no vacancies)", []int32{0, 1, 2}, 3, 0, []int32{0, 0, 0}, 1, -1, []int32{0, 0, 0}},
		{"advance from the middle", []int32{0, 1, 2}, 3, 1, []int32{0, 0, 0}, 2, -1, []int32{0, 0, 0}},
		{"last slot exhausts the queue", []int32{0, 1, 2}, 3, 2, []int32{0, 0, 0}, -1, -1, []int32{0, 0, 0}},
		{"next slot empty invalidates", []int32{0, 1, -1}, 3, 1, []int32{0, 0, 0}, -1, -1, []int32{0, 0, 0}},
		{"single-entry queue", []int32{2, -1, -1}, 3, 0, []int32{0, 0, 0}, -1, -1, []int32{0, 0, 0}},
		{"m=1", []int32{2}, 1, 0, []int32{0, 0, 0}, -1, -1, []int32{0, 0, 0}},
		{"invalid cursor does not apply", []int32{0, 1, 2}, 3, -1, []int32{5, 5, 5}, -1, -1, []int32{5, 5, 5}},
		{"hired at first slot", []int32{0, 1, 2}, 3, 0, []int32{1, 1, 1}, -1, 0, []int32{0, 1, 1}},
		{"hired in the middle", []int32{2, 0, 1}, 3, 1, []int32{4, 0, 0}, -1, 0, []int32{3, 0, 0}},
		{"hired at last slot", []int32{0, 1, 2}, 3, 2, []int32{0, 0, 2}, -1, 2, []int32{0, 0, 1}},
		{"negative vacancies are not valid", []int32{1, 0}, 2, 0, []int32{3, -1}, 1, -1, []int32{3, -1}},
		{"rejected keeps the rest of its queue", []int32{1, 2, 0}, 3, 0, []int32{9, 0, 9}, 1, -1, []int32{9, 0, 9}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Worker 1 is the one under test; worker 0 is not a seeker and
			// its cursor must be left alone.
			s := &laborState{
				seekers:   []int32{1},
				queue:     flatQueue(tt.m, []int32{0}, tt.row),
				m:         tt.m,
				cursor:    []int32{0, tt.cursor},
				vacancies: slices.Clone(tt.vacancies),
			}
			lm := markets.NewLaborRound(2, len(tt.vacancies))
			hw, hf := checkedRound(t, lm, rng.New(1, 2), s)
			if s.cursor[1] != tt.wantCursor {
				t.Errorf("cursor %d, want %d", s.cursor[1], tt.wantCursor)
			}
			if s.cursor[0] != 0 {
				t.Errorf("non-seeker's cursor changed to %d", s.cursor[0])
			}
			if tt.wantHire < 0 && len(hw) != 0 {
				t.Errorf("hired %v by %v, want no hire", hw, hf)
			}
			if tt.wantHire >= 0 && (len(hw) != 1 || hw[0] != 1 || hf[0] != tt.wantHire) {
				t.Errorf("hired %v by %v, want worker 1 by firm %d", hw, hf, tt.wantHire)
			}
			if !slices.Equal(s.vacancies, tt.wantVac) {
				t.Errorf("vacancies %v, want %v", s.vacancies, tt.wantVac)
			}
		})
	}
}

func TestLaborRoundWastedApplication(t *testing.T) {
	// Firm 0 has no vacancy: the application is wasted, the worker moves on
	// and is hired by firm 1 in the next round.
	s := &laborState{
		seekers:   []int32{0},
		queue:     flatQueue(3, []int32{0, 1}),
		m:         3,
		cursor:    []int32{0},
		vacancies: []int32{0, 2},
	}
	lm := markets.NewLaborRound(1, 2)
	r := rng.New(1, 2)
	if hw, _ := checkedRound(t, lm, r, s); len(hw) != 0 {
		t.Fatalf("round 1 hired %v at a firm without vacancies", hw)
	}
	if s.cursor[0] != 1 || !slices.Equal(s.vacancies, []int32{0, 2}) {
		t.Fatalf("after round 1: cursor %d, vacancies %v; want 1, [0 2]", s.cursor[0], s.vacancies)
	}
	hw, hf := checkedRound(t, lm, r, s)
	if len(hw) != 1 || hf[0] != 1 {
		t.Fatalf("round 2 hired %v by %v, want worker 0 by firm 1", hw, hf)
	}
	if s.cursor[0] != -1 || !slices.Equal(s.vacancies, []int32{0, 1}) {
		t.Fatalf("after round 2: cursor %d, vacancies %v; want -1, [0 1]", s.cursor[0], s.vacancies)
	}
}

func TestLaborRoundNoOverHiring(t *testing.T) {
	// Ten workers with identical queues [0 1 2] compete for 3 + 4 + 0 jobs.
	const nw = 10
	rows := make([][]int32, nw)
	for j := range rows {
		rows[j] = []int32{0, 1, 2}
	}
	s := &laborState{
		seekers:   []int32{0, 1, 2, 3, 4, 5, 6, 7, 8, 9},
		queue:     flatQueue(3, rows...),
		m:         3,
		cursor:    make([]int32, nw),
		vacancies: []int32{3, 4, 0},
	}
	lm := markets.NewLaborRound(nw, 3)
	r := rng.New(1, 2)
	wantHires := []int{3, 4, 0}
	wantVac := [][]int32{{0, 4, 0}, {0, 0, 0}, {0, 0, 0}}
	total := 0
	for round := range 3 {
		hw, hf := checkedRound(t, lm, r, s)
		if len(hw) != wantHires[round] {
			t.Fatalf("round %d: %d hires, want %d", round, len(hw), wantHires[round])
		}
		for _, f := range hf {
			if f != int32(round) {
				t.Fatalf("round %d: hire by firm %d, want %d (queue order)", round, f, round)
			}
		}
		if !slices.Equal(s.vacancies, wantVac[round]) {
			t.Fatalf("round %d: vacancies %v, want %v", round, s.vacancies, wantVac[round])
		}
		total += len(hw)
		s.seekers = removeHired(s.seekers, hw)
	}
	if total != 7 || len(s.seekers) != 3 {
		t.Fatalf("%d hires and %d still unemployed, want 7 and 3", total, len(s.seekers))
	}
	for _, j := range s.seekers {
		if s.cursor[j] != -1 {
			t.Errorf("worker %d: cursor %d after exhausting its queue", j, s.cursor[j])
		}
	}
}

// TestLaborRoundSequence plays the max_M rounds of spec §5.11 on a fixed
// scenario whose outcome does not depend on the draws.
func TestLaborRoundSequence(t *testing.T) {
	// Vacancies: f0 → 1, f1 → 0, f2 → 2, f3 → 1.
	// Round 0: w0 [1 0 2] applies to f1 (no vacancy: wasted); w1 [2 3 -],
	//   w2 [2 1 -] and w3 [2 3 0] all apply to f2, which had 2 vacancies at
	//   the start of the round, so exactly 2 of them are hired; w4 has an
	//   empty queue (cursor −1); w5 [3 - -] is hired by f3.
	// Round 1: w0 is alone at f0 → hired. The loser L of round 0 tries f3
	//   (w1, w3: filled in round 0) or f1 (w2: no vacancy): wasted.
	// Round 2: only w3 can still apply (to f0, filled in round 1): wasted.
	// The outcome must not depend on the draws: play it with several seeds.
	for seed := range uint64(20) {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			s := &laborState{
				seekers:   []int32{0, 1, 2, 3, 4, 5},
				queue:     flatQueue(3, []int32{1, 0, 2}, []int32{2, 3}, []int32{2, 1}, []int32{2, 3, 0}, nil, []int32{3}),
				m:         3,
				cursor:    []int32{0, 0, 0, 0, -1, 0},
				vacancies: []int32{1, 0, 2, 1},
			}
			lm := markets.NewLaborRound(6, 4)
			r := rng.New(seed, 5)
			employer := map[int32]int32{}
			hiresPerRound := make([]int, 0, s.m)
			for range s.m {
				hw, hf := checkedRound(t, lm, r, s)
				for i, j := range hw {
					employer[j] = hf[i]
				}
				hiresPerRound = append(hiresPerRound, len(hw))
				s.seekers = removeHired(s.seekers, hw)
			}
			if !slices.Equal(hiresPerRound, []int{3, 1, 0}) {
				t.Errorf("hires per round %v, want [3 1 0]", hiresPerRound)
			}
			if employer[0] != 0 || employer[5] != 3 {
				t.Errorf("employers %v: want w0 → f0 and w5 → f3", employer)
			}
			at2 := 0
			for _, j := range []int32{1, 2, 3} {
				if f, ok := employer[j]; ok && f == 2 {
					at2++
				}
			}
			if at2 != 2 {
				t.Errorf("f2 hired %d of w1, w2, w3, want 2 (employers %v)", at2, employer)
			}
			if _, ok := employer[4]; ok {
				t.Error("worker with an empty queue was hired")
			}
			if !slices.Equal(s.vacancies, []int32{0, 0, 0, 0}) {
				t.Errorf("vacancies %v, want all filled", s.vacancies)
			}
			if len(s.seekers) != 2 || !slices.Contains(s.seekers, 4) {
				t.Errorf("still unemployed %v, want w4 and one of w1..w3", s.seekers)
			}
			for _, j := range s.seekers {
				if s.cursor[j] != -1 {
					t.Errorf("w%d: cursor %d after the last round", j, s.cursor[j])
				}
			}
		})
	}
}

// TestLaborRoundSequenceRandom plays max_M rounds on random scenarios and
// checks every round against spec §5.11.
func TestLaborRoundSequenceRandom(t *testing.T) {
	for seed := range uint64(30) {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			r := rng.New(seed, 77)
			nh, nf, m := 1+r.IntN(80), 1+r.IntN(12), 1+r.IntN(5)
			s := randomLaborState(r, nh, nf, m)
			lm := markets.NewLaborRound(nh, nf)
			for range m {
				hw, _ := checkedRound(t, lm, r, s)
				s.seekers = removeHired(s.seekers, hw)
			}
			for _, j := range s.seekers {
				if s.cursor[j] != -1 {
					t.Errorf("worker %d: cursor %d after max_M = %d rounds", j, s.cursor[j], m)
				}
			}
		})
	}
}

// randomLaborState draws queues as in spec §5.10: a uniform subset of
// min(m, nf) firms per seeker, cursor at the first entry.
func randomLaborState(r *rng.Rand, nh, nf, m int) *laborState {
	s := &laborState{m: m, queue: make([]int32, nh*m), cursor: make([]int32, nh), vacancies: make([]int32, nf)}
	for i := range s.queue {
		s.queue[i] = -1
	}
	dst := make([]int32, m)
	for j := range nh {
		if r.IntN(4) == 0 { // employed: not a seeker
			s.cursor[j] = -1
			continue
		}
		s.seekers = append(s.seekers, int32(j))
		q := markets.SampleIndices(r, nf, min(m, nf), -1, dst)
		copy(s.queue[j*m:], q)
		s.cursor[j] = 0
	}
	r.Shuffle(s.seekers)
	for f := range s.vacancies {
		s.vacancies[f] = int32(r.IntN(6)) - 1
	}
	return s
}

func TestLaborRoundUniformHiring(t *testing.T) {
	// Three workers apply to one firm with one vacancy: each is hired with
	// probability 1/3.
	const draws = 30000
	lm := markets.NewLaborRound(3, 1)
	r := rng.New(3, 3)
	queue := []int32{0, 0, 0}
	seekers := []int32{0, 1, 2}
	counts := make([]int, 3)
	hw, hf := make([]int32, 3), make([]int32, 3)
	for range draws {
		cursor := []int32{0, 0, 0}
		vac := []int32{1}
		if h := lm.Run(r, seekers, queue, 1, cursor, vac, hw, hf); h != 1 {
			t.Fatalf("%d hires, want 1", h)
		}
		counts[hw[0]]++
	}
	p := 1.0 / 3
	sd := math.Sqrt(draws * p * (1 - p))
	for j, c := range counts {
		if math.Abs(float64(c)-draws*p) > 5*sd {
			t.Errorf("worker %d hired %d times of %d, want %.0f ± %.0f", j, c, draws, draws*p, 5*sd)
		}
	}
}

func TestLaborRoundNoAlloc(t *testing.T) {
	r := rng.New(1, 2)
	s := randomLaborState(r, 200, 10, 4)
	lm := markets.NewLaborRound(200, 10)
	cursor, vac := slices.Clone(s.cursor), slices.Clone(s.vacancies)
	hw, hf := make([]int32, 200), make([]int32, 200)
	if a := testing.AllocsPerRun(50, func() {
		copy(cursor, s.cursor)
		copy(vac, s.vacancies)
		lm.Run(r, s.seekers, s.queue, s.m, cursor, vac, hw, hf)
	}); a != 0 {
		t.Errorf("Round: %v allocs per call", a)
	}
}
