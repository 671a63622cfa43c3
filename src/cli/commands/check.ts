/** `gardener check <dirs|files...>`: the rules engine over files on disk. */
import { existsSync, writeFileSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { BaselineError, compareWithBaseline, parseBaseline, type Baseline, type BaselineSubject } from '../../core/baseline.js';
import { FileSelector, type GardenerConfig } from '../../core/config.js';
import { CorpusIndex } from '../../core/corpus.js';
import { requireDate, todayUtc, type CalendarDate } from '../../core/dates.js';
import type { DocKind } from '../../core/document.js';
import { Engine } from '../../core/engine.js';
import { compareFindings, type Finding, type Fix, type Severity } from '../../core/finding.js';
import { applyFixes } from '../../core/fixes.js';
import { suppressedSummary } from '../../core/suppressions.js';
import { listFiles, loadEntry, loadFile, repoPath, resolveTargets, underPrefix, type Target } from '../fs-corpus.js';
import { PARALLEL_THRESHOLD, checkTreeParallel } from '../parallel-check.js';
import { PackedFindings } from '../packed-findings.js';
import { loadConfigFile, UsageError } from '../load-config.js';
import { changedFiles } from '../git-changed.js';
import { formatGithub } from '../format/github.js';
import { formatJsonChunks } from '../format/json.js';
import { formatSarif } from '../format/sarif.js';
import { DEFAULT_MAX_PER_RULE, formatText } from '../format/text.js';
import type { Io } from '../io.js';
import { intOption, parseCommandArgs } from '../args.js';

export interface CheckRun {
  files: number;
  findings: Finding[];
  /**
   * The target root each finding's `file` is relative to, when several targets may share file names
   * (with one target, its root: see rootOf).
   */
  roots?: WeakMap<Finding, string>;
  /** The targets checked (their repository prefixes turn `file` into a repository path). */
  targets?: Target[];
  /** Repository paths of the files checked. */
  checked?: string[];
  /** Files selected but not checked: not patterns (see ParsedDocument.notPattern). */
  skipped?: number;
  /** Findings silenced by `gardener-ignore` comments in the files (not in `findings`). */
  suppressed?: number;
}

/**
 * Checks directories or files; findings' paths are relative to each target's root.
 *
 * Streams in two passes, so that memory follows the corpus index rather than the corpus: the first
 * reads of each file only what the index needs (a pattern's frontmatter), the second reads, checks and
 * lets go one file at a time. Same findings as checking documents all held in memory
 * (test/cli/streamed-check.test.ts compares them).
 */
export function checkPaths(
  paths: string[],
  config: GardenerConfig,
  today: CalendarDate,
  schemaOverrides: Partial<Record<DocKind, object>> = {},
  onProgress?: (done: number, total: number) => void,
  restrict?: ReadonlySet<string>,
): CheckRun {
  // The findings become objects only here, once streamCheck's frame (which held every index) is gone.
  return unpackRun(streamCheck(paths, config, today, schemaOverrides, onProgress, restrict));
}

/**
 * A check whose findings are still packed (see PackedFindings): an output that reads them in order
 * one file at a time (`packed.sorted()`) never holds them all as objects.
 */
export type PackedRun = Omit<CheckRun, 'findings' | 'roots'> & { packed: PackedFindings; targets: Target[] };

function streamCheck(
  paths: string[],
  config: GardenerConfig,
  today: CalendarDate,
  schemaOverrides: Partial<Record<DocKind, object>>,
  onProgress: ((done: number, total: number) => void) | undefined,
  restrict: ReadonlySet<string> | undefined,
): PackedRun {
  const engine = new Engine({ config, today, schemaOverrides });
  const fileSelector = new FileSelector(config);
  let files = 0;
  let skipped = 0;
  let suppressed = 0;
  const packed = new PackedFindings();
  const targets = resolveTargets(paths, restrict);
  const checked: string[] = [];
  for (const target of targets) {
    const selector = underPrefix(fileSelector, target.prefix);
    const all = listFiles(target.root);
    const selected: string[] = [];
    const otherFiles: string[] = [];
    for (const f of all) (selector.selects(f) ? selected : otherFiles).push(f);
    const entries = selected.map((f, i) => {
      if (onProgress && i % 250 === 0) onProgress(i, selected.length);
      return loadEntry(target.root, f, selector, config.limits);
    });
    const corpus = new CorpusIndex(entries, otherFiles);
    for (const file of selected) {
      if (target.only && !target.only.has(file)) continue;
      const doc = loadFile(target.root, file, selector, config.limits);
      if (doc.notPattern) {
        skipped++;
        continue;
      }
      files++;
      checked.push(repoPath(target, doc.file));
      const r = engine.inspectDocument(doc, corpus);
      suppressed += r.suppressed.length;
      packed.add(r.findings, target.root);
    }
  }
  return { files, packed, targets, checked, skipped, suppressed };
}

/**
 * The findings of a whole check as objects, sorted, once every corpus index is gone; with several
 * targets, the root each finding's path is relative to (one target needs no map: see rootOf).
 */
function unpackRun({ packed, ...run }: PackedRun): CheckRun {
  const roots = run.targets.length > 1 ? new WeakMap<Finding, string>() : undefined;
  const findings = packed.unpack(roots ? (f, root) => roots.set(f, root) : undefined);
  return roots ? { ...run, findings, roots } : { ...run, findings };
}

/** The target root a finding's path is relative to. */
export function rootOf(run: CheckRun, f: Finding): string | undefined {
  return run.roots?.get(f) ?? (run.targets?.length === 1 ? run.targets[0]?.root : undefined);
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
export async function checkPathsAuto(...args: Parameters<typeof checkPathsAutoPacked>): Promise<CheckRun> {
  return unpackRun(await checkPathsAutoPacked(...args));
}

/** checkPathsAuto with the findings left packed (see PackedRun). */
export async function checkPathsAutoPacked(
  paths: string[],
  config: GardenerConfig,
  today: CalendarDate,
  schemaOverrides: Partial<Record<DocKind, object>> = {},
  onProgress?: (done: number, total: number) => void,
  restrict?: ReadonlySet<string>,
): Promise<PackedRun> {
  const targets = resolveTargets(paths, restrict);
  const compiled = import.meta.url.endsWith('.js');
  const threads = checkThreads();
  const selector = new FileSelector(config);
  const minFiles = process.env.GARDENER_THREADS ? 1 : PARALLEL_THRESHOLD;
  const big =
    compiled && threads > 1 && targets.every((t) => !t.only && listFiles(t.root).filter((f) => underPrefix(selector, t.prefix).selects(f)).length >= minFiles);
  if (!big) return streamCheck(paths, config, today, schemaOverrides, onProgress, restrict);
  let files = 0;
  let skipped = 0;
  let suppressed = 0;
  const packed = new PackedFindings();
  const checked: string[] = [];
  for (const t of targets) {
    const r = await checkTreeParallel(t.root, config, today, schemaOverrides, t.only, threads, t.prefix);
    for (const f of listFiles(t.root)) if (underPrefix(selector, t.prefix).selects(f)) checked.push(repoPath(t, f));
    files += r.files;
    skipped += r.skipped;
    suppressed += r.suppressed;
    packed.addPacked(r.findings, t.root);
  }
  return { files, packed, targets, checked, skipped, suppressed };
}

/** Passes of `--fix` at most: each applies every non-overlapping fix, then checks again. */
export const MAX_FIX_PASSES = 10;

const USAGE = `usage: gardener check <dirs|files...> [options]

Checks pattern files. A directory is checked as a whole corpus (links resolve between its files); a file
is checked against the other files of its folder. Config globs are repository paths (from the folder that
holds .github/ or .git), whichever folder or file is named.

options:
  --format FORMAT        text (default), json, github (Actions annotations) or sarif (code scanning);
                         json, github and sarif list every finding, text folds a deviation repeated
                         across files into one item and lists a few findings per rule
  --today YYYY-MM-DD     "today" for every date rule (default: today's UTC date)
  --config FILE          config file (default: the nearest .github/pattern-gardener.yml)
  --changed[=REF]        report only on the files git says changed against REF (default HEAD: the
                         uncommitted changes, staged or not); the rest of each directory is still
                         read so links resolve; without a directory or file, the current directory
  --fix                  apply every mechanical fix, again and again until none applies (at most
                         ${MAX_FIX_PASSES} passes), then report what remains
  --baseline FILE        report only findings not recorded in FILE (see gardener baseline); default:
                         .github/pattern-gardener-baseline.json of the repository, when it exists
  --no-baseline          report every finding, even when a baseline file exists
  --min-severity LEVEL   leave out findings below LEVEL: error, warning or notice (default notice)
  --max-per-rule N       text: findings listed per rule besides the repeated deviations (default
                         ${DEFAULT_MAX_PER_RULE}; 0 lists all)
  -h, --help             this help

exit status: 0 no error reported, 1 errors reported, 2 usage problem (bad option, missing path,
invalid config or baseline file, no file matched), 3 internal error`;

export const DEFAULT_BASELINE = join('.github', 'pattern-gardener-baseline.json');

export interface PreparedCheck {
  config: GardenerConfig;
  schemaOverrides: Partial<Record<DocKind, object>>;
  today: CalendarDate;
  targets: Target[];
  /** The repository of the first target (see findRepoRoot), where the default baseline lives. */
  repoRoot: string;
  check: () => Promise<CheckRun>;
  /** The same check with its findings left packed (see PackedRun). */
  checkPacked: () => Promise<PackedRun>;
}

/** Resolves paths, config and date for check-like commands; throws UsageError for what the user must fix. */
export function prepareCheck(paths: string[], opts: { config?: string; today?: string; restrict?: ReadonlySet<string> }, io: Io): PreparedCheck {
  let today: CalendarDate;
  try {
    today = requireDate(opts.today ?? todayUtc(), '--today');
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const targets = resolveTargets(paths, opts.restrict);
  const first = targets[0];
  const loaded = loadConfigFile(opts.config, first?.root ?? process.cwd());
  const progress = io.isTTY ? (d: number, t: number) => io.stderr(`\rreading ${d}/${t} files…`) : undefined;
  const checkPacked = async (): Promise<PackedRun> => {
    const run = await checkPathsAutoPacked(paths, loaded.config, today, loaded.schemaOverrides, progress, opts.restrict);
    if (io.isTTY) io.stderr('\r\u001b[K');
    // --changed: a change to files that are not patterns leaves nothing to check, which is no mistake.
    if (opts.restrict) return run;
    if (run.files === 0 && run.skipped) {
      throw new UsageError(`no patterns to check under ${paths.join(', ')}: ${skippedNote(run.skipped)}`);
    }
    if (run.files === 0) {
      throw new UsageError(
        `no files to check under ${paths.join(', ')} (config include: ${JSON.stringify(loaded.config.include)}, exclude: ${JSON.stringify(loaded.config.exclude)}; globs are relative to ${first?.repoRoot ?? '.'})`,
      );
    }
    return run;
  };
  return {
    config: loaded.config,
    schemaOverrides: loaded.schemaOverrides,
    today,
    targets,
    repoRoot: first?.repoRoot ?? process.cwd(),
    check: async () => unpackRun(await checkPacked()),
    checkPacked,
  };
}

/** A finding's repository path (what baselines are keyed on). */
export function repoPathOf(run: CheckRun): (f: Finding) => string {
  const byRoot = new Map((run.targets ?? []).map((t) => [t.root, t]));
  return (f) => {
    const root = rootOf(run, f);
    const t = root ? byRoot.get(root) : undefined;
    return t ? repoPath(t, f.file) : f.file;
  };
}

export function readBaselineFile(path: string): Baseline {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(
      (e as NodeJS.ErrnoException).code === 'ENOENT' ? `no such file or directory: ${path}` : `cannot read baseline ${path}: ${(e as Error).message}`,
    );
  }
  try {
    return parseBaseline(text);
  } catch (e) {
    if (e instanceof BaselineError) throw new UsageError(`baseline ${path} is invalid: ${e.message}`);
    throw e;
  }
}

const SEVERITY_ORDER: Severity[] = ['error', 'warning', 'notice'];

export async function checkCommand(argv: string[], io: Io): Promise<number> {
  const parsed = parseCommandArgs(
    // A bare --changed means HEAD; its value is given as --changed=REF, so that the next argument stays a path.
    argv.map((a) => (a === '--changed' ? '--changed=HEAD' : a)),
    {
      changed: { type: 'string' },
      format: { type: 'string', default: 'text' },
      today: { type: 'string' },
      config: { type: 'string' },
      fix: { type: 'boolean', default: false },
      baseline: { type: 'string' },
      'no-baseline': { type: 'boolean', default: false },
      'min-severity': { type: 'string', default: 'notice' },
      'max-per-rule': { type: 'string' },
    },
    USAGE,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const usage = (message: string) => {
    io.stderr(`gardener check: ${message}\n${USAGE.split('\n')[0]}\n(gardener check --help describes every option)\n`);
    return 2;
  };
  if (positionals.length === 0 && values.changed !== undefined) positionals.push('.');
  if (positionals.length === 0) return usage('name at least one directory or file');
  const format = values.format as string;
  if (!['text', 'json', 'github', 'sarif'].includes(format)) return usage(`unknown --format ${format}`);
  const minSeverity = values['min-severity'] as Severity;
  if (!SEVERITY_ORDER.includes(minSeverity)) return usage(`--min-severity takes error, warning or notice, not ${JSON.stringify(minSeverity)}`);
  const maxPerRule = intOption(values['max-per-rule'], 0);
  if (Number.isNaN(maxPerRule)) return usage(`--max-per-rule takes a whole number (0 lists all), not ${JSON.stringify(values['max-per-rule'])}`);
  if (values.baseline !== undefined && values['no-baseline']) return usage('give either --baseline FILE or --no-baseline');

  const notes: string[] = [];
  let run: CheckRun;
  let baselineReport: { fresh: Finding[]; known: number; fixedCount: number; fixedEntries: number; path: string } | undefined;
  try {
    const restrict = values.changed === undefined ? undefined : changedFiles(positionals[0] ?? '.', values.changed);
    const prep = prepareCheck(positionals, { config: values.config, today: values.today, restrict }, io);
    if (restrict && !prep.targets.some((t) => [...(t.only ?? [])].some((f) => underPrefix(new FileSelector(prep.config), t.prefix).selects(f)))) {
      // A commit that touches no pattern (pre-commit hooks, CI on a docs change) has nothing to check.
      io.stderr(`gardener check: no file the config selects changed against ${values.changed} under ${positionals.join(', ')}; nothing to check.\n`);
      return 0;
    }
    let baseline: Baseline | undefined;
    let baselinePath: string | undefined;
    if (values.baseline !== undefined) baselinePath = resolve(values.baseline);
    else if (!values['no-baseline'] && existsSync(join(prep.repoRoot, DEFAULT_BASELINE))) baselinePath = join(prep.repoRoot, DEFAULT_BASELINE);
    if (baselinePath) baseline = readBaselineFile(baselinePath);
    if (format === 'json' && !values.fix && !baseline) return writeJsonPacked(await prep.checkPacked(), minSeverity, io);
    run = await prep.check();
    if (run.skipped) notes.push(skippedNote(run.skipped));
    if (values.fix) {
      const fixed = await fixToFixpoint(positionals, run, prep.check);
      run = fixed.run;
      notes.push(fixReport(fixed));
    }
    if (run.suppressed) notes.push(suppressedSummary(run.suppressed));
    if (baseline && baselinePath) {
      const cmp = compareWithBaseline(run.findings, baseline, { subject: subjectOf(run), checkedFiles: new Set(run.checked) });
      baselineReport = {
        fresh: cmp.fresh,
        known: cmp.known,
        fixedCount: cmp.fixedCount,
        fixedEntries: cmp.fixed.length,
        path: relative(process.cwd(), baselinePath) || baselinePath,
      };
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`gardener check: ${(e as Error).message}\n`);
      return 2;
    }
    throw e;
  }
  let shown = baselineReport ? baselineReport.fresh : run.findings;
  if (baselineReport) {
    const b = baselineReport;
    notes.push(
      `Baseline ${b.path}: ${b.known} known finding(s) not shown` +
        (b.fixedCount > 0
          ? `; ${b.fixedCount} recorded finding(s) in ${b.fixedEntries} entr${b.fixedEntries === 1 ? 'y' : 'ies'} are fixed (gardener baseline ${positionals.join(' ')} --prune drops them)`
          : '') +
        '. --no-baseline shows everything.',
    );
  }
  const floor = SEVERITY_ORDER.indexOf(minSeverity);
  const below = shown.filter((f) => SEVERITY_ORDER.indexOf(f.severity) > floor).length;
  if (below > 0) {
    shown = shown.filter((f) => SEVERITY_ORDER.indexOf(f.severity) <= floor);
    notes.push(`${below} finding(s) below --min-severity ${minSeverity} not shown.`);
  }
  if (format === 'text') {
    io.stdout(formatText(run.files, shown, { color: io.color ?? false, maxPerRule, notes }));
  } else {
    if (format === 'json') for (const chunk of formatJsonChunks(run.files, shown)) io.stdout(chunk);
    else if (format === 'github') io.stdout(formatGithub(repoRelative(run, shown)));
    else io.stdout(formatSarif(repoRelative(run, shown), io.version));
    for (const n of notes) io.stderr(`${n}\n`);
  }
  return shown.some((f) => f.severity === 'error') ? 1 : 0;
}

/**
 * The json format read straight from the packed findings, one file's findings at a time, so that a
 * large check never holds all its findings as objects: the same bytes, notes and exit status as
 * formatting the unpacked list (no baseline, no --fix).
 */
function writeJsonPacked(run: PackedRun, minSeverity: Severity, io: Io): number {
  const notes: string[] = [];
  if (run.skipped) notes.push(skippedNote(run.skipped));
  if (run.suppressed) notes.push(suppressedSummary(run.suppressed));
  const floor = SEVERITY_ORDER.indexOf(minSeverity);
  let below = 0;
  let errors = false;
  function* shown(): Generator<Finding> {
    for (const f of run.packed.sorted()) {
      if (SEVERITY_ORDER.indexOf(f.severity) > floor) below++;
      else {
        if (f.severity === 'error') errors = true;
        yield f;
      }
    }
  }
  for (const chunk of formatJsonChunks(run.files, shown())) io.stdout(chunk);
  if (below > 0) notes.push(`${below} finding(s) below --min-severity ${minSeverity} not shown.`);
  for (const n of notes) io.stderr(`${n}\n`);
  return errors ? 1 : 0;
}

function skippedNote(count: number): string {
  return `${count} file${count === 1 ? '' : 's'} skipped: not patterns (no frontmatter and nothing pattern-like at the top; a \`kinds:\` glob in the config checks them anyway).`;
}

function subjectOf(run: CheckRun): (f: Finding) => BaselineSubject {
  const path = repoPathOf(run);
  return (f) => ({ rule: f.rule, target: f.target, file: path(f) });
}

/**
 * GitHub annotations and SARIF need paths from the repository root (the working directory in an
 * Actions job), not from the checked directory: prefix each finding's target root.
 */
function repoRelative(run: CheckRun, findings: readonly Finding[] = run.findings): Finding[] {
  const cwd = process.cwd();
  return findings.map((f) => {
    const root = rootOf(run, f);
    if (!root) return f;
    const prefix = relative(cwd, root).split(sep).join('/');
    return prefix === '' || prefix.startsWith('..') ? f : { ...f, file: `${prefix}/${f.file}` };
  });
}

export interface FixOutcome {
  /** The check after the last pass. */
  run: CheckRun;
  /** Passes that applied at least one fix. */
  passes: number;
  fixes: number;
  /** Absolute paths of the files written. */
  files: Set<string>;
  /** False when MAX_FIX_PASSES ran out while fixes still applied. */
  settled: boolean;
  /** Rules whose fix would bring a file back to an earlier text of this run (not applied). */
  cycling: Set<string>;
  /** Files whose fixes could not be applied, with why. */
  failed: string[];
}

/**
 * Applies fixes, checks again and repeats until no fix applies: overlapping fixes wait for the next
 * pass, and fixes that only appear once another is applied get their turn. Ends after MAX_FIX_PASSES
 * passes at most, and never writes a file back to a text it had earlier in the run (two fixes undoing
 * each other would otherwise alternate until the limit).
 */
export async function fixToFixpoint(paths: string[], first: CheckRun, check: () => Promise<CheckRun>): Promise<FixOutcome> {
  const history = new Map<string, Set<string>>();
  const out: FixOutcome = { run: first, passes: 0, fixes: 0, files: new Set(), settled: false, cycling: new Set(), failed: [] };
  for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
    const applied = applyFixesOnDisk(paths, out.run, history, out);
    if (applied === 0) {
      out.settled = true;
      return out;
    }
    out.passes++;
    out.fixes += applied;
    out.run = await check();
  }
  // The last pass's check may have left nothing to apply.
  out.settled = !out.run.findings.some((f) => f.fix);
  return out;
}

function fixReport(r: FixOutcome): string {
  const parts = [`--fix applied ${r.fixes} fix(es) to ${r.files.size} file(s) in ${r.passes} pass(es)`];
  const left = r.run.findings.filter((f) => f.fix).length;
  if (!r.settled) parts.push(`stopped after ${MAX_FIX_PASSES} passes with ${left} fixable finding(s) left`);
  if (r.cycling.size > 0) parts.push(`not applied because they undo an earlier fix: ${[...r.cycling].sort().join(', ')}`);
  if (r.failed.length > 0) parts.push(`could not apply fixes to ${r.failed.join('; ')}`);
  return `${parts.join('; ')}.${r.settled && left === 0 ? ' What remains above needs a person.' : ''}`;
}

/**
 * Fixes that keep a line as it is and add lines after it (a relationship entry appended to a list)
 * all replace that one line, so only one of them could apply per pass. They are pure insertions: here
 * they become one fix adding every distinct new line, in finding order. Other fixes pass unchanged.
 * `members` maps each resulting fix to the findings it applies.
 */
export function mergeInsertions(original: string, findings: readonly Finding[]): { fixes: Fix[]; members: Map<Fix, Finding[]> } {
  const lines = (original.charCodeAt(0) === 0xfeff ? original.slice(1) : original).split(/\r\n?|\n/);
  const fixes: Fix[] = [];
  const members = new Map<Fix, Finding[]>();
  const byAnchor = new Map<number, { findings: Finding[]; added: string[] }>();
  for (const f of findings) {
    const fix = f.fix!;
    const e = fix.edits.length === 1 ? fix.edits[0] : undefined;
    const keep = e && e.line === e.endLine ? lines[e.line - 1] : undefined;
    if (e && keep !== undefined && e.text.startsWith(`${keep}\n`) && e.text.length > keep.length + 1) {
      const anchor = byAnchor.get(e.line) ?? { findings: [], added: [] };
      for (const l of e.text
        .slice(keep.length + 1)
        .replace(/\n$/, '')
        .split('\n'))
        if (!anchor.added.includes(l)) anchor.added.push(l);
      anchor.findings.push(f);
      byAnchor.set(e.line, anchor);
      continue;
    }
    fixes.push(fix);
    members.set(fix, [f]);
  }
  for (const [line, a] of byAnchor) {
    const only = a.findings.length === 1 ? a.findings[0]!.fix! : undefined;
    const fix: Fix = only ?? {
      description: a.findings.map((f) => f.fix!.description).join('; '),
      edits: [{ line, endLine: line, text: `${[lines[line - 1], ...a.added].join('\n')}\n` }],
    };
    fixes.push(fix);
    members.set(fix, a.findings);
  }
  return { fixes, members };
}

/** Writes one pass of fixes into each target's files, and only those. Returns the fixes applied. */
function applyFixesOnDisk(paths: string[], run: CheckRun, history: Map<string, Set<string>>, out: FixOutcome): number {
  let count = 0;
  const targets = run.targets ?? resolveTargets(paths);
  for (const target of targets) {
    const byFile = new Map<string, Finding[]>();
    for (const f of run.findings) {
      if (!f.fix) continue;
      // Findings only carry a root-relative path: without a recorded root, a fix is only safe with one target.
      const root = rootOf(run, f) ?? (targets.length === 1 ? target.root : undefined);
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
      let res: ReturnType<typeof applyFixes>;
      const { fixes, members } = mergeInsertions(original, list);
      try {
        res = applyFixes(original, fixes);
      } catch (e) {
        out.failed.push(`${file} (${(e as Error).message})`);
        continue;
      }
      if (res.text === original) continue;
      const seen = history.get(full) ?? new Set([original]);
      const applied = res.applied.flatMap((fix) => members.get(fix) ?? []);
      if (seen.has(res.text)) {
        for (const f of applied) out.cycling.add(f.rule);
        continue;
      }
      seen.add(res.text);
      history.set(full, seen);
      writeFileSync(full, res.text);
      out.files.add(full);
      count += applied.length;
    }
  }
  return count;
}
