/**
 * Full-corpus checks on several cores. Cross-file rules need the whole corpus index before any
 * file can be checked, so a check runs in two phases:
 *   1. every thread (this one included) reads of its share of the files what the index needs; the
 *      workers send back their small index entries;
 *   2. the merged index goes to every worker, and each thread reads, checks and lets go its own
 *      files one at a time.
 * Documents never cross threads, nor stay in memory past their check; only index entries and findings
 * (packed as JSON, see PackedFindings) cross. The result is identical to
 * the single-threaded `checkPaths` (test/cli/parallel.test.ts compares them).
 */
import { availableParallelism } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { FileSelector, type GardenerConfig } from '../core/config.js';
import { CorpusIndex, type CorpusEntry } from '../core/corpus.js';
import type { CalendarDate } from '../core/dates.js';
import type { DocKind } from '../core/document.js';
import { Engine } from '../core/engine.js';
import { listFiles, loadEntry, loadFile, underPrefix, type PathSelector } from './fs-corpus.js';
import { PackedFindings, type PackedTransfer } from './packed-findings.js';

interface ShareInput {
  root: string;
  files: string[];
  config: GardenerConfig;
  today: CalendarDate;
  schemaOverrides: Partial<Record<DocKind, object>>;
  only?: string[];
  /** The root as a repository path (see Target.prefix): config globs see `prefix + file`. */
  prefix: string;
}

/** Findings as PackedFindings.transfer gives them: strings cross threads faster than objects. */
type Packed = PackedTransfer;
type ToWorker = { type: 'check'; entries: CorpusEntry[]; otherFiles: string[] };
type FromWorker =
  | { type: 'entries'; entries: CorpusEntry[] }
  | { type: 'findings'; findings: Packed; skipped: number; suppressed: number }
  | { type: 'error'; message: string };

/** Below this many files, threads cost more than they save. */
export const PARALLEL_THRESHOLD = 400;

/** One thread's share of a check: its files' index entries, then their findings. */
class Share {
  private readonly selector: PathSelector;
  constructor(private readonly input: ShareInput) {
    this.selector = underPrefix(new FileSelector(input.config), input.prefix);
  }

  entries(): CorpusEntry[] {
    return this.input.files.map((f) => loadEntry(this.input.root, f, this.selector, this.input.config.limits));
  }

  check(corpus: CorpusIndex): { findings: Packed; skipped: number; suppressed: number } {
    const engine = new Engine({ config: this.input.config, today: this.input.today, schemaOverrides: this.input.schemaOverrides });
    const only = this.input.only ? new Set(this.input.only) : undefined;
    const findings = new PackedFindings();
    let skipped = 0;
    let suppressed = 0;
    for (const file of this.input.files) {
      if (only && !only.has(file)) continue;
      const d = loadFile(this.input.root, file, this.selector, this.input.config.limits);
      if (d.notPattern) {
        skipped++;
        continue;
      }
      const r = engine.inspectDocument(d, corpus);
      findings.add(r.findings);
      suppressed += r.suppressed.length;
    }
    return { findings: findings.transfer(), skipped, suppressed };
  }
}

export async function checkTreeParallel(
  root: string,
  config: GardenerConfig,
  today: CalendarDate,
  schemaOverrides: Partial<Record<DocKind, object>>,
  only?: Set<string>,
  threads = Math.min(4, availableParallelism()),
  prefix = '',
): Promise<{ files: number; findings: Packed; skipped: number; suppressed: number }> {
  const selector = underPrefix(new FileSelector(config), prefix);
  const all = listFiles(root);
  const files = all.filter((f) => selector.selects(f));
  // Note links may name any file of the tree, checked or not.
  const chosen = new Set(files);
  const otherFiles = all.filter((f) => !chosen.has(f));
  const n = Math.max(1, Math.min(threads, files.length));
  // Interleave so each share gets a similar mix of large and small files.
  const shares: string[][] = Array.from({ length: n }, () => []);
  files.forEach((f, i) => shares[i % n]?.push(f));
  const input = (share: string[]): ShareInput => ({ root, files: share, config, today, schemaOverrides, only: only ? [...only] : undefined, prefix });
  // Workers start first (loading modules takes a while), then this thread parses share 0 meanwhile.
  const workers = shares.slice(1).map(
    (share) =>
      new Worker(new URL(import.meta.url), {
        workerData: input(share),
        // Same reason as the CLI's --max-semi-space-size: many short-lived strings per file.
        resourceLimits: { maxYoungGenerationSizeMb: 192 },
      }),
  );
  const next = (w: Worker) =>
    new Promise<FromWorker>((resolve, reject) => {
      const onMessage = (m: FromWorker) => {
        cleanup();
        resolve(m);
      };
      const onError = (e: Error) => {
        cleanup();
        reject(e);
      };
      const onExit = (code: number) => {
        cleanup();
        reject(new Error(`check worker exited with code ${code}`));
      };
      const cleanup = () => {
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
      };
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', onExit);
    });
  const payload = (m: FromWorker, want: 'entries' | 'findings') => {
    if (m.type === 'error') throw new Error(m.message);
    if (m.type !== want) throw new Error(`check worker sent ${m.type}, expected ${want}`);
    return m;
  };
  try {
    const phase1 = workers.map(next);
    const own = new Share(input(shares[0] ?? []));
    const entries = own.entries();
    for (const m of await Promise.all(phase1)) for (const e of (payload(m, 'entries') as { entries: CorpusEntry[] }).entries) entries.push(e);
    const phase2 = workers.map(next);
    for (const w of workers) w.postMessage({ type: 'check', entries, otherFiles } satisfies ToWorker);
    const mine = own.check(new CorpusIndex(entries, otherFiles));
    entries.length = 0;
    const findings = new PackedFindings();
    findings.addPacked(mine.findings);
    let skipped = mine.skipped;
    let suppressed = mine.suppressed;
    for (const m of await Promise.all(phase2)) {
      const theirs = payload(m, 'findings') as { findings: Packed; skipped: number; suppressed: number };
      findings.addPacked(theirs.findings);
      skipped += theirs.skipped;
      suppressed += theirs.suppressed;
    }
    // Unsorted: the caller unpacks and sorts the findings of every tree once their indexes are gone.
    return { files: (only ? files.filter((f) => only.has(f)).length : files.length) - skipped, findings: findings.transfer(), skipped, suppressed };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

function runWorker(): void {
  const port = parentPort;
  if (!port) return;
  try {
    const share = new Share(workerData as ShareInput);
    port.postMessage({ type: 'entries', entries: share.entries() } satisfies FromWorker);
    port.once('message', (m: ToWorker) => {
      try {
        port.postMessage({ type: 'findings', ...share.check(new CorpusIndex(m.entries, m.otherFiles)) } satisfies FromWorker);
      } catch (e) {
        port.postMessage({ type: 'error', message: (e as Error).stack ?? String(e) } satisfies FromWorker);
      }
    });
  } catch (e) {
    port.postMessage({ type: 'error', message: (e as Error).stack ?? String(e) } satisfies FromWorker);
  }
}

if (!isMainThread && (workerData as ShareInput | undefined)?.files) runWorker();
