/**
 * A file's `patch` (from `GET /pulls/{n}/files`) → the RIGHT-side lines a review comment may sit on:
 * added lines and context lines inside hunks. Multi-line comments must stay inside one hunk.
 */

export interface Hunk {
  /** First and last RIGHT-side line covered by the hunk (end < start for a pure deletion hunk). */
  start: number;
  end: number;
}

export interface CommentableLines {
  hunks: Hunk[];
  /** RIGHT-side line → index of its hunk. */
  lines: Map<number, number>;
  /** Lines added by the PR (a subset of `lines`). */
  added: Set<number>;
}

const HUNK_RE = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/;

export function parsePatch(patch: string | null | undefined): CommentableLines {
  const out: CommentableLines = { hunks: [], lines: new Map(), added: new Set() };
  if (!patch) return out;
  let right = 0;
  let hunk = -1;
  for (const raw of patch.split('\n')) {
    const m = HUNK_RE.exec(raw);
    if (m) {
      right = Number(m[1]);
      hunk = out.hunks.length;
      const count = m[2] === undefined ? 1 : Number(m[2]);
      out.hunks.push({ start: right, end: right + count - 1 });
      continue;
    }
    if (hunk < 0) continue; // headers before the first hunk (`diff --git`, `---`, `+++`)
    const c = raw[0];
    if (c === '+') {
      out.lines.set(right, hunk);
      out.added.add(right);
      right++;
    } else if (c === ' ' || (raw === '' && right <= (out.hunks[hunk]?.end ?? 0))) {
      out.lines.set(right, hunk);
      right++;
    }
    // '-' lines live on the LEFT side only; '\ No newline at end of file' is not a line.
  }
  return out;
}

/** True when every line of start..end is commentable and they share one hunk. */
export function rangeInOneHunk(c: CommentableLines, start: number, end: number): boolean {
  const h = c.lines.get(start);
  if (h === undefined) return false;
  for (let l = start + 1; l <= end; l++) if (c.lines.get(l) !== h) return false;
  return true;
}
