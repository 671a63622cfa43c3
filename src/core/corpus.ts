/**
 * The corpus index: what cross-file rules need to know about every document of a repository
 * (slugs, ids, note names, outgoing links), small enough to cache per commit and to update
 * incrementally when a pull request changes a few files.
 */
import { isPatternKind, parseDocument, type DocKind, type ParseOptions, type ParsedDocument } from './document.js';
import { extractLinks, looksLikeTypeId, type LinkRef } from './links.js';
import { detach } from './detach.js';
import { isRecord } from './path.js';
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
}

export function entryFromDocument(doc: ParsedDocument): CorpusEntry {
  const data = doc.frontmatter?.data ?? null;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const lifecycle = data && isRecord(data.lifecycle) ? data.lifecycle : null;
  const classification = data && isRecord(data.classification) ? data.classification : null;
  const aliases = data && Array.isArray(data.aliases) ? data.aliases.filter((a): a is string => typeof a === 'string').map((a) => detach(a)) : [];
  const links = extractLinks(doc);
  for (const link of links) {
    link.target = detach(link.target);
    link.type = detach(link.type);
  }
  // Entries outlive their documents (a streamed check, a cached snapshot): none of their strings may keep a file's text.
  return {
    file: detach(doc.file),
    kind: doc.kind,
    slug: detach(doc.slug),
    declaredSlug: detach(str(data?.slug)),
    id: detach(str(data?.id)),
    title: detach(str(data?.title)),
    status: detach(str(lifecycle?.status) ?? str(classification?.status)),
    aliases,
    links,
  };
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

  constructor(entries: Iterable<CorpusEntry>) {
    // Sorted by file, so every message that lists files reads the same however the index was built.
    const sorted = [...entries].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    const m = new Map<string, CorpusEntry>();
    for (const e of sorted) m.set(e.file, e);
    this.entries = m;
  }

  static fromDocuments(docs: Iterable<ParsedDocument>): CorpusIndex {
    const entries: CorpusEntry[] = [];
    for (const d of docs) entries.push(entryFromDocument(d));
    return new CorpusIndex(entries);
  }

  /** A new index with some files replaced or added and some removed (the base stays untouched). */
  withChanges(changed: Iterable<CorpusEntry>, removedFiles: Iterable<string> = []): CorpusIndex {
    const m = new Map(this.entries);
    for (const f of removedFiles) m.delete(f);
    for (const e of changed) m.set(e.file, e);
    return new CorpusIndex(m.values());
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

  resolveNote(target: string): string | undefined {
    const t = target.toLowerCase();
    const files = this.noteNames.get(t) ?? this.noteNames.get(t.slice(t.lastIndexOf('/') + 1));
    return files?.[0];
  }

  /** Links that point at a slug, from every other document (relationships, legacy, inferred). */
  inbound(slug: string): InboundLink[] {
    if (!this.inboundCache) {
      const m = new Map<string, InboundLink[]>();
      for (const e of this.entries.values()) {
        for (const link of e.links) {
          if (link.source === 'wikilink' || link.source === 'related' || !link.target) continue;
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
