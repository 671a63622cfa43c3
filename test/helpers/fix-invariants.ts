/**
 * What `gardener check --fix` must never do to a file: lose a word of its body, or leave frontmatter
 * that no longer parses. Compares a tree before and after fixing, file by file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from '../../src/core/document.js';
import { listFiles } from '../../src/cli/fs-corpus.js';

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’_-]*/gu;

/** Words of the body (after the frontmatter) with their counts. */
export function bodyWords(text: string): Map<string, number> {
  const doc = parseDocument('x.md', text, { eagerBody: true });
  const out = new Map<string, number>();
  for (const w of doc.body().match(WORD) ?? []) out.set(w, (out.get(w) ?? 0) + 1);
  return out;
}

/** Frontmatter present, closed and parsed into a mapping, with no YAML or frontmatter problem. */
export function parses(text: string): boolean {
  const doc = parseDocument('x.md', text);
  return (
    doc.frontmatter !== null && doc.frontmatter.data !== null && !doc.problems.some((p) => p.code.startsWith('yaml/') || p.code.startsWith('frontmatter/'))
  );
}

export interface TreeComparison {
  changed: string[];
  /** Files with body words fewer after than before, with the words lost. */
  lostWords: { file: string; words: string[] }[];
  /** Files that parsed before and do not after. */
  broken: string[];
}

export function compareTrees(before: string, after: string): TreeComparison {
  const out: TreeComparison = { changed: [], lostWords: [], broken: [] };
  for (const file of listFiles(before).filter((f) => f.endsWith('.md'))) {
    const a = readFileSync(join(before, file), 'utf8');
    let b: string;
    try {
      b = readFileSync(join(after, file), 'utf8');
    } catch {
      out.lostWords.push({ file, words: ['(file removed)'] });
      continue;
    }
    if (a === b) continue;
    out.changed.push(file);
    const wa = bodyWords(a);
    const wb = bodyWords(b);
    const lost = [...wa].filter(([w, n]) => (wb.get(w) ?? 0) < n).map(([w]) => w);
    if (lost.length > 0) out.lostWords.push({ file, words: lost });
    if (parses(a) && !parses(b)) out.broken.push(file);
  }
  return out;
}
