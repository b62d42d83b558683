package bam

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/parquet-go/parquet-go"

	"github.com/bam-abm/bam/ecs"
)

// Panel names a table of the panel layout of collected data: one table
// per agent kind and one for the economy series.
type Panel string

// The tables of the panel layout.
const (
	PanelFirms      Panel = "firms"
	PanelHouseholds Panel = "households"
	PanelBanks      Panel = "banks"
	PanelEconomy    Panel = "economy"
)

// panelOrder is the order of [Collector.Panels].
var panelOrder = []Panel{PanelFirms, PanelHouseholds, PanelBanks, PanelEconomy}

// PanelOf returns the panel of agent kind k.
func PanelOf(k ecs.Kind) Panel {
	switch k {
	case ecs.Firms:
		return PanelFirms
	case ecs.Households:
		return PanelHouseholds
	}
	return PanelBanks
}

// panelKind returns the agent kind of panel p, or -1 for the economy.
func panelKind(p Panel) ecs.Kind {
	switch p {
	case PanelFirms:
		return ecs.Firms
	case PanelHouseholds:
		return ecs.Households
	case PanelBanks:
		return ecs.Banks
	}
	return -1
}

// PanelKeys returns the key columns of panel p, which come first in every
// row, before the variables:
//
//	firms       period, firm, id, entered, exited
//	households  period, household
//	banks       period, bank, id, entered, exited
//	economy     period
//
// period is the period t (INT32); firm, household and bank the agent's slot
// (INT32); id the persistent id of the agent that was active in the slot
// in that period (INT64, see [Simulation.AgentIDs]); entered the period it
// entered (INT32, 0 for the initial population, −1 unknown); exited
// whether it went bankrupt at the end of the period (BOOLEAN: then the
// variables captured at the end of the period, after
// spawn_replacement_firms or spawn_replacement_banks, are its entrant's).
func PanelKeys(p Panel) []string {
	switch p {
	case PanelFirms:
		return []string{"period", "firm", "id", "entered", "exited"}
	case PanelHouseholds:
		return []string{"period", "household"}
	case PanelBanks:
		return []string{"period", "bank", "id", "entered", "exited"}
	}
	return []string{"period"}
}

// PanelColumn is a variable column of a panel table.
type PanelColumn struct {
	// Name is the column's name, safe in every tool (lower-case letters,
	// digits and underscores): the variable's field ("production"), or
	// for an economy series its name ("unemployment_rate"). Two variables
	// of a table with the same field take their component as prefix
	// ("consumer_propensity", "buffer_stock_propensity"); the same
	// variable at several capture points takes "_at_SYSTEM" after the
	// system's capture ("production_at_firms_run_production"; the end of
	// period keeps the plain name). A field named like a key column takes
	// its component as prefix too.
	Name string
	// Variable is the collected name, as in [Collector.Variables]:
	// "Producer.production@firms_run_production".
	Variable string
	// At is the system the variable is captured after, "" for the end of
	// the period.
	At string
	// Type is the column's type: DOUBLE, INT64 or BOOLEAN in Parquet.
	Type ecs.ValueType
}

// Panels returns the panel tables the collected data fills, in the order
// firms, households, banks, economy.
func (c *Collector) Panels() []Panel {
	var out []Panel
	for _, p := range panelOrder {
		if len(c.panelSeries(p)) > 0 {
			out = append(out, p)
		}
	}
	return out
}

// panelSeries returns the series of panel p, in request order.
func (c *Collector) panelSeries(p Panel) []*series {
	k := panelKind(p)
	var out []*series
	for _, se := range c.series {
		if p == PanelEconomy && se.econ != nil || se.econ == nil && se.kind == k && p != PanelEconomy {
			out = append(out, se)
		}
	}
	return out
}

// PanelColumns returns the variable columns of panel p (after its keys,
// [PanelKeys]), in request order; none if nothing of p is collected.
func (c *Collector) PanelColumns(p Panel) ([]PanelColumn, error) {
	ss := c.panelSeries(p)
	names, err := panelNames(ss, PanelKeys(p))
	if err != nil {
		return nil, fmt.Errorf("panel %s: %w", p, err)
	}
	out := make([]PanelColumn, len(ss))
	for k, se := range ss {
		out[k] = PanelColumn{Name: names[k], Variable: se.name, At: se.at, Type: se.typ}
	}
	return out, nil
}

// panelNames returns the column names of the series ss of a panel whose
// key columns are keys (see [PanelColumn.Name] for the rule).
func panelNames(ss []*series, keys []string) ([]string, error) {
	comp := make([]string, len(ss))
	names := make([]string, len(ss))
	for k, se := range ss {
		field := se.base
		if se.econ == nil {
			comp[k], field, _ = strings.Cut(se.base, ".")
		}
		names[k] = safeName(field)
	}
	reserved := func(n string) bool { return slices.Contains(keys, n) }
	prefixed := make([]bool, len(ss))
	for k := range ss {
		clash := reserved(names[k])
		for j := range ss {
			clash = clash || j != k && names[j] == names[k] && comp[j] != comp[k]
		}
		prefixed[k] = clash && comp[k] != ""
	}
	for k := range ss {
		if prefixed[k] {
			names[k] = safeName(comp[k]) + "_" + names[k]
		}
	}
	suffix := make([]bool, len(ss))
	for k, se := range ss {
		for j := range ss {
			suffix[k] = suffix[k] || j != k && names[j] == names[k] && se.at != ""
		}
	}
	for k, se := range ss {
		if suffix[k] {
			names[k] += "_at_" + safeName(se.at)
		}
	}
	for k := range ss {
		if reserved(names[k]) || slices.Contains(names[:k], names[k]) {
			return nil, fmt.Errorf("two columns named %s (%s and another); rename a variable", names[k], ss[k].name)
		}
	}
	return names, nil
}

// safeName returns s as a column name that every tool takes unquoted:
// snake_case (an underscore before an upper-case letter followed by a
// lower-case one: BufferStock → buffer_stock, RnD → rnd), lower-case,
// every character other than a letter, digit or underscore replaced by an
// underscore, and "v_" before a name that does not start with a letter.
func safeName(s string) string {
	var b strings.Builder
	r := []rune(s)
	for i, c := range r {
		switch {
		case c >= 'A' && c <= 'Z':
			if i > 0 && i+1 < len(r) && r[i+1] >= 'a' && r[i+1] <= 'z' && r[i-1] != '_' {
				b.WriteByte('_')
			}
			b.WriteRune(c + 'a' - 'A')
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_':
			b.WriteRune(c)
		default:
			b.WriteByte('_')
		}
	}
	out := b.String()
	if out == "" || out[0] < 'a' || out[0] > 'z' {
		out = "v_" + out
	}
	return out
}

// panelTable is one panel table ready to be written: its columns (keys,
// then variables) and a cursor over its rows, period by period and, within
// a period, agent by agent.
type panelTable struct {
	c       *Collector
	p       Panel
	cols    []parquetColumn
	vars    []PanelColumn
	series  []*series
	agents  int // per period; 1 for the economy
	periods int
	ids     *panelIDs
	cur     agentIDs // the ids of the period being written
	t, i    int      // the next row's period offset and agent
}

// panel returns panel p's table, or an error if nothing of p is collected.
func (c *Collector) panel(p Panel) (*panelTable, error) {
	if !slices.Contains(panelOrder, p) {
		return nil, fmt.Errorf("panel %q: %w: want firms, households, banks or economy", string(p), ErrBadCollect)
	}
	vars, err := c.PanelColumns(p)
	if err != nil {
		return nil, err
	}
	if len(vars) == 0 {
		return nil, fmt.Errorf("panel %s: %w: nothing of it collected; collected: %v", p, ErrUnknownVariable, c.Variables())
	}
	pt := &panelTable{c: c, p: p, vars: vars, series: c.panelSeries(p), agents: 1, periods: c.periods()}
	if k := panelKind(p); k >= 0 {
		pt.agents = pt.series[0].agents
		pt.ids = c.ids[k]
	}
	for _, key := range PanelKeys(p) {
		col := parquetColumn{name: key, kind: colInt32}
		switch key {
		case "id":
			col.kind = colInt64
		case "exited":
			col.kind = colBool
		}
		pt.cols = append(pt.cols, col)
	}
	for _, v := range vars {
		col := parquetColumn{name: v.Name, kind: colDouble}
		switch v.Type {
		case ecs.IntValue:
			col.kind = colInt64
		case ecs.BoolValue:
			col.kind = colBool
		}
		pt.cols = append(pt.cols, col)
	}
	if pt.ids != nil {
		pt.cur = pt.ids.start.clone()
	}
	return pt, nil
}

// rows returns the number of rows.
func (pt *panelTable) rows() int { return pt.periods * pt.agents }

// next writes the next row's values into dst (one per column, as float64)
// and advances the cursor.
func (pt *panelTable) next(dst []float64) {
	t, i := pt.t, pt.i
	period := pt.c.first + t
	dst[0] = float64(period)
	j := 1
	if pt.p != PanelEconomy {
		dst[1] = float64(i)
		j = 2
		if pt.ids != nil {
			dst[2] = float64(pt.cur.ID[i])
			dst[3] = float64(pt.cur.Entered[i])
			dst[4] = 0
			if pt.ids.exited[t*pt.agents+i] {
				dst[4] = 1
			}
			j = 5
		}
	}
	for k, se := range pt.series {
		dst[j+k] = se.data[t*se.agents+i]
	}
	if pt.i++; pt.i == pt.agents {
		if pt.ids != nil {
			pt.cur.advance(pt.ids.exited[t*pt.agents:(t+1)*pt.agents], period)
		}
		pt.i = 0
		pt.t++
	}
}

// metadata is the panel file's key-value metadata: the collector's, the
// panel, and for each variable column bam.column.NAME = the collected
// name (the variable and its capture point).
func (pt *panelTable) metadata() []KeyValue {
	m := append(pt.c.metadata("panel"), KeyValue{"bam.panel", string(pt.p)})
	for _, v := range pt.vars {
		m = append(m, KeyValue{"bam.column." + v.Name, v.Variable})
	}
	return m
}

// names returns the column names.
func (pt *panelTable) names() []string {
	out := make([]string, len(pt.cols))
	for j, col := range pt.cols {
		out[j] = col.name
	}
	return out
}

// WritePanelCSV writes panel p of the collected data as CSV: a header of
// the options' id columns, the key columns ([PanelKeys]) and the variable
// columns ([Collector.PanelColumns]), then one line per period and agent
// (sorted by period, then slot). Floats are in shortest round-trip form,
// integers in decimal, booleans true or false. It fails if nothing of p is
// collected.
func (c *Collector) WritePanelCSV(w io.Writer, p Panel, opts ...ExportOption) error {
	pt, err := c.panel(p)
	if err != nil {
		return fmt.Errorf("write panel: %w", err)
	}
	cfg := newExportConfig(opts)
	if err := cfg.checkIDColumns(pt.names()); err != nil {
		return fmt.Errorf("write panel %s: %w", p, err)
	}
	fail := func(err error) error { return fmt.Errorf("write panel %s: %w", p, err) }
	bw := bufio.NewWriterSize(w, 64<<10)
	ids := cfg.appendIDFields(nil)
	b := cfg.appendIDHeader(make([]byte, 0, 512))
	b = append(b, strings.Join(pt.names(), ",")...)
	b = append(b, '\n')
	if _, err := bw.Write(b); err != nil {
		return fail(err)
	}
	vals := make([]float64, len(pt.cols))
	for range pt.rows() {
		pt.next(vals)
		b = append(b[:0], ids...)
		for j, v := range vals {
			if j > 0 {
				b = append(b, ',')
			}
			switch pt.cols[j].kind {
			case colInt32, colInt64:
				b = strconv.AppendInt(b, int64(v), 10)
			case colBool:
				b = strconv.AppendBool(b, v != 0)
			default:
				b = strconv.AppendFloat(b, v, 'g', -1, 64)
			}
		}
		b = append(b, '\n')
		if _, err := bw.Write(b); err != nil {
			return fail(err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fail(err)
	}
	return nil
}

// WritePanelParquet writes panel p of the collected data as one Parquet
// file, with the columns and rows of [Collector.WritePanelCSV], typed:
// period, the slot and entered INT32, id INT64, exited BOOLEAN, and each
// variable DOUBLE, INT64 or BOOLEAN by its [ecs.ValueType]. Its key-value
// metadata holds the layout ("bam.layout" = "panel", "bam.panel"), the
// run (bam.scenario, bam.seed, bam.n_firms, ...), bam.first_period,
// bam.periods, and for every variable column bam.column.NAME, the
// collected name with its capture point; then the options' metadata. It
// fails if nothing of p is collected.
func (c *Collector) WritePanelParquet(w io.Writer, p Panel, opts ...ExportOption) error {
	pt, err := c.panel(p)
	if err != nil {
		return fmt.Errorf("write panel: %w", err)
	}
	vals := make([]float64, len(pt.cols))
	err = writeParquetTable(w, newExportConfig(opts), pt.cols, pt.rows(), pt.metadata(), func(_ int, row []parquet.Value) {
		pt.next(vals)
		for j, v := range vals {
			row[j] = pt.cols[j].value(v)
		}
	})
	if err != nil {
		return fmt.Errorf("write panel %s: parquet: %w", p, err)
	}
	return nil
}

// IDs returns the persistent ids of the agents of kind k in every recorded
// period, laid out like [Collector.Data] (index t*agents+i for slot i in
// period FirstPeriod()+t): the id of the agent active in the slot, the
// period it entered and whether it exited at the end of the period. It
// returns nils when no variable of kind k is collected; for households, ids
// are slots and nobody exits. The slices are fresh.
func (c *Collector) IDs(k ecs.Kind) (id []int64, entered []int32, exited []bool) {
	p := PanelOf(k)
	if k < ecs.Firms || k > ecs.Banks || len(c.panelSeries(p)) == 0 {
		return nil, nil, nil
	}
	pt, err := c.panel(p)
	if err != nil {
		return nil, nil, nil
	}
	n := pt.rows()
	id, entered, exited = make([]int64, n), make([]int32, n), make([]bool, n)
	vals := make([]float64, len(pt.cols))
	for r := range n {
		pt.next(vals)
		id[r], entered[r] = int64(vals[1]), 0
		if pt.ids != nil {
			id[r], entered[r], exited[r] = int64(vals[2]), int32(vals[3]), vals[4] != 0
		}
	}
	return id, entered, exited
}
