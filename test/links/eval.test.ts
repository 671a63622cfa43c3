import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { evalLinks, letterShares } from '../../src/links/eval.js';
import { loadRecords } from '../../src/links/corpus.js';
import { linkRecord } from '../helpers/link-record.js';
import { evalLinksCommand } from '../../src/cli/commands/eval-links.js';

const MINI = fileURLToPath(new URL('../../fixtures/links/mini', import.meta.url));

const rec = linkRecord;

describe('evalLinks', () => {
  it('hides the query’s own links, graph_garden and every link to it', async () => {
    // q and secret share no words; only links (both ways), an inferred link and entities connect them.
    const records = [
      rec('q', 'alpha beta gamma', [{ target: 'secret', type: 'enables' }], {
        entities: ['Zeta Omega'],
        inferred: [{ target: 'secret', type: 'complementary' }],
      }),
      rec('secret', 'zeta omega', [{ target: 'q', type: 'requires' }]),
      rec('other', 'alpha beta delta'),
    ];
    const r = await evalLinks({ records, truth: { queries: { q: [{ target: 'secret', type: 'enables' }] } }, k: 5 });
    expect(r.queries).toBe(1);
    expect(r.perQuery[0]!.proposed).not.toContain('secret');
    expect(r.perQuery[0]!.proposed).toContain('other');
    expect(r.recall).toBe(0);
  });

  it('scores recall@k = hits / min(|truth|, k) and restores the index between queries', async () => {
    const r = await evalLinks({
      corpusDir: MINI,
      truth: { queries: { 'drought-rationing': [{ target: 'rain-harvesting' }, { target: 'cooperative-bank' }] } },
      k: 1,
    });
    expect(r.perQuery[0]!.proposed).toHaveLength(1);
    expect(r.recall).toBe(r.perQuery[0]!.hits.length / 1);
    // without truth: the corpus's own hard links whose targets exist
    const own = await evalLinks({ records: loadRecords(MINI), k: 10 });
    const q = own.perQuery.find((x) => x.slug === 'rain-harvesting')!;
    expect(q.truth.sort()).toEqual(['greywater-reuse', 'watershed-council']);
    expect(own.perQuery.find((x) => x.slug === 'cooperative-bank')!.truth).toEqual(['community-loan-fund']); // dangling target dropped
    expect(own.perQuery.find((x) => x.slug === 'legacy-water-tariff')!.truth.sort()).toEqual(['drought-rationing']);
  });
});

describe('typed recall and first-letter shares', () => {
  it('counts a typed hit only when the proposed type is one the truth gives', async () => {
    const records = [rec('q', 'alpha beta gamma'), rec('near', 'alpha beta gamma delta'), rec('far', 'alpha epsilon')];
    const right = await evalLinks({ records, truth: { queries: { q: [{ target: 'near', type: 'complementary' }] } }, k: 1 });
    expect(right.recall).toBe(1);
    expect(right.typedRecall).toBe(1); // no evidence of another type: complementary
    const wrong = await evalLinks({ records, truth: { queries: { q: [{ target: 'near', type: 'requires' }] } }, k: 1 });
    expect(wrong.recall).toBe(1);
    expect(wrong.typedRecall).toBe(0);
    expect(wrong.perQuery[0]!.types).toEqual(['complementary']);
  });

  it('reports the given letters and the most over-represented one', () => {
    const slugs = ['apple', 'avocado', 'banana', 'cherry', 'date', 'elder', 'fig', 'grape', 'kiwi', 'lime'];
    const targets = [...Array(12).fill('kiwi'), ...Array(4).fill('apple'), ...Array(4).fill('banana')];
    const shares = letterShares(slugs, targets, ['a']);
    expect(shares[0]).toMatchObject({ letter: 'a', proposalShare: 0.2, slugShare: 0.2, proposals: 20 });
    expect(shares[1]).toMatchObject({ letter: 'k', proposalShare: 0.6, slugShare: 0.1 });
    expect(shares).toHaveLength(2);
  });
});

describe('evalLinksCommand', () => {
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s) } };
  };
  it('exits 2 on usage errors', async () => {
    const a = io();
    expect(await evalLinksCommand([], a.io)).toBe(2);
    expect(await evalLinksCommand(['--corpus', MINI, '--k', 'x'], a.io)).toBe(2);
    expect(await evalLinksCommand(['--bogus'], a.io)).toBe(2);
    expect(await evalLinksCommand(['--corpus', '/nonexistent/dir'], a.io)).toBe(2);
    expect(a.err.join('')).toMatch(/usage: gardener eval-links/);
  });
  it('prints the JSON report', async () => {
    const a = io();
    expect(await evalLinksCommand(['--corpus', MINI, '--k', '5', '--json'], a.io)).toBe(0);
    const r = JSON.parse(a.out.join('')) as { queries: number; k: number; recall: number; perQuery: unknown[] };
    expect(r.k).toBe(5);
    expect(r.queries).toBeGreaterThan(0);
    expect(r.perQuery).toHaveLength(r.queries);
    expect(r.recall).toBeGreaterThanOrEqual(0);
  });
});
