/**
 * Sweep benchmark: full garden compute (parse, corpus index, every signal, dashboard render)
 * on the real corpus, `<sharedDir>/corpus/commons-os-patterns.tar.gz`, extracted to a temp dir.
 * Goal: under 3 s.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_CONFIG, FileSelector } from '../core/config.js';
import { requireDate } from '../core/dates.js';
import { loadTree } from '../cli/fs-corpus.js';
import { computeGarden } from '../garden/compute.js';
import { firstSweepDashboard } from '../garden/dashboard.js';

export interface BenchResult {
  name: string;
  wallMs: number;
  peakRssMb: number;
  note?: string;
}

export async function benchSweep(opts: { sharedDir?: string } = {}): Promise<BenchResult[]> {
  const shared = resolve(opts.sharedDir ?? '../shared');
  const tarball = join(shared, 'corpus', 'commons-os-patterns.tar.gz');
  if (!existsSync(tarball)) return [{ name: 'garden sweep (commons-os-patterns)', wallMs: 0, peakRssMb: 0, note: `skipped: ${tarball} not found` }];
  const dir = mkdtempSync(join(tmpdir(), 'gardener-sweep-bench-'));
  try {
    execFileSync('tar', ['xzf', tarball, '-C', dir]);
    const root = join(dir, 'commons-os-patterns');
    const today = requireDate('2026-11-21');
    let peak = process.memoryUsage().rss;
    const runs = Number(process.env.BENCH_RUNS ?? 5);
    const times: number[] = [];
    let garden!: ReturnType<typeof computeGarden>;
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const tree = loadTree(root, new FileSelector(DEFAULT_CONFIG), DEFAULT_CONFIG.limits);
      garden = computeGarden(tree.docs, { config: DEFAULT_CONFIG, today });
      peak = Math.max(peak, process.memoryUsage().rss);
      firstSweepDashboard(garden.report, DEFAULT_CONFIG, '2026-11-21');
      times.push(performance.now() - t0);
      peak = Math.max(peak, process.memoryUsage().rss);
    }
    times.sort((a, b) => a - b);
    const wallMs = times[Math.floor(times.length / 2)] as number;
    const r = garden.report;
    return [
      {
        name: 'garden sweep (commons-os-patterns)',
        wallMs: Math.round(wallMs),
        peakRssMb: Math.round(peak / 1048576),
        note: `median of ${runs}, read + parse + signals + dashboard; ${r.patterns} patterns, ${r.counts['garden/last-pruned-stale']} stale, ${r.candidates.length} candidates; goal < 3000 ms`,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
