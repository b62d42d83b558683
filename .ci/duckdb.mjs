// duckdb.mjs PARQUET_RUN CSV_RUN OTHER_SEED_RUN — read bam run folders
// with DuckDB (@duckdb/node-api) and check them: the panel layout's
// Parquet files and economy.parquet (row counts, column names and types,
// key-value metadata), their values against the CSV files of the same run,
// the ids of entrants, the panels against the economy series, and two
// runs concatenated by their id columns. Called by .ci/duckdb.sh; exits 1
// naming every failed check.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const [pqDir, csvDir, otherDir] = process.argv.slice(2);
if (!otherDir) {
	console.error('usage: node duckdb.mjs PARQUET_RUN CSV_RUN OTHER_SEED_RUN');
	process.exit(2);
}

const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const rows = async (sql) => (await con.runAndReadAll(sql)).getRowObjectsJson();
const one = async (sql) => Object.values((await rows(sql))[0])[0];
const q = (s) => `'${s.replaceAll("'", "''")}'`;

let failed = 0, passed = 0;
const check = (ok, what) => {
	if (ok) {
		passed++;
	} else {
		failed++;
		console.error(`FAIL: ${what}`);
	}
};
const same = (got, want, what) => check(JSON.stringify(got) === JSON.stringify(want), `${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);

const manifest = (dir) => JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
const m = manifest(pqDir), mc = manifest(csvDir), mo = manifest(otherDir);
const T = m.periods_run;
const agents = { firms: m.population.firms, households: m.population.households, banks: m.population.banks, economy: 1 };
const slotKey = { firms: 'firm', households: 'household', banks: 'bank' };
const keys = {
	firms: ['period', 'firm', 'id', 'entered', 'exited'], households: ['period', 'household'],
	banks: ['period', 'bank', 'id', 'entered', 'exited'], economy: ['period'],
};
const keyTypes = { period: 'INTEGER', firm: 'INTEGER', household: 'INTEGER', bank: 'INTEGER', id: 'BIGINT', entered: 'INTEGER', exited: 'BOOLEAN' };
const varType = { float: 'DOUBLE', int: 'BIGINT', bool: 'BOOLEAN' };
const idTypes = { scenario: 'VARCHAR', seed: 'BIGINT' };
same(m.id_columns, ['scenario', 'seed'], 'run.json id_columns');
same(m.collected?.layout, 'panel', 'run.json collected layout');
same(mc.collected?.format, 'csv', 'the CSV run is in CSV');
same(m.seed, mc.seed, 'the Parquet and CSV runs have one seed');
check(mo.seed !== m.seed, 'the third run has another seed');

// Compares two relations with the same columns, matched on the keys:
// every column of every row must be equal (IS NOT DISTINCT FROM).
async function sameTable(a, b, cols, on, what) {
	const n = Number(await one(`SELECT count(*) FROM ${a}`));
	const nb = Number(await one(`SELECT count(*) FROM ${b}`));
	same(nb, n, `${what}: rows`);
	const join = on.map((k) => `a."${k}" = b."${k}"`).join(' AND ');
	const diff = cols.map((c) => `a."${c}" IS DISTINCT FROM b."${c}"`).join(' OR ');
	const bad = Number(await one(`SELECT count(*) FROM ${a} a FULL JOIN ${b} b ON ${join} WHERE ${diff}`));
	same(bad, 0, `${what}: rows that differ`);
}

// The panels: one Parquet file per kind, as run.json lists them.
same(m.collected.files.map((f) => f.panel), ['firms', 'households', 'banks', 'economy'], 'the panels');
for (const f of m.collected.files) {
	const p = f.panel;
	const path = q(join(pqDir, f.file));
	const csv = q(join(csvDir, f.file.replace(/\.parquet$/, '.csv')));
	const want = [...m.id_columns, ...keys[p], ...f.columns.map((c) => c.name)];
	const desc = await rows(`DESCRIBE SELECT * FROM read_parquet(${path})`);
	same(desc.map((d) => d.column_name), want, `${f.file}: columns`);
	const types = Object.fromEntries(desc.map((d) => [d.column_name, d.column_type]));
	for (const k of keys[p]) same(types[k], keyTypes[k], `${f.file}: type of ${k}`);
	for (const c of f.columns) same(types[c.name], varType[c.type], `${f.file}: type of ${c.name} (${c.variable})`);
	for (const k of m.id_columns) same(types[k], idTypes[k], `${f.file}: type of id column ${k}`);
	same(Number(await one(`SELECT count(*) FROM read_parquet(${path})`)), T * agents[p], `${f.file}: rows = periods × ${p}`);
	same(await rows(`SELECT DISTINCT scenario, seed FROM read_parquet(${path})`), [{ scenario: m.scenario, seed: String(m.seed) }], `${f.file}: id columns`);

	const kv = Object.fromEntries((await rows(`SELECT key::VARCHAR AS k, value::VARCHAR AS v FROM parquet_kv_metadata(${path})`)).map((r) => [r.k, r.v]));
	same(kv['bam.layout'], 'panel', `${f.file}: bam.layout`);
	same(kv['bam.panel'], p, `${f.file}: bam.panel`);
	same(kv['bam.scenario'], m.scenario, `${f.file}: bam.scenario`);
	same(kv['bam.seed'], String(m.seed), `${f.file}: bam.seed`);
	same(kv['bam.n_firms'], String(m.population.firms), `${f.file}: bam.n_firms`);
	same(kv['bam.version'], m.version, `${f.file}: bam.version`);
	same(kv['bam.param.beta'], String(m.parameters.beta), `${f.file}: bam.param.beta`);
	same(kv['bam.param.n_periods'], String(m.parameters.n_periods), `${f.file}: bam.param.n_periods`);
	for (const c of f.columns) same(kv[`bam.column.${c.name}`], c.variable, `${f.file}: bam.column.${c.name}`);

	// The same values as the CSV panel of the same run.
	const on = p === 'economy' ? ['period'] : ['period', slotKey[p]];
	await sameTable(`read_parquet(${path})`, `read_csv(${csv}, header = true)`, want, on, `${f.file} vs its CSV`);
}

// economy.parquet: economy.csv's columns and values.
{
	const path = q(join(pqDir, 'economy.parquet'));
	const header = readFileSync(join(pqDir, 'economy.csv'), 'utf8').split('\n')[0].split(',');
	const desc = await rows(`DESCRIBE SELECT * FROM read_parquet(${path})`);
	same(desc.map((d) => d.column_name), header, 'economy.parquet: columns are economy.csv\'s');
	same(Number(await one(`SELECT count(*) FROM read_parquet(${path})`)), T, 'economy.parquet: one row per period');
	await sameTable(`read_parquet(${path})`, `read_csv(${q(join(pqDir, 'economy.csv'))}, header = true)`, header, ['period'], 'economy.parquet vs economy.csv');
	const kv = Object.fromEntries((await rows(`SELECT key::VARCHAR AS k, value::VARCHAR AS v FROM parquet_kv_metadata(${path})`)).map((r) => [r.k, r.v]));
	same(kv['bam.seed'], String(m.seed), 'economy.parquet: bam.seed');
	same(kv['bam.scenario'], m.scenario, 'economy.parquet: bam.scenario');
	same(kv['bam.param.theta'], String(m.parameters.theta), 'economy.parquet: bam.param.theta');
}

const firms = q(join(pqDir, 'collect-firms.parquet'));
const hh = q(join(pqDir, 'collect-households.parquet'));
const eco = q(join(pqDir, 'economy.parquet'));

// The panels add up to the economy series.
same(Number(await one(`SELECT count(*) FROM (SELECT period, count(*) FILTER (WHERE employed) AS n FROM read_parquet(${hh}) GROUP BY period) h
	JOIN read_parquet(${eco}) e USING (period) WHERE h.n <> e.employed`)), 0, 'Σ employed at production = economy employed, every period');
same(Number(await one(`SELECT count(*) FROM (SELECT period, sum(production) AS y FROM read_parquet(${firms}) GROUP BY period) f
	JOIN read_parquet(${eco}) e USING (period) WHERE abs(f.y - e.gdp) > 1e-9 * greatest(1, abs(e.gdp))`)), 0, 'Σ production at production = gdp, every period');
same(Number(await one(`SELECT count(*) FROM (SELECT period, count(*) FILTER (WHERE exited) AS n FROM read_parquet(${firms}) GROUP BY period) f
	JOIN read_parquet(${eco}) e USING (period) WHERE f.n <> e.firm_exits`)), 0, 'Σ exited = economy firm_exits, every period');

// Entrants: a slot whose firm exited has a new id the next period, entered then; others keep theirs.
const exits = Number(await one(`SELECT count(*) FROM read_parquet(${firms}) WHERE exited AND period < ${T}`));
check(exits > 0, `some firm exits before the last period (got ${exits}): the ids are tested`);
same(Number(await one(`SELECT count(*) FROM read_parquet(${firms}) a JOIN read_parquet(${firms}) b
	ON b.firm = a.firm AND b.period = a.period + 1
	WHERE (a.exited AND (b.id = a.id OR b.entered <> a.period)) OR (NOT a.exited AND b.id <> a.id)`)), 0, 'ids change exactly where a firm exited');
same(Number(await one(`SELECT count(DISTINCT id) FROM read_parquet(${firms})`)),
	m.population.firms + Number(await one(`SELECT sum(firm_exits) FROM read_parquet(${eco}) WHERE period < ${T}`)),
	'distinct firm ids = initial firms + entrants');

// firms.csv's debt is the panel's debt at production in the last period.
same(Number(await one(`SELECT count(*) FROM read_csv(${q(join(pqDir, 'firms.csv'))}, header = true) c
	JOIN read_parquet(${firms}) p ON p.firm = c.firm AND p.period = ${T} WHERE c.debt IS DISTINCT FROM p.debt`)), 0, 'firms.csv debt = the panel\'s debt at production, last period');
check(Number(await one(`SELECT count(*) FROM read_parquet(${firms}) WHERE debt > 0`)) > 0, 'some firm has debt at production');

// Runs concatenated: the id columns tell them apart.
const both = `read_parquet([${firms}, ${q(join(otherDir, 'collect-firms.parquet'))}])`;
same(await rows(`SELECT seed, count(*) AS n FROM ${both} GROUP BY seed ORDER BY seed`),
	[m.seed, mo.seed].sort((a, b) => a - b).map((s) => ({ seed: String(s), n: String(T * m.population.firms) })), 'two runs concatenated, by seed');

console.log(`duckdb ${(await rows('SELECT version() AS v'))[0].v}: ${passed} checks passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
