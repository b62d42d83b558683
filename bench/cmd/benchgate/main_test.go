package main

import (
	"errors"
	"strings"
	"testing"
)

// sample is benchstat -format csv output comparing two runs.
const sample = `goos: linux
goarch: amd64
pkg: github.com/bam-abm/bam/bench
cpu: AMD EPYC
,old.txt,,new.txt,,,
,sec/op,CI,sec/op,CI,vs base,P
Pipeline/firms=100-2,4.0035e-05,0%,5.0035e-05,0%,+24.98%,p=0.002 n=6
Pipeline/firms=1000-2,0.000400035,0%,0.000300035,0%,-25.00%,p=0.002 n=6
Pipeline/firms=5000-2,0.002,1%,0.0022,9%,~,p=0.180 n=6
Pipeline/firms=20000-2,0.008,1%,0.0088,1%,+10.00%,p=0.002 n=6
New/x-2,,,5e-09,0%
geomean,0.00012655197045087843,,4.218311134448139e-06,,-3.18%,

,old.txt,,new.txt,,,
,allocs/op,CI,allocs/op,CI,vs base,P
Pipeline/firms=100-2,0,0%,1,0%,?,p=0.002 n=6
Pipeline/firms=1000-2,0,0%,0,0%,~,p=1.000 n=6
geomean,,,,,?,

,old.txt,,new.txt,,,
,agent-steps/s,CI,agent-steps/s,CI,vs base,P
Scaling/firms=100-2,1000,0%,800,0%,-20.00%,p=0.002 n=6
Scaling/firms=200-2,1000,0%,1300,0%,+30.00%,p=0.002 n=6

,old.txt,,new.txt,,,
,pct-of-period,CI,pct-of-period,CI,vs base,P
CriticalEvent/goods_market_round/firms=100-2,10,0%,20,0%,+100.00%,p=0.002 n=6
`

func TestGate(t *testing.T) {
	regs, err := gate(strings.NewReader(sample), 15, []string{"pct-of-period"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range regs {
		got = append(got, r.name+" "+r.unit)
	}
	want := []string{
		"Pipeline/firms=100-2 sec/op",       // +25 %
		"Pipeline/firms=100-2 allocs/op",    // 0 -> 1
		"Scaling/firms=100-2 agent-steps/s", // throughput -20 %
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("regressions\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if s := regs[0].String(); !strings.Contains(s, "+24.98%") || !strings.HasPrefix(s, "REGRESSION Pipeline/firms=100-2") {
		t.Errorf("line %q", s)
	}

	// A higher threshold lets the 25 % through, not the new allocation.
	regs, err = gate(strings.NewReader(sample), 30, []string{"pct-of-period"})
	if err != nil {
		t.Fatal(err)
	}
	if len(regs) != 1 || regs[0].unit != "allocs/op" {
		t.Errorf("threshold 30: %v", regs)
	}
}

func TestGateNoComparison(t *testing.T) {
	one := "goos: linux\n,new.txt,\n,sec/op,CI\nPipeline/firms=100-2,4e-05,1%\n"
	if _, err := gate(strings.NewReader(one), 15, nil); !errors.Is(err, errNoComparison) {
		t.Errorf("single run: err %v, want errNoComparison", err)
	}
	bad := sample[:strings.Index(sample, "Pipeline/firms=100-2")] + "Pipeline/firms=100-2,1,0%,2,0%,+x%,p=0.002 n=6\n"
	if _, err := gate(strings.NewReader(bad), 15, nil); err == nil {
		t.Error("bad delta: no error")
	}
}
