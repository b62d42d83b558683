#!/usr/bin/env bash
# minwage.sh — build, test and use the outside module docs/examples/minwage
# (a program of its own built on cli.Main, with the policy system
# raise_minimum_wage and its parameters), as docs/custom-systems.md shows:
# run, plot, validate over 20 seeds and the Slurm scripts of a stability study.
set -euo pipefail
cd "$(dirname "$0")/../docs/examples/minwage"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

go vet ./...
go test -count=1 ./...
go build -o "$tmp/minwage" .

"$tmp/minwage" pipeline min_wage_hike | grep -qx raise_minimum_wage
"$tmp/minwage" params min_wage_hike | grep -q '^min_wage_factor '
"$tmp/minwage" run --quiet --out "$tmp/run" min_wage_hike.toml
test -s "$tmp/run/economy.csv" && test -s "$tmp/run/firms.csv" && test -s "$tmp/run/run.json"
"$tmp/minwage" plot -o "$tmp/run.png" "$tmp/run"
test -s "$tmp/run.png"

# validate exits 1 when the pass rate is below the gate: a result, not a
# failure of the program; anything else is.
rc=0
"$tmp/minwage" validate --seeds 20 --json "$tmp/validate.json" min_wage_hike || rc=$?
if [ "$rc" -gt 1 ] || [ ! -s "$tmp/validate.json" ]; then
	echo "minwage validate failed (exit $rc)" >&2
	exit 1
fi

# The Slurm scripts of a study call the program's own binary.
"$tmp/minwage" stability slurm --scenario min_wage_hike --seeds 4 --shards 2 --out "$tmp/study" >/dev/null
grep -q "$tmp/minwage" "$tmp/study/slurm/stability-array.sbatch"
# A sweep over the program's own parameter, on its own system.
"$tmp/minwage" sweep --grid min_wage_factor=1,1.5 --seeds 2 --periods 60 --out "$tmp/sweep" min_wage_hike >/dev/null
[ "$(head -1 "$tmp/sweep/sweep.csv" | cut -d, -f1-2)" = "min_wage_factor,seed" ] && [ "$(wc -l <"$tmp/sweep/sweep.csv")" -eq 5 ]

echo "minwage: built, tested, run, plotted, validated (exit $rc), swept, and its Slurm scripts written"
