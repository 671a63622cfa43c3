/**
 * The corpus index: what cross-file rules need to know about every document of a repository
 * (slugs, ids, note names, outgoing links), small enough to cache per commit and to update
 * incrementally when a pull request changes a few files.
 */
import { detach } from './detach.js';
import { isPatternKind, parseDocument, type DocKind, type ParseOptions, type ParsedDocument } from './document.js';
import { extractLinks, isNoteLink, looksLikeTypeId, type LinkRef } from './links.js';
import { isTemplateNote, noteAnchors, type NoteAnchors } from './obsidian.js';
import { isRecord, type KeyPath } from './path.js';
import { NameMatcher } from './similar.js';

export interface CorpusEntry {
  file: string;
  kind: DocKind;
  slug: string;
  /** Frontmatter `slug` as written (undefined when absent). */
  declaredSlug?: string;
  id?: string;
  title?: string;
  status?: string;
  aliases: string[];
  links: LinkRef[];
  /** A note's headings and block ids (notes read whole only; undefined: unknown, `#` links are not checked). */
  anchors?: NoteAnchors;
  /** A note without any text besides its frontmatter (whitespace only). */
  emptyBody?: boolean;
  /** A template note (in a template folder, holding placeholders): its unresolved links are not this vault's. */
  template?: boolean;
}

export function entryFromDocument(doc: ParsedDocument): CorpusEntry {
  const data = doc.frontmatter?.data ?? null;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const lifecycle = data && isRecord(data.lifecycle) ? data.lifecycle : null;
  const classification = data && isRecord(data.classification) ? data.classification : null;
  const aliases = (
    data && Array.isArray(data.aliases)
      ? data.aliases.filter((a): a is string => typeof a === 'string' && a.trim() !== '')
      : data && typeof data.aliases === 'string' && data.aliases.trim()
        ? [data.aliases.trim()]
        : []
  ).map((a) => detach(a));
  const links = extractLinks(doc).map(compactLink);
  // Entries outlive their documents (a streamed check, a cached snapshot): none of their strings may keep a file's text.
  const slug = detach(doc.slug);
  const declaredSlug = str(data?.slug);
  const status = str(lifecycle?.status) ?? str(classification?.status);
  const entry: CorpusEntry = {
    file: detach(doc.file),
    kind: doc.kind,
    slug,
    declaredSlug: declaredSlug === slug ? slug : detach(declaredSlug),
    id: detach(str(data?.id)),
    title: detach(str(data?.title)),
    status: status === undefined ? undefined : shared(status),
    aliases,
    links,
  };
  if (doc.kind === 'obsidian-note' && !doc.headOnly) {
    const body = doc.lines().slice(doc.bodyLine - 1);
    entry.anchors = noteAnchors(body, doc.bodyLine);
    entry.emptyBody = body.every((l) => l.trim() === '');
    if (isTemplateNote(entry.file, doc.frontmatter?.yaml, body, doc.bodyLine)) entry.template = true;
  }
  return entry;
}

/**
 * One copy of each relationship type, status and key path for every entry of every index: the same few
 * values repeat across a corpus (about five links per pattern), and each link held its own copies.
 * Bounded, so that a long-lived process reading many repositories keeps at most this many.
 */
const SHARED_MAX = 4096;
const sharedStrings = new Map<string, string>();
const sharedPaths = new Map<string, KeyPath>();

function shared(s: string): string {
  const known = sharedStrings.get(s);
  if (known !== undefined) return known;
  const copy = detach(s);
  if (sharedStrings.size < SHARED_MAX) sharedStrings.set(copy, copy);
  return copy;
}

function sharedPath(path: KeyPath): KeyPath {
  const key = JSON.stringify(path);
  const known = sharedPaths.get(key);
  if (known !== undefined) return known;
  const copy = Object.freeze(path.map((p) => (typeof p === 'string' ? shared(p) : p)));
  if (sharedPaths.size < SHARED_MAX) sharedPaths.set(key, copy);
  return copy;
}

/**
 * A link as the index keeps it: strings of its own, type and path shared, and a frontmatter link made in
 * one literal (a weight added later would take a separate property array per link). Same fields, same order.
 */
const FRONTMATTER_LINK_KEYS = new Set(['source', 'type', 'target', 'path', 'shape', 'weight']);

function compactLink(link: LinkRef): LinkRef {
  const type = shared(link.type);
  const target = detach(link.target);
  if (link.path === undefined || Object.keys(link).some((k) => !FRONTMATTER_LINK_KEYS.has(k))) return Object.assign(link, { type, target });
  const path = sharedPath(link.path);
  return link.weight === undefined
    ? { source: link.source, type, target, path, shape: link.shape }
    : { source: link.source, type, target, path, shape: link.shape, weight: link.weight };
}

/** A vault path as Obsidian names it in links: lower case, a note without its `.md`. */
function linkKey(path: string): string {
  const p = path.normalize('NFC').toLowerCase();
  return p.endsWith('.md') ? p.slice(0, -3) : p;
}

function baseOf(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}

function folderOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i + 1);
}

/** `a/./b/../c` -> `a/c`; undefined when it climbs above the root. */
function normalisePath(path: string): string | undefined {
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(seg);
  }
  return out.join('/');
}

/**
 * The index entry of a file's bytes, parsing no more than the entry needs: a pattern's links and
 * names all live in its frontmatter, so its body is never decoded; notes (wikilinks live in the body)
 * and anything unrecognised are parsed whole. Same entry as `entryFromDocument` of a whole parse.
 */
export function entryFromBytes(file: string, bytes: Uint8Array, opts: Pick<ParseOptions, 'limits' | 'kind' | 'sizeOnDisk'>): CorpusEntry {
  const head = parseDocument(file, bytes, { ...opts, headOnly: true });
  if (!head.headOnly || isPatternKind(head.kind)) return entryFromDocument(head);
  return entryFromDocument(parseDocument(file, bytes, opts));
}

export interface InboundLink {
  file: string;
  slug: string;
  link: LinkRef;
}

export class CorpusIndex {
  readonly entries: ReadonlyMap<string, CorpusEntry>;
  private bySlugCache?: Map<string, string[]>;
  private byIdCache?: Map<string, string[]>;
  private noteNamesCache?: Map<string, string[]>;
  private inboundCache?: Map<string, InboundLink[]>;
  private slugMatcherCache?: NameMatcher;
  private noteMatcherCache?: NameMatcher;

  /**
   * Every other file of the tree (attachments, files the config leaves out): Obsidian links may point at
   * any file of the vault, checked or not.
   */
  readonly otherFiles: readonly string[];
  private vaultKeysCache?: { byPath: Map<string, string[]>; byName: Map<string, string[]>; aliases: Map<string, string[]> };

  constructor(entries: Iterable<CorpusEntry>, otherFiles: Iterable<string> = []) {
    // Sorted by file, so every message that lists files reads the same however the index was built.
    const sorted = [...entries].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    const m = new Map<string, CorpusEntry>();
    for (const e of sorted) m.set(e.file, e);
    this.entries = m;
    this.otherFiles = [...otherFiles].filter((f) => !m.has(f));
  }

  static fromDocuments(docs: Iterable<ParsedDocument>, otherFiles: Iterable<string> = []): CorpusIndex {
    const entries: CorpusEntry[] = [];
    for (const d of docs) entries.push(entryFromDocument(d));
    return new CorpusIndex(entries, otherFiles);
  }

  /** A new index with some files replaced or added and some removed (the base stays untouched). */
  withChanges(changed: Iterable<CorpusEntry>, removedFiles: Iterable<string> = []): CorpusIndex {
    const m = new Map(this.entries);
    const removed = new Set(removedFiles);
    for (const f of removed) m.delete(f);
    for (const e of changed) m.set(e.file, e);
    return new CorpusIndex(
      m.values(),
      this.otherFiles.filter((f) => !removed.has(f)),
    );
  }

  private static push(map: Map<string, string[]>, key: string, file: string) {
    const l = map.get(key);
    if (l) l.push(file);
    else map.set(key, [file]);
  }

  /** Pattern slugs (both pattern kinds) to files. */
  get bySlug(): Map<string, string[]> {
    if (!this.bySlugCache) {
      const m = new Map<string, string[]>();
      for (const e of this.entries.values()) if (isPatternKind(e.kind)) CorpusIndex.push(m, e.slug, e.file);
      this.bySlugCache = m;
    }
    return this.bySlugCache;
  }

  get byId(): Map<string, string[]> {
    if (!this.byIdCache) {
      const m = new Map<string, string[]>();
      for (const e of this.entries.values()) if (e.id) CorpusIndex.push(m, e.id, e.file);
      this.byIdCache = m;
    }
    return this.byIdCache;
  }

  /** Obsidian resolution: note file names and aliases, case-insensitive. */
  get noteNames(): Map<string, string[]> {
    if (!this.noteNamesCache) {
      const m = new Map<string, string[]>();
      for (const e of this.entries.values()) {
        const base = e.file.slice(e.file.lastIndexOf('/') + 1).replace(/\.md$/i, '');
        CorpusIndex.push(m, base.toLowerCase(), e.file);
        if (e.kind === 'obsidian-note') for (const a of e.aliases) CorpusIndex.push(m, a.toLowerCase(), e.file);
      }
      this.noteNamesCache = m;
    }
    return this.noteNamesCache;
  }

  get slugMatcher(): NameMatcher {
    return (this.slugMatcherCache ??= new NameMatcher(this.bySlug.keys()));
  }

  get noteMatcher(): NameMatcher {
    if (!this.noteMatcherCache) {
      const names: string[] = [];
      for (const e of this.entries.values()) names.push(e.file.slice(e.file.lastIndexOf('/') + 1).replace(/\.md$/i, ''));
      this.noteMatcherCache = new NameMatcher(names);
    }
    return this.noteMatcherCache;
  }

  /** Slug of the pattern a link points at, or undefined when it dangles. */
  resolvePattern(target: string): string | undefined {
    if (this.bySlug.has(target)) return target;
    if (looksLikeTypeId(target)) {
      const files = this.byId.get(target);
      const e = files?.[0] ? this.entries.get(files[0]) : undefined;
      return e?.slug;
    }
    return undefined;
  }

  /** Vault paths by link key (full path, and name alone), and note aliases, all lower case. */
  private get vaultKeys() {
    if (!this.vaultKeysCache) {
      const byPath = new Map<string, string[]>();
      const byName = new Map<string, string[]>();
      const aliases = new Map<string, string[]>();
      const add = (file: string) => {
        const key = linkKey(file);
        CorpusIndex.push(byPath, key, file);
        CorpusIndex.push(byName, baseOf(key), file);
      };
      for (const e of this.entries.values()) {
        add(e.file);
        if (e.kind === 'obsidian-note') for (const a of e.aliases) CorpusIndex.push(aliases, a.normalize('NFC').toLowerCase(), e.file);
      }
      for (const f of this.otherFiles) add(f);
      this.vaultKeysCache = { byPath, byName, aliases };
    }
    return this.vaultKeysCache;
  }

  /**
   * The file a note link names, by Obsidian's rules, or undefined when none: a path relative to the
   * linking note (`./x`, `../x`), else a vault path, else the shortest path that ends with it (names are
   * unique enough that `[[Note]]` is enough), case-insensitive; a note `.md` may be left out, any other
   * file keeps its extension (`diagram.png`). A name no file has may be a note's alias.
   */
  resolveNote(target: string, from = ''): string | undefined {
    let t = target.trim().replace(/\\/g, '/').normalize('NFC');
    if (t === '') return from || undefined;
    const { byPath, byName, aliases } = this.vaultKeys;
    const pick = (files: string[] | undefined) =>
      files && files.length > 0 ? [...files].sort((a, b) => a.split('/').length - b.split('/').length || (a < b ? -1 : a > b ? 1 : 0))[0] : undefined;
    if (t.startsWith('./') || t.startsWith('../')) {
      const p = normalisePath(folderOf(from) + t);
      if (p === undefined) return undefined;
      return pick(byPath.get(linkKey(p))) ?? pick(byPath.get(p.toLowerCase()));
    }
    if (t.startsWith('/')) t = t.slice(1);
    const lower = t.toLowerCase();
    const keys = lower.endsWith('.md') ? [lower.slice(0, -3), lower] : [lower];
    for (const k of keys) {
      const exact = byPath.get(k) ?? byPath.get(linkKey(folderOf(from) + k));
      if (exact) return pick(exact);
      const named = byName.get(baseOf(k));
      if (!named) continue;
      if (!k.includes('/')) return pick(named);
      const suffixed = named.filter((f) => linkKey(f).endsWith(`/${k}`));
      if (suffixed.length > 0) return pick(suffixed);
    }
    return lower.includes('/') ? undefined : pick(aliases.get(lower));
  }

  /** Links that point at a slug, from every other document (relationships, legacy, inferred). */
  inbound(slug: string): InboundLink[] {
    if (!this.inboundCache) {
      const m = new Map<string, InboundLink[]>();
      for (const e of this.entries.values()) {
        for (const link of e.links) {
          if (isNoteLink(link) || !link.target) continue;
          const resolved = this.resolvePattern(link.target) ?? link.target;
          const l = m.get(resolved);
          const item = { file: e.file, slug: e.slug, link };
          if (l) l.push(item);
          else m.set(resolved, [item]);
        }
      }
      this.inboundCache = m;
    }
    return this.inboundCache.get(slug) ?? [];
  }

  /**
   * The same index with one file's entry replaced, sharing every lookup already built: for checking that
   * file again after an edit that keeps its slug, id and name (a fix), without rebuilding the whole index.
   * Lookups about other files stay as they were; the replaced file's own links are read from the new entry.
   */
  withEntryOf(entry: CorpusEntry): CorpusIndex {
    const m = new Map(this.entries);
    m.set(entry.file, entry);
    const o = Object.create(CorpusIndex.prototype) as CorpusIndex;
    Object.assign(o, this, { entries: m });
    return o;
  }

  entryBySlug(slug: string): CorpusEntry | undefined {
    const f = this.bySlug.get(slug)?.[0];
    return f ? this.entries.get(f) : undefined;
  }
}
