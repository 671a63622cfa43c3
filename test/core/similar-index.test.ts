/**
 * Did-you-mean looks names up through a segment index instead of scanning every name of a similar
 * length. The index must find exactly the names a scan finds: every name within the edit-distance
 * bound, whatever the length, the alphabet or the number of names sharing a segment.
 */
import { describe, expect, it } from 'vitest';
import { boundedDistance, canonicalSlug, NameMatcher, plausibleTypo } from '../../src/core/similar.js';
import { generateCorpus, misspell, prng } from '../../src/synth/generate.js';

/** The scan the index replaces: every name, its canonical distance to the target within the bound. */
function scan(names: string[], unknown: string): { name: string; d: number }[] {
  const target = canonicalSlug(unknown);
  const bound = target.length <= 5 ? 1 : target.length <= 12 ? 2 : 3;
  const out: { name: string; d: number }[] = [];
  for (const name of names) {
    const d = boundedDistance(target, canonicalSlug(name), bound);
    if (d <= bound) out.push({ name, d });
  }
  return out.sort((x, y) => x.d - y.d || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
}

function names(): string[] {
  const out = [...generateCorpus({ count: 600, seed: 4 })].map((p) => p.file.replace(/\.md$/, ''));
  // Short names, shared prefixes and suffixes, non-ASCII, a name twice (two files of the same name).
  out.push(
    'a',
    'ab',
    'abc',
    'abd',
    'care',
    'cure',
    'core-care',
    'x-y',
    'commons-design',
    'common-design',
    'commons-designs',
    'design',
    'désign',
    'straße-plan',
    'strasse-plan',
    'commons-design',
  );
  for (let i = 0; i < 40; i++) out.push(`shared-prefix-${i.toString(36)}-pattern-design`);
  return out;
}

describe('did-you-mean index', () => {
  const all = names();
  const matcher = new NameMatcher(all);
  const r = prng(11);
  const queries: string[] = [
    'a',
    'b',
    'ac',
    'abcd',
    'cor',
    'core',
    'commons-desgin',
    'design',
    'desing',
    'strase-plan',
    'Commons_Design',
    '12-commons-design',
    '',
  ];
  for (let i = 0; i < 400; i++) {
    const name = all[Math.floor(r() * all.length)] as string;
    const once = misspell(name.length > 2 ? name : `${name}-x`, r);
    queries.push(once, misspell(once, r), misspell(misspell(once, r), r), name.slice(0, 3 + Math.floor(r() * 10)));
  }

  it('finds every name a scan finds, closest first', () => {
    let withCandidates = 0;
    let withBest = 0;
    for (const q of queries) {
      const got = matcher.suggest(q);
      const scanned = scan(all, q);
      const exact = all.filter((n) => canonicalSlug(n) === canonicalSlug(q));
      if (exact.length === 1) {
        expect(got.best, q).toBe(exact[0]);
        continue;
      }
      const closest = [...new Set(scanned.map((s) => s.name))].slice(0, 5);
      expect(got.candidates.slice(0, closest.length), q).toEqual(closest);
      const [first, second] = scanned;
      if (first && (!second || second.d > first.d) && plausibleTypo(canonicalSlug(q), canonicalSlug(first.name))) {
        expect(got.best, q).toBe(first.name);
        withBest++;
      } else if (first) expect(got.best, q).not.toBe(first.name);
      if (closest.length > 0) withCandidates++;
    }
    // The queries reach both outcomes often enough to mean something.
    expect(withBest).toBeGreaterThan(200);
    expect(withCandidates).toBeGreaterThan(withBest);
  });

  it('knows names added after its first lookup', () => {
    const m = new NameMatcher(['river-basin-council']);
    expect(m.suggest('river-basin-councel').best).toBe('river-basin-council');
    m.add('forest-canopy-audit');
    expect(m.suggest('forest-canopy-audt').best).toBe('forest-canopy-audit');
  });
});
