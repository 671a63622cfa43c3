import { describe, expect, it } from 'vitest';
import { commentableLines, unifiedPatch } from '../../src/standin/diff.js';

/** Apply a GitHub-style patch (hunks only) to `old`; throws when it does not apply. */
function applyPatch(old: string, patch: string): string {
  if (patch === '') return old;
  const src = old === '' ? [] : old.split('\n');
  const oldHasNl = old.endsWith('\n');
  if (oldHasNl) src.pop();
  const out: string[] = [];
  let pos = 0;
  let newNoNl = false;
  const lines = patch.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const m = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@$/.exec(l);
    if (m) {
      const start = Number(m[1]);
      const count = m[2] === undefined ? 1 : Number(m[2]);
      const from = count === 0 ? start : start - 1;
      while (pos < from) out.push(src[pos++]!);
      continue;
    }
    if (l === '\\ No newline at end of file') {
      if (lines[i - 1]!.startsWith('-')) continue;
      newNoNl = true;
      continue;
    }
    const op = l[0];
    const text = l.slice(1);
    if (op === ' ' || op === '-') {
      if (src[pos] !== text) throw new Error(`mismatch at old line ${pos + 1}: ${JSON.stringify(src[pos])} vs ${JSON.stringify(text)}`);
      pos++;
      if (op === ' ') out.push(text);
    } else if (op === '+') out.push(text);
    else throw new Error(`bad line ${JSON.stringify(l)}`);
  }
  while (pos < src.length) out.push(src[pos++]!);
  if (out.length === 0) return '';
  const tailNoNl = newNoNl || (!oldHasNl && pos === src.length && !patch.includes('\\ No newline'));
  return out.join('\n') + (tailNoNl ? '' : '\n');
}

describe('unifiedPatch', () => {
  it('formats an added file like GitHub', () => {
    expect(unifiedPatch('', 'a\nb\n')).toBe('@@ -0,0 +1,2 @@\n+a\n+b');
    expect(unifiedPatch('a\n', '')).toBe('@@ -1 +0,0 @@\n-a');
    expect(unifiedPatch('a', 'a\n')).toBe('@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+a');
    expect(unifiedPatch('same\n', 'same\n')).toBe('');
  });

  it('uses three lines of context and splits distant changes into hunks', () => {
    const a = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
    const b = a.replace('line 2\n', 'line two\n').replace('line 18\n', 'line 18\nextra\n');
    expect(unifiedPatch(a, b)).toBe(
      [
        '@@ -1,5 +1,5 @@',
        ' line 1',
        '-line 2',
        '+line two',
        ' line 3',
        ' line 4',
        ' line 5',
        '@@ -16,5 +16,6 @@',
        ' line 16',
        ' line 17',
        ' line 18',
        '+extra',
        ' line 19',
        ' line 20',
      ].join('\n'),
    );
    const c = commentableLines(a, b);
    expect([...c.right.keys()]).toEqual([1, 2, 3, 4, 5, 16, 17, 18, 19, 20, 21]);
    expect(c.left.has(2)).toBe(true);
    expect(c.right.has(10)).toBe(false);
    expect(c.positions[1]).toEqual({ side: 'LEFT', line: 2 });
  });

  it('produces patches that apply, on random edits', () => {
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let t = 0; t < 500; t++) {
      const a: string[] = [];
      for (let i = 0; i < rnd(30); i++) a.push(`l${rnd(6)}`);
      const b = a.slice();
      for (let k = 0; k < rnd(8); k++) {
        const op = rnd(3);
        const i = rnd(b.length + 1);
        if (op === 0) b.splice(i, 0, `n${rnd(6)}`);
        else if (op === 1) b.splice(i, 1);
        else if (i < b.length) b[i] = `m${rnd(4)}`;
      }
      const A = a.length ? a.join('\n') + (rnd(4) ? '\n' : '') : '';
      const B = b.length ? b.join('\n') + (rnd(4) ? '\n' : '') : '';
      const p = unifiedPatch(A, B);
      expect(applyPatch(A, p), JSON.stringify({ A, B, p })).toBe(B);
    }
  });
});
