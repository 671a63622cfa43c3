/**
 * Vault-level signals for Obsidian notes: what only the whole vault shows. Orphan notes (nothing links
 * in or out), notes that link nowhere, empty notes, and unresolved links grouped by the note they name:
 * a missing note that forty notes link to is one item ("create it?"), not forty. Pure.
 */
import type { CorpusIndex } from '../core/corpus.js';
import { isNoteLink } from '../core/links.js';
import { TEMPLATE_FOLDER } from '../core/obsidian.js';

export interface UnresolvedTarget {
  /** The name as first written. */
  target: string;
  /** Links to it, and the notes they are in (sorted). */
  links: number;
  files: string[];
}

export interface VaultReport {
  notes: number;
  /** Notes no other note links to and that link to no other file (sorted). */
  orphans: string[];
  /** Notes other notes link to, that link nowhere themselves. */
  noOutgoing: string[];
  /** Notes with nothing below their frontmatter. */
  empty: string[];
  /** Missing link targets, most linked first. */
  unresolved: UnresolvedTarget[];
}

/** The vault signals of a corpus, or undefined when it has no notes. */
export function evaluateVault(corpus: CorpusIndex): VaultReport | undefined {
  const notes = [...corpus.entries.values()].filter((e) => e.kind === 'obsidian-note');
  if (notes.length === 0) return undefined;
  const inbound = new Map<string, number>();
  const outbound = new Map<string, number>();
  const missing = new Map<string, { target: string; links: number; files: Set<string> }>();
  for (const e of notes) {
    for (const link of e.links) {
      if (!isNoteLink(link) || link.target === '') continue;
      const to = corpus.resolveNote(link.target, e.file);
      if (to === undefined) {
        // A template's links name notes of whoever applies it.
        if (e.template) continue;
        const key = link.target.normalize('NFC').toLowerCase().replace(/\.md$/, '');
        const m = missing.get(key) ?? { target: link.target, links: 0, files: new Set<string>() };
        m.links++;
        m.files.add(e.file);
        missing.set(key, m);
        continue;
      }
      if (to === e.file) continue;
      outbound.set(e.file, (outbound.get(e.file) ?? 0) + 1);
      inbound.set(to, (inbound.get(to) ?? 0) + 1);
    }
  }
  const orphans: string[] = [];
  const noOutgoing: string[] = [];
  const empty: string[] = [];
  for (const e of notes) {
    // Templates are never linked and link to placeholders: they are neither orphans nor empty notes.
    if (TEMPLATE_FOLDER.test(e.file)) continue;
    if (e.emptyBody) {
      empty.push(e.file);
      continue;
    }
    if (outbound.has(e.file)) continue;
    (inbound.has(e.file) ? noOutgoing : orphans).push(e.file);
  }
  const unresolved = [...missing.values()]
    .map((m) => ({ target: m.target, links: m.links, files: [...m.files].sort() }))
    .sort((a, b) => b.files.length - a.files.length || b.links - a.links || (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
  return { notes: notes.length, orphans, noOutgoing, empty, unresolved };
}
