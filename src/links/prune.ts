/**
 * Pruning and refilling `graph_garden.inferred_links`: keep what still holds, remove what
 * points nowhere, duplicates a hard relationship or scores far below the threshold, then
 * add the engine's best new candidates up to a cap.
 */
import type { ParsedDocument } from '../core/document.js';
import type { LinkIndex } from './index.js';
import { recordFromDocument, type LinkRecord } from './record.js';

export interface InferredLinkOut {
  target: string;
  type: string;
  confidence: number;
  reason: string;
}

export interface PrunePlan {
  slug: string;
  keep: InferredLinkOut[];
  add: InferredLinkOut[];
  remove: { target: string; why: string }[];
}

export interface PruneOptions {
  /** Most inferred links after pruning (default 8). */
  max?: number;
  /** Smallest confidence of a new link (default 0.3). */
  minConfidence?: number;
  /** An existing link is removed when its current score is under minConfidence × this (default 0.5). */
  removeFactor?: number;
}

function isDoc(x: ParsedDocument | LinkRecord): x is ParsedDocument {
  return typeof (x as ParsedDocument).body === 'function';
}

/**
 * Plan for one pattern's inferred links. The index should already hold the pattern's
 * current version (call `index.update([record])` after an edit).
 */
export function planInferredLinks(doc: ParsedDocument | LinkRecord, index: LinkIndex, opts: PruneOptions = {}): PrunePlan {
  const rec = isDoc(doc) ? recordFromDocument(doc) : doc;
  const max = opts.max ?? 8;
  const min = opts.minConfidence ?? 0.3;
  const floor = min * (opts.removeFactor ?? 0.5);
  const slug = rec.slug;
  const hard = new Map<string, string>();
  for (const l of rec.links) hard.set(index.resolveSlug(l.target) ?? l.target, l.type);

  const keep: InferredLinkOut[] = [];
  const remove: { target: string; why: string }[] = [];
  const seen = new Set<string>();
  for (const l of rec.inferred) {
    const resolved = index.resolveSlug(l.target);
    if (resolved === undefined) {
      remove.push({ target: l.target, why: 'target does not exist' });
      continue;
    }
    if (resolved === slug || l.target === rec.id) {
      remove.push({ target: l.target, why: 'links to the pattern itself' });
      continue;
    }
    const hardType = hard.get(resolved);
    if (hardType !== undefined) {
      remove.push({ target: l.target, why: `duplicates the hard relationship ${hardType}` });
      continue;
    }
    if (seen.has(resolved)) {
      remove.push({ target: l.target, why: 'duplicate inferred link' });
      continue;
    }
    const score = index.score(slug, resolved);
    if (score < floor) {
      remove.push({ target: l.target, why: `score ${score.toFixed(2)} is far below the threshold ${min.toFixed(2)}` });
      continue;
    }
    seen.add(resolved);
    keep.push({
      target: resolved,
      type: l.type || 'complementary',
      confidence: l.confidence !== undefined && l.confidence >= 0 && l.confidence <= 1 ? l.confidence : score,
      reason: l.reason ?? index.reason(slug, resolved),
    });
  }
  if (keep.length > max) {
    const ranked = keep.map((k) => ({ k, s: index.score(slug, k.target) })).sort((a, b) => b.s - a.s);
    const over = new Set(ranked.slice(max).map((x) => x.k));
    for (const k of keep) if (over.has(k)) remove.push({ target: k.target, why: `over the cap of ${max} inferred links` });
    keep.splice(0, keep.length, ...keep.filter((k) => !over.has(k)));
  }
  const room = Math.max(0, max - keep.length);
  const add: InferredLinkOut[] =
    room === 0
      ? []
      : index
          .propose(slug, room, { exclude: [...seen, ...hard.keys()], excludeInferred: false, minConfidence: min })
          .map((p) => ({ target: p.target, type: p.type, confidence: p.confidence, reason: p.reason }));
  return { slug, keep, add, remove };
}
