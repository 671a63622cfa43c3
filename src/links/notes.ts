/**
 * Link proposals for Obsidian notes, from the same engine as patterns: a note's record is its title,
 * aliases, tags and body, its links are its resolved wikilinks, Markdown links and `related` entries.
 * A proposal appends `[[wikilinks]]` to `related` (or to a body section the config names). Pure.
 */
import type { CorpusIndex } from '../core/corpus.js';
import type { ParsedDocument } from '../core/document.js';
import type { Edit, Finding, Fix, Severity } from '../core/finding.js';
import { isNoteLink } from '../core/links.js';
import { headingKey } from '../core/obsidian.js';
import { LinkIndex, type Proposal } from './index.js';
import { cleanBody, type HardLink, type LinkRecord } from './record.js';

export const NOTE_PROPOSAL_RULE = 'links/note-proposal';

const baseName = (file: string) => file.slice(file.lastIndexOf('/') + 1).replace(/\.md$/i, '');

function strings(v: unknown): string[] {
  if (typeof v === 'string') return v.trim() ? [v.trim()] : [];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim()) : [];
}

/** A note as the link engine sees it; its slug is its vault path, which is unique. */
export function noteRecord(doc: ParsedDocument, corpus: CorpusIndex): LinkRecord {
  const data = doc.frontmatter?.data ?? {};
  const links: HardLink[] = [];
  const seen = new Set<string>();
  for (const l of corpus.entries.get(doc.file)?.links ?? []) {
    if (!isNoteLink(l) || l.target === '') continue;
    const to = corpus.resolveNote(l.target, doc.file);
    if (!to || to === doc.file || seen.has(to) || !/\.md$/i.test(to)) continue;
    seen.add(to);
    links.push({ target: to, type: 'complementary' });
  }
  const title = typeof data.title === 'string' && data.title.trim() ? data.title.trim() : baseName(doc.file);
  const folder = doc.file.includes('/') ? doc.file.slice(0, doc.file.lastIndexOf('/')) : '';
  const rec: LinkRecord = {
    slug: doc.file,
    file: doc.file,
    title,
    aliases: strings(data.aliases),
    summary: '',
    keywords: strings(data.tags).map((t) => t.replace(/^#/, '').replace(/[/_-]/g, ' ')),
    tension: '',
    entities: [],
    communities: [],
    body: cleanBody(doc.body()),
    links,
    inferred: [],
  };
  if (folder) rec.group = folder;
  return rec;
}

/** The link index of a vault's notes. */
export function noteLinkIndex(docs: Iterable<ParsedDocument>, corpus: CorpusIndex): LinkIndex {
  const records: LinkRecord[] = [];
  for (const d of docs) if (d.kind === 'obsidian-note' && !d.headOnly && d.frontmatter?.data !== undefined) records.push(noteRecord(d, corpus));
  // a calibration is measured on patterns, never on notes: notes keep the combined score as confidence
  return new LinkIndex(records, { calibration: null });
}

/** The shortest text a wikilink to `file` needs: its name when that names it, else its path. */
export function linkText(file: string, corpus: CorpusIndex): string {
  const name = baseName(file);
  return corpus.resolveNote(name) === file ? name : file.replace(/\.md$/i, '');
}

export interface NoteProposalOptions {
  max: number;
  minConfidence: number;
  /** A body section to add the links to (its heading text); undefined: the frontmatter `related` list. */
  section?: string;
  severity?: Severity;
  /** Targets (vault paths) not to propose. */
  exclude?: Iterable<string>;
}

/** One `links/note-proposal` finding for a note, or undefined when the engine has nothing to add. */
export function proposeNoteLinks(doc: ParsedDocument, corpus: CorpusIndex, index: LinkIndex, opts: NoteProposalOptions): Finding | undefined {
  if (doc.kind !== 'obsidian-note' || opts.max <= 0) return undefined;
  let proposals: Proposal[];
  try {
    proposals = index.propose(doc.file, opts.max, { minConfidence: opts.minConfidence, exclude: opts.exclude });
  } catch {
    return undefined; // the engine must never fail a check
  }
  if (proposals.length === 0) return undefined;
  const names = proposals.map((p) => linkText(p.target, corpus));
  const fix = opts.section ? sectionFix(doc, opts.section, names) : relatedFix(doc, names);
  const list = proposals.map((p, i) => `\`[[${names[i]}]]\` (${p.confidence}: ${p.reason})`).join('; ');
  const where = opts.section ? `the section “${opts.section}”` : '`related`';
  const finding: Finding = {
    rule: NOTE_PROPOSAL_RULE,
    severity: opts.severity ?? 'notice',
    file: doc.file,
    line: fix?.edits[0]?.line ?? 1,
    column: 1,
    endLine: fix?.edits[0]?.endLine ?? 1,
    message: `Link gardener: ${proposals.length === 1 ? 'a note' : `${proposals.length} notes`} this one could link to in ${where}: ${list}.`,
    target: `note-proposal:${proposals
      .map((p) => p.target)
      .sort()
      .join('|')}`,
  };
  if (fix) finding.fix = fix;
  return finding;
}

const quoted = (name: string) => JSON.stringify(`[[${name}]]`);

/** Appends `"[[Name]]"` entries to the frontmatter `related` list, creating it when absent or empty. */
export function relatedFix(doc: ParsedDocument, names: readonly string[]): Fix | undefined {
  const fm = doc.frontmatter;
  if (!fm?.data) return undefined;
  const description = `Add ${names.map((n) => `[[${n}]]`).join(', ')} to \`related\``;
  const related = fm.data.related;
  const loc = doc.find(['related']);
  if (Array.isArray(related) && related.length > 0) {
    const last = doc.find(['related', related.length - 1]);
    if (!last) return undefined;
    const dash = /^(\s*)-\s/.exec(doc.line(last.line))?.[1];
    if (dash === undefined) return undefined; // a flow list `[a, b]`: left to a person
    const lines = names.map((n) => `${dash}- ${quoted(n)}`);
    return { description, edits: [{ line: last.endLine, endLine: last.endLine, text: `${doc.line(last.endLine)}\n${lines.join('\n')}\n` }] };
  }
  const block = `related:\n${names.map((n) => `  - ${quoted(n)}`).join('\n')}\n`;
  if (loc) {
    // `related:`, `related: []` or `related: null` on one line: replaced by the list.
    if (loc.endLine !== loc.line || !/^related\s*:\s*(\[\s*\]|null|~)?\s*(#.*)?$/.test(doc.line(loc.line))) return undefined;
    return { description, edits: [{ line: loc.line, endLine: loc.line, text: block }] };
  }
  const close = fm.closeLine;
  return { description, edits: [{ line: close, endLine: close, text: `${block}${doc.line(close)}\n` }] };
}

/** Appends `- [[Name]]` items at the end of the body section named `section`, or adds the section at the end. */
export function sectionFix(doc: ParsedDocument, section: string, names: readonly string[]): Fix | undefined {
  const items = names.map((n) => `- [[${n}]]`);
  const description = `Add ${names.map((n) => `[[${n}]]`).join(', ')} under “${section}”`;
  const want = headingKey(section);
  const sec = doc.sections().find((s) => headingKey(s.name) === want || headingKey(s.heading) === want);
  const n = doc.lineCount();
  if (sec) {
    let end = sec.endLine;
    while (end > sec.line && doc.line(end).trim() === '') end--;
    const text = doc.line(end);
    const edits: Edit[] = [{ line: end, endLine: end, text: `${text}\n${end === sec.line ? '\n' : ''}${items.join('\n')}\n` }];
    return { description, edits };
  }
  let last = n;
  while (last > doc.bodyLine && doc.line(last).trim() === '') last--;
  return { description, edits: [{ line: last, endLine: last, text: `${doc.line(last)}\n\n## ${section}\n\n${items.join('\n')}\n` }] };
}
