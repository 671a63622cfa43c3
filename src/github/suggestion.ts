/**
 * A core fix → a GitHub ```suggestion block. GitHub replaces the commented lines (start_line..line,
 * RIGHT side) with the block's content, so only single-edit fixes whose range sits inside one hunk
 * qualify. Pure insertions (endLine = line - 1) are widened to replace the line before them.
 */
import type { Finding } from '../core/finding.js';
import { rangeInOneHunk, type CommentableLines } from './diff-lines.js';

/** A backtick fence longer than any backtick run in the text (at least 3). */
export function fenceFor(text: string): string {
  let longest = 0;
  for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  return '`'.repeat(Math.max(3, longest + 1));
}

export interface Suggestion {
  /** First line of the replaced range when it spans more than one line. */
  startLine?: number;
  line: number;
  /** The replacement lines, each ending in "\n" ("" deletes the lines). */
  replacement: string;
  /** The full markdown block. */
  markdown: string;
}

export function suggestionMarkdown(replacement: string): string {
  const fence = fenceFor(replacement);
  return `${fence}suggestion\n${replacement}${fence}`;
}

/**
 * The suggestion for a finding, or undefined when its fix cannot be expressed as one
 * (several edits, outside the diff, across hunks). `fileLines` are the head file's lines.
 */
export function suggestionFor(finding: Finding, commentable: CommentableLines, fileLines: readonly string[]): Suggestion | undefined {
  const edits = finding.fix?.edits;
  if (!edits || edits.length !== 1) return undefined;
  const edit = edits[0]!;
  let start = edit.line;
  let end = edit.endLine;
  let replacement = edit.text;
  if (replacement !== '' && !replacement.endsWith('\n')) replacement += '\n';
  if (end < start) {
    // Insertion before `line`: replace the previous line with itself plus the new lines.
    if (start < 2) return undefined;
    const prev = fileLines[start - 2];
    if (prev === undefined) return undefined;
    start = start - 1;
    end = start;
    replacement = `${prev}\n${replacement}`;
  }
  if (end > fileLines.length) return undefined;
  if (!rangeInOneHunk(commentable, start, end)) return undefined;
  const s: Suggestion = { line: end, replacement, markdown: suggestionMarkdown(replacement) };
  if (start !== end) s.startLine = start;
  return s;
}

/** What GitHub does when a suggestion is committed: lines start..line replaced by the block content. */
export function applySuggestion(text: string, s: Pick<Suggestion, 'startLine' | 'line' | 'replacement'>): string {
  const trailing = text.endsWith('\n');
  const lines = text.split('\n');
  if (trailing) lines.pop();
  const start = s.startLine ?? s.line;
  const repl = s.replacement === '' ? [] : s.replacement.replace(/\n$/, '').split('\n');
  lines.splice(start - 1, s.line - start + 1, ...repl);
  return lines.join('\n') + (trailing ? '\n' : '');
}
