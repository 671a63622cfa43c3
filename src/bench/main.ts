/**
 * `npm run bench`: prints a table of wall time and peak memory, measured on the real corpus
 * when ../shared/corpus is present, otherwise on a synthetic corpus. Each measurement runs in a
 * fresh child process (so peak RSS is that row's own) and is repeated; the table quotes medians.
 *
 * Rows of the core: a floor (read every file and parse its frontmatter with js-yaml, nothing else)
 * and the full `gardener check` measured in the same run, their runs taking turns, so the ratio is
 * meaningful on any machine.
 * Scale rows (`npm run bench scale`): the same pair on the real corpus and on 20k and 50k synthetic
 * patterns, in CPU time too, and did-you-mean on 50k patterns with typo links.
 * Other modules add rows through their own bench modules (links, review, sweep) when present.
 */
import { spawnSync } from 'node:child_process';
import { SHARED_DIR, extractCorpus } from './corpus.js';
import { writeCorpus } from '../synth/generate.js';
import { checkThreads } from '../cli/commands/check.js';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI_V8_FLAGS } from '../cli/v8-flags.js';

export interface BenchRow {
  name: string;
  wallMs: number;
  peakRssMb: number;
  note?: string;
}

const HERE = dirname(fileURLToPath(import.meta.url));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

interface ChildResult {
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
  note: unknown;
}

/** One run of `dist/bench/child.js <task> <args...>`, which prints {wallMs, cpuMs, peakRssMb, note}. */
function runChild(task: string, args: string[]): ChildResult {
  const r = spawnSync(process.execPath, [...CLI_V8_FLAGS, join(HERE, 'child.js'), task, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`bench task ${task} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as ChildResult;
}

interface Measured {
  wallMs: number;
  peakRssMb: number;
  samples: number[];
}

/**
 * Runs the tasks `runs` times in turn (floor, check, floor, check, ...): this host's speed drifts by up
 * to 20% over a minute, and a ratio of two rows measured one after the other would carry that drift.
 */
function measureInTurn(tasks: string[], args: string[], runs: number): Measured[] {
  const samples = tasks.map(() => [] as number[]);
  const peaks = tasks.map(() => 0);
  for (let i = 0; i < runs; i++)
    tasks.forEach((task, k) => {
      const out = runChild(task, args);
      samples[k]!.push(out.wallMs);
      peaks[k] = Math.max(peaks[k]!, out.peakRssMb);
    });
  return tasks.map((_, k) => ({ wallMs: median(samples[k]!), peakRssMb: peaks[k]!, samples: samples[k]! }));
}

/** Median of the per-turn ratios a[i] / b[i]. */
function pairedRatio(a: Measured, b: Measured): number {
  return median(a.samples.map((x, i) => x / (b.samples[i] as number)));
}

function countFiles(dir: string): number {
  let n = 0;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.endsWith('.md')) n++;
    }
  };
  walk(dir);
  return n;
}

/** A synthetic corpus (the stand-in for the real one when ../shared is absent), written once per machine. */
function synthCorpus(count: number, typoRate = 0): string {
  const dir = join(tmpdir(), 'gardener-bench', typoRate ? `synth-${count}-typo${Math.round(typoRate * 100)}` : `synth-${count}`);
  if (existsSync(dir) && statSync(dir).isDirectory() && countFiles(dir) >= count) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeCorpus(dir, { count, seed: 1, typoRate });
  return dir;
}

const loadNote = (): string => {
  const [one, five] = loadavg();
  return `load ${(one ?? 0).toFixed(1)}/${(five ?? 0).toFixed(1)}`;
};

/**
 * Rows at scale: the floor and the check in turn on the real corpus and on 20k and 50k synthetic
 * patterns, with CPU time (all threads: garbage collection and the compiler count) beside wall time,
 * since other work on the machine moves wall time more than CPU time; then did-you-mean alone on 50k
 * patterns whose links carry a typo 30% of the time. BENCH_SCALE_RUNS runs each (default 1).
 */
function scaleRows(real: string | undefined): BenchRow[] {
  const runs = Number(process.env.BENCH_SCALE_RUNS ?? 1);
  const rows: BenchRow[] = [];
  const sizes: [string, string][] = [];
  if (real) sizes.push(['3.6k real', real]);
  sizes.push(['20k synthetic', synthCorpus(20_000)], ['50k synthetic', synthCorpus(50_000)]);
  for (const [label, dir] of sizes) {
    process.stderr.write(`scale rows: ${label}, ${runs} run(s)\n`);
    const floor: ChildResult[] = [];
    const check: ChildResult[] = [];
    for (let i = 0; i < runs; i++) {
      floor.push(runChild('floor', [dir]));
      check.push(runChild('check', [dir]));
    }
    const med = (xs: ChildResult[], k: 'wallMs' | 'cpuMs') => median(xs.map((x) => x[k]));
    const peak = (xs: ChildResult[]) => Math.max(...xs.map((x) => x.peakRssMb));
    const cpuRatio = median(check.map((c, i) => c.cpuMs / (floor[i] as ChildResult).cpuMs));
    rows.push({
      name: `scale ${label}: floor`,
      wallMs: med(floor, 'wallMs'),
      peakRssMb: peak(floor),
      note: `cpu ${(med(floor, 'cpuMs') / 1000).toFixed(1)} s; ${loadNote()}`,
    });
    rows.push({
      name: `scale ${label}: check`,
      wallMs: med(check, 'wallMs'),
      peakRssMb: peak(check),
      note: `cpu ${(med(check, 'cpuMs') / 1000).toFixed(1)} s = ${cpuRatio.toFixed(2)}x floor cpu (goal <= 3x, peak < 600 MiB); ${check[0]?.note} findings; ${loadNote()}`,
    });
  }
  const typo = synthCorpus(50_000, 0.3);
  process.stderr.write('scale rows: 50k synthetic, 30% typo links\n');
  const check = runChild('check', [typo]);
  rows.push({
    name: 'scale 50k synthetic, 30% typo links: check',
    wallMs: check.wallMs,
    peakRssMb: check.peakRssMb,
    note: `cpu ${(check.cpuMs / 1000).toFixed(1)} s; ${check.note} findings; ${loadNote()}`,
  });
  const dym = runChild('did-you-mean', [typo]);
  const { msPerLink, cpuMsPerLink, nodesPerLookup, indexMiB, links } = dym.note as {
    msPerLink: number;
    cpuMsPerLink: number;
    nodesPerLookup: number;
    indexMiB: number;
    links: number;
  };
  rows.push({
    name: 'scale 50k synthetic, 30% typo links: did-you-mean',
    wallMs: dym.wallMs,
    peakRssMb: dym.peakRssMb,
    note: `${msPerLink.toFixed(4)} ms per dangling link (goal < 0.05; cpu ${cpuMsPerLink.toFixed(4)} ms), ${links} links, index build included, ${nodesPerLookup.toFixed(0)} trie nodes per lookup, trie ${indexMiB.toFixed(1)} MiB; ${loadNote()}`,
  });
  return rows;
}

type Extra = (opts: { sharedDir?: string }) => Promise<BenchRow[]>;
async function optionalRows(modulePath: string, exportName: string): Promise<BenchRow[]> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(modulePath)) as Record<string, unknown>;
  } catch (e) {
    return [{ name: `${exportName} not run`, wallMs: NaN, peakRssMb: NaN, note: `${modulePath} did not load: ${(e as Error).message.slice(0, 80)}` }];
  }
  const fn = mod[exportName] as Extra | undefined;
  if (typeof fn !== 'function') return [];
  try {
    return await fn({ sharedDir: existsSync(SHARED_DIR) ? SHARED_DIR : undefined });
  } catch (e) {
    return [{ name: `${exportName} failed`, wallMs: NaN, peakRssMb: NaN, note: (e as Error).message.slice(0, 80) }];
  }
}

function table(rows: BenchRow[]): string {
  const head = ['row', 'median wall', 'peak RSS', 'note'];
  const body = rows.map((r) => [
    r.name,
    Number.isFinite(r.wallMs) ? `${r.wallMs.toFixed(0)} ms` : '-',
    Number.isFinite(r.peakRssMb) ? `${r.peakRssMb.toFixed(0)} MB` : '-',
    r.note ?? '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] as string).length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

async function main(): Promise<void> {
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  const only = process.argv[2];
  const rows: BenchRow[] = [];
  const real = extractCorpus('commons-os-patterns');
  const corpus = real ?? synthCorpus(3616);
  const source = real ? 'real corpus commons-os-patterns' : 'synthetic corpus (../shared absent)';
  if (!only || only === 'core') {
    const files = countFiles(corpus);
    process.stderr.write(`core rows on ${source}: ${files} files, ${runs} runs each\n`);
    const [floor, check, check2] = measureInTurn(['floor', 'check', 'check-2-threads'], [corpus], runs) as [Measured, Measured, Measured];
    const ratio = (m: Measured) => `${(m.wallMs / floor.wallMs).toFixed(2)}x floor (median of runs in turn with it: ${pairedRatio(m, floor).toFixed(2)}x)`;
    rows.push({ name: 'floor: read all + frontmatter parse', wallMs: floor.wallMs, peakRssMb: floor.peakRssMb, note: `${files} files` });
    rows.push({
      name: 'gardener check, full corpus',
      wallMs: check.wallMs,
      peakRssMb: check.peakRssMb,
      note: `${ratio(check)}; goal <= 2x; default threads: ${checkThreads()}`,
    });
    rows.push({
      name: 'gardener check, 2 worker threads',
      wallMs: check2.wallMs,
      peakRssMb: check2.peakRssMb,
      note: `${ratio(check2)}; GARDENER_THREADS=2, not the default below 4 CPUs`,
    });
  }
  if (!only || only === 'scale') rows.push(...scaleRows(real));
  const here = (f: string) => `./${f}`;
  if (!only || only === 'links') rows.push(...(await optionalRows(here('links-bench.js'), 'benchLinks')));
  // The review bench drives the app through the tests' nock-mocked GitHub, so it is built apart from the
  // shipped code (tsconfig.dev.json, `npm run bench` builds it) and is absent from an installed package.
  if (!only || only === 'review') rows.push(...(await optionalRows('../../dist-dev/test/bench/review-bench.js', 'benchReview')));
  if (!only || only === 'sweep') rows.push(...(await optionalRows(here('sweep-bench.js'), 'benchSweep')));
  const out = `Pattern Gardener benchmark (${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${source})\n\n${table(rows)}\n`;
  process.stdout.write(out);
  const resultsFile = process.env.BENCH_OUT;
  if (resultsFile) writeFileSync(resultsFile, out);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
