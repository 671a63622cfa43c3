/**
 * The link index's token cache: an index built with cached token statistics equals one built by scanning
 * (proposals, their reasons and shared terms, similarities), whatever earlier indexes filled the cache
 * and in whatever order; only records whose text is new are scanned; the cache stays within its budget.
 */
import { describe, expect, it } from 'vitest';
import { LinkIndex } from '../../src/links/index.js';
import type { LinkRecord } from '../../src/links/record.js';
import { TokenStatsCache } from '../../src/links/token-cache.js';
import { prng } from '../../src/synth/generate.js';
import { linkRecord } from '../helpers/link-record.js';

const WORDS =
  'commons steward water seed trust resource garden tool library repair shared watershed Forest Council Mutual Aid Network harvest compost cooperative ledger quorum consent rotation tending boundary monitoring sanction conflict nested enterprise'.split(
    ' ',
  );

function records(n: number, seed: number, variant = ''): LinkRecord[] {
  const rand = prng(seed);
  const pick = () => WORDS[Math.floor(rand() * WORDS.length)]!;
  const out: LinkRecord[] = [];
  for (let i = 0; i < n; i++) {
    const slug = `p-${i}`;
    const body = Array.from({ length: 40 + Math.floor(rand() * 80) }, pick).join(' ') + variant;
    out.push(
      linkRecord(slug, body, [{ target: `p-${(i + 1) % n}`, type: 'complementary' }], {
        title: `${pick()} ${pick()}`,
        summary: `${pick()} ${pick()} ${pick()}.`,
        keywords: [pick(), `${pick()}-${pick()}`],
        communities: [`${pick()}-${pick()}`],
      }),
    );
  }
  return out;
}

/** Everything an index answers that a review shows. */
function answers(index: LinkIndex, slugs: string[]): unknown {
  return slugs.map((s) => ({ s, proposals: index.propose(s, 8), sim: slugs.slice(0, 10).map((t) => index.similarity(s, t)) }));
}

describe('TokenStatsCache in LinkIndex', () => {
  it('builds the same index as a scan, cold or warm, after other indexes and in another order', () => {
    const recs = records(120, 1);
    const slugs = recs.map((r) => r.slug);
    const want = answers(new LinkIndex(recs), slugs);
    const cache = new TokenStatsCache(64 * 1024 * 1024);
    expect(answers(new LinkIndex(recs, { tokenCache: cache }), slugs)).toEqual(want);
    expect(cache.size).toBe(120);
    // warm: nothing scanned again
    const misses = cache.misses;
    expect(answers(new LinkIndex(recs, { tokenCache: cache }), slugs)).toEqual(want);
    expect(cache.misses).toBe(misses);
    // filled in another order and by another corpus first: term ids and surfaces still come out as a scan's
    const other = new TokenStatsCache(64 * 1024 * 1024);
    new LinkIndex(records(50, 2), { tokenCache: other });
    new LinkIndex([...recs].reverse(), { tokenCache: other });
    expect(answers(new LinkIndex(recs, { tokenCache: other }), slugs)).toEqual(want);
    expect(answers(new LinkIndex([...recs].reverse(), { tokenCache: other }), slugs)).toEqual(answers(new LinkIndex([...recs].reverse()), slugs));
  });

  it('scans only the records whose text changed', () => {
    const recs = records(80, 3);
    const cache = new TokenStatsCache(64 * 1024 * 1024);
    new LinkIndex(recs, { tokenCache: cache });
    const changed = recs.map((r, i) => (i % 10 === 0 ? { ...r, body: `${r.body} freshly edited words` } : r));
    const before = cache.misses;
    const warm = new LinkIndex(changed, { tokenCache: cache });
    expect(cache.misses - before).toBe(8);
    const slugs = changed.map((r) => r.slug);
    expect(answers(warm, slugs)).toEqual(answers(new LinkIndex(changed), slugs));
  });

  it('keeps within its byte budget, dropping the least recently used', () => {
    const cache = new TokenStatsCache(40_000);
    new LinkIndex(records(200, 4), { tokenCache: cache });
    expect(cache.weight).toBeLessThanOrEqual(40_000);
    expect(cache.size).toBeGreaterThan(0);
    expect(cache.size).toBeLessThan(200);
  });

  it('is not used when a field is not scanned whole (body cut, zero weight)', () => {
    const recs = records(30, 5);
    const cache = new TokenStatsCache(64 * 1024 * 1024);
    new LinkIndex(recs, { tokenCache: cache, maxBodyChars: 100 });
    new LinkIndex(recs, { tokenCache: cache, fields: { tension: 0 } });
    expect(cache.size).toBe(0);
  });
});

describe('term counts while the vocabulary grows', () => {
  // Many distinct words make the index enlarge its per-term arrays in the middle of a record's fields;
  // a count left in a replaced array would leak into later records and make scores depend on order.
  function wideRecords(n: number): LinkRecord[] {
    const rand = prng(7);
    const word = () => `w${Math.floor(rand() * 30000).toString(36)}`;
    return Array.from({ length: n }, (_, i) =>
      linkRecord(`q-${i}`, Array.from({ length: 120 }, word).join(' '), [], {
        title: `${word()} ${word()}`,
        summary: `${word()} ${word()} ${word()}.`,
        keywords: [word(), word()],
      }),
    );
  }

  it('gives the same similarities whatever the insertion order', () => {
    const recs = wideRecords(160);
    const forward = new LinkIndex(recs);
    const backward = new LinkIndex([...recs].reverse());
    const slugs = recs.map((r) => r.slug);
    let compared = 0;
    for (const s of slugs.slice(0, 40)) {
      for (const t of slugs.slice(80, 120)) {
        expect(backward.similarity(s, t)).toBeCloseTo(forward.similarity(s, t), 9);
        compared++;
      }
    }
    expect(compared).toBe(1600);
  });
});
