/**
 * Link extraction: every reference a document makes to another, in one normalised form,
 * whatever shape the file wrote it in (bare slug, {slug, weight}, {id, weight, description},
 * a TypeID, an inferred link, a note's `related` entry or a [[wikilink]] in the body).
 */
import { fenceAfter, type ParsedDocument } from './document.js';
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

export type LinkSource = 'relationships' | 'legacy' | 'inferred' | 'related' | 'wikilink';
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
  /** Body position for wikilinks. */
  line?: number;
  column?: number;
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

const WIKILINK_RE = /\[\[([^\][\n|#^]{1,300})(?:[#^][^\][\n|]{0,300})?(?:\|[^\][\n]{0,300})?\]\]/g;

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
        if (typeof entry !== 'string') return;
        out.push({ source: 'related', type: 'related', target: stripWikilink(entry), path: ['related', i], shape: 'string' });
      });
    }
    const lines = doc.lines();
    // Same fence rule as body sections: a fence closes only with the same character, at least as long.
    let fence: string | null = null;
    for (let i = doc.bodyLine - 1; i < lines.length; i++) {
      const l = lines[i] as string;
      const next = fenceAfter(l, fence);
      if (next !== undefined) {
        fence = next;
        continue;
      }
      if (fence !== null || !l.includes('[[')) continue;
      for (const m of l.matchAll(WIKILINK_RE)) {
        out.push({ source: 'wikilink', type: 'wikilink', target: (m[1] as string).trim(), shape: 'string', line: i + 1, column: (m.index ?? 0) + 1 });
      }
    }
  }
  return out;
}

function stripWikilink(s: string): string {
  const m = /^\[\[([^\]|#]+)/.exec(s.trim());
  return (m ? (m[1] as string) : s).trim();
}

/** TypeIDs (`pat_...`) are references by id, not by slug. */
export function looksLikeTypeId(s: string): boolean {
  return /^[a-z]{2,10}_[0-9a-z]{16,32}$/.test(s);
}
