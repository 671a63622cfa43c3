/**
 * Full-corpus checks on several cores. Cross-file rules need the whole corpus index before any
 * file can be checked, so a check runs in two phases:
 *   1. each worker reads and parses its share of the files and sends back their small index entries;
 *   2. the merged index goes to every worker, which runs the rules on its own (still parsed) documents.
 * Documents never cross threads; only index entries and findings do. The result is identical to
 * the single-threaded `checkPaths` (test/cli/parallel.test.ts compares them).
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { readFileSync, statSync } from 'node:fs';
import { FileSelector, type GardenerConfig } from '../core/config.js';
import { CorpusIndex, entryFromDocument, type CorpusEntry } from '../core/corpus.js';
import type { CalendarDate } from '../core/dates.js';
import { parseDocument, type DocKind, type ParsedDocument } from '../core/document.js';
import { Engine } from '../core/engine.js';
import { compareFindings, type Finding } from '../core/finding.js';
import { listFiles } from './fs-corpus.js';

interface WorkerInput {
  root: string;
  files: string[];
  config: GardenerConfig;
  today: CalendarDate;
  schemaOverrides: Partial<Record<DocKind, object>>;
  only?: string[];
}

type ToWorker = { type: 'check'; entries: CorpusEntry[] };
type FromWorker = { type: 'entries'; entries: CorpusEntry[] } | { type: 'findings'; findings: Finding[] } | { type: 'error'; message: string };

/** Below this many files, threads cost more than they save. */
export const PARALLEL_THRESHOLD = 400;

export async function checkTreeParallel(
  root: string,
  config: GardenerConfig,
  today: CalendarDate,
  schemaOverrides: Partial<Record<DocKind, object>>,
  only?: Set<string>,
  threads = Math.min(4, availableParallelism()),
): Promise<{ files: number; findings: Finding[] }> {
  const selector = new FileSelector(config);
  const files = listFiles(root).filter((f) => selector.selects(f));
  const n = Math.max(1, Math.min(threads, files.length));
  // Interleave so each share gets a similar mix of large and small files.
  const shares: string[][] = Array.from({ length: n }, () => []);
  files.forEach((f, i) => shares[i % n]?.push(f));
  const workers = shares.map(
    (share) =>
      new Worker(new URL(import.meta.url), {
        workerData: { root, files: share, config, today, schemaOverrides, only: only ? [...only] : undefined } satisfies WorkerInput,
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
  try {
    const phase1 = await Promise.all(workers.map(next));
    const entries: CorpusEntry[] = [];
    for (const m of phase1) {
      if (m.type === 'error') throw new Error(m.message);
      if (m.type === 'entries') entries.push(...m.entries);
    }
    const pending = workers.map(next);
    for (const w of workers) w.postMessage({ type: 'check', entries } satisfies ToWorker);
    const phase2 = await Promise.all(pending);
    const findings: Finding[] = [];
    for (const m of phase2) {
      if (m.type === 'error') throw new Error(m.message);
      if (m.type === 'findings') findings.push(...m.findings);
    }
    findings.sort(compareFindings);
    return { files: only ? files.filter((f) => only.has(f)).length : files.length, findings };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

function runWorker(): void {
  const input = workerData as WorkerInput;
  const port = parentPort;
  if (!port) return;
  try {
    const selector = new FileSelector(input.config);
    const docs: ParsedDocument[] = [];
    for (const f of input.files) {
      const full = join(input.root, f);
      const kind = selector.kindOf(f);
      try {
        const size = statSync(full).size;
        if (size > input.config.limits.maxFileBytes) docs.push(parseDocument(f, new Uint8Array(0), { limits: input.config.limits, kind, sizeOnDisk: size }));
        else docs.push(parseDocument(f, readFileSync(full), { limits: input.config.limits, kind }));
      } catch {
        docs.push(parseDocument(f, new Uint8Array(0), { limits: input.config.limits, kind }));
      }
    }
    port.postMessage({ type: 'entries', entries: docs.map(entryFromDocument) } satisfies FromWorker);
    port.once('message', (m: ToWorker) => {
      try {
        const corpus = new CorpusIndex(m.entries);
        const engine = new Engine({ config: input.config, today: input.today, schemaOverrides: input.schemaOverrides });
        const only = input.only ? new Set(input.only) : undefined;
        const findings: Finding[] = [];
        for (const d of docs) {
          if (only && !only.has(d.file)) continue;
          for (const f of engine.checkDocument(d, corpus)) findings.push(f);
        }
        port.postMessage({ type: 'findings', findings } satisfies FromWorker);
      } catch (e) {
        port.postMessage({ type: 'error', message: (e as Error).stack ?? String(e) } satisfies FromWorker);
      }
    });
  } catch (e) {
    port.postMessage({ type: 'error', message: (e as Error).stack ?? String(e) } satisfies FromWorker);
  }
}

if (!isMainThread && (workerData as WorkerInput | undefined)?.files) runWorker();
