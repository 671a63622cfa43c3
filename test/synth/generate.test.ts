import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from '../../src/core/document.js';
import { generateCorpus, generatePattern } from '../../src/synth/generate.js';
import { recordFromDocument } from '../../src/links/record.js';
import { LinkIndex } from '../../src/links/index.js';
import { synthCommand } from '../../src/cli/commands/synth.js';

describe('synthetic corpus', () => {
  it('is deterministic per seed and differs across seeds', () => {
    expect(generatePattern(5, { count: 50, seed: 3 })).toEqual(generatePattern(5, { count: 50, seed: 3 }));
    expect(generatePattern(5, { count: 50, seed: 3 }).text).not.toBe(generatePattern(5, { count: 50, seed: 4 }).text);
  });

  it('produces v7.1 patterns with 8 sections, hard and inferred links, dangling links and stale dates', () => {
    const files = [...generateCorpus({ count: 200, seed: 9 })];
    const docs = files.map((f) => parseDocument(f.file, f.text));
    const slugs = new Set(docs.map((d) => d.slug));
    expect(slugs.size).toBe(200);
    let dangling = 0;
    let stale = 0;
    let inferred = 0;
    for (const d of docs) {
      expect(d.problems).toEqual([]);
      expect(d.kind).toBe('commons-pattern');
      const secs = d.sections().filter((s) => s.number !== undefined);
      expect(secs.map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(secs[3]!.words).toBeGreaterThanOrEqual(250);
      const r = recordFromDocument(d);
      dangling += r.links.filter((l) => !slugs.has(l.target)).length;
      inferred += r.inferred.length;
      if ((r.lastPruned ?? '9999') < '2026-01-01') stale++;
    }
    expect(dangling).toBeGreaterThan(0);
    expect(inferred).toBeGreaterThan(50);
    expect(stale).toBeGreaterThan(10);
    expect(stale).toBeLessThan(100);
  });

  it('has topical clusters, so proposals stay within a topic', () => {
    const recs = [...generateCorpus({ count: 300, seed: 2 })].map((f) => recordFromDocument(parseDocument(f.file, f.text)));
    const idx = new LinkIndex(recs);
    const kw = new Map(recs.map((r) => [r.slug, r.communities[0]]));
    let same = 0;
    let total = 0;
    for (const r of recs.slice(0, 40)) {
      for (const p of idx.propose(r.slug, 5)) {
        total++;
        if (kw.get(p.target) === kw.get(r.slug)) same++;
      }
    }
    expect(same / total).toBeGreaterThan(0.8);
  });

  it('synth command writes files and rejects bad usage', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s) };
    expect(await synthCommand(['--count', 'x', '--out', '/tmp/nowhere'], io)).toBe(2);
    expect(await synthCommand(['--out', '/tmp/nowhere'], io)).toBe(2);
    const dir = mkdtempSync(join(tmpdir(), 'synth-'));
    try {
      expect(await synthCommand(['--count', '12', '--out', dir, '--seed', '5'], io)).toBe(0);
      expect(readdirSync(dir)).toHaveLength(12);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
