import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadRecords } from '../../src/links/corpus.js';
import { LinkIndex } from '../../src/links/index.js';
import { planInferredLinks } from '../../src/links/prune.js';
import { DEFAULT_CONFIG } from '../../src/core/config.js';
import { removeTree, runCli, writeTree } from '../helpers/cli.js';
import { linkRecord } from '../helpers/link-record.js';

const MINI = fileURLToPath(new URL('../../fixtures/links/mini', import.meta.url));

interface Out {
  proposals: { file: string; slug: string; links: { target: string; type: string; confidence: number; reason: string }[] }[];
}

describe('gardener propose', () => {
  it('prints, as json, what the review would add to every pattern, above the threshold', async () => {
    const r = await runCli(['propose', MINI, '--format', 'json', '--min-confidence', '0']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Out;
    const records = loadRecords(MINI);
    expect(out.proposals.map((p) => p.file).sort()).toEqual(records.map((x) => x.file).sort());
    const index = new LinkIndex(records);
    for (const p of out.proposals) {
      expect(Object.keys(p).sort()).toEqual(['file', 'links', 'slug']);
      const plan = planInferredLinks(records.find((x) => x.slug === p.slug)!, index, { max: DEFAULT_CONFIG.links.maxInferred, minConfidence: 0 });
      expect(p.links).toEqual(plan.add);
      for (const l of p.links) {
        expect(Object.keys(l).sort()).toEqual(['confidence', 'reason', 'target', 'type']);
        expect(l.reason).not.toBe('');
      }
    }
    expect(out.proposals.some((p) => p.links.length > 0)).toBe(true);

    // a threshold keeps exactly the proposals at or above it
    const all = out.proposals.flatMap((p) => p.links.map((l) => l.confidence)).sort();
    const mid = all[Math.floor(all.length / 2)]!;
    const cut = JSON.parse((await runCli(['propose', MINI, '--format', 'json', '--min-confidence', String(mid)])).stdout) as Out;
    const kept = cut.proposals.flatMap((p) => p.links);
    expect(kept.every((l) => l.confidence >= mid)).toBe(true);
    expect(kept.length).toBe(all.filter((c) => c >= mid).length);
  });

  it('limits to the given files and to --k additions, in text', async () => {
    const r = await runCli(['propose', MINI, 'rain-harvesting.md', '--k', '1', '--min-confidence', '0']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('rain-harvesting.md (rain-harvesting)');
    expect(lines[1]).toMatch(/^ {2}\+ \S+ {2}\S+ {2}\d\.\d\d {2}\S/);
    expect(lines.filter((l) => l.startsWith('  + '))).toHaveLength(1);
    expect(lines.at(-1)).toBe('1 proposal for 1 of 1 pattern (confidence ≥ 0).');
  });

  it('says once when nothing was good enough', async () => {
    const r = await runCli(['propose', MINI, '--min-confidence', '1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('No link reached confidence 1 for the 8 patterns: nothing to propose.\n');
    const j = JSON.parse((await runCli(['propose', MINI, '--min-confidence', '1', '--format', 'json'])).stdout) as Out;
    expect(j.proposals.every((p) => p.links.length === 0)).toBe(true);
  });

  it('honours links.rejected and links.minConfidence from the config', async () => {
    const open = JSON.parse((await runCli(['propose', MINI, 'rain-harvesting.md', '--format', 'json', '--min-confidence', '0'])).stdout) as Out;
    const first = open.proposals[0]!.links[0]!.target;
    const dir = writeTree({ 'c.yml': `links:\n  minConfidence: 0\n  rejected: ['rain-harvesting->${first}']\n` });
    try {
      const r = JSON.parse((await runCli(['propose', MINI, 'rain-harvesting.md', '--format', 'json', '--config', `${dir}/c.yml`])).stdout) as Out;
      expect(r.proposals[0]!.links.map((l) => l.target)).not.toContain(first);
      expect(r.proposals[0]!.links.length).toBeGreaterThan(0);
    } finally {
      removeTree(dir);
    }
  });

  it('exits 2 on usage problems', async () => {
    for (const argv of [
      ['propose'],
      ['propose', '/nonexistent/dir'],
      ['propose', MINI, '--format', 'xml'],
      ['propose', MINI, '--k', '0'],
      ['propose', MINI, 'no-such.md'],
      ['propose', MINI, '--min-confidence', '2'],
    ]) {
      const r = await runCli(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).not.toBe('');
    }
  });
});

describe("a pattern's own inferred links", () => {
  it('are not evidence for its own proposals', () => {
    const base = [
      linkRecord('q', 'rain water tanks roofs gutters', [{ target: 'a1', type: 'enables' }]),
      linkRecord('a1', 'rain water tanks roofs'),
      linkRecord('b1', 'gutters roofs cisterns'),
      linkRecord('c1', 'bicycles lanes streets'),
      linkRecord('d1', 'bicycles lanes parking', [{ target: 'c1', type: 'complementary' }]),
    ];
    const withInferred = base.map((r) => (r.slug === 'q' ? { ...r, inferred: [{ target: 'c1', type: 'enables', confidence: 0.9 }] } : r));
    const plain = new LinkIndex(base).propose('q', 10, { excludeInferred: false });
    const seeded = new LinkIndex(withInferred).propose('q', 10, { excludeInferred: false });
    expect(seeded).toEqual(plain);
  });
});
