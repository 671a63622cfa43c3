/**
 * Fixes are data: edits that replace whole line ranges. Applying them is pure text work,
 * the same for the CLI, for suggestion blocks and for `/gardener apply`.
 */
import { stringify } from 'yaml';
import type { ParsedDocument } from './document.js';
import type { Edit, Fix } from './finding.js';
import type { KeyPath } from './path.js';

export class OverlappingEditsError extends Error {}

/** Applies edits to "\n"-normalised text. Overlapping edits are refused, not guessed. */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  const lines = text.split('\n');
  const trailingNewline = text.endsWith('\n');
  if (trailingNewline) lines.pop();
  const sorted = [...edits].sort((a, b) => b.line - a.line || b.endLine - a.endLine);
  for (let i = 1; i < sorted.length; i++) {
    const later = sorted[i - 1] as Edit;
    const cur = sorted[i] as Edit;
    if (cur.endLine >= later.line) throw new OverlappingEditsError(`edits overlap at lines ${later.line}-${cur.endLine}`);
  }
  for (const e of sorted) {
    if (e.line < 1 || e.endLine < e.line - 1 || e.endLine > lines.length)
      throw new RangeError(`edit ${e.line}-${e.endLine} is outside the file (${lines.length} lines)`);
    const replacement = e.text === '' ? [] : e.text.replace(/\n$/, '').split('\n');
    lines.splice(e.line - 1, e.endLine - e.line + 1, ...replacement);
  }
  return lines.join('\n') + (trailingNewline ? '\n' : '');
}

/**
 * Applies every fix that does not collide with an earlier one (file order), to the original
 * file text, keeping its line endings. Returns the new text and the fixes it skipped.
 */
export function applyFixes(original: string, fixes: readonly Fix[]): { text: string; applied: Fix[]; skipped: Fix[] } {
  const bom = original.charCodeAt(0) === 0xfeff ? '\uFEFF' : '';
  const eol = original.includes('\r\n') ? '\r\n' : '\n';
  const normalized = (bom ? original.slice(1) : original).replace(/\r\n?/g, '\n');
  const taken: Edit[] = [];
  const applied: Fix[] = [];
  const skipped: Fix[] = [];
  const ordered = [...fixes].sort((a, b) => (a.edits[0]?.line ?? 0) - (b.edits[0]?.line ?? 0));
  for (const fix of ordered) {
    const collides =
      fix.edits.some((e) => taken.some((t) => e.line <= t.endLine && t.line <= e.endLine)) ||
      // A fix whose own edits overlap cannot be applied as it stands.
      fix.edits.some((e, i) => fix.edits.some((o, j) => j > i && e.line <= o.endLine && o.line <= e.endLine));
    if (collides) skipped.push(fix);
    else {
      taken.push(...fix.edits);
      applied.push(fix);
    }
  }
  const out = applyEdits(normalized, taken);
  return { text: bom + (eol === '\r\n' ? out.replace(/\n/g, '\r\n') : out), applied, skipped };
}

const PLAIN_PROSE = /^[A-Za-z][A-Za-z0-9 ,.;()/'_-]*[A-Za-z0-9.)]$/;
/** Words some YAML reader takes for null or a boolean: left to the printer, which quotes what needs it. */
const YAML_WORD = /^(true|false|null|yes|no|on|off|y|n|~)$/i;

/** YAML text for a scalar as it would be written after `key: `. */
export function yamlScalar(value: unknown): string {
  // Weights and flags are most of what fixes write: the YAML printer is only needed for -0, NaN, ±Infinity.
  if ((typeof value === 'number' && Number.isFinite(value) && !Object.is(value, -0)) || typeof value === 'boolean') return String(value);
  if (typeof value === 'string' && /^[a-z0-9][a-z0-9._-]*$/i.test(value) && !YAML_WORD.test(value) && Number.isNaN(Number(value))) return value;
  // Prose (an entry's description or reason) that starts with a letter, holds no `:` or `#` and is not a
  // YAML word stays plain, as the printer writes it (tested against it).
  if (typeof value === 'string' && PLAIN_PROSE.test(value) && !YAML_WORD.test(value)) return value;
  const printed = stringify(value, { lineWidth: 0 }).trimEnd();
  // A fix writes the value on the key's line: text with line breaks is double-quoted, not a block scalar.
  return typeof value === 'string' && (printed.includes('\n') || /^[|>]/.test(printed)) ? JSON.stringify(value) : printed;
}

const KEY_LINE = /^(\s*(?:-\s+)?(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#:][^#:]*?)\s*:[ \t]*)(.*?)([ \t]+#.*)?$/;

/**
 * A fix that rewrites the scalar value of `path` on its own line, keeping the key, its
 * indentation and any trailing comment. Undefined when the value is not a one-line block scalar.
 */
export function scalarValueFix(doc: ParsedDocument, path: KeyPath, value: unknown, description: string): Fix | undefined {
  const written = scalarText(doc, path);
  // Text the author quoted stays quoted the same way.
  let text = yamlScalar(value);
  if (typeof value === 'string' && written?.startsWith('"')) text = JSON.stringify(value);
  else if (typeof value === 'string' && written?.startsWith("'") && !value.includes('\n')) text = `'${value.replace(/'/g, "''")}'`;
  return scalarTextFix(doc, path, text, description);
}

/** The key line of a one-line block scalar at `path`, split into key part, value text and comment. */
function scalarLine(doc: ParsedDocument, path: KeyPath): { line: number; match: RegExpExecArray } | undefined {
  const loc = doc.find(path);
  if (!loc || loc.endLine !== loc.line || loc.line > doc.lineCount()) return undefined;
  const m = KEY_LINE.exec(doc.line(loc.line));
  if (!m || (m[2] ?? '').startsWith('[') || (m[2] ?? '').startsWith('{') || (m[2] ?? '') === '') return undefined;
  return { line: loc.line, match: m };
}

/** The value of a one-line block scalar as written (`5.0`, `"x"`), or undefined. */
export function scalarText(doc: ParsedDocument, path: KeyPath): string | undefined {
  return scalarLine(doc, path)?.match[2];
}

/** Like `scalarValueFix`, with the value's YAML text given as written (`5.0` stays `5.0`). */
export function scalarTextFix(doc: ParsedDocument, path: KeyPath, text: string, description: string): Fix | undefined {
  const at = scalarLine(doc, path);
  if (!at) return undefined;
  return { description, edits: [{ line: at.line, endLine: at.line, text: `${at.match[1]}${text}${at.match[3] ?? ''}\n` }] };
}

/** Lines of a node (key or list item) as a fix that deletes them. */
export function deleteNodeFix(doc: ParsedDocument, path: KeyPath, description: string): Fix | undefined {
  const loc = doc.find(path);
  if (!loc) return undefined;
  // Only when the node owns its lines (no other item shares the first line).
  const first = doc.line(loc.line);
  if (!/^\s*-\s/.test(first) && typeof path[path.length - 1] === 'number') return undefined;
  return { description, edits: [{ line: loc.line, endLine: loc.endLine, text: '' }] };
}
