/**
 * The one finding type. Every output (CLI text/json/sarif, GitHub check run annotations,
 * review comments with suggestions, replant issues) renders these and nothing else.
 */
import { createHash } from 'node:crypto';

export type Severity = 'error' | 'warning' | 'notice';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'notice'];

/**
 * Replace the whole lines `line`..`endLine` (1-based, inclusive, file lines) with `text`.
 * `text` holds complete lines, each ending in "\n": "" deletes the range, "\n" leaves one empty line.
 * Line endings are normalised to "\n" here; applying a fix restores the file's own ending.
 */
export interface Edit {
  line: number;
  endLine: number;
  text: string;
}

export interface Fix {
  description: string;
  edits: Edit[];
}

export interface Finding {
  rule: string;
  severity: Severity;
  /** Path relative to the checked root (or repository root), with "/" separators. */
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn?: number;
  message: string;
  fix?: Fix;
  /**
   * The stable thing this finding is about (a key path, a link target, a section name),
   * never a line number: together with rule and file it forms the fingerprint.
   */
  target: string;
  /** Ambiguous did-you-mean candidates and other structured evidence, for renderers. */
  candidates?: string[];
}

/**
 * Canonical fingerprint: identical for the same problem whatever its line, across runs and replicas.
 * The parts are NFC-normalised, JSON-encoded as an array (so no separator can be forged by content)
 * and hashed.
 */
export function fingerprint(f: Pick<Finding, 'rule' | 'file' | 'target'>): string {
  const parts = [f.rule, f.file, f.target].map((p) => p.normalize('NFC'));
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, notice: 2 };

/** Stable order: file, line, column, rule, target. Every output lists findings in this order. */
export function compareFindings(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  if (a.column !== b.column) return a.column - b.column;
  if (a.rule !== b.rule) return a.rule < b.rule ? -1 : 1;
  if (a.target !== b.target) return a.target < b.target ? -1 : 1;
  return SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity];
}

export function countBy<T>(items: readonly T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const it of items) {
    const k = key(it);
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}
