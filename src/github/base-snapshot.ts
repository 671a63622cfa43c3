/**
 * The base side of a pull request, rebuilt from its head snapshot and the `patch` of each changed file
 * (pure: no HTTP). Files outside the diff are identical at the pull request's base, so the base corpus
 * is the head corpus with every changed file reverted: a removed file comes back from its patch, a
 * renamed one goes back to its previous name, an added one goes away. The PR's own diff is the base it
 * is judged against, and it costs no request.
 *
 * A file whose patch GitHub left out (binary, very large diff) or that does not apply to the head bytes
 * exactly cannot be reverted: the caller then reads the base commit's snapshot instead (one tarball,
 * cached by SHA).
 */
import { createHash } from 'node:crypto';
import type { FileSelector, GardenerConfig } from '../core/config.js';
import type { CorpusEntry } from '../core/corpus.js';
import type { ChangedFile } from './pull-files.js';
import { indexEntry, Snapshot } from './snapshot.js';

interface PatchLine {
  op: ' ' | '-' | '+';
  /** The line with its "\n", or without it when the file ends there without one. */
  text: string;
}

interface Hunk {
  oldStart: number;
  oldCount: number;
  newStart: number;
  newCount: number;
  lines: PatchLine[];
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/** The hunks of a GitHub `patch` field, or undefined when it is not a well-formed unified diff. */
export function parseHunks(patch: string): Hunk[] | undefined {
  const hunks: Hunk[] = [];
  const rows = patch.split('\n');
  // GitHub's patch has no newline after its last line; a trailing one would read as an empty context line.
  if (rows[rows.length - 1] === '') rows.pop();
  let hunk: Hunk | undefined;
  for (const row of rows) {
    const header = HUNK_HEADER.exec(row);
    if (header) {
      hunk = {
        oldStart: Number(header[1]),
        oldCount: header[2] === undefined ? 1 : Number(header[2]),
        newStart: Number(header[3]),
        newCount: header[4] === undefined ? 1 : Number(header[4]),
        lines: [],
      };
      hunks.push(hunk);
      continue;
    }
    if (!hunk) return undefined;
    const op = row[0];
    if (op === '\\') {
      // "\ No newline at end of file": the line before it is its file's last, without a line ending.
      const last = hunk.lines[hunk.lines.length - 1];
      if (!last || !last.text.endsWith('\n')) return undefined;
      last.text = last.text.slice(0, -1);
      continue;
    }
    if (op !== ' ' && op !== '-' && op !== '+') return undefined;
    hunk.lines.push({ op, text: `${row.slice(1)}\n` });
  }
  for (const h of hunks) {
    const olds = h.lines.filter((l) => l.op !== '+').length;
    const news = h.lines.filter((l) => l.op !== '-').length;
    if (olds !== h.oldCount || news !== h.newCount) return undefined; // a cut or garbled patch
  }
  return hunks;
}

/** Lines with their "\n" (the last one without it when the text does not end with one). */
function linesOf(text: string): string[] {
  if (text === '') return [];
  const parts = text.split('\n');
  const out = parts.map((p) => `${p}\n`);
  if (parts[parts.length - 1] === '') out.pop();
  else out[out.length - 1] = parts[parts.length - 1]!;
  return out;
}

/**
 * The text before `patch` was applied, from the text after it; undefined when the patch does not apply
 * to `after` exactly (every context and added line is compared, line endings included).
 */
export function revertPatch(after: string, patch: string): string | undefined {
  return rewrite(after, patch, 'revert');
}

/** The text after `patch` is applied to `before`; undefined when it does not apply exactly. */
export function applyPatch(before: string, patch: string): string | undefined {
  return rewrite(before, patch, 'apply');
}

/** One patch either way: the side read must match line for line, the other side is written. */
function rewrite(text: string, patch: string, way: 'apply' | 'revert'): string | undefined {
  const hunks = parseHunks(patch);
  if (!hunks) return undefined;
  const read = way === 'revert' ? '+' : '-';
  const lines = linesOf(text);
  const out: string[] = [];
  let at = 0;
  for (const h of hunks) {
    const count = way === 'revert' ? h.newCount : h.oldCount;
    const first = way === 'revert' ? h.newStart : h.oldStart;
    // With GitHub's three lines of context, an empty range on the side read means an empty file (git
    // writes "+0,0", other differs "+1,0"): anything else is not a patch of this text.
    if (count === 0 && lines.length > 0) return undefined;
    const start = count === 0 ? 0 : first - 1;
    if (start < at || start > lines.length) return undefined;
    for (; at < start; at++) out.push(lines[at]!);
    for (const l of h.lines) {
      if (l.op !== ' ' && l.op !== read) {
        out.push(l.text);
        continue;
      }
      if (lines[at] !== l.text) return undefined;
      if (l.op === ' ') out.push(l.text);
      at++;
    }
  }
  for (; at < lines.length; at++) out.push(lines[at]!);
  return out.join('');
}

/** A file moved without a change of content: GitHub sends no patch and counts no change. */
export function isPureRename(file: ChangedFile): boolean {
  return file.status === 'renamed' && (file.patch ?? '') === '' && (file.changes === undefined || file.changes === 0);
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The base bytes of a file from its head bytes and patch, or undefined when they cannot be rebuilt. */
export function baseBytesOf(file: ChangedFile, headBytes: Uint8Array | undefined): Uint8Array | undefined {
  const patch = file.patch ?? '';
  if (isPureRename(file)) return headBytes;
  if (patch === '') return file.status === 'removed' && file.changes === 0 ? new Uint8Array() : undefined;
  let after = '';
  if (file.status !== 'removed') {
    if (!headBytes) return undefined;
    try {
      after = utf8.decode(headBytes);
    } catch {
      return undefined; // not UTF-8: the JSON patch cannot carry its bytes
    }
  }
  const before = revertPatch(after, patch);
  return before === undefined ? undefined : new Uint8Array(Buffer.from(before, 'utf8'));
}

export type BaseFromDiff = { ok: true; base: Snapshot } | { ok: false; unrevertible: string[] };

/**
 * Rebuilt bases, kept with their head snapshot (which the snapshot cache bounds) and keyed by the file
 * list they came from: a re-run on the same head reuses the base and the documents it parsed.
 */
const rebuilt = new WeakMap<Snapshot, Map<string, Snapshot>>();

function filesKey(files: readonly ChangedFile[]): string {
  const h = createHash('sha256');
  for (const f of files) h.update(JSON.stringify([f.filename, f.status, f.previous_filename ?? '', f.changes ?? -1, f.patch ?? null]));
  return h.digest('hex');
}

/**
 * The base snapshot of a pull request from its head snapshot and changed files. Only selected files
 * matter (the snapshots hold nothing else); index entries of files outside the diff are the head's.
 */
export function baseFromDiff(head: Snapshot, files: readonly ChangedFile[], selector: FileSelector, config: GardenerConfig): BaseFromDiff {
  const key = filesKey(files);
  const known = rebuilt.get(head)?.get(key);
  if (known) return { ok: true, base: known };
  const got = rebuildBase(head, files, selector, config);
  if (got.ok) {
    const m = rebuilt.get(head) ?? new Map<string, Snapshot>();
    // One pull request per head in practice; a handful at most.
    if (m.size >= 4) m.delete(m.keys().next().value as string);
    m.set(key, got.base);
    rebuilt.set(head, m);
  }
  return got;
}

function rebuildBase(head: Snapshot, files: readonly ChangedFile[], selector: FileSelector, config: GardenerConfig): BaseFromDiff {
  const baseFiles = new Map(head.files);
  const changed: CorpusEntry[] = [];
  const removed: string[] = [];
  const unrevertible: string[] = [];
  for (const f of files) {
    const atHead = f.status !== 'removed' && selector.selects(f.filename);
    const basePath = f.status === 'renamed' && f.previous_filename ? f.previous_filename : f.filename;
    const atBase = f.status !== 'added' && f.status !== 'copied' && selector.selects(basePath);
    if (atHead) {
      if (!head.has(f.filename)) continue; // not delivered by the archive (too large): not checked at head either
      baseFiles.delete(f.filename);
      removed.push(f.filename);
    }
    if (!atBase) continue;
    const bytes = baseBytesOf(f, f.status === 'removed' ? undefined : head.files.get(f.filename));
    if (!bytes) {
      unrevertible.push(basePath);
      continue;
    }
    baseFiles.set(basePath, bytes);
    changed.push(indexEntry(basePath, bytes, config, selector).entry);
  }
  if (unrevertible.length > 0) return { ok: false, unrevertible };
  const index = head.index.withChanges(changed, removed);
  return { ok: true, base: new Snapshot(`${head.key}^base`, `${head.sha}^base`, baseFiles, index, selector, config) };
}
