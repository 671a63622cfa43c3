/**
 * Taking over the documents of another index (`TakenDoc`): the index built that way is the index built
 * from the records alone, field for field (vocabulary order and surfaces, documents, postings, graph),
 * and only the records that cannot be taken over are read.
 */
import { describe, expect, it } from 'vitest';
import { LinkIndex, type TakenDoc } from '../../src/links/index.js';
import type { LinkRecord } from '../../src/links/record.js';
import { prng } from '../../src/synth/generate.js';
import { linkRecord } from '../helpers/link-record.js';

const WORDS =
  'commons steward water seed trust resource garden tool library repair shared watershed Forest Council Mutual Aid Network harvest compost cooperative ledger quorum consent rotation tending boundary monitoring sanction conflict nested enterprise'.split(
    ' ',
  );

function records(n: number, seed: number): LinkRecord[] {
  const rand = prng(seed);
  const pick = () => WORDS[Math.floor(rand() * WORDS.length)]!;
  // A few rare words per record, so that many terms are first met in a record that a change can drop.
  const rare = () => `rare${Math.floor(rand() * 400)}`;
  return Array.from({ length: n }, (_, i) =>
    linkRecord(
      `p-${i}`,
      `${Array.from({ length: 30 + Math.floor(rand() * 60) }, pick).join(' ')} ${rare()} ${rare()} Rare${Math.floor(rand() * 400)}s.`,
      [{ target: `p-${(i + 1 + Math.floor(rand() * 5)) % n}`, type: i % 3 ? 'complementary' : 'enables' }],
      {
        title: `${pick()} ${pick()}`,
        summary: `${pick()} ${pick()} ${rare()}.`,
        keywords: [pick(), `${pick()}-${pick()}`],
        communities: [`${pick()}-${pick()}`],
        group: i % 2 ? 'a' : 'b',
      },
    ),
  );
}

/** Everything an index holds, as plain data (term arrays cut to the vocabulary). */
function state(index: LinkIndex): unknown {
  const x = index as unknown as {
    scanner: { termStrings: string[]; surfaces: string[]; vocabularySize: number };
    docs: Record<string, unknown>[];
    df: Int32Array;
    introducedBy: Int32Array;
    idf: Float64Array;
    postStart: Int32Array;
    postDoc: Int32Array;
    postW: Float32Array;
    out: unknown;
    inn: unknown;
    groupLift: unknown;
    quarantinedLetters: unknown;
    bySlug: Map<string, number>;
    byId: Map<string, number>;
    maxIn: number;
  };
  const V = x.scanner.vocabularySize;
  return {
    terms: x.scanner.termStrings,
    surfaces: x.scanner.surfaces,
    docs: x.docs.map((d) => ({ ...d })),
    df: [...x.df.subarray(0, V)],
    introducedBy: [...x.introducedBy.subarray(0, V)],
    idf: x.idf,
    postStart: x.postStart,
    postDoc: x.postDoc,
    postW: x.postW,
    out: x.out,
    inn: x.inn,
    groupLift: x.groupLift,
    quarantined: x.quarantinedLetters,
    bySlug: [...x.bySlug],
    byId: [...x.byId],
    maxIn: x.maxIn,
  };
}

/** Items for `next` taking over the documents of `donor` (built from `before`) whose record is the same object. */
function takeOverItems(donor: LinkIndex, before: LinkRecord[], next: LinkRecord[], reads: LinkRecord[]): (LinkRecord | TakenDoc)[] {
  const at = new Map(before.map((r, k) => [r, k]));
  return next.map((r) => {
    const k = at.get(r);
    if (k === undefined) {
      reads.push(r);
      return r;
    }
    return {
      takeOver: donor,
      doc: k,
      record: () => {
        reads.push(r);
        return r;
      },
    };
  });
}

describe('LinkIndex taking over another index', () => {
  it('equals the index built from the records, after edits, removals, additions, moves and a duplicate slug', () => {
    const a = records(150, 11);
    const donor = new LinkIndex(a);
    const b = [...a];
    // edits: new words, and rare words dropped (a term first met there moves to a later record)
    for (const k of [0, 7, 40, 41, 99]) b[k] = { ...b[k]!, body: `${b[k]!.body.replace(/\brare\d+\b/g, '')} brandnew${k} words here` };
    b.splice(20, 3); // removed
    b.splice(60, 0, linkRecord('p-new', 'freshly written seed library brandnewword', [{ target: 'p-3', type: 'enables' }], { title: 'Fresh Seed' }));
    const moved = b.splice(5, 1)[0]!;
    b.push(moved); // renamed to a later path: read after every other record
    b.push({ ...b[30]!, body: `${b[30]!.body} duplicate` }); // a later record with the same slug replaces it
    const reads: LinkRecord[] = [];
    const taken = new LinkIndex(takeOverItems(donor, a, b, reads));
    const fresh = new LinkIndex(b);
    expect(state(taken)).toEqual(state(fresh));
    const slugs = fresh.slugs();
    for (const s of slugs) expect(taken.propose(s, 8), s).toEqual(fresh.propose(s, 8));
    // Read: the 7 new or edited records, plus the few whose rare terms' spelling only a removed or edited record gave.
    expect(taken.takenOver + reads.length).toBe(b.length);
    expect(reads.length).toBeGreaterThanOrEqual(7);
    expect(reads.length).toBeLessThan(b.length / 4);
  });

  it('reads a record whose term was first met in a record that lost it (its spelling there is unknown)', () => {
    const a = [linkRecord('x', 'Gardens grow'), linkRecord('y', 'gardens grow tall'), linkRecord('z', 'nothing else')];
    const donor = new LinkIndex(a);
    // "garden" was registered by x (surface "gardens"); x loses it, so y registers it now.
    const b = [linkRecord('x', 'only grow'), a[1]!, a[2]!];
    const reads: LinkRecord[] = [];
    const taken = new LinkIndex(takeOverItems(donor, a, b, reads));
    expect(reads.map((r) => r.slug)).toEqual(['x', 'y']);
    expect(state(taken)).toEqual(state(new LinkIndex(b)));
  });

  it('takes over a document whose record changed only in links and labels (head given)', () => {
    const a = records(60, 12);
    const donor = new LinkIndex(a);
    const b = [...a];
    b[10] = {
      ...b[10]!,
      slug: 'p-renamed',
      links: [{ target: 'p-1', type: 'requires' }],
      inferred: [{ target: 'p-2', type: 'enables' }],
      lastPruned: '2026-12-01',
    };
    const reads: LinkRecord[] = [];
    const items = takeOverItems(donor, a, b, reads);
    items[10] = { takeOver: donor, doc: 10, head: b[10]!, record: () => b[10]! };
    reads.length = 0;
    const taken = new LinkIndex(items);
    expect(reads).toEqual([]);
    expect(taken.takenOver).toBe(60);
    expect(state(taken)).toEqual(state(new LinkIndex(b)));
  });

  it('takes over from an index that was itself built by taking over, and refuses an index changed since', () => {
    const a = records(80, 13);
    const first = new LinkIndex(a);
    const b = a.map((r, k) => (k % 9 === 0 ? { ...r, body: `${r.body} second${k}` } : r));
    const second = new LinkIndex(takeOverItems(first, a, b, []));
    const c = b.map((r, k) => (k % 13 === 0 ? { ...r, body: `${r.body.replace(/\brare\d+\b/g, '')} third` } : r));
    const reads: LinkRecord[] = [];
    expect(state(new LinkIndex(takeOverItems(second, b, c, reads)))).toEqual(state(new LinkIndex(c)));
    expect(reads.length).toBeLessThan(c.length / 2);
    // An index updated in place no longer numbers its documents as its records came: every record is read.
    second.update([{ ...b[1]!, body: 'changed in place' }]);
    const all: LinkRecord[] = [];
    const rebuilt = new LinkIndex(takeOverItems(second, b, c, all));
    expect(rebuilt.takenOver).toBe(0);
    expect(all).toHaveLength(c.length);
  });

  it('does not take over from an index with other options', () => {
    const a = records(20, 14);
    const donor = new LinkIndex(a, { fields: { title: 5 } });
    const reads: LinkRecord[] = [];
    const taken = new LinkIndex(takeOverItems(donor, a, a, reads));
    expect(taken.takenOver).toBe(0);
    expect(reads).toHaveLength(20);
    expect(state(taken)).toEqual(state(new LinkIndex(a)));
  });
});

describe('LinkIndex.neighbours', () => {
  it('gives the first k of all neighbours sorted by similarity, then slug (ties included)', () => {
    const recs = records(120, 15);
    // exact twins: equal similarities, ordered by slug
    recs.push({ ...recs[3]!, slug: 'twin-b' }, { ...recs[3]!, slug: 'twin-a' });
    const index = new LinkIndex(recs);
    for (const s of index.slugs().slice(0, 40)) {
      const all = index.neighbours(s, 1000);
      expect(all.length).toBeGreaterThan(40);
      for (let i = 1; i < all.length; i++) {
        const [a, b] = [all[i - 1]!, all[i]!];
        expect(a.similarity > b.similarity || (a.similarity === b.similarity && a.slug < b.slug)).toBe(true);
      }
      for (const k of [1, 2, 5, 32]) expect(index.neighbours(s, k)).toEqual(all.slice(0, k));
    }
    expect(index.neighbours('p-3', 2).map((n) => n.slug)).toEqual(['twin-a', 'twin-b']);
  });
});
