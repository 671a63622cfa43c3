/**
 * Link engine benchmarks: index build on the 3,616-pattern corpus (one warm-up build, then the
 * median of several; goal < 1.5 s), proposals for one pattern (median, goal < 20 ms), and a
 * synthetic 50,000-pattern build (goal < 30 s, peak RSS < 1.5 GB) streamed from the generator,
 * whose row reports the index build time alone and, in its note, the generation + parse time
 * that was spent inside the same run. RSS is sampled every 20 ms and between chunks.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from '../core/document.js';
import { LinkIndex } from '../links/index.js';
import { loadRecords } from '../links/corpus.js';
import { recordFromDocument, type LinkRecord } from '../links/record.js';
import { generateCorpus } from '../synth/generate.js';

export interface BenchRow {
  name: string;
  wallMs: number;
  peakRssMb: number;
  note?: string;
}

async function measure<T>(fn: () => T | Promise<T>): Promise<{ value: T; wallMs: number; peakRssMb: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    const r = process.memoryUsage().rss;
    if (r > peak) peak = r;
  }, 20);
  const t0 = performance.now();
  try {
    const value = await fn();
    const wallMs = performance.now() - t0;
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, wallMs, peakRssMb: Math.round(peak / 1e5) / 10 };
  } finally {
    clearInterval(timer);
  }
}

/** Sync work blocks the sampler: also sample between chunks. `clock.ms` accumulates generate + parse time. */
function* synthRecords(count: number, seed: number, onChunk: () => void, clock: { ms: number } = { ms: 0 }): Generator<LinkRecord> {
  let i = 0;
  const gen = generateCorpus({ count, seed });
  for (;;) {
    const t0 = performance.now();
    const next = gen.next();
    if (next.done) {
      clock.ms += performance.now() - t0;
      return;
    }
    const rec = recordFromDocument(parseDocument(next.value.file, next.value.text));
    clock.ms += performance.now() - t0;
    yield rec;
    if (++i % 500 === 0) onChunk();
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export async function benchLinks(opts: { sharedDir?: string; quick?: boolean } = {}): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const tarball = opts.sharedDir ? join(opts.sharedDir, 'corpus', 'commons-os-patterns.tar.gz') : undefined;
  let records: LinkRecord[];
  let source: string;
  let tmp: string | undefined;
  if (tarball && existsSync(tarball)) {
    tmp = mkdtempSync(join(tmpdir(), 'links-bench-'));
    execFileSync('tar', ['xzf', tarball, '-C', tmp]);
    records = loadRecords(join(tmp, 'commons-os-patterns'));
    source = `commons-os-patterns (${records.length} patterns)`;
  } else {
    records = [...synthRecords(opts.quick ? 500 : 3616, 7, () => undefined)];
    source = `synthetic (${records.length} patterns; shared corpus absent)`;
  }
  try {
    new LinkIndex(records); // warm-up (JIT, tokeniser caches), not timed
    const runs = opts.quick ? 3 : 5;
    const builds: number[] = [];
    let index!: LinkIndex;
    let buildPeak = 0;
    for (let r = 0; r < runs; r++) {
      const b = await measure(() => new LinkIndex(records));
      builds.push(b.wallMs);
      buildPeak = Math.max(buildPeak, b.peakRssMb);
      index = b.value;
    }
    rows.push({
      name: `links: index build (median of ${runs})`,
      wallMs: Math.round(median(builds)),
      peakRssMb: buildPeak,
      note: `${source}; times new LinkIndex(records) only (records already read and parsed), after one warm-up build; runs ${builds.map((x) => Math.round(x)).join('/')} ms; goal < 1500 ms`,
    });
    const slugs = index.slugs();
    const n = Math.min(opts.quick ? 20 : 200, slugs.length);
    const times: number[] = [];
    for (let i = 0; i < Math.min(10, n); i++) index.propose(slugs[i]!, 10); // warm-up
    const prop = await measure(() => {
      for (let i = 0; i < n; i++) {
        const s = slugs[Math.floor((i * slugs.length) / n)]!;
        const t0 = performance.now();
        index.propose(s, 10);
        times.push(performance.now() - t0);
      }
    });
    times.sort((a, b) => a - b);
    rows.push({
      name: 'links: propose top-10 for one pattern (median)',
      wallMs: Math.round((times[times.length >> 1] ?? 0) * 100) / 100,
      peakRssMb: prop.peakRssMb,
      note: `times one index.propose(slug, 10) call on the built index (scoring, ranking, reasons), ${n} patterns evenly spaced, after a warm-up; p90 ${(times[Math.floor(times.length * 0.9)] ?? 0).toFixed(1)} ms; goal < 20 ms`,
    });
  } finally {
    records = [];
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }

  const count = opts.quick ? 2000 : 50_000;
  let peak = 0;
  const sample = (): void => {
    const r = process.memoryUsage().rss;
    if (r > peak) peak = r;
  };
  const clock = { ms: 0 };
  const big = await measure(() => {
    const idx = new LinkIndex(synthRecords(count, 11, sample, clock));
    sample();
    return idx.size;
  });
  const buildMs = big.wallMs - clock.ms;
  rows.push({
    name: `links: synthetic ${count}-pattern index build`,
    wallMs: Math.round(buildMs),
    peakRssMb: Math.max(big.peakRssMb, Math.round(peak / 1e5) / 10),
    note:
      `${big.value} patterns streamed from the generator into new LinkIndex(...): the time is the index build alone ` +
      `(tokenising, postings, idf/BM25F weights, graph) = ${Math.round(big.wallMs)} ms wall minus ${Math.round(clock.ms)} ms of ` +
      `synthetic generation + parse + record extraction measured inside the same run; peak RSS is the process RSS ` +
      `sampled during the whole run (generator, parser and index; it also holds whatever the commons-os rows left ` +
      `resident in this process); goal < 30000 ms and < 1500 MB`,
  });
  return rows;
}
