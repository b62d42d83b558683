package ecs

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Job-search pools (parameter job_search_method, spec §5.10).
const (
	JobSearchAllFirms      = "all_firms"
	JobSearchVacanciesOnly = "vacancies_only"
)

// Consumer-matching modes (parameter consumer_matching, spec §5.27).
const (
	MatchingLoyalty = "loyalty"
	MatchingRandom  = "random"
)

// Params holds every core parameter of the model (spec §2.1 and §2.2).
// The field tags give the parameter's spec name, which is also its key in a
// scenario file and in `bam run --set`.
//
// A Params value is a resource of the [World]: systems read it through
// w.Params and should not change it during a run (a policy system that
// changes a parameter on purpose, such as a rule that shortens contracts
// (theta) from some period on, is the exception and should document it).
type Params struct {
	NFirms      int    `json:"n_firms"`
	NHouseholds int    `json:"n_households"`
	NBanks      int    `json:"n_banks"`
	NPeriods    int    `json:"n_periods"`
	Seed        uint64 `json:"seed"`

	HRho float64 `json:"h_rho"`
	HXi  float64 `json:"h_xi"`
	HPhi float64 `json:"h_phi"`
	HEta float64 `json:"h_eta"`

	MaxM int `json:"max_M"`
	MaxH int `json:"max_H"`
	MaxZ int `json:"max_Z"`

	LaborProductivity float64 `json:"labor_productivity"`
	Theta             int     `json:"theta"`
	Beta              float64 `json:"beta"`
	Delta             float64 `json:"delta"`
	RBar              float64 `json:"r_bar"`
	V                 float64 `json:"v"`
	MinWageRevPeriod  int     `json:"min_wage_rev_period"`

	PriceInit      float64 `json:"price_init"`
	MinWageRatio   float64 `json:"min_wage_ratio"`
	NetWorthRatio  float64 `json:"net_worth_ratio"`
	EquityBaseInit float64 `json:"equity_base_init"`
	SavingsInit    float64 `json:"savings_init"`

	NewFirmSizeFactor       float64 `json:"new_firm_size_factor"`
	NewFirmProductionFactor float64 `json:"new_firm_production_factor"`
	NewFirmWageFactor       float64 `json:"new_firm_wage_factor"`
	NewFirmPriceMarkup      float64 `json:"new_firm_price_markup"`

	MaxLoanToNetWorth float64 `json:"max_loan_to_net_worth"`
	MaxLeverage       float64 `json:"max_leverage"`

	JobSearchMethod  string `json:"job_search_method"`
	ConsumerMatching string `json:"consumer_matching"`

	// NetWorthInit, when set, replaces the initial net-worth formula of §3.1.
	NetWorthInit *float64 `json:"net_worth_init"`
	// CapFactor, when set and > 1, caps the planning breakeven price at
	// CapFactor × price (§5.2).
	CapFactor *float64 `json:"cap_factor"`

	// Ext holds the extension parameters (spec §2.3) set for this run, by
	// name (sigma_min, buffer_stock_h, ...; see [RegisterParam]). A name
	// not in the map has its registered default; attaching an extension
	// fills in the defaults of its parameters that are not set, and keeps
	// the values that are (the precedence rule of spec §2.3).
	//
	// Set values with [Params.SetExt] (or the spec's SetFloat), which
	// validate them and copy the map before writing, so that copies of a
	// Params value never see each other's changes; read them with
	// [Params.ExtValue]. In JSON the entries follow the core parameters as
	// ordinary keys. A nil map means no extension parameter is set.
	Ext map[string]float64 `json:"-"`
}

// DefaultParams returns bamengine's shipped defaults (spec §2.1).
func DefaultParams() Params {
	return Params{
		NFirms: 100, NHouseholds: 500, NBanks: 10, NPeriods: 1000, Seed: 0,
		HRho: 0.10, HXi: 0.05, HPhi: 0.10, HEta: 0.10,
		MaxM: 4, MaxH: 2, MaxZ: 2,
		LaborProductivity: 0.50, Theta: 8, Beta: 2.50, Delta: 0.10, RBar: 0.02, V: 0.10,
		MinWageRevPeriod: 4,
		PriceInit:        0.5, MinWageRatio: 0.5, NetWorthRatio: 6.0, EquityBaseInit: 5.0, SavingsInit: 1.0,
		NewFirmSizeFactor: 0.5, NewFirmProductionFactor: 0.5, NewFirmWageFactor: 0.5, NewFirmPriceMarkup: 1.20,
		MaxLoanToNetWorth: 2, MaxLeverage: 10,
		JobSearchMethod:  JobSearchAllFirms,
		ConsumerMatching: MatchingLoyalty,
	}
}

// ParamKind is the value type of a parameter.
type ParamKind int

// Parameter kinds.
const (
	KindInt      ParamKind = iota // integer
	KindFloat                     // float64
	KindEnum                      // one of a fixed set of strings
	KindOptFloat                  // float64 that may be absent
	KindSeed                      // non-negative integer seed
)

// ParamSpec describes one parameter: its spec name, meaning and valid range.
// The table [ParamSpecs] drives scenario loading, `--set`, validation and the
// run manifest, so a parameter is declared exactly once. Extension
// parameters (spec §2.3) are declared with [ExtFloat] and registered with
// [RegisterParam]; their values live in [Params.Ext].
type ParamSpec struct {
	Name    string
	Kind    ParamKind
	Default string // default value as written in a scenario file
	Doc     string
	// Valid range for numeric kinds; MinOpen/MaxOpen make a bound exclusive.
	// An infinite bound means unbounded.
	Min, Max         float64
	MinOpen, MaxOpen bool
	// Choices lists the allowed values of an enum.
	Choices []string

	// ext marks an extension parameter (built by [ExtFloat]); its value
	// lives in Params.Ext and defaults to def.
	ext bool
	def float64

	intp   func(*Params) *int
	floatp func(*Params) *float64
	strp   func(*Params) *string
	optp   func(*Params) **float64
	seedp  func(*Params) *uint64
}

var inf = math.Inf(1)

// maxCount bounds integer parameters (populations, rounds, periods) so that
// slot numbers fit the components' int32 fields.
const maxCount = math.MaxInt32

// MaxSeed is the largest seed, 2⁶³ − 1: seeds are TOML integers (int64) in
// scenario files, so every command takes the same range, [0, MaxSeed].
const MaxSeed = math.MaxInt64

// MaxRounds bounds max_M, max_H and max_Z, the applications or visits an
// agent makes per period. The model takes min(max_M, pool size) partners
// from a pool (spec §5.2.2, §5.3.2, §5.4.3), so a value above the
// population only repeats the same partners, and the queues it sizes
// (n_households × max_M slots and so on) would exhaust memory long before
// the value meant anything. It equals MaxRepeat, the cap of a pipeline
// entry's repeat count, since max_M and max_H are also round counts.
const MaxRounds = MaxRepeat

func intSpec(name, def, doc string, lo float64, p func(*Params) *int) ParamSpec {
	return ParamSpec{Name: name, Kind: KindInt, Default: def, Doc: doc, Min: lo, Max: maxCount, intp: p}
}

// roundSpec is an intSpec capped at MaxRounds.
func roundSpec(name, def, doc string, p func(*Params) *int) ParamSpec {
	s := intSpec(name, def, doc, 1, p)
	s.Max = MaxRounds
	return s
}

func floatSpec(name, def, doc string, lo, hi float64, loOpen, hiOpen bool, p func(*Params) *float64) ParamSpec {
	return ParamSpec{Name: name, Kind: KindFloat, Default: def, Doc: doc, Min: lo, Max: hi, MinOpen: loOpen, MaxOpen: hiOpen, floatp: p}
}

// ParamSpecs lists every core parameter in the order of spec §2.1 and §2.2.
var ParamSpecs = []ParamSpec{
	intSpec("n_firms", "100", "number of firms NF", 1, func(p *Params) *int { return &p.NFirms }),
	intSpec("n_households", "500", "number of households NH", 1, func(p *Params) *int { return &p.NHouseholds }),
	intSpec("n_banks", "10", "number of banks NB", 1, func(p *Params) *int { return &p.NBanks }),
	intSpec("n_periods", "1000", "default run length in periods (quarters)", 1, func(p *Params) *int { return &p.NPeriods }),
	{Name: "seed", Kind: KindSeed, Default: "0", Doc: "seed of the simulation's random stream", Min: 0, Max: inf, seedp: func(p *Params) *uint64 { return &p.Seed }},
	floatSpec("h_rho", "0.10", "cap of the output-adjustment shock rho ~ U(0, h_rho)", 0, 1, false, false, func(p *Params) *float64 { return &p.HRho }),
	floatSpec("h_xi", "0.05", "cap of the wage-offer shock xi ~ U(0, h_xi)", 0, 1, false, false, func(p *Params) *float64 { return &p.HXi }),
	floatSpec("h_phi", "0.10", "cap of the bank cost shock phi ~ U(0, h_phi)", 0, 1, false, false, func(p *Params) *float64 { return &p.HPhi }),
	floatSpec("h_eta", "0.10", "cap of the price-adjustment shock eta ~ U(0, h_eta)", 0, 1, false, false, func(p *Params) *float64 { return &p.HEta }),
	roundSpec("max_M", "4", "job applications per unemployed worker per period (= labour rounds)", func(p *Params) *int { return &p.MaxM }),
	roundSpec("max_H", "2", "loan applications per borrowing firm per period (= credit rounds)", func(p *Params) *int { return &p.MaxH }),
	roundSpec("max_Z", "2", "firms a consumer can visit per period", func(p *Params) *int { return &p.MaxZ }),
	floatSpec("labor_productivity", "0.50", "initial output per worker alpha", 0, inf, true, false, func(p *Params) *float64 { return &p.LaborProductivity }),
	intSpec("theta", "8", "labour contract length in periods", 1, func(p *Params) *int { return &p.Theta }),
	floatSpec("beta", "2.50", "exponent of the propensity-to-consume function", 0, inf, true, false, func(p *Params) *float64 { return &p.Beta }),
	floatSpec("delta", "0.10", "dividend payout ratio on positive net profit", 0, 1, false, false, func(p *Params) *float64 { return &p.Delta }),
	floatSpec("r_bar", "0.02", "policy (base) interest rate per period", 0, 1, false, false, func(p *Params) *float64 { return &p.RBar }),
	floatSpec("v", "0.10", "bank capital requirement; credit supply = equity / v", 0, 1, true, false, func(p *Params) *float64 { return &p.V }),
	intSpec("min_wage_rev_period", "4", "the minimum wage is revised every this many periods", 1, func(p *Params) *int { return &p.MinWageRevPeriod }),
	floatSpec("price_init", "0.5", "initial price of every firm", 0, inf, true, false, func(p *Params) *float64 { return &p.PriceInit }),
	floatSpec("min_wage_ratio", "0.5", "initial minimum wage as a fraction of the initial wage offer", 0, 1, false, false, func(p *Params) *float64 { return &p.MinWageRatio }),
	floatSpec("net_worth_ratio", "6.0", "initial firm net worth as a multiple of initial revenue", 0, inf, false, false, func(p *Params) *float64 { return &p.NetWorthRatio }),
	floatSpec("equity_base_init", "5.0", "initial bank equity", 0, inf, false, false, func(p *Params) *float64 { return &p.EquityBaseInit }),
	floatSpec("savings_init", "1.0", "initial household savings", 0, inf, false, false, func(p *Params) *float64 { return &p.SavingsInit }),
	floatSpec("new_firm_size_factor", "0.5", "entrant net worth = factor x trimmed survivor mean net worth", 0, inf, false, false, func(p *Params) *float64 { return &p.NewFirmSizeFactor }),
	floatSpec("new_firm_production_factor", "0.5", "entrant output signal = factor x trimmed survivor mean output", 0, inf, false, false, func(p *Params) *float64 { return &p.NewFirmProductionFactor }),
	floatSpec("new_firm_wage_factor", "0.5", "entrant wage offer = factor x trimmed mean wage of employed workers (at least the minimum wage)", 0, inf, false, false, func(p *Params) *float64 { return &p.NewFirmWageFactor }),
	floatSpec("new_firm_price_markup", "1.20", "entrant price = markup x current average market price", 0, inf, false, false, func(p *Params) *float64 { return &p.NewFirmPriceMarkup }),
	floatSpec("max_loan_to_net_worth", "2", "cap on each individual loan as a multiple of the borrower's net worth (0 = no cap)", 0, inf, false, false, func(p *Params) *float64 { return &p.MaxLoanToNetWorth }),
	floatSpec("max_leverage", "10", "cap on the fragility entering the loan rate; fragility of firms with non-positive net worth (0 = no cap)", 0, inf, false, false, func(p *Params) *float64 { return &p.MaxLeverage }),
	{Name: "job_search_method", Kind: KindEnum, Default: `"all_firms"`, Doc: "pool from which unemployed workers sample firms", Choices: []string{JobSearchAllFirms, JobSearchVacanciesOnly}, strp: func(p *Params) *string { return &p.JobSearchMethod }},
	{Name: "consumer_matching", Kind: KindEnum, Default: `"loyalty"`, Doc: "whether the consumer's previous largest producer is forced into the consideration set", Choices: []string{MatchingLoyalty, MatchingRandom}, strp: func(p *Params) *string { return &p.ConsumerMatching }},
	{Name: "net_worth_init", Kind: KindOptFloat, Default: "absent", Doc: "if set, the initial net worth of every firm (replaces net_worth_ratio)", Min: 0, Max: inf, optp: func(p *Params) **float64 { return &p.NetWorthInit }},
	{Name: "cap_factor", Kind: KindOptFloat, Default: "absent", Doc: "if set and > 1, caps the planning breakeven price at cap_factor x price", Min: 0, Max: inf, MinOpen: true, optp: func(p *Params) **float64 { return &p.CapFactor }},
}

// LookupParam returns the spec of the named parameter: a core parameter of
// [ParamSpecs], or an extension parameter registered with [RegisterParam]
// (a copy of its spec).
func LookupParam(name string) (*ParamSpec, bool) {
	for i := range ParamSpecs {
		if ParamSpecs[i].Name == name {
			return &ParamSpecs[i], true
		}
	}
	if s, ok := lookupExt(name); ok {
		return &s, true
	}
	return nil, false
}

// ParamNames returns the names of all core parameters in spec order (the
// keys of [ParamSpecs]; see [AllParamNames] for the extension parameters
// too).
func ParamNames() []string {
	names := make([]string, len(ParamSpecs))
	for i := range ParamSpecs {
		names[i] = ParamSpecs[i].Name
	}
	return names
}

// RangeString describes the valid range, e.g. "[0, 1]", "> 0", "integer >= 1"
// or `one of "loyalty", "random"`.
func (s *ParamSpec) RangeString() string {
	switch s.Kind {
	case KindEnum:
		q := make([]string, len(s.Choices))
		for i, c := range s.Choices {
			q[i] = fmt.Sprintf("%q", c)
		}
		return "one of " + strings.Join(q, ", ")
	case KindInt:
		if s.Max < maxCount {
			return fmt.Sprintf("integer in [%g, %g]", s.Min, s.Max)
		}
		return fmt.Sprintf("integer >= %g", s.Min)
	case KindSeed:
		return fmt.Sprintf("integer in [0, %d]", uint64(MaxSeed))
	}
	lo, hi := "[", "]"
	if s.MinOpen {
		lo = "("
	}
	if s.MaxOpen {
		hi = ")"
	}
	if math.IsInf(s.Max, 1) && math.IsInf(s.Min, -1) {
		return "any finite number"
	}
	if math.IsInf(s.Min, -1) {
		if s.MaxOpen {
			return fmt.Sprintf("finite number < %g", s.Max)
		}
		return fmt.Sprintf("finite number <= %g", s.Max)
	}
	if math.IsInf(s.Max, 1) {
		if s.MinOpen {
			return fmt.Sprintf("finite number > %g", s.Min)
		}
		return fmt.Sprintf("finite number >= %g", s.Min)
	}
	return fmt.Sprintf("%s%g, %g%s", lo, s.Min, s.Max, hi)
}

// inRange reports whether x is finite and inside the spec's range.
func (s *ParamSpec) inRange(x float64) bool {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return false
	}
	if x < s.Min || (s.MinOpen && x == s.Min) {
		return false
	}
	if x > s.Max || (s.MaxOpen && x == s.Max) {
		return false
	}
	return true
}

// SetInt sets an integer (or seed) parameter after checking its range.
func (s *ParamSpec) SetInt(p *Params, v int64) error {
	switch s.Kind {
	case KindInt:
		if v > maxCount && s.Max == maxCount {
			return fmt.Errorf("%s = %d is too large: want %s and at most %d", s.Name, v, s.RangeString(), maxCount)
		}
		if !s.inRange(float64(v)) {
			return fmt.Errorf("%s = %d is out of range: want %s", s.Name, v, s.RangeString())
		}
		*s.intp(p) = int(v)
		return nil
	case KindSeed:
		if v < 0 {
			return fmt.Errorf("%s = %d is out of range: want %s", s.Name, v, s.RangeString())
		}
		*s.seedp(p) = uint64(v)
		return nil
	case KindFloat, KindOptFloat:
		return s.SetFloat(p, float64(v))
	}
	return fmt.Errorf("%s: want %s, got integer %d", s.Name, s.RangeString(), v)
}

// SetFloat sets a float parameter after checking that it is finite and in range.
// Integer parameters accept a float only if it is integral. An extension
// parameter is written to a copy of p.Ext (see [Params.SetExt]).
func (s *ParamSpec) SetFloat(p *Params, x float64) error {
	switch s.Kind {
	case KindFloat, KindOptFloat:
		if !s.inRange(x) {
			return fmt.Errorf("%s = %v is out of range: want %s", s.Name, x, s.RangeString())
		}
		switch {
		case s.ext:
			p.setExt(s.Name, x)
		case s.Kind == KindFloat:
			*s.floatp(p) = x
		default:
			v := x
			*s.optp(p) = &v
		}
		return nil
	case KindInt, KindSeed:
		if x != math.Trunc(x) || math.IsInf(x, 0) {
			return fmt.Errorf("%s = %v is not an integer: want %s", s.Name, x, s.RangeString())
		}
		if x < math.MinInt64 || x >= math.MaxInt64 {
			return fmt.Errorf("%s = %v is out of range: want %s", s.Name, x, s.RangeString())
		}
		return s.SetInt(p, int64(x))
	}
	return fmt.Errorf("%s: want %s, got number %v", s.Name, s.RangeString(), x)
}

// SetString sets an enum parameter after checking it is one of the choices.
func (s *ParamSpec) SetString(p *Params, v string) error {
	if s.Kind != KindEnum {
		return fmt.Errorf("%s: want %s, got string %q", s.Name, s.RangeString(), v)
	}
	for _, c := range s.Choices {
		if c == v {
			*s.strp(p) = v
			return nil
		}
	}
	return fmt.Errorf("%s = %q is not allowed: want %s", s.Name, v, s.RangeString())
}

// Get returns the parameter's current value (int, uint64, float64, string,
// or nil for an absent optional value). For an extension parameter it is
// the value in p.Ext, else the default.
func (s *ParamSpec) Get(p *Params) any {
	switch s.Kind {
	case KindInt:
		return *s.intp(p)
	case KindSeed:
		return *s.seedp(p)
	case KindFloat:
		if s.ext {
			if v, ok := p.Ext[s.Name]; ok {
				return v
			}
			return s.def
		}
		return *s.floatp(p)
	case KindEnum:
		return *s.strp(p)
	case KindOptFloat:
		if v := *s.optp(p); v != nil {
			return *v
		}
		return nil
	}
	return nil
}

// Text returns the parameter's current value as written in a scenario
// file: integers in decimal, floats in shortest round-trip form
// (strconv 'g', -1), enums quoted, and "absent" for an unset optional
// value. It is exact: parsing it gives the value back, so the study
// journals hash it and `bam params` prints it.
func (s *ParamSpec) Text(p *Params) string {
	switch v := s.Get(p).(type) {
	case nil:
		return "absent"
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case string:
		return strconv.Quote(v)
	case int:
		return strconv.Itoa(v)
	case uint64:
		return strconv.FormatUint(v, 10)
	}
	panic(fmt.Sprintf("parameter %s: value of unexpected type", s.Name))
}

// Validate checks every parameter against its range and returns the first
// violation, naming the parameter and its allowed range. Extension
// parameters are checked after the core ones, in name order; a name in
// p.Ext that is not registered is an error.
func (p *Params) Validate() error {
	for i := range ParamSpecs {
		s := &ParamSpecs[i]
		var err error
		q := *p
		switch s.Kind {
		case KindInt:
			err = s.SetInt(&q, int64(*s.intp(p)))
		case KindFloat:
			err = s.SetFloat(&q, *s.floatp(p))
		case KindEnum:
			err = s.SetString(&q, *s.strp(p))
		case KindOptFloat:
			if v := *s.optp(p); v != nil {
				err = s.SetFloat(&q, *v)
			}
		}
		if err != nil {
			return err
		}
	}
	return p.validateExt()
}
