/**
 * Rendering an inferred-links plan as YAML lines in the seed pattern's style, and locating
 * the block in a file so that a caller can replace it (and `last_pruned`) with one edit.
 */
import type { ParsedDocument } from '../core/document.js';
import type { InferredLinkOut, PrunePlan } from './prune.js';

const PLAIN_SLUG = /^[a-z0-9][a-z0-9._-]*$/;
const RESERVED = /^(?:true|false|yes|no|on|off|null|~|y|n|[-+]?\d[\d._]*(?:e[-+]?\d+)?)$/i;

function scalar(s: string): string {
  return PLAIN_SLUG.test(s) && !RESERVED.test(s) ? s : JSON.stringify(s);
}

function conf(x: number): string {
  const r = Math.round(Math.min(1, Math.max(0, Number.isFinite(x) ? x : 0)) * 100) / 100;
  return Number.isInteger(r) ? r.toFixed(1) : String(r);
}

/**
 * The whole `inferred_links:` block (key line included), keep first then add, with the key
 * at `indent` spaces and items two spaces deeper, as in the seed pattern.
 */
export function renderInferredLinksBlock(plan: Pick<PrunePlan, 'keep' | 'add'>, indent = 2): string[] {
  const pad = ' '.repeat(indent);
  const links: InferredLinkOut[] = [...plan.keep, ...plan.add];
  if (links.length === 0) return [`${pad}inferred_links: []`];
  const out = [`${pad}inferred_links:`];
  const item = ' '.repeat(indent + 2);
  for (const l of links) {
    out.push(`${item}- target: ${scalar(l.target)}`);
    out.push(`${item}  type: ${scalar(l.type)}`);
    out.push(`${item}  confidence: ${conf(l.confidence)}`);
    out.push(`${item}  reason: ${JSON.stringify(l.reason ?? '')}`);
  }
  return out;
}

export interface InferredLinksLocation {
  /** File lines (1-based, inclusive) of the existing block, key line included. */
  block?: { startLine: number; endLine: number; indent: number };
  /** File lines of `graph_garden.last_pruned`. */
  lastPruned?: { line: number; endLine: number; indent: number };
  /** True when last_pruned sits directly before or after the block (or only other graph_garden keys lie between). */
  adjacent: boolean;
  /** File lines of `graph_garden`, when present. */
  graphGarden?: { startLine: number; endLine: number; indent: number };
}

/** Where `graph_garden.inferred_links` and `last_pruned` are in the file. */
export function locateInferredLinks(doc: ParsedDocument): InferredLinksLocation {
  const map = doc.sourceMap();
  const gg = map.get(['graph_garden']);
  const il = map.get(['graph_garden', 'inferred_links']);
  const lp = map.get(['graph_garden', 'last_pruned']);
  const loc: InferredLinksLocation = { adjacent: false };
  if (gg) loc.graphGarden = { startLine: gg.line, endLine: gg.endLine, indent: gg.column - 1 };
  if (il) loc.block = { startLine: il.line, endLine: il.endLine, indent: il.column - 1 };
  if (lp) loc.lastPruned = { line: lp.line, endLine: lp.endLine, indent: lp.column - 1 };
  if (il && lp) loc.adjacent = lp.endLine + 1 === il.line || il.endLine + 1 === lp.line;
  return loc;
}

export interface LineEdit {
  /** First file line replaced (1-based). */
  startLine: number;
  /** Last file line replaced; startLine - 1 for a pure insertion after that line. */
  endLine: number;
  lines: string[];
}

/**
 * One edit that writes the plan's block and sets `last_pruned: today`. Lines between
 * last_pruned and the block (e.g. entities) are carried over verbatim. Null when the file
 * has no `graph_garden` mapping.
 */
export function inferredLinksEdit(doc: ParsedDocument, plan: Pick<PrunePlan, 'keep' | 'add'>, today: string): LineEdit | null {
  const loc = locateInferredLinks(doc);
  if (!loc.graphGarden) return null;
  const lines = doc.lines();
  const keyIndent = loc.block?.indent ?? loc.lastPruned?.indent ?? loc.graphGarden.indent + 2;
  const block = renderInferredLinksBlock(plan, keyIndent);
  const lpLine = `${' '.repeat(loc.lastPruned?.indent ?? keyIndent)}last_pruned: ${today}`;
  if (loc.block) {
    const b = loc.block;
    if (!loc.lastPruned) return { startLine: b.startLine, endLine: b.endLine, lines: [lpLine, ...block] };
    const lp = loc.lastPruned;
    const start = Math.min(b.startLine, lp.line);
    const end = Math.max(b.endLine, lp.endLine);
    const out: string[] = [];
    for (let ln = start; ln <= end; ) {
      if (ln === lp.line) {
        out.push(lpLine);
        ln = lp.endLine + 1;
      } else if (ln === b.startLine) {
        out.push(...block);
        ln = b.endLine + 1;
      } else {
        out.push(lines[ln - 1] ?? '');
        ln++;
      }
    }
    return { startLine: start, endLine: end, lines: out };
  }
  // no block yet: append at the end of graph_garden (and set or add last_pruned there too)
  const g = loc.graphGarden;
  if (loc.lastPruned) {
    const lp = loc.lastPruned;
    const out: string[] = [];
    for (let ln = lp.line; ln <= g.endLine; ) {
      if (ln === lp.line) {
        out.push(lpLine);
        ln = lp.endLine + 1;
      } else out.push(lines[ln++ - 1] ?? '');
    }
    return { startLine: lp.line, endLine: g.endLine, lines: [...out, ...block] };
  }
  return { startLine: g.endLine + 1, endLine: g.endLine, lines: [lpLine, ...block] };
}

/** Applies a line edit to text ("\n" lines). */
export function applyLineEdit(text: string, edit: LineEdit): string {
  const lines = text.split('\n');
  lines.splice(edit.startLine - 1, edit.endLine - edit.startLine + 1, ...edit.lines);
  return lines.join('\n');
}
