/**
 * A link generator that points everything at a few slugs of one first letter must not teach the graph
 * signals that bias (LinkIndex quarantines such letters before building its graph).
 */
import { describe, expect, it } from 'vitest';
import { LinkIndex, quarantineLetters } from '../../src/links/index.js';
import type { LinkRecord } from '../../src/links/record.js';
import { linkRecord } from '../helpers/link-record.js';

const rec = (slug: string, body: string, links: LinkRecord['links'] = []): LinkRecord => linkRecord(slug, body, links, { title: slug.replace(/-/g, ' ') });

const TOPICS = ['water', 'soil', 'seed', 'market', 'school'];
const LETTERS = 'bcdefghij';
const HUBS = ['a-registry-one', 'a-registry-two', 'a-registry-three'];

/** Three patterns per topic, each linking to the next of its topic; `biased` adds links from all of them to every hub. */
function corpus(biased: boolean): LinkRecord[] {
  const out: LinkRecord[] = [];
  for (const topic of TOPICS) {
    for (let k = 0; k < 3; k++) {
      const slug = `${LETTERS[k]}-${topic}-practice`;
      const next = `${LETTERS[(k + 1) % 3]}-${topic}-practice`;
      const links = [{ target: next, type: 'complementary' }, ...(biased ? HUBS.map((h) => ({ target: h, type: 'complementary' })) : [])];
      out.push(rec(slug, `${topic} ${topic} ${topic} care and ${topic} stewardship, variant ${LETTERS[k]} of the ${topic} practice`, links));
    }
  }
  for (const h of HUBS) out.push(rec(h, 'a registry of care practices and their variants, kept by a secretariat'));
  out.push(rec('q-water-newcomer', 'water water care and water stewardship for a new neighbourhood'));
  return out;
}

describe('first-letter quarantine of the link graph', () => {
  it('quarantines a letter that holds most link targets but few slugs, and nothing on balanced or small graphs', () => {
    const slugs = [...'abcdefghij'.repeat(10)];
    expect(quarantineLetters(slugs, [...'a'.repeat(36), ...'bcd'])).toEqual([{ letter: 'a', linkShare: 36 / 39, slugShare: 0.1 }]);
    expect(quarantineLetters(slugs, [...'abcdefghij'.repeat(4)])).toEqual([]);
    expect(quarantineLetters(slugs, [...'a'.repeat(20)])).toEqual([]); // too few links to judge
  });

  it('a generator pointing every pattern at "a" hubs neither enters the graph nor the proposals', () => {
    const biased = new LinkIndex(corpus(true));
    expect(biased.quarantinedLetters.map((q) => q.letter)).toEqual(['a']);
    const proposed = biased.propose('q-water-newcomer', 5).map((p) => p.target);
    expect(proposed.length).toBeGreaterThan(0);
    expect(proposed.filter((t) => t.startsWith('a-'))).toEqual([]);
    expect(proposed.filter((t) => t.includes('water')).length).toBeGreaterThanOrEqual(3);
    // The same corpus without the generator's links proposes the same patterns.
    const clean = new LinkIndex(corpus(false));
    expect(clean.quarantinedLetters).toEqual([]);
    expect(clean.propose('q-water-newcomer', 5).map((p) => p.target)).toEqual(proposed);
  });
});
