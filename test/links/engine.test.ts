import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { LinkIndex } from '../../src/links/index.js';
import { loadRecords } from '../../src/links/corpus.js';
import { terms } from '../../src/links/text.js';
import type { LinkRecord } from '../../src/links/record.js';
import { possibleDuplicates } from '../../src/links/duplicates.js';
import { linkRecord } from '../helpers/link-record.js';

const MINI = fileURLToPath(new URL('../../fixtures/links/mini', import.meta.url));
const records = (): LinkRecord[] => loadRecords(MINI);

describe('LinkIndex.propose', () => {
  it('resolves TypeIDs and never proposes self or existing links', () => {
    const idx = new LinkIndex(records());
    expect(idx.size).toBe(8);
    const props = idx.propose('rain-harvesting', 10);
    const targets = props.map((p) => p.target);
    expect(targets).not.toContain('rain-harvesting');
    expect(targets).not.toContain('greywater-reuse'); // hard link
    expect(targets).not.toContain('watershed-council'); // hard link
    expect(targets).not.toContain('cooperative-bank'); // already an inferred link
    expect(targets[0]).toBe('drought-rationing');
    for (const p of props) {
      expect(p.confidence).toBeGreaterThan(0);
      expect(p.confidence).toBeLessThanOrEqual(1);
    }
    // the legacy pattern's TypeID link resolves
    expect(idx.info('drought-rationing')!.inbound).toContain('legacy-water-tariff');
  });

  it('uses the inverse type when the target holds the inverse hard link', () => {
    const idx = new LinkIndex(records());
    // legacy-water-tariff specializes_to drought-rationing (by TypeID) → drought-rationing generalizes_from it
    const p = idx.propose('drought-rationing', 10).find((x) => x.target === 'legacy-water-tariff');
    expect(p?.type).toBe('generalizes_from');
    // community-loan-fund requires cooperative-bank → from the bank's side it is `enables`, but it is a hard link there;
    // drop the bank's own link and check again
    const recs = records().map((r) => (r.slug === 'cooperative-bank' ? { ...r, links: [] } : r));
    const idx2 = new LinkIndex(recs);
    expect(idx2.propose('cooperative-bank', 10).find((x) => x.target === 'community-loan-fund')?.type).toBe('enables');
  });

  it('builds reasons only from what both patterns share', () => {
    const recs = records();
    const idx = new LinkIndex(recs);
    const text = (r: LinkRecord): Set<string> =>
      new Set(terms([r.title, r.summary, r.keywords.join(' '), r.tension, r.entities.join(' '), r.communities.join(' '), r.body].join(' ')));
    const bySlug = new Map(recs.map((r) => [r.slug, r]));
    for (const r of recs) {
      for (const p of idx.propose(r.slug, 5)) {
        expect(p.reason).toMatch(/^Shared (entities|keywords|communities|terms|neighbours): /);
        const a = text(r);
        const b = text(bySlug.get(p.target)!);
        for (const part of p.reason.split('; ')) {
          const items = part.replace(/^Shared \w+: /, '').split(', ');
          for (const item of items) {
            for (const t of terms(item)) {
              expect(a.has(t), `${t} of "${p.reason}" in ${r.slug}`).toBe(true);
              expect(b.has(t), `${t} of "${p.reason}" in ${p.target}`).toBe(true);
            }
          }
        }
      }
    }
  });

  it('incremental update equals a full rebuild', () => {
    const recs = records();
    const changed: LinkRecord = {
      ...recs.find((r) => r.slug === 'participatory-budget')!,
      body: 'Residents vote on water budgets for cisterns and rainfall storage in drought.',
    };
    const added: LinkRecord = {
      ...recs.find((r) => r.slug === 'drought-rationing')!,
      slug: 'drought-plan',
      id: 'pat_01new',
      title: 'Drought Plan',
      links: [{ target: 'rain-harvesting', type: 'requires' }],
    };
    const inc = new LinkIndex(recs);
    inc.update([changed, added], ['community-loan-fund']);
    const fullRecs = recs.filter((r) => r.slug !== 'community-loan-fund' && r.slug !== 'participatory-budget').concat([changed, added]);
    const full = new LinkIndex(fullRecs);
    expect(inc.slugs().sort()).toEqual(full.slugs().sort());
    for (const s of full.slugs()) {
      const a = inc.propose(s, 10);
      const b = full.propose(s, 10);
      expect(a, s).toEqual(b);
    }
    expect(inc.has('community-loan-fund')).toBe(false);
    expect(inc.info('rain-harvesting')!.inbound).toContain('drought-plan');
  });

  it('answers after a change are those of the changed index (queries made before are not reused)', () => {
    const recs = records();
    const ask = (idx: LinkIndex) => {
      const slugs = idx.slugs().sort();
      return slugs.map((s) => ({ s, p: idx.propose(s, 10), n: idx.neighbours(s, 3), sc: slugs.map((t) => idx.score(s, t)) }));
    };
    const changed = { ...recs.find((r) => r.slug === 'cooperative-bank')!, body: 'Rainfall, cisterns and gutters for drought storage.' };
    // The same changes to an index asked everything before each change and to one never asked before.
    const asked = new LinkIndex(recs);
    ask(asked);
    const before = asked.propose('rain-harvesting', 10);
    // links only: cosines stay, scores change
    asked.updateLinks([{ slug: 'rain-harvesting', links: [], inferred: [] }]);
    const after = asked.propose('rain-harvesting', 10);
    expect(after).not.toEqual(before);
    const first = ask(asked);
    expect(asked.propose('cooperative-bank', 10)).toEqual(first.find((x) => x.s === 'cooperative-bank')!.p);
    asked.update([changed]);
    expect(asked.propose('cooperative-bank', 10)).not.toEqual(first.find((x) => x.s === 'cooperative-bank')!.p);
    const second = ask(asked);
    const fresh = new LinkIndex(recs);
    fresh.updateLinks([{ slug: 'rain-harvesting', links: [], inferred: [] }]);
    expect(after).toEqual(fresh.propose('rain-harvesting', 10));
    expect(first).toEqual(ask(fresh));
    const fresh2 = new LinkIndex(recs);
    fresh2.updateLinks([{ slug: 'rain-harvesting', links: [], inferred: [] }]);
    fresh2.update([changed]);
    expect(second).toEqual(ask(fresh2));
    expect(first).not.toEqual(second);
  });
});

describe('possibleDuplicates', () => {
  it('flags a near copy and nothing else', () => {
    const recs = records();
    const copy = { ...recs.find((r) => r.slug === 'cooperative-bank')!, slug: 'cooperative-bank-member-owned', id: 'pat_01copy' };
    const pairs = possibleDuplicates(new LinkIndex([...recs, copy]));
    expect(pairs.map((p) => [p.a, p.b])).toEqual([['cooperative-bank', 'cooperative-bank-member-owned']]);
    expect(pairs[0]!.score).toBeGreaterThan(0.9);
    expect(possibleDuplicates(new LinkIndex(recs))).toEqual([]);
  });

  it('weighs a mention by the rarity of the name: a name every pattern mentions counts less than one only the source mentions', () => {
    const filler = ['river delta', 'mountain pass', 'coastal dune', 'prairie fire', 'forest edge', 'glacier melt'];
    const recs = [
      linkRecord('source', 'Our plan follows Seed Library practice and the Common Ground idea.'),
      linkRecord('seed-library', 'lending shelves of saved seeds', [], { title: 'Seed Library' }),
      linkRecord('common-ground', 'a shared meadow', [], { title: 'Common Ground' }),
      ...filler.map((f, i) => linkRecord(`other-${i}`, `${f} notes; see Common Ground.`)),
    ];
    const idx = new LinkIndex(recs);
    const mention = (t: string): number => idx.candidates('source', 20).find((c) => c.target === t)?.signals.mention ?? 0;
    expect(mention('seed-library')).toBeGreaterThan(0);
    expect(mention('common-ground')).toBeGreaterThan(0);
    expect(mention('seed-library')).toBeGreaterThan(mention('common-ground'));
    // the other direction counts half: seed-library's text does not name the source, common-ground's neither
    const back = new LinkIndex([...recs, linkRecord('reader', 'A note on Seed Library.', [], { title: 'Reader Note' })]);
    const fromLibrary = back.candidates('seed-library', 20).find((c) => c.target === 'reader')?.signals.mention ?? 0;
    const toLibrary = back.candidates('reader', 20).find((c) => c.target === 'seed-library')?.signals.mention ?? 0;
    expect(fromLibrary).toBeCloseTo(toLibrary / 2, 5);
  });

  it('term models and fusions: BM25F (default), field-summed tf-idf and reciprocal-rank fusion all rank the obvious neighbour first', () => {
    for (const opts of [{}, { model: 'tfidf' as const }, { fusion: 'rrf' as const }, { k1: 1.2, b: { body: 0 } }]) {
      const idx = new LinkIndex(records(), opts);
      const props = idx.propose('rain-harvesting', 10);
      expect(props[0]?.target, JSON.stringify(opts)).toBe('drought-rationing');
      for (const p of props) expect(p.confidence).toBeGreaterThan(0);
      expect(idx.similarity('rain-harvesting', 'rain-harvesting')).toBeCloseTo(1, 5);
    }
  });
});
