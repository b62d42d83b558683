#!/usr/bin/env bash
# End-to-end check that bam's results load in DuckDB: install node and npm
# (Debian's nodejs and npm) if they are missing, install @duckdb/node-api
# from the npm registry into a temporary folder, run a small economy three
# times (the panel layout in Parquet and in CSV with the same seed, and
# Parquet with another seed; id columns scenario,seed), and have
# .ci/duckdb.mjs read the panels and economy.parquet with DuckDB and check
# row counts, column names and types, metadata and values against the CSV
# files. Everything it writes (runs, node_modules, npm's cache) is in one
# temporary folder, removed on exit, also on failure.
#
# Run as root on Debian 12 (CI calls it from .ci/run): bash .ci/duckdb.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DUCKDB_NODE_API=${DUCKDB_NODE_API:-1.5.6-r.1} # the @duckdb/node-api version
log() { echo "[duckdb-ci] $*"; }
T0=$SECONDS

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	log "installing nodejs and npm (Debian)"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >"$tmp/apt.log" 2>&1 || { cat "$tmp/apt.log"; exit 1; }
	apt-get install -y -q --no-install-recommends nodejs npm >>"$tmp/apt.log" 2>&1 ||
		{ tail -n 40 "$tmp/apt.log"; exit 1; }
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 18 ]; then
	echo "node $(node --version) is too old for @duckdb/node-api (want 18 or later)" >&2
	exit 1
fi
log "node $(node --version), npm $(npm --version)"

log "installing @duckdb/node-api@$DUCKDB_NODE_API"
mkdir "$tmp/js"
cp .ci/duckdb.mjs "$tmp/js/"
(
	cd "$tmp/js"
	export npm_config_cache="$tmp/npm-cache" npm_config_update_notifier=false
	echo '{"name": "bam-duckdb-ci", "private": true, "type": "module"}' >package.json
	npm install --no-audit --no-fund --loglevel=error "@duckdb/node-api@$DUCKDB_NODE_API" >"$tmp/npm.log" 2>&1 ||
		{ cat "$tmp/npm.log"; exit 1; }
)

log "bam run × 3"
go build -o "$tmp/bam" ./cmd/bam
collect='Producer.production@firms_run_production,Producer.price,Employer.current_labor,Borrower.net_worth,'
collect+='Borrower.debt@firms_run_production,Worker.employed@firms_run_production,Worker.employer,Consumer.savings,'
collect+='Lender.equity_base,unemployment_rate,gdp,firm_exits'
run() { # run SEED FORMAT DIR
	"$tmp/bam" run --quiet --seed "$1" --periods 80 --firms 30 --households 150 --banks 4 \
		--id-columns scenario,seed --format "$2" --collect "$collect" --out "$3"
}
run 4 parquet "$tmp/run-parquet"
run 4 csv "$tmp/run-csv"
run 5 parquet "$tmp/run-other"

log "reading them with DuckDB"
node "$tmp/js/duckdb.mjs" "$tmp/run-parquet" "$tmp/run-csv" "$tmp/run-other"
log "done in $((SECONDS - T0)) s"
