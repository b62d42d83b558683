package cli

import (
	"testing"
	"time"
)

func TestFmtDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0 µs"},
		{850 * time.Microsecond, "850 µs"},
		{39 * time.Millisecond, "39.0 ms"},
		{999 * time.Millisecond, "999.0 ms"},
		{2350 * time.Millisecond, "2.35 s"},
		{59 * time.Second, "59.00 s"},
		{137700 * time.Millisecond, "2 min 18 s"},
		{time.Hour - time.Second, "59 min 59 s"},
		{time.Hour + 5*time.Minute + 20*time.Second, "1 h 05 min"},
		{26*time.Hour + 59*time.Minute + 40*time.Second, "27 h 00 min"},
	}
	for _, tt := range tests {
		if got := fmtDuration(tt.d); got != tt.want {
			t.Errorf("fmtDuration(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestFmtPerPeriod(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{47 * time.Microsecond, "0.0470 ms"},
		{39400 * time.Nanosecond, "0.0394 ms"},
		{9420 * time.Microsecond, "9.42 ms"}, // the "9420 µs"
		{123456 * time.Microsecond, "123 ms"},
		{2 * time.Second, "2000 ms"},
		{0, "0 ms"},
	}
	for _, tt := range tests {
		if got := fmtPerPeriod(tt.d); got != tt.want {
			t.Errorf("fmtPerPeriod(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestSig3(t *testing.T) {
	tests := []struct {
		x    float64
		want string
	}{
		{0, "0"},
		{353.983, "354"},
		{1.238, "1.24"},
		{0.427, "0.427"},
		{0.0012345, "0.00123"},
		{35.44, "35.4"},
		{1238, "1238"},
		{9.996, "10.0"}, // rounding up adds a digit
		{99.95, "100"},
		{-2.345, "-2.35"},
	}
	for _, tt := range tests {
		if got := sig3(tt.x); got != tt.want {
			t.Errorf("sig3(%v) = %q, want %q", tt.x, got, tt.want)
		}
	}
}
