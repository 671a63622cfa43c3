/**
 * Link engine benchmarks: index build on the 3,616-pattern corpus (goal < 1.5 s), proposals
 * for one pattern (median, goal < 20 ms), and a synthetic 50,000-pattern build (goal < 30 s,
 * peak RSS < 1.5 GB). RSS is sampled every 20 ms while each step runs.
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

/** Sync work blocks the sampler: also sample between chunks. */
function* synthRecords(count: number, seed: number, onChunk: () => void): Generator<LinkRecord> {
  let i = 0;
  for (const { file, text } of generateCorpus({ count, seed })) {
    yield recordFromDocument(parseDocument(file, text));
    if (++i % 500 === 0) onChunk();
  }
}

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
    const build = await measure(() => new LinkIndex(records));
    rows.push({ name: 'links: index build', wallMs: Math.round(build.wallMs), peakRssMb: build.peakRssMb, note: `${source}; records already parsed; goal < 1500 ms` });
    const index = build.value;
    const slugs = index.slugs();
    const n = Math.min(opts.quick ? 20 : 200, slugs.length);
    const times: number[] = [];
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
      note: `${n} patterns, p90 ${(times[Math.floor(times.length * 0.9)] ?? 0).toFixed(1)} ms; goal < 20 ms`,
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
  const big = await measure(() => {
    const idx = new LinkIndex(synthRecords(count, 11, sample));
    sample();
    return idx.size;
  });
  rows.push({
    name: `links: synthetic ${count}-pattern generate+parse+index build`,
    wallMs: Math.round(big.wallMs),
    peakRssMb: Math.max(big.peakRssMb, Math.round(peak / 1e5) / 10),
    note: `${big.value} patterns indexed; goal < 30000 ms and < 1500 MB`,
  });
  return rows;
}
