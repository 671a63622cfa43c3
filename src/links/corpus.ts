/**
 * Reading a corpus directory into link records: every `.md` file below the root, parsed with
 * the core document model. Files without a frontmatter mapping are skipped.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parseDocument } from '../core/document.js';
import { recordFromDocument, type LinkRecord } from './record.js';

/** Markdown files below `dir`, sorted, as paths relative to `dir` with "/" separators. */
export function listMarkdown(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && /\.md$/i.test(e.name)) out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/** Link records of every pattern file below `dir` (a later duplicate slug replaces an earlier one in the index). */
export function* recordsFromDir(dir: string): Generator<LinkRecord> {
  for (const file of listMarkdown(dir)) {
    const doc = parseDocument(file, readFileSync(join(dir, file)));
    if (!doc.frontmatter?.data) continue;
    if (doc.kind !== 'commons-pattern' && doc.kind !== 'commons-pattern-legacy') continue;
    yield recordFromDocument(doc);
  }
}

export function loadRecords(dir: string): LinkRecord[] {
  return [...recordsFromDir(dir)];
}
