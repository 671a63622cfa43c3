/** `gardener check <dirs|files...>`: the rules engine over files on disk. */
import { writeFileSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, sep } from 'node:path';
import { FileSelector, type GardenerConfig } from '../../core/config.js';
import { CorpusIndex } from '../../core/corpus.js';
import { requireDate, todayUtc, type CalendarDate } from '../../core/dates.js';
import type { DocKind } from '../../core/document.js';
import { Engine } from '../../core/engine.js';
import { compareFindings, type Finding } from '../../core/finding.js';
import { applyFixes } from '../../core/fixes.js';
import { listFiles, loadTree, releaseEach, resolveTargets } from '../fs-corpus.js';
import { PARALLEL_THRESHOLD, checkTreeParallel } from '../parallel-check.js';
import { loadConfigFile, UsageError } from '../load-config.js';
import { formatGithub } from '../format/github.js';
import { formatJson } from '../format/json.js';
import { formatSarif } from '../format/sarif.js';
import { formatText } from '../format/text.js';
import type { Io } from '../io.js';
import { parseCommandArgs } from '../args.js';

export interface CheckRun {
  files: number;
  findings: Finding[];
  /** The target root each finding's `file` is relative to (several targets may share file names). */
  roots?: WeakMap<Finding, string>;
}

/** Checks directories or files; findings' paths are relative to each target's root. */
export function checkPaths(paths: string[], config: GardenerConfig, today: CalendarDate, schemaOverrides: Partial<Record<DocKind, object>> = {}, onProgress?: (done: number, total: number) => void): CheckRun {
  const engine = new Engine({ config, today, schemaOverrides });
  const selector = new FileSelector(config);
  let files = 0;
  const findings: Finding[] = [];
  const roots = new WeakMap<Finding, string>();
  for (const target of resolveTargets(paths)) {
    const tree = loadTree(target.root, selector, config.limits, onProgress);
    const corpus = CorpusIndex.fromDocuments(tree.docs);
    for (const doc of releaseEach(tree.docs, target.only)) {
      files++;
      for (const f of engine.checkDocument(doc, corpus)) {
        findings.push(f);
        roots.set(f, target.root);
      }
    }
  }
  findings.sort(compareFindings);
  return { files, findings, roots };
}

/**
 * Worker threads for a check: `GARDENER_THREADS` when set; otherwise one thread below 4 CPUs. On a
 * 2-core machine one thread already keeps the second core busy with V8's concurrent garbage
 * collection: two threads (this one plus a worker) measured no faster (2.7 s both, real corpus), and
 * two concurrent single-threaded checks take 1.5x as long each.
 */
export function checkThreads(env: NodeJS.ProcessEnv = process.env, cpus = availableParallelism()): number {
  const asked = Number(env.GARDENER_THREADS);
  if (Number.isInteger(asked) && asked >= 1) return Math.min(asked, 16);
  return cpus >= 4 ? Math.min(4, cpus) : 1;
}

/**
 * The CLI's check: with more than one thread (see checkThreads), large trees go to worker threads
 * (parallel-check.ts); small trees and runs from TypeScript sources (tests) stay on this thread.
 * Same findings either way (test/cli/parallel.test.ts compares them).
 */
export async function checkPathsAuto(paths: string[], config: GardenerConfig, today: CalendarDate, schemaOverrides: Partial<Record<DocKind, object>> = {}, onProgress?: (done: number, total: number) => void): Promise<CheckRun> {
  const targets = resolveTargets(paths);
  const compiled = import.meta.url.endsWith('.js');
  const threads = checkThreads();
  const selector = new FileSelector(config);
  const minFiles = process.env.GARDENER_THREADS ? 1 : PARALLEL_THRESHOLD;
  const big = compiled && threads > 1 && targets.every((t) => !t.only && listFiles(t.root).filter((f) => selector.selects(f)).length >= minFiles);
  if (!big) return checkPaths(paths, config, today, schemaOverrides, onProgress);
  let files = 0;
  const findings: Finding[] = [];
  const roots = new WeakMap<Finding, string>();
  for (const t of targets) {
    const r = await checkTreeParallel(t.root, config, today, schemaOverrides, t.only, threads);
    files += r.files;
    for (const f of r.findings) {
      findings.push(f);
      roots.set(f, t.root);
    }
  }
  findings.sort(compareFindings);
  return { files, findings, roots };
}

const USAGE = `usage: gardener check <dirs|files...> [--format text|json|github|sarif] [--today YYYY-MM-DD] [--config FILE] [--fix]`;

export async function checkCommand(argv: string[], io: Io): Promise<number> {
  const parsed = parseCommandArgs(
    argv,
    {
      format: { type: 'string', default: 'text' },
      today: { type: 'string' },
      config: { type: 'string' },
      fix: { type: 'boolean', default: false },
    },
    USAGE,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (positionals.length === 0) {
    io.stderr(`gardener check: name at least one directory or file\n${USAGE}\n`);
    return 2;
  }
  const format = values.format as string;
  if (!['text', 'json', 'github', 'sarif'].includes(format)) {
    io.stderr(`gardener check: unknown --format ${format}\n${USAGE}\n`);
    return 2;
  }
  let today: CalendarDate;
  try {
    today = requireDate(values.today ?? todayUtc(), '--today');
  } catch (e) {
    io.stderr(`gardener check: ${(e as Error).message}\n`);
    return 2;
  }
  let run: CheckRun;
  let configUsed: GardenerConfig | undefined;
  try {
    const first = resolveTargets(positionals)[0];
    const loaded = loadConfigFile(values.config, first?.root ?? process.cwd());
    configUsed = loaded.config;
    const progress = io.isTTY ? (d: number, t: number) => io.stderr(`\rreading ${d}/${t} files…`) : undefined;
    run = await checkPathsAuto(positionals, loaded.config, today, loaded.schemaOverrides, progress);
    if (io.isTTY) io.stderr('\r\u001b[K');
    if (values.fix) {
      const fixedFiles = applyFixesOnDisk(positionals, run);
      io.stderr(`applied fixes to ${fixedFiles} file(s); run check again to see what is left\n`);
    }
  } catch (e) {
    if (e instanceof UsageError || (e as NodeJS.ErrnoException).code === 'ENOENT') {
      io.stderr(`gardener check: ${(e as Error).message}\n`);
      return 2;
    }
    throw e;
  }
  if (run.files === 0) {
    io.stderr(`gardener check: no files to check under ${positionals.join(', ')} (config include: ${JSON.stringify(configUsed?.include)}, exclude: ${JSON.stringify(configUsed?.exclude)})\n`);
    return 2;
  }
  if (format === 'json') io.stdout(formatJson(run.files, run.findings));
  else if (format === 'github') io.stdout(formatGithub(repoRelative(run)));
  else if (format === 'sarif') io.stdout(formatSarif(repoRelative(run), io.version));
  else io.stdout(formatText(run.files, run.findings, { color: io.isTTY }));
  return run.findings.some((f) => f.severity === 'error') ? 1 : 0;
}

/**
 * GitHub annotations and SARIF need paths from the repository root (the working directory in an
 * Actions job), not from the checked directory: prefix each finding's target root.
 */
function repoRelative(run: CheckRun): Finding[] {
  const cwd = process.cwd();
  return run.findings.map((f) => {
    const root = run.roots?.get(f);
    if (!root) return f;
    const prefix = relative(cwd, root).split(sep).join('/');
    return prefix === '' || prefix.startsWith('..') ? f : { ...f, file: `${prefix}/${f.file}` };
  });
}

/** Writes the fixes of each target's findings into that target's files, and only those. */
function applyFixesOnDisk(paths: string[], run: CheckRun): number {
  let count = 0;
  const targets = resolveTargets(paths);
  for (const target of targets) {
    const byFile = new Map<string, Finding[]>();
    for (const f of run.findings) {
      if (!f.fix) continue;
      // Findings only carry a root-relative path: without a recorded root, a fix is only safe with one target.
      const root = run.roots?.get(f) ?? (targets.length === 1 ? target.root : undefined);
      if (root !== target.root) continue;
      byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
    }
    for (const [file, list] of byFile) {
      const full = join(target.root, file);
      let original: string;
      try {
        original = readFileSync(full, 'utf8');
      } catch {
        continue;
      }
      const res = applyFixes(original, list.map((f) => f.fix!));
      if (res.text !== original) {
        writeFileSync(full, res.text);
        count++;
      }
    }
  }
  return count;
}
