/**
 * Index entries are what a check holds for every pattern from its first pass to its end: a link shares
 * its type and key path with every other link of that type and position, and an entry takes not much
 * more live heap than its own JSON text.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { loadEntry } from '../../src/cli/fs-corpus.js';
import { DEFAULT_CONFIG, FileSelector } from '../../src/core/config.js';
import { type CorpusEntry, entryFromDocument } from '../../src/core/corpus.js';
import { parseDocument } from '../../src/core/document.js';
import { writeCorpus } from '../../src/synth/generate.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function liveHeap(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

const pattern = (slug: string, weight: string) =>
  Buffer.from(
    `---\nslug: ${slug}\ntitle: T\nlifecycle:\n  status: stable\nrelationships:\n  complementary:\n    - slug: other-pattern-one\n      weight: ${weight}\n    - other-pattern-two\n---\n\n# T\n`,
  );

describe('index entries', () => {
  const root = mkdtempSync(join(tmpdir(), 'gardener-index-memory-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('share link types, key paths and statuses between entries, with every field kept', () => {
    const a = entryFromDocument(parseDocument('a.md', pattern('first-pattern-a', '0.5')));
    const b = entryFromDocument(parseDocument('b.md', pattern('second-pattern-b', '0.25')));
    expect(a.links.map((l) => ({ ...l }))).toEqual([
      { source: 'relationships', type: 'complementary', target: 'other-pattern-one', path: ['relationships', 'complementary', 0], shape: 'slug', weight: 0.5 },
      { source: 'relationships', type: 'complementary', target: 'other-pattern-two', path: ['relationships', 'complementary', 1], shape: 'string' },
    ]);
    expect(b.links[0]?.weight).toBe(0.25);
    for (const i of [0, 1]) {
      expect(b.links[i]?.path).toBe(a.links[i]?.path);
      expect(b.links[i]?.type).toBe(a.links[i]?.type);
    }
    expect(b.status).toBe(a.status);
    expect(a.declaredSlug).toBe(a.slug);
  });

  it('take less than 1.4 times the bytes of their JSON in live heap', () => {
    const dir = join(root, 'synth');
    writeCorpus(dir, { count: 1600, seed: 5 });
    const files = readdirSync(dir).sort();
    const selector = new FileSelector(DEFAULT_CONFIG);
    const load = (n: number): CorpusEntry[] => files.slice(0, n).map((f) => loadEntry(dir, f, selector, DEFAULT_CONFIG.limits));
    load(200);
    const before = liveHeap();
    const small = load(400);
    const mid = liveHeap();
    const large = load(1600);
    const after = liveHeap();
    const jsonBytes = large.slice(400).reduce((n, e) => n + JSON.stringify(e).length, 0);
    // Bytes per entry added beyond the first 400, with the 400 still held.
    const perEntry = (after - mid) / 1600;
    expect(small.length + large.length).toBe(2000);
    expect(mid - before).toBeGreaterThan(0);
    // About 1.1 times its JSON; with a path array, type copy and property array per link, 1.9 times.
    expect(perEntry).toBeLessThan((1.4 * jsonBytes) / 1200);
  }, 120_000);
});
