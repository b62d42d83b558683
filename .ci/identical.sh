#!/usr/bin/env bash
# identical.sh BASE — check that the working tree's model output is
# byte-identical to that of the git ref BASE (make identical BASE=<ref>).
#
# It builds bam from BASE (in a temporary git worktree) and from the working
# tree, and compares, for both binaries:
#   - economy.csv and firms.csv of baseline, growth_plus, buffer_stock and
#     taxation for seeds 0–4 × 1000 periods (bam run);
#   - bam validate --json of each validated scenario over seeds 0–19;
#   - a 100-seed bam stability study of the three validated scenarios,
#     apart from the metadata of its result files (bam stability compare
#     --exact of BASE's binary).
# It exits 0 when everything is identical, 1 naming each difference.
# SEEDS, PERIODS, VALIDATE_SEEDS and STABILITY_SEEDS override the sizes
# (for a quick check while working; the acceptance check uses the defaults).
set -euo pipefail

base=${1:?usage: identical.sh BASE (a git ref)}
seeds=${SEEDS:-5}
periods=${PERIODS:-1000}
vseeds=${VALIDATE_SEEDS:-20}
sseeds=${STABILITY_SEEDS:-100}
go=${GO:-go}

top=$(git rev-parse --show-toplevel)
cd "$top"
tmp=$(mktemp -d)
cleanup() {
	git worktree remove --force "$tmp/base" >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT

echo "== building bam at $base ($(git rev-parse --short "$base")) and the working tree"
git worktree add --quiet --detach "$tmp/base" "$base"
(cd "$tmp/base" && $go build -o "$tmp/old" ./cmd/bam)
$go build -o "$tmp/new" ./cmd/bam

fail=0
# gated runs exit 1 when a pass rate is below the gate; that is a result,
# not a failure, as long as the output file is there.
gated() {
	local out=$1
	shift
	local rc=0
	"$@" >/dev/null 2>"$tmp/gated.log" || rc=$?
	if [ "$rc" -gt 1 ] || [ ! -e "$out" ]; then
		echo "failed (exit $rc): $*" >&2
		cat "$tmp/gated.log" >&2
		exit 1
	fi
}
differ() {
	echo "DIFFERENT: $*"
	fail=1
}

echo "== bam run: 4 scenarios × seeds 0–$((seeds - 1)) × $periods periods"
for sc in baseline growth_plus buffer_stock taxation; do
	for ((s = 0; s < seeds; s++)); do
		for v in old new; do
			"$tmp/$v" run --quiet --seed "$s" --periods "$periods" --out "$tmp/run-$v-$sc-$s" "$sc"
		done
		for f in economy.csv firms.csv; do
			cmp -s "$tmp/run-old-$sc-$s/$f" "$tmp/run-new-$sc-$s/$f" || differ "$sc seed $s $f"
		done
	done
done

echo "== bam validate --json: 3 scenarios × $vseeds seeds"
for sc in baseline growth_plus buffer_stock; do
	for v in old new; do
		gated "$tmp/validate-$v-$sc.json" "$tmp/$v" validate --seeds "$vseeds" --workers 2 --json "$tmp/validate-$v-$sc.json" "$sc"
	done
	cmp -s "$tmp/validate-old-$sc.json" "$tmp/validate-new-$sc.json" || differ "bam validate --json $sc"
done

echo "== bam stability: 3 scenarios × $sseeds seeds"
for v in old new; do
	gated "$tmp/stability-$v/buffer_stock.json" "$tmp/$v" stability --seeds "$sseeds" --workers 2 --out "$tmp/stability-$v"
done
for sc in baseline growth_plus buffer_stock; do
	"$tmp/old" stability compare --exact "$tmp/stability-old/$sc.json" "$tmp/stability-new/$sc.json" >/dev/null ||
		differ "bam stability $sc.json (apart from metadata)"
done

if [ "$fail" -ne 0 ]; then
	echo "the output differs from $base"
	exit 1
fi
echo "identical to $base: run ($((4 * seeds)) runs), validate (3 × $vseeds seeds), stability (3 × $sseeds seeds)"
