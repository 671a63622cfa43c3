/**
 * `npm run faults`: every fault scenario (src/fuzz/fault-scenarios.ts) on the production wiring, each run
 * once without faults for reference and then under faults for each seed; prints a table of scenario ×
 * seeds × violations and the violations themselves. Exit 1 when any invariant was violated.
 *
 * FAULTS_SEEDS (default 10) seeds 1..N, or FAULTS_SEED=<n> for one seed (a failing seed reproduces);
 * FAULTS_P (default 0.2) the share of requests faulted; FAULTS_SCENARIOS a comma-separated subset.
 */
import { SCENARIOS, runSeeds, type ScenarioName, type ScenarioReport } from './fault-scenarios.js';

const probability = Number(process.env.FAULTS_P ?? 0.2);
const seeds = process.env.FAULTS_SEED ? [Number(process.env.FAULTS_SEED)] : Array.from({ length: Number(process.env.FAULTS_SEEDS ?? 10) }, (_, i) => i + 1);
const wanted = (process.env.FAULTS_SCENARIOS ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const unknown = wanted.filter((w) => !(SCENARIOS as readonly string[]).includes(w));
if (unknown.length > 0) {
  process.stderr.write(`unknown scenario(s): ${unknown.join(', ')}; known: ${SCENARIOS.join(', ')}\n`);
  process.exit(2);
}
const scenarios = (wanted.length > 0 ? wanted : SCENARIOS) as ScenarioName[];

const reports: ScenarioReport[] = [];
for (const scenario of scenarios) {
  process.stderr.write(`${scenario}: `);
  const report = await runSeeds(scenario, seeds, probability, (r, v) => process.stderr.write(v.length ? `[seed ${r.seed}: ${v.length}]` : '.'));
  process.stderr.write('\n');
  reports.push(report);
}

const rows = reports.map((r) => {
  const bad = [...r.violations.entries()].filter(([, v]) => v.length > 0);
  return {
    scenario: r.scenario,
    seeds: r.seeds.length,
    faults: r.faults,
    requests: r.requests,
    violations: bad.reduce((n, [, v]) => n + v.length, 0),
    failing: bad.map(([s]) => (s === -1 ? 'fault-free' : String(s))).join(' ') || '-',
    seconds: (r.ms / 1000).toFixed(1),
  };
});
const head = ['scenario', 'seeds', 'requests', 'faults', 'violations', 'failing seeds', 'seconds'];
const cells = rows.map((r) => [r.scenario, String(r.seeds), String(r.requests), String(r.faults), String(r.violations), r.failing, r.seconds]);
const width = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(width[i]!)).join(' | ')} |`;
console.log(`Faults in ${Math.round(probability * 100)}% of requests, seeds ${seeds[0]}..${seeds.at(-1)}\n`);
console.log(line(head));
console.log(`|${width.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const c of cells) console.log(line(c));
const total = rows.reduce((n, r) => n + r.violations, 0);
console.log(`\n${total} violation(s)`);
for (const r of reports) {
  for (const [seed, v] of r.violations) {
    if (v.length === 0) continue;
    console.log(`\n${r.scenario}, ${seed === -1 ? 'fault-free run' : `seed ${seed} (FAULTS_SCENARIOS=${r.scenario} FAULTS_SEED=${seed})`}:`);
    for (const m of v) console.log(`  - ${m}`);
    const run = r.runs.find((x) => x.seed === seed);
    if (run) console.log(`  faults: ${run.faults.map((f) => `${f.kind} ${f.method} ${f.url.split('?')[0]}`).join('; ')}`);
  }
}
process.exit(total > 0 ? 1 : 0);
