/** The directed key-path lookup must agree with the full source map wherever it answers. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/core/document.js';
import { locatePath, scanBlockYaml } from '../../src/core/source-map.js';
import { corpusFiles, realCorpus, skipMessage } from '../helpers/corpus.js';
import { buildPattern } from '../helpers/pattern.js';

function keyPaths(yaml: string): { path: string[]; line: number; column: number; endLine: number }[] {
  const lines = yaml.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const map = scanBlockYaml(lines, 2);
  if (!map) return [];
  const out = [];
  for (const [k, loc] of map.entries()) {
    const segs = k.split('\u0001');
    if (segs.some((s) => s.startsWith('#'))) continue;
    out.push({ path: segs.map((s) => s.slice(1)), ...loc });
  }
  return out;
}

describe('locatePath', () => {
  it('finds nested keys, the end of their blocks, and same-indent lists', () => {
    const yaml = 'a: 1\nb:\n  c:\n    - x\n    - y\n  d: |\n    e: not a key\n  f:\n  - g\nh: 2\n';
    expect(locatePath(yaml, ['b', 'c'], 2)).toEqual({ line: 4, column: 3, endLine: 6 });
    expect(locatePath(yaml, ['b', 'd'], 2)).toEqual({ line: 7, column: 3, endLine: 8 });
    expect(locatePath(yaml, ['b', 'e'], 2)).toBeNull(); // inside a block scalar, not a key
    expect(locatePath(yaml, ['b', 'f'], 2)).toEqual({ line: 9, column: 3, endLine: 10 });
    expect(locatePath(yaml, ['h'], 2)).toEqual({ line: 11, column: 1, endLine: 11 });
  });

  it('gives up instead of guessing on flow style, quoted keys and list paths', () => {
    expect(locatePath('a: {b: 1}\n', ['a', 'b'], 2)).toBeNull();
    expect(locatePath('"a": 1\n', ['a'], 2)).toBeNull();
    expect(locatePath('a:\n  - b: 1\n', ['a', 'b'], 2)).toBeNull();
    expect(locatePath('a:\n\tb: 1\n', ['a', 'b'], 2)).toBeNull();
  });

  it('agrees with the full map on every key path of a generated pattern', () => {
    const doc = parseDocument('p.md', buildPattern({ slug: 'seed-library' }));
    const paths = keyPaths(doc.frontmatter!.yaml);
    expect(paths.length).toBeGreaterThan(30);
    for (const p of paths) {
      const q = locatePath(doc.frontmatter!.yaml, p.path, 2);
      if (q) expect(q, p.path.join('.')).toEqual({ line: p.line, column: p.column, endLine: p.endLine });
    }
  });

  it('finds list items and keys inside them, and gives up on flow lists and nested compact lists', () => {
    const yaml = 'rel:\n  enables:\n    - slug: a\n      weight: 1\n    - b\n  requires:\n  - slug: c\nflow: [x, y]\nnest:\n  - - z\n';
    expect(locatePath(yaml, ['rel', 'enables', 0], 2)).toEqual({ line: 4, column: 5, endLine: 5 });
    expect(locatePath(yaml, ['rel', 'enables', 0, 'weight'], 2)).toEqual({ line: 5, column: 7, endLine: 5 });
    expect(locatePath(yaml, ['rel', 'enables', 0, 'slug'], 2)).toEqual({ line: 4, column: 7, endLine: 4 });
    expect(locatePath(yaml, ['rel', 'enables', 1], 2)).toEqual({ line: 6, column: 5, endLine: 6 });
    expect(locatePath(yaml, ['rel', 'enables', 2], 2)).toBeNull();
    expect(locatePath(yaml, ['rel', 'requires', 0, 'slug'], 2)).toEqual({ line: 8, column: 5, endLine: 8 });
    expect(locatePath(yaml, ['flow', 1], 2)).toBeNull();
    expect(locatePath(yaml, ['nest', 0, 0], 2)).toBeNull();
  });

  const dir = realCorpus();
  it.skipIf(!dir)('with list indexes, agrees with the full map on every path of the first 800 real files', () => {
    let compared = 0;
    for (const f of corpusFiles(dir!).slice(0, 800)) {
      const doc = parseDocument(f, readFileSync(join(dir!, f)));
      if (!doc.frontmatter?.data) continue;
      const lines = doc.frontmatter.yaml.split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      const map = scanBlockYaml(lines, 2);
      if (!map) continue;
      for (const [k, loc] of map.entries()) {
        const p = k.split('\u0001').map((s) => (s.startsWith('#') ? Number(s.slice(1)) : s.slice(1)));
        const q = locatePath(doc.frontmatter.yaml, p, 2);
        if (q === null) continue; // unsure: the caller uses the full map
        // toEqual (and its message) only where the cheap comparison disagrees: 50,000 toEqual calls cost seconds.
        if (!isDeepStrictEqual(q, loc)) expect(q, `${f}: ${p.join('.')}`).toEqual(loc);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(50_000);
  });

  it.skipIf(!dir)('agrees with the full map on every key path of the first 800 real files', () => {
    let compared = 0;
    for (const f of corpusFiles(dir!).slice(0, 800)) {
      const doc = parseDocument(f, readFileSync(join(dir!, f)));
      if (!doc.frontmatter?.data) continue;
      for (const p of keyPaths(doc.frontmatter.yaml)) {
        const q = locatePath(doc.frontmatter.yaml, p.path, 2);
        const want = { line: p.line, column: p.column, endLine: p.endLine };
        if (!isDeepStrictEqual(q, want)) expect(q, `${f}: ${p.path.join('.')}`).toEqual(want);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(20_000);
  });
  if (!dir) it('real corpus comparison', () => console.log(skipMessage('locateKeyPath corpus comparison')));
});

describe('ParsedDocument.find / locate answer repeated questions from a memo', () => {
  it('keeps paths apart that a naive joined key would confuse, in either order', () => {
    const text = '---\na.b: 1\na:\n  b: 2\nc:\n  - x\n"c#0;": 3\n---\nbody\n';
    for (const order of [0, 1]) {
      const doc = parseDocument('m.md', text);
      const ask = order === 0 ? [['a.b'], ['a', 'b'], ['c', 0], ['c#0;']] : [['c#0;'], ['c', 0], ['a', 'b'], ['a.b']];
      for (let round = 0; round < 2; round++) for (const p of ask) doc.find(p);
      expect(doc.find(['a.b'])?.line).toBe(2);
      expect(doc.find(['a', 'b'])?.line).toBe(4);
      expect(doc.locate(['c', 0]).line).toBe(6);
      expect(doc.locate(['c#0;']).line).toBe(7);
      expect(doc.find(['a', 'zz'])).toBeUndefined();
      expect(doc.find(['a', 'zz'])).toBeUndefined(); // a remembered miss stays a miss
      expect(doc.locate(['a', 'zz']).line).toBe(3); // locate falls back to the nearest ancestor
    }
  });
});
