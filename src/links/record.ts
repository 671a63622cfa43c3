/**
 * A link record: everything the link engine needs from one pattern, derived from a
 * `ParsedDocument` (or built by hand in tests). Relationship entries come in many shapes
 * in real files; `normaliseLinkEntry` folds them into `{target, type, weight?}`.
 */
import type { ParsedDocument } from '../core/document.js';
import { getPath, isRecord } from '../core/path.js';

/** v7.1 hard relationship keys (the engineering corpus adds `manifests_as`). */
export const HARD_LINK_KEYS = ['generalizes_from', 'specializes_to', 'enables', 'requires', 'alternatives', 'complementary', 'tools', 'manifests_as'] as const;

/** Legacy top-level keys of commons-os patterns before v7; `related` maps to `complementary`. */
export const LEGACY_LINK_KEYS = ['generalizes_from', 'specializes_to', 'enables', 'requires', 'related', 'alternatives', 'complementary'] as const;

/** The type vocabulary proposals may use. */
export const LINK_TYPES = ['generalizes_from', 'specializes_to', 'enables', 'requires', 'alternatives', 'complementary'] as const;
export type LinkType = (typeof LINK_TYPES)[number];

/** ADR-0005 inverse pairs; complementary and alternatives are symmetric. */
export const INVERSE_TYPE: Readonly<Record<string, string>> = {
  generalizes_from: 'specializes_to',
  specializes_to: 'generalizes_from',
  enables: 'requires',
  requires: 'enables',
  complementary: 'complementary',
  alternatives: 'alternatives',
  related: 'related',
};

export interface HardLink {
  /** A slug, or a TypeID (`pat_...`) that the index resolves. */
  target: string;
  type: string;
  weight?: number;
}

export interface InferredLink {
  target: string;
  type: string;
  confidence?: number;
  reason?: string;
}

export interface LinkRecord {
  slug: string;
  /** TypeID (`pat_...`) when the pattern has one. */
  id?: string;
  file?: string;
  /** Collection the pattern sits in: the `collection` field, else the file's directory. */
  group?: string;
  title: string;
  aliases: string[];
  summary: string;
  keywords: string[];
  tension: string;
  /** graph_garden entity labels. */
  entities: string[];
  /** graph_garden community labels. */
  communities: string[];
  body: string;
  links: HardLink[];
  inferred: InferredLink[];
  lastPruned?: string;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

function strList(v: unknown): string[] {
  if (typeof v === 'string') return v.trim() ? [v.trim()] : [];
  if (!Array.isArray(v)) return [];
  const out: string[] = [];
  for (const x of v) {
    if (typeof x === 'string' || typeof x === 'number') {
      const s = String(x).trim();
      if (s) out.push(s);
    }
  }
  return out;
}

/** Labels of entity/community lists: strings, or mappings with `label`/`name`/`id`. */
function labelList(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  const out: string[] = [];
  for (const x of v) {
    if (typeof x === 'string') {
      if (x.trim()) out.push(x.trim());
    } else if (isRecord(x)) {
      const l = str(x.label) || str(x.name) || str(x.id);
      if (l.trim()) out.push(l.trim());
    }
  }
  return out;
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/**
 * One relationship entry in any shape seen in real files: `slug`, `{slug, weight}`,
 * `{id, weight, description}` (id holds a slug or a TypeID), `{slug, type}`,
 * `{target, ...}`, `{slug, typeid, source, weight}`, `{name, role}` (tools). Returns null
 * for entries with no usable target.
 */
export function normaliseLinkEntry(entry: unknown, key: string): HardLink | null {
  let target = '';
  let type = key === 'related' ? 'complementary' : key;
  let weight: number | undefined;
  if (typeof entry === 'string') target = entry;
  else if (typeof entry === 'number') target = String(entry);
  else if (isRecord(entry)) {
    target = str(entry.slug) || str(entry.target) || str(entry.id) || str(entry.typeid) || str(entry.name);
    const t = str(entry.type);
    if (t && (INVERSE_TYPE[t] !== undefined || (HARD_LINK_KEYS as readonly string[]).includes(t))) type = t === 'related' ? 'complementary' : t;
    weight = num(entry.weight) ?? num(entry.confidence) ?? num(entry.strength);
  } else return null;
  target = target.trim();
  if (target.startsWith('[[') && target.endsWith(']]')) target = target.slice(2, -2).split('|')[0]!.trim();
  if (target.endsWith('.md')) target = target.slice(0, -3);
  if (!target) return null;
  const out: HardLink = { target, type };
  if (weight !== undefined) out.weight = weight;
  return out;
}

/** Hard links of a frontmatter mapping: v7.1 `relationships`, else legacy top-level keys. */
export function hardLinksOf(data: Record<string, unknown>): HardLink[] {
  const out: HardLink[] = [];
  const rel = data.relationships;
  const push = (key: string, v: unknown): void => {
    const list = Array.isArray(v) ? v : v === null || v === undefined ? [] : [v];
    for (const e of list) {
      const l = normaliseLinkEntry(e, key);
      if (l) out.push(l);
    }
  };
  if (isRecord(rel)) {
    for (const [key, v] of Object.entries(rel)) {
      if ((HARD_LINK_KEYS as readonly string[]).includes(key) || key === 'related') push(key, v);
    }
  } else {
    for (const key of LEGACY_LINK_KEYS) if (Object.hasOwn(data, key)) push(key, data[key]);
  }
  return out;
}

export function inferredLinksOf(data: Record<string, unknown>): InferredLink[] {
  const v = getPath(data, ['graph_garden', 'inferred_links']);
  if (!Array.isArray(v)) return [];
  const out: InferredLink[] = [];
  for (const e of v) {
    if (typeof e === 'string') {
      if (e.trim()) out.push({ target: e.trim(), type: 'complementary' });
      continue;
    }
    if (!isRecord(e)) continue;
    const target = (str(e.target) || str(e.slug) || str(e.id)).trim();
    if (!target) continue;
    const l: InferredLink = { target, type: str(e.type) || 'complementary' };
    const c = num(e.confidence);
    if (c !== undefined) l.confidence = c;
    const r = str(e.reason);
    if (r) l.reason = r;
    out.push(l);
  }
  return out;
}

/** Body text without fenced code (diagrams), HTML comments and the template's word-range hints. */
export function cleanBody(body: string): string {
  // Each pass runs only when its marker occurs (a substring search is far cheaper than a
  // multiline regex over the whole body): same result, ~4 passes over 72M characters saved.
  let b = body;
  if (b.includes('```') || b.includes('~~~')) b = b.replace(/^ {0,3}(`{3,}|~{3,})[^\n]*\n[\s\S]*?^ {0,3}\1[^\n]*$/gm, ' ');
  if (b.includes('<!--')) b = b.replace(/<!--[\s\S]*?-->/g, ' ');
  if (b.includes(' words)*')) b = b.replace(/^\s*\*\(\d+\s*[–-]\s*\d+ words\)\*\s*$/gm, ' ');
  if (b.includes('](')) b = b.replace(/\]\([^)]*\)/g, ']');
  return b;
}

function dirOf(file: string): string {
  const i = file.lastIndexOf('/');
  return i < 0 ? '' : file.slice(0, i);
}

export interface RecordOptions {
  /** Group (collection) override; default: `collection` field, else the file's directory. */
  group?: string;
}

/** A link record without its body: what the frontmatter gives, small enough to keep for every pattern. */
export type LinkRecordHead = Omit<LinkRecord, 'body'>;

/**
 * The frontmatter-derived part of a pattern's link record. `slug` is the document's slug (frontmatter
 * `slug`, else the file name), as `ParsedDocument.slug` gives it.
 */
export function recordHead(data: Record<string, unknown>, file: string, slug: string, opts: RecordOptions = {}): LinkRecordHead {
  const dir = dirOf(file);
  const collection = str(data.collection);
  const rec: LinkRecordHead = {
    slug,
    file,
    title: str(data.title),
    aliases: strList(data.aliases),
    summary: str(data.summary) || str(data.description),
    keywords: strList(getPath(data, ['ontology', 'search_hints', 'vector_keywords'])).concat(strList(data.tags)),
    tension: str(getPath(data, ['ontology', 'search_hints', 'primary_tension'])),
    entities: labelList(getPath(data, ['graph_garden', 'entities'])),
    communities: labelList(getPath(data, ['graph_garden', 'communities'])),
    links: hardLinksOf(data),
    inferred: inferredLinksOf(data),
  };
  const id = str(data.id);
  if (id) rec.id = id;
  const group = opts.group ?? (dir || collection);
  if (group) rec.group = group;
  const lp = getPath(data, ['graph_garden', 'last_pruned']);
  if (typeof lp === 'string' && lp.trim() && lp !== 'null') rec.lastPruned = lp.trim();
  return rec;
}

/** The full record from its head and the document body as `ParsedDocument.body()` gives it (LF line ends). */
export function withBody(head: LinkRecordHead, body: string): LinkRecord {
  return { ...head, body: cleanBody(body) };
}

/** Everything the link engine needs from one parsed pattern. */
export function recordFromDocument(doc: ParsedDocument, opts: RecordOptions = {}): LinkRecord {
  return withBody(recordHead(doc.frontmatter?.data ?? {}, doc.file, doc.slug, opts), doc.body());
}

/** A copy of a record without its own links and machine-written graph (the eval's blind query). */
export function blindRecord(r: LinkRecord): LinkRecord {
  return { ...r, links: [], inferred: [], entities: [], communities: [] };
}
