/**
 * Did-you-mean looks names up through a trie instead of scanning every name of a similar length.
 * The trie must find exactly the names a scan finds: every name within the edit-distance bound,
 * whatever the length, the alphabet or the number of names sharing a prefix; and a lookup must
 * walk far fewer names than the corpus holds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundedDistance, canonicalSlug, NameMatcher, plausibleTypo, type Suggestion } from '../../src/core/similar.js';
import { generateCorpus, misspell, prng } from '../../src/synth/generate.js';
import { propertyRuns } from '../helpers/runs.js';

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

/**
 * The whole answer as the matcher gave it before it had an index: every name scanned for its distance,
 * then names extending the target by whole words or that the target extends.
 */
function scanSuggest(all: string[], unknown: string): Suggestion {
  if (unknown.length > 200) return { candidates: [] };
  const target = canonicalSlug(unknown);
  const exact = all.filter((n) => canonicalSlug(n) === target);
  if (exact.length === 1) return { best: exact[0], candidates: [...exact] };
  const scored = scan(all, unknown);
  const byCanon = new Map<string, string[]>();
  for (const n of all) byCanon.set(canonicalSlug(n), [...(byCanon.get(canonicalSlug(n)) ?? []), n]);
  const prefixed: string[] = [];
  if (target.indexOf('-') > 0)
    for (const c of [...byCanon.keys()].sort()) if (c.startsWith(`${target}-`) && prefixed.length <= 5) prefixed.push(...(byCanon.get(c) ?? []));
  for (let cut = target.lastIndexOf('-'); cut > 0; cut = target.lastIndexOf('-', cut - 1)) {
    const shorter = target.slice(0, cut);
    if (shorter.indexOf('-') < 0) break;
    prefixed.push(...(byCanon.get(shorter) ?? []));
  }
  const candidates = [...new Set([...scored.map((x) => x.name), ...prefixed])].slice(0, 5);
  const [first, second] = scored;
  if (first && (!second || second.d > first.d) && plausibleTypo(target, canonicalSlug(first.name))) return { best: first.name, candidates };
  if (prefixed.length === 1 && scored.length === 0) return { best: prefixed[0], candidates };
  return { candidates };
}

/** A name made of few letters, so that many names lie within a few edits of each other. */
const name = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd', '-', '-', 'é', '_', ' ', 'B', '1'), maxLength: 18 });
const edit = fc.record({ at: fc.nat(), kind: fc.constantFrom('substitute', 'delete', 'insert'), unit: fc.constantFrom('a', 'b', 'x', '-') });

function applyEdits(s: string, edits: { at: number; kind: string; unit: string }[]): string {
  let out = s;
  for (const { at, kind, unit } of edits) {
    const i = out.length === 0 ? 0 : at % (out.length + (kind === 'insert' ? 1 : 0));
    if (kind === 'insert') out = out.slice(0, i) + unit + out.slice(i);
    else if (out.length > 0) out = out.slice(0, i) + (kind === 'substitute' ? unit : '') + out.slice(i + 1);
  }
  return out;
}

describe('did-you-mean index against the scan', () => {
  it("gives the scan's whole answer for random names and queries a few edits from them", () => {
    fc.assert(
      fc.property(
        fc.array(name, { minLength: 1, maxLength: 60 }),
        fc.array(fc.tuple(fc.nat(), fc.array(edit, { maxLength: 4 }), name, fc.boolean()), { minLength: 1, maxLength: 30 }),
        (all, queries) => {
          const matcher = new NameMatcher(all);
          for (const [pick, edits, random, useRandom] of queries) {
            const q = useRandom ? random : applyEdits(all[pick % all.length] as string, edits);
            expect(matcher.suggest(q), q).toEqual(scanSuggest(all, q));
          }
        },
      ),
      { numRuns: propertyRuns(300) },
    );
  });
});

/** Slugs shaped as real ones are (words, then a number), from a vocabulary that does not grow with them. */
function slugs(count: number, seed: number): string[] {
  const r = prng(seed);
  const word = () => {
    let w = '';
    const length = 3 + Math.floor(r() * 8);
    for (let i = 0; i < length; i++) w += String.fromCharCode(97 + Math.floor(r() * 26));
    return w;
  };
  const vocabulary = Array.from({ length: 400 }, word);
  const pick = () => vocabulary[Math.floor(r() * vocabulary.length)] as string;
  return Array.from({ length: count }, (_, i) => `${pick()}-${pick()}-${pick()}-${i.toString(36)}`);
}

describe('did-you-mean work per lookup', () => {
  /** Trie nodes walked per lookup of one-typo slugs and of made-up names, on `count` slugs. */
  function nodesPerLookup(count: number): number {
    const all = slugs(count, 5);
    const matcher = new NameMatcher(all);
    const r = prng(9);
    const lookups = 400;
    for (let i = 0; i < lookups; i++) {
      const target = all[Math.floor(r() * all.length)] as string;
      matcher.suggest(i % 4 === 3 ? `missing-${target.slice(0, 12)}` : misspell(target, r));
    }
    return matcher.nodesVisited / lookups;
  }

  it('grows far slower than the number of names', () => {
    const small = nodesPerLookup(1_000);
    const large = nodesPerLookup(16_000);
    // A scan would compare 16 times as many names; the trie shares the prefixes of the names.
    expect(small).toBeGreaterThan(0);
    expect(large / small).toBeLessThan(4);
  });
});
