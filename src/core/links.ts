/**
 * Link extraction: every reference a document makes to another, in one normalised form,
 * whatever shape the file wrote it in (bare slug, {slug, weight}, {id, weight, description},
 * a TypeID, an inferred link, a note's `related` entry or a [[wikilink]] in the body).
 */
import type { ParsedDocument } from './document.js';
import { holdsTemplatePlaceholder, noteBodyLinks, parseWikilinkInner } from './obsidian.js';
import { getPath, isRecord, type KeyPath } from './path.js';

/** Hard relationship types of v7.1 and their inverses (ADR-0005). */
export const RELATIONSHIP_TYPES = ['generalizes_from', 'specializes_to', 'enables', 'requires', 'alternatives', 'complementary', 'tools'] as const;
export type RelationshipType = (typeof RELATIONSHIP_TYPES)[number];

export const INVERSE_TYPE: Record<string, string> = {
  generalizes_from: 'specializes_to',
  specializes_to: 'generalizes_from',
  enables: 'requires',
  requires: 'enables',
  alternatives: 'alternatives',
  complementary: 'complementary',
};

/** Pairs ADR-0005 says are stored in both files. */
export const RECIPROCAL_TYPES = new Set(['generalizes_from', 'specializes_to', 'enables', 'requires']);

/** Legacy (classification-era) top-level relationship keys. */
export const LEGACY_RELATIONSHIP_KEYS = ['generalizes_from', 'specializes_to', 'enables', 'requires', 'related'] as const;

export type LinkSource = 'relationships' | 'legacy' | 'inferred' | 'related' | 'wikilink' | 'markdown';

/** Links between notes (resolved by Obsidian's rules), as opposed to links between patterns (by slug). */
export function isNoteLink(link: Pick<LinkRef, 'source'>): boolean {
  return link.source === 'wikilink' || link.source === 'related' || link.source === 'markdown';
}
export type EntryShape = 'string' | 'slug' | 'id' | 'target' | 'other';

export interface LinkRef {
  source: LinkSource;
  /** Relationship type (for inferred links: its declared type, possibly unknown). */
  type: string;
  /** Referenced name as written (slug, TypeID, note name). Empty when the entry has none. */
  target: string;
  /** Key path of the entry in the frontmatter (wikilinks: none). */
  path?: KeyPath;
  shape: EntryShape;
  /** A relationship entry's `weight`, when it has a numeric one. */
  weight?: number;
  /** Body position for wikilinks and Markdown links. */
  line?: number;
  column?: number;
  /** Note links: what follows `#` (a heading, `A#B`, or `^block-id`). */
  subpath?: string;
  /** Note links: `![[…]]` or `![…](…)`. */
  embed?: boolean;
}

export function entryTarget(entry: unknown): { target: string; shape: EntryShape } {
  if (typeof entry === 'string') return { target: entry.trim(), shape: 'string' };
  if (isRecord(entry)) {
    if (typeof entry.slug === 'string') return { target: entry.slug.trim(), shape: 'slug' };
    if (typeof entry.target === 'string') return { target: entry.target.trim(), shape: 'target' };
    if (typeof entry.id === 'string') return { target: entry.id.trim(), shape: 'id' };
  }
  return { target: '', shape: 'other' };
}

/** All outgoing references of a document, in file order by source. */
export function extractLinks(doc: ParsedDocument): LinkRef[] {
  const data = doc.frontmatter?.data;
  const out: LinkRef[] = [];
  if (doc.kind === 'commons-pattern' && data) {
    const rels = data.relationships;
    if (isRecord(rels)) {
      for (const [type, list] of Object.entries(rels)) {
        if (!Array.isArray(list)) continue;
        list.forEach((entry, i) => {
          const { target, shape } = entryTarget(entry);
          const link: LinkRef = { source: 'relationships', type, target, path: ['relationships', type, i], shape };
          if (isRecord(entry) && typeof entry.weight === 'number' && Number.isFinite(entry.weight)) link.weight = entry.weight;
          out.push(link);
        });
      }
    }
    const inferred = getPath(data, ['graph_garden', 'inferred_links']);
    if (Array.isArray(inferred)) {
      inferred.forEach((entry, i) => {
        const { target, shape } = entryTarget(entry);
        const type = isRecord(entry) && typeof entry.type === 'string' ? entry.type : '';
        out.push({ source: 'inferred', type, target, path: ['graph_garden', 'inferred_links', i], shape });
      });
    }
  } else if (doc.kind === 'commons-pattern-legacy' && data) {
    for (const type of LEGACY_RELATIONSHIP_KEYS) {
      const list = data[type];
      if (!Array.isArray(list)) continue;
      list.forEach((entry, i) => {
        const { target, shape } = entryTarget(entry);
        out.push({ source: 'legacy', type, target, path: [type, i], shape });
      });
    }
  } else if (doc.kind === 'obsidian-note') {
    const related = data?.related;
    if (Array.isArray(related)) {
      related.forEach((entry, i) => {
        if (typeof entry !== 'string' || holdsTemplatePlaceholder(entry)) return;
        out.push({ source: 'related', type: 'related', target: stripWikilink(entry), path: ['related', i], shape: 'string', ...relatedSubpath(entry) });
      });
    } else if (typeof related === 'string' && related.trim() !== '' && !holdsTemplatePlaceholder(related))
      out.push({ source: 'related', type: 'related', target: stripWikilink(related), path: ['related'], shape: 'string', ...relatedSubpath(related) });
    if (!doc.headOnly) {
      const lines = doc.lines();
      for (const l of noteBodyLinks(lines.slice(doc.bodyLine - 1), doc.bodyLine)) {
        const link: LinkRef = {
          source: l.form === 'wikilink' ? 'wikilink' : 'markdown',
          type: l.form,
          target: l.file,
          shape: 'string',
          line: l.line,
          column: l.fileColumn,
        };
        if (l.subpath !== undefined) link.subpath = l.subpath;
        if (l.embed) link.embed = true;
        out.push(link);
      }
    }
  }
  return out;
}

/** A `related` entry's note: `Note`, `[[Note]]`, `[[Note#Heading|shown]]`. */
function stripWikilink(s: string): string {
  const m = /^\[\[([^\]]*)\]\]$/.exec(s.trim());
  return m ? parseWikilinkInner(m[1] as string).file : s.trim();
}

function relatedSubpath(s: string): { subpath?: string } {
  const m = /^\[\[([^\]]*)\]\]$/.exec(s.trim());
  const sub = m ? parseWikilinkInner(m[1] as string).subpath : undefined;
  return sub !== undefined ? { subpath: sub } : {};
}

/** TypeIDs (`pat_...`) are references by id, not by slug. */
export function looksLikeTypeId(s: string): boolean {
  return /^[a-z]{2,10}_[0-9a-z]{16,32}$/.test(s);
}
