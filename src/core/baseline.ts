/**
 * A baseline: the findings a repository knows about and accepts for now, by fingerprint and count.
 * `gardener check --baseline FILE` (and the GitHub App, from the same file) reports only what is not in
 * it. Pure: text in, text out; callers read and write the file.
 *
 * The file is JSON with one entry per line, sorted by file, rule and target, so that a diff of it reads
 * as "these findings appeared, these were fixed". Each entry names its rule, file and target (what the
 * fingerprint is made of) and counts its occurrences: the same fingerprint can occur more than once in a
 * file (a link listed twice), and a fourth occurrence where the baseline knows three is a new finding.
 * Paths are repository paths (from the folder that holds `.github/`), whatever folder was checked.
 */
import { fingerprint, type Finding } from './finding.js';

export const BASELINE_VERSION = 1;

/** Where a repository keeps its baseline (the CLI's default, the file the app reads at a pull request's head). */
export const BASELINE_PATH = '.github/pattern-gardener-baseline.json';

/** A larger baseline file is not read (about 80,000 entries). */
export const MAX_BASELINE_BYTES = 16 * 1024 * 1024;

/** The part of a finding a baseline keys on. */
export type BaselineSubject = Pick<Finding, 'rule' | 'file' | 'target'>;

export interface BaselineEntry {
  file: string;
  rule: string;
  target: string;
  count: number;
  fingerprint: string;
}

export interface Baseline {
  /** Sorted by file, rule, target; one entry per fingerprint. */
  entries: BaselineEntry[];
}

export class BaselineError extends Error {}

const ABOUT =
  'Known Pattern Gardener findings. `gardener check --baseline FILE` reports only findings not listed here (counts per fingerprint). Regenerate with `gardener baseline DIR`; drop fixed entries with `gardener baseline DIR --prune`.';

function compareEntries(a: BaselineEntry, b: BaselineEntry): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.rule !== b.rule) return a.rule < b.rule ? -1 : 1;
  if (a.target !== b.target) return a.target < b.target ? -1 : 1;
  return a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0;
}

/** Occurrences per fingerprint, remembering what each fingerprint is made of. */
function tally<F>(findings: readonly F[], subject: (f: F) => BaselineSubject): Map<string, BaselineEntry> {
  const out = new Map<string, BaselineEntry>();
  for (const f of findings) {
    const s = subject(f);
    const fp = fingerprint(s);
    const e = out.get(fp);
    if (e) e.count++;
    else out.set(fp, { file: s.file, rule: s.rule, target: s.target, count: 1, fingerprint: fp });
  }
  return out;
}

/** The baseline that accepts exactly these findings. */
export function createBaseline<F extends BaselineSubject>(findings: readonly F[], subject: (f: F) => BaselineSubject = (f) => f): Baseline {
  return { entries: [...tally(findings, subject).values()].sort(compareEntries) };
}

/** The file's text: stable key order, one entry per line, a final newline. */
export function serializeBaseline(baseline: Baseline): string {
  const lines = [...baseline.entries]
    .sort(compareEntries)
    .map((e) => JSON.stringify({ file: e.file, rule: e.rule, target: e.target, count: e.count, fingerprint: e.fingerprint }));
  const body = lines.length === 0 ? '[]' : `[\n    ${lines.join(',\n    ')}\n  ]`;
  return `{\n  "version": ${BASELINE_VERSION},\n  "about": ${JSON.stringify(ABOUT)},\n  "findings": ${body}\n}\n`;
}

/**
 * Reads a baseline file's text. Throws BaselineError saying what is wrong and where (entry index) for
 * anything but a well-formed file: a baseline that silently matched nothing would report every finding.
 */
export function parseBaseline(text: string): Baseline {
  let raw: unknown;
  try {
    raw = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new BaselineError(`not valid JSON: ${(e as Error).message}`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new BaselineError('expected an object with "version" and "findings"');
  const obj = raw as Record<string, unknown>;
  if (obj.version !== BASELINE_VERSION)
    throw new BaselineError(`unsupported version ${JSON.stringify(obj.version)} (this gardener reads version ${BASELINE_VERSION})`);
  if (!Array.isArray(obj.findings)) throw new BaselineError('"findings" must be a list');
  const seen = new Map<string, number>();
  const entries: BaselineEntry[] = [];
  obj.findings.forEach((item: unknown, i: number) => {
    const where = `findings[${i}]`;
    if (!item || typeof item !== 'object' || Array.isArray(item)) throw new BaselineError(`${where}: expected an object`);
    const e = item as Record<string, unknown>;
    for (const key of ['file', 'rule', 'target', 'fingerprint'] as const) {
      if (typeof e[key] !== 'string') throw new BaselineError(`${where}: "${key}" must be text`);
    }
    if (!Number.isInteger(e.count) || (e.count as number) < 1) throw new BaselineError(`${where}: "count" must be a whole number of at least 1`);
    const entry: BaselineEntry = {
      file: e.file as string,
      rule: e.rule as string,
      target: e.target as string,
      count: e.count as number,
      fingerprint: e.fingerprint as string,
    };
    // The readable fields are what the fingerprint is made of: a hand edit of one without the other
    // would leave an entry that never matches, so it is refused here instead.
    if (fingerprint(entry) !== entry.fingerprint) {
      throw new BaselineError(
        `${where}: "fingerprint" does not match its rule, file and target (${entry.rule} in ${entry.file}); regenerate the baseline instead of editing entries`,
      );
    }
    const before = seen.get(entry.fingerprint);
    if (before !== undefined)
      throw new BaselineError(`${where}: same finding as findings[${before}] (${entry.rule} in ${entry.file}); keep one entry with the total count`);
    seen.set(entry.fingerprint, i);
    entries.push(entry);
  });
  return { entries: entries.sort(compareEntries) };
}

export interface BaselineComparison<F> {
  /** Findings the baseline does not account for, in their input order. */
  fresh: F[];
  /** Findings the baseline accounts for (not reported). */
  known: number;
  /** Baseline occurrences no longer found in the checked files: entries with how many are gone. */
  fixed: { entry: BaselineEntry; gone: number }[];
  /** Sum of `gone` over `fixed`. */
  fixedCount: number;
}

export interface CompareOptions<F> {
  /** The path and target a finding is fingerprinted with (default: the finding itself). */
  subject?: (f: F) => BaselineSubject;
  /**
   * Files that were checked. Entries for other files are neither matched nor counted as fixed (a pull
   * request or one folder checked against a repository's baseline). Default: every entry's file was checked.
   */
  checkedFiles?: ReadonlySet<string>;
}

/**
 * Splits findings into new ones and known ones. A fingerprint the baseline counts n times accepts its
 * first n occurrences (in input order, which callers keep stable: file, line); the rest are new.
 */
export function compareWithBaseline<F extends BaselineSubject>(
  findings: readonly F[],
  baseline: Baseline,
  opts: CompareOptions<F> = {},
): BaselineComparison<F> {
  const subject = opts.subject ?? ((f: F) => f);
  const left = new Map<string, number>();
  for (const e of baseline.entries) left.set(e.fingerprint, e.count);
  const fresh: F[] = [];
  let known = 0;
  for (const f of findings) {
    const fp = fingerprint(subject(f));
    const n = left.get(fp) ?? 0;
    if (n > 0) {
      left.set(fp, n - 1);
      known++;
    } else fresh.push(f);
  }
  const fixed: { entry: BaselineEntry; gone: number }[] = [];
  let fixedCount = 0;
  for (const e of baseline.entries) {
    if (opts.checkedFiles && !opts.checkedFiles.has(e.file)) continue;
    const gone = left.get(e.fingerprint) ?? 0;
    if (gone > 0) {
      fixed.push({ entry: e, gone });
      fixedCount += gone;
    }
  }
  return { fresh, known, fixed, fixedCount };
}

/**
 * The baseline without what has been fixed: each entry's count lowered to the occurrences still found,
 * entries at zero dropped. Never adds: new findings stay new (regenerate to accept them).
 * Entries for files outside `checkedFiles` (when given) are kept as they are.
 */
export function pruneBaseline<F extends BaselineSubject>(baseline: Baseline, findings: readonly F[], opts: CompareOptions<F> = {}): Baseline {
  const now = tally(findings, opts.subject ?? ((f: F) => f));
  const entries: BaselineEntry[] = [];
  for (const e of baseline.entries) {
    if (opts.checkedFiles && !opts.checkedFiles.has(e.file)) {
      entries.push(e);
      continue;
    }
    const count = Math.min(e.count, now.get(e.fingerprint)?.count ?? 0);
    if (count > 0) entries.push({ ...e, count });
  }
  return { entries };
}

/** Total occurrences a baseline accepts. */
export function baselineSize(baseline: Baseline): number {
  let n = 0;
  for (const e of baseline.entries) n += e.count;
  return n;
}
