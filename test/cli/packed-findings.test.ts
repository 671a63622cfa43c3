/**
 * Packed findings come back exactly as they went in (what JSON keeps of them), in the order of a stable
 * sort of all of them, and take less room than their JSON.
 */
import { describe, expect, it } from 'vitest';
import { PackedFindings } from '../../src/cli/packed-findings.js';
import { compareFindings, type Finding } from '../../src/core/finding.js';

/** A small deterministic generator (no dependence on Math.random). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function finding(r: () => number, file: string): Finding {
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const line = 1 + Math.floor(r() * 5);
  const f: Finding = {
    rule: pick(['links/reciprocal', 'schema/invalid', 'body/missing-section']),
    severity: pick(['error', 'warning', 'notice'] as const),
    file,
    line,
    column: 1 + Math.floor(r() * 3),
    endLine: line + Math.floor(r() * 2),
    message: pick(['plain', 'quotes "x" \\ and \u2028 and \ud800 lone', '']),
    target: pick(['a', 'b', 'relationships.enables[0]']),
  };
  if (r() < 0.3) f.endColumn = 7;
  if (r() < 0.4)
    f.fix = {
      description: 'Add it',
      edits:
        r() < 0.2
          ? []
          : [
              { line, endLine: line, text: '  a: 1\n' },
              { line: 9, endLine: 10, text: '' },
            ],
    };
  if (r() < 0.2) f.candidates = ['x', 'y'];
  return f;
}

describe('packed findings', () => {
  it('give back what JSON keeps of each finding, in stable sorted order, across chunks, files and roots', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const r = rng(seed);
      const packed = new PackedFindings();
      const all: { f: Finding; root: string }[] = [];
      const files = ['a.md', 'b.md', 'c/d.md', 'c.md', 'é.md'];
      for (let k = 0; k < 12; k++) {
        // Several adds may name the same file (two targets with the same file names), in any order.
        const root = r() < 0.5 ? '/one' : '/two';
        const file = files[Math.floor(r() * files.length)] as string;
        const list = Array.from({ length: Math.floor(r() * 6) }, () => finding(r, r() < 0.9 ? file : 'z.md'));
        if (r() < 0.2 && list[0]) (list[0] as unknown as Record<string, unknown>).extra = { kept: true };
        if (r() < 0.1 && list[0]) (list[0] as unknown as Record<string, unknown>).endColumn = undefined;
        const copies = list.map((f) => ({ f: JSON.parse(JSON.stringify(f)) as Finding, root }));
        all.push(...copies);
        packed.add(list, root);
      }
      const expected = [...all].sort((x, y) => compareFindings(x.f, y.f));
      const roots: string[] = [];
      const got = packed.unpack((_, root) => roots.push(root));
      expect(got).toStrictEqual(expected.map((x) => x.f));
      expect(roots).toEqual(expected.map((x) => x.root));
      expect(packed.length).toBe(0);
    }
  });

  it('take less than two thirds of the JSON of the same findings', () => {
    const r = rng(7);
    const packed = new PackedFindings();
    let json = 0;
    for (let i = 0; i < 200; i++) {
      const file = `patterns/some-pattern-name-${i}.md`;
      const list = Array.from({ length: 5 }, () => finding(r, file));
      json += JSON.stringify(list).length;
      packed.add(list);
    }
    const t = packed.transfer();
    const bytes = t.chunks.reduce((n, c) => n + c.length, 0) + t.files.reduce((n, f) => n + f.length, 0);
    expect(t.count).toBe(1000);
    expect(bytes).toBeLessThan((json * 2) / 3);
  });
});
