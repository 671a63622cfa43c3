/**
 * Line diff (Myers O(ND)) and unified-diff hunks shaped like the `patch` field
 * GitHub returns for pull request files: hunks only (no ---/+++ header), git's
 * `@@ -a,b +c,d @@` counts, `\ No newline at end of file` markers, no trailing
 * newline after the last line.
 */

export interface DiffLine {
  op: ' ' | '-' | '+';
  text: string;
  /** Line number in the old file (context and '-' lines). */
  oldLine?: number;
  /** Line number in the new file (context and '+' lines). */
  newLine?: number;
  /** The line is the last of its file and has no trailing newline. */
  noNewline?: boolean;
}

export interface Hunk {
  oldStart: number;
  oldCount: number;
  newStart: number;
  newCount: number;
  lines: DiffLine[];
}

interface Line {
  text: string;
  nl: boolean;
}

function splitLines(s: string): Line[] {
  if (s === '') return [];
  const parts = s.split('\n');
  const out: Line[] = parts.map((text) => ({ text, nl: true }));
  if (parts[parts.length - 1] === '') out.pop();
  else out[out.length - 1]!.nl = false;
  return out;
}

const key = (l: Line): string => (l.nl ? `${l.text}\n` : l.text);

/** Edit script between two line arrays (Myers); falls back to replace-all past `maxD`. */
function editScript(a: Line[], b: Line[], maxD = 4000): DiffLine[] {
  const ak = a.map(key);
  const bk = b.map(key);
  const n = ak.length;
  const m = bk.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  outer: for (let d = 0; d <= Math.min(max, maxD); d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!)) x = v[offset + k + 1]!;
      else x = v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && ak[x] === bk[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break outer;
      }
    }
  }
  const ops: DiffLine[] = [];
  const push = (op: DiffLine['op'], ai: number, bi: number): void => {
    const l = op === '+' ? b[bi]! : a[ai]!;
    const dl: DiffLine = { op, text: l.text };
    if (op !== '+') dl.oldLine = ai + 1;
    if (op !== '-') dl.newLine = bi + 1;
    if (!l.nl) dl.noNewline = true;
    ops.push(dl);
  };
  if (!found) {
    for (let i = 0; i < n; i++) push('-', i, 0);
    for (let j = 0; j < m; j++) push('+', 0, j);
    return ops;
  }
  // Backtrack.
  let x = n;
  let y = m;
  const rev: DiffLine[] = [];
  const pushRev = (op: DiffLine['op'], ai: number, bi: number): void => {
    push(op, ai, bi);
    rev.push(ops.pop()!);
  };
  for (let d = trace.length - 1; d > 0; d--) {
    const vd = trace[d]!;
    const k = x - y;
    let prevK: number;
    if (k === -d || (k !== d && vd[offset + k - 1]! < vd[offset + k + 1]!)) prevK = k + 1;
    else prevK = k - 1;
    const prevX = vd[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      pushRev(' ', x - 1, y - 1);
      x--;
      y--;
    }
    if (x === prevX) pushRev('+', 0, y - 1);
    else pushRev('-', x - 1, 0);
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) {
    pushRev(' ', x - 1, y - 1);
    x--;
    y--;
  }
  const script = rev.reverse();
  // Within each run of changes, list removals before additions (as git does).
  for (let i = 0; i < script.length; ) {
    if (script[i]!.op === ' ') {
      i++;
      continue;
    }
    let j = i;
    while (j < script.length && script[j]!.op !== ' ') j++;
    const run = script.slice(i, j);
    script.splice(i, j - i, ...run.filter((l) => l.op === '-'), ...run.filter((l) => l.op === '+'));
    i = j;
  }
  return script;
}

/** Hunks with `context` lines of context (git default 3). */
export function diffHunks(oldText: string, newText: string, context = 3): Hunk[] {
  const ops = editScript(splitLines(oldText), splitLines(newText));
  const hunks: Hunk[] = [];
  const changed = ops.map((o, i) => (o.op !== ' ' ? i : -1)).filter((i) => i >= 0);
  if (changed.length === 0) return hunks;
  let start = Math.max(0, changed[0]! - context);
  let end = Math.min(ops.length - 1, changed[0]! + context);
  const ranges: [number, number][] = [];
  for (const c of changed.slice(1)) {
    if (c - context <= end + 1) end = Math.min(ops.length - 1, c + context);
    else {
      ranges.push([start, end]);
      start = Math.max(0, c - context);
      end = Math.min(ops.length - 1, c + context);
    }
  }
  ranges.push([start, end]);
  for (const [s, e] of ranges) {
    const lines = ops.slice(s, e + 1);
    const oldCount = lines.filter((l) => l.op !== '+').length;
    const newCount = lines.filter((l) => l.op !== '-').length;
    // git: start is the first line of the range, or the line before it when the range is empty.
    let oldStart = 0;
    let newStart = 0;
    for (let i = s; i < ops.length; i++) {
      if (ops[i]!.oldLine !== undefined) {
        oldStart = ops[i]!.oldLine!;
        break;
      }
    }
    for (let i = s; i < ops.length; i++) {
      if (ops[i]!.newLine !== undefined) {
        newStart = ops[i]!.newLine!;
        break;
      }
    }
    if (oldCount === 0) oldStart = lastBefore(ops, s, 'oldLine');
    if (newCount === 0) newStart = lastBefore(ops, s, 'newLine');
    hunks.push({ oldStart, oldCount, newStart, newCount, lines });
  }
  return hunks;
}

function lastBefore(ops: DiffLine[], s: number, f: 'oldLine' | 'newLine'): number {
  for (let i = s - 1; i >= 0; i--) if (ops[i]![f] !== undefined) return ops[i]![f]!;
  return 0;
}

const range = (start: number, count: number): string => (count === 1 ? `${start}` : `${start},${count}`);

/** GitHub-style `patch` text; '' when the texts are equal. */
export function unifiedPatch(oldText: string, newText: string, context = 3): string {
  const out: string[] = [];
  for (const h of diffHunks(oldText, newText, context)) {
    out.push(`@@ -${range(h.oldStart, h.oldCount)} +${range(h.newStart, h.newCount)} @@`);
    for (const l of h.lines) {
      out.push(`${l.op}${l.text}`);
      if (l.noNewline) out.push('\\ No newline at end of file');
    }
  }
  return out.join('\n');
}

/**
 * Lines a review comment may target, per side, as GitHub allows: RIGHT = added
 * or context lines of a hunk, LEFT = removed or context lines. Also returns the
 * hunk index of each line (multi-line comments must stay inside one hunk) and
 * the `position` (1-based line index into the patch, hunk headers counted).
 */
export function commentableLines(
  oldText: string,
  newText: string,
): {
  right: Map<number, number>;
  left: Map<number, number>;
  positions: { side: 'LEFT' | 'RIGHT'; line: number }[];
} {
  const right = new Map<number, number>();
  const left = new Map<number, number>();
  const positions: { side: 'LEFT' | 'RIGHT'; line: number }[] = [];
  diffHunks(oldText, newText).forEach((h, hi) => {
    if (hi > 0) positions.push({ side: 'RIGHT', line: -1 }); // the hunk header line counts as a position
    for (const l of h.lines) {
      if (l.newLine !== undefined) right.set(l.newLine, hi);
      if (l.oldLine !== undefined && l.op !== ' ') left.set(l.oldLine, hi);
      if (l.op === ' ' && l.oldLine !== undefined) left.set(l.oldLine, hi);
      positions.push(l.op === '-' ? { side: 'LEFT', line: l.oldLine! } : { side: 'RIGHT', line: l.newLine! });
    }
  });
  return { right, left, positions };
}
