package scenarios_test

import (
	"errors"
	"fmt"

	"github.com/bam-abm/bam/scenarios"
)

func ExampleLoad() {
	s, err := scenarios.Load("baseline") // or a path such as "runs/tight_credit.toml"
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Name, s.Source)
	fmt.Println("firms:", s.Params.NFirms, "households:", s.Params.NHouseholds, "banks:", s.Params.NBanks)
	fmt.Println("default pipeline:", s.Pipeline == nil)
	// Output:
	// baseline embedded:baseline
	// firms: 100 households: 500 banks: 10
	// default pipeline: true
}

func ExampleScenario_Set() {
	s := scenarios.Default()
	for _, a := range []string{"max_Z=3", "consumer_matching=random", "thetta=4", "h_rho=1.5"} {
		if err := s.Set(a); err != nil {
			fmt.Println(err)
		}
	}
	fmt.Println(s.Params.MaxZ, s.Params.ConsumerMatching)
	// Output:
	// --set thetta=4: unknown parameter "thetta" (did you mean "theta"?)
	// --set h_rho=1.5: h_rho = 1.5 is out of range: want [0, 1]
	// 3 random
}

func ExampleParse() {
	doc := `
description = "Growth+ with a tighter credit market"
max_H = 1

[[hooks]]
after = "firms_validate_debt_commitments"
systems = ["firms_compute_rnd_intensity", "firms_apply_productivity_growth"]
`
	s, err := scenarios.Parse("runs/tight_credit.toml", []byte(doc))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Name, "-", s.Description)
	fmt.Println("max_H =", s.Params.MaxH, "max_M =", s.Params.MaxM)
	for _, h := range s.Hooks {
		fmt.Println(h)
	}
	// Output:
	// tight_credit - Growth+ with a tighter credit market
	// max_H = 1 max_M = 4
	// after firms_validate_debt_commitments: [firms_compute_rnd_intensity firms_apply_productivity_growth]
}

// Bad input gives one line naming the file, the line, the key and what was
// expected; the CLI recognises it with errors.As.
func ExampleError() {
	_, err := scenarios.Parse("my.toml", []byte("n_firms = 200\nmax_M = \"four\"\n"))
	fmt.Println(err)

	var e *scenarios.Error
	if errors.As(err, &e) {
		fmt.Printf("file %s, line %d, key %s\n", e.Source, e.Line, e.Key)
	}
	// Output:
	// my.toml:2: key "max_M": want integer in [1, 1000], got string "four"
	// file my.toml, line 2, key max_M
}

func ExampleRegister() {
	doc := []byte(`description = "a short, tight-credit economy"
n_periods = 200
r_bar = 0.05
`)
	if err := scenarios.Register("tight_credit", doc); err != nil {
		fmt.Println(err)
		return
	}
	s, err := scenarios.Load("tight_credit") // like an embedded name
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Name, s.Source, s.Params.NPeriods, s.Params.RBar)
	// Output:
	// tight_credit registered:tight_credit 200 0.05
}
