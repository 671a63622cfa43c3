import { compareFindings, SEVERITIES, type Edit, type Finding, type Fix } from '../core/finding.js';

/**
 * One finding without its keys or file (the chunk names the file once):
 * [rule, severity index, line, column, endLine, message, target, endColumn | null, fix | null, candidates | null],
 * trailing nulls left out; a fix is [description, line, endLine, text, line, endLine, text, ...].
 * A finding with any other field (or a null one) is kept as its plain JSON object instead.
 */
type Compact = (string | number | null | (string | number)[] | string[])[];

const FINDING_KEYS = new Set(['rule', 'severity', 'file', 'line', 'column', 'endLine', 'endColumn', 'message', 'fix', 'target', 'candidates']);

function plainEdits(fix: Fix): boolean {
  if (Object.keys(fix).length !== 2 || typeof fix.description !== 'string' || !Array.isArray(fix.edits)) return false;
  for (const e of fix.edits)
    if (Object.keys(e).length !== 3 || typeof e.text !== 'string' || typeof e.line !== 'number' || typeof e.endLine !== 'number') return false;
  return true;
}

function compact(f: Finding): Compact | Finding {
  for (const k in f) if (!FINDING_KEYS.has(k) || (f as unknown as Record<string, unknown>)[k] === null) return f;
  const severity = SEVERITIES.indexOf(f.severity);
  const typed =
    typeof f.rule === 'string' &&
    typeof f.message === 'string' &&
    typeof f.target === 'string' &&
    typeof f.line === 'number' &&
    typeof f.column === 'number' &&
    typeof f.endLine === 'number';
  if (severity < 0 || !typed || (f.fix && !plainEdits(f.fix))) return f;
  const out: Compact = [f.rule, severity, f.line, f.column, f.endLine, f.message, f.target, f.endColumn ?? null, null, f.candidates ?? null];
  if (f.fix) {
    const fix: (string | number)[] = [f.fix.description];
    for (const e of f.fix.edits) fix.push(e.line, e.endLine, e.text);
    out[8] = fix;
  }
  while (out.length > 7 && out[out.length - 1] === null) out.pop();
  return out;
}

function expand(c: Compact | Finding, file: string): Finding {
  if (!Array.isArray(c)) return c;
  const f: Finding = {
    rule: c[0] as string,
    severity: SEVERITIES[c[1] as number] as Finding['severity'],
    file,
    line: c[2] as number,
    column: c[3] as number,
    endLine: c[4] as number,
    message: c[5] as string,
    target: c[6] as string,
  };
  if (c[7] != null) f.endColumn = c[7] as number;
  const fix = c[8] as (string | number)[] | null | undefined;
  if (fix) {
    const edits: Edit[] = [];
    for (let i = 1; i < fix.length; i += 3) edits.push({ line: fix[i] as number, endLine: fix[i + 1] as number, text: fix[i + 2] as string });
    f.fix = { description: fix[0] as string, edits };
  }
  if (c[9] != null) f.candidates = c[9] as string[];
  return f;
}

/** Findings as they cross threads (see `transfer`): strings cross faster than objects. */
export interface PackedTransfer {
  chunks: string[];
  files: string[];
  count: number;
}

/**
 * A check's findings while its corpus index is alive, as one JSON string per file in a positional form
 * (compact above): a Finding object with its strings, fix and edits takes about twice the bytes of its
 * JSON, and the keys and the repeated file name about a third of that JSON. Read back one file at a time,
 * in output order (`sorted`), so that an output written as it goes never holds them all as objects.
 */
export class PackedFindings {
  private chunks: string[] = [];
  /** The file every finding of a chunk is about. */
  private chunkFiles: string[] = [];
  /** The target root of each chunk (see CheckRun.roots). */
  private chunkRoots: string[] = [];
  private count = 0;

  /** Findings of one check (usually all of one file). */
  add(findings: Finding[], root = ''): void {
    if (findings.length === 0) return;
    findings.sort(compareFindings);
    // Sorted by file first, so each file's findings are one run.
    for (let i = 0; i < findings.length; ) {
      const file = (findings[i] as Finding).file;
      let j = i + 1;
      while (j < findings.length && (findings[j] as Finding).file === file) j++;
      this.chunks.push(JSON.stringify(findings.slice(i, j).map(compact)));
      this.chunkFiles.push(file);
      this.chunkRoots.push(root);
      i = j;
    }
    this.count += findings.length;
  }

  /** Adds what another thread packed (see `transfer`). */
  addPacked(packed: PackedTransfer, root = ''): void {
    for (let i = 0; i < packed.chunks.length; i++) {
      this.chunks.push(packed.chunks[i] as string);
      this.chunkFiles.push(packed.files[i] as string);
      this.chunkRoots.push(root);
    }
    this.count += packed.count;
  }

  /** The chunks, their files and their count, to post to another thread. */
  transfer(): PackedTransfer {
    return { chunks: this.chunks, files: this.chunkFiles, count: this.count };
  }

  get length(): number {
    return this.count;
  }

  /**
   * Every finding as an object, in compareFindings order (the order of a stable sort of all of them in
   * the order added), one file at a time; `onRoot` hears each finding's root. Takes the chunks out of
   * this object and lets go of each once read, so nothing but the caller holds what was yielded.
   */
  *sorted(onRoot?: (f: Finding, root: string) => void): Generator<Finding> {
    const { chunks, chunkFiles: files, chunkRoots: roots } = this;
    this.chunks = [];
    this.chunkFiles = [];
    this.chunkRoots = [];
    this.count = 0;
    // Findings compare by file first: files in order, chunks of one file merged by a stable sort.
    const order = chunks.map((_, i) => i);
    order.sort((a, b) => {
      const fa = files[a] as string;
      const fb = files[b] as string;
      return fa < fb ? -1 : fa > fb ? 1 : a - b;
    });
    const read = (k: number): Finding[] => {
      const file = files[k] as string;
      const list = (JSON.parse(chunks[k] as string) as (Compact | Finding)[]).map((c) => expand(c, file));
      chunks[k] = '';
      return list;
    };
    for (let i = 0; i < order.length; ) {
      let j = i + 1;
      while (j < order.length && files[order[j] as number] === files[order[i] as number]) j++;
      if (j === i + 1) {
        const k = order[i] as number;
        for (const f of read(k)) {
          onRoot?.(f, roots[k] as string);
          yield f;
        }
      } else {
        const merged: { f: Finding; root: string }[] = [];
        for (let n = i; n < j; n++) {
          const k = order[n] as number;
          for (const f of read(k)) merged.push({ f, root: roots[k] as string });
        }
        merged.sort((a, b) => compareFindings(a.f, b.f));
        for (const { f, root } of merged) {
          onRoot?.(f, root);
          yield f;
        }
      }
      i = j;
    }
  }

  /** Every finding as an object, in compareFindings order (see `sorted`). */
  unpack(onRoot?: (f: Finding, root: string) => void): Finding[] {
    const out: Finding[] = [];
    for (const f of this.sorted(onRoot)) out.push(f);
    return out;
  }
}
