/** Unit tests for the pure helpers the rules rely on: edits, did-you-mean distance, dates, fingerprints. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysBetween, parseDate, requireDate } from '../../src/core/dates.js';
import { fingerprint } from '../../src/core/finding.js';
import { applyEdits, applyFixes, OverlappingEditsError, yamlScalar } from '../../src/core/fixes.js';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { boundedDistance, canonicalSlug, NameMatcher, plausibleTypo } from '../../src/core/similar.js';
import { propertyRuns } from '../helpers/runs.js';

function levenshtein(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)] as number[]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length]![b.length]!;
}

describe('yamlScalar', () => {
  it('writes numbers and flags exactly as the YAML printer does, and they read back as the same value', () => {
    const printer = (v: unknown) => stringifyYaml(v, { lineWidth: 0 }).trimEnd();
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.integer(), fc.boolean(), fc.constantFrom(0.1 + 0.2, 1e21, 1e-7, -0, NaN, Infinity)), (v) => {
        expect(yamlScalar(v)).toBe(printer(v));
        expect(Object.is(parseYaml(`k: ${yamlScalar(v)}`).k, v)).toBe(true);
      }),
      { numRuns: propertyRuns(2000) },
    );
  });

  it('writes text on one line, as the YAML printer does when it can, and it reads back unchanged', () => {
    const printer = (v: unknown) => stringifyYaml(v, { lineWidth: 0 }).trimEnd();
    const chars = fc.constantFrom(...'aZy09 ,.;:()/\'_-#"!?&*|>%@`[]{}~\n\tÄé'.split(''));
    const words = fc.constantFrom(
      'true',
      'False',
      'NULL',
      'yes',
      'No',
      'on',
      'Off',
      'y',
      'N',
      'NaN',
      'Infinity',
      'inf',
      '1e3',
      '0x1F',
      '2024-01-01',
      'a b',
      'a  b',
      'a - b',
      'a #b',
      'a: b',
    );
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: chars, maxLength: 30 }), words), (v) => {
        const out = yamlScalar(v);
        if (!/\n|^[|>]/.test(printer(v))) expect(out).toBe(printer(v));
        expect(out).not.toContain('\n');
        expect(parseYaml(`k: ${out}`).k).toBe(v);
        return true;
      }),
      { numRuns: propertyRuns(5000) },
    );
  });
});

describe('applyEdits / applyFixes', () => {
  it('replaces, deletes and inserts whole lines', () => {
    expect(applyEdits('a\nb\nc\n', [{ line: 2, endLine: 2, text: 'B\n' }])).toBe('a\nB\nc\n');
    expect(applyEdits('a\nb\nc\n', [{ line: 2, endLine: 3, text: '' }])).toBe('a\n');
    expect(applyEdits('a\nb\n', [{ line: 2, endLine: 1, text: 'new\n' }])).toBe('a\nnew\nb\n');
    expect(applyEdits('a\nb', [{ line: 1, endLine: 1, text: 'A\n' }])).toBe('A\nb');
  });

  it('refuses overlapping and out-of-range edits', () => {
    expect(() =>
      applyEdits('a\nb\nc\n', [
        { line: 1, endLine: 2, text: '' },
        { line: 2, endLine: 3, text: '' },
      ]),
    ).toThrow(OverlappingEditsError);
    expect(() => applyEdits('a\n', [{ line: 3, endLine: 3, text: '' }])).toThrow(RangeError);
  });

  it('applyFixes keeps BOM and CRLF and skips colliding fixes', () => {
    const res = applyFixes('\uFEFFa\r\nb\r\nc\r\n', [
      { description: 'x', edits: [{ line: 2, endLine: 2, text: 'B\n' }] },
      { description: 'y', edits: [{ line: 2, endLine: 3, text: '' }] },
    ]);
    expect(res.text).toBe('\uFEFFa\r\nB\r\nc\r\n');
    expect(res.skipped.map((f) => f.description)).toEqual(['y']);
  });
});

describe('did-you-mean', () => {
  it('boundedDistance equals Levenshtein within the bound, and bound+1 beyond', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 14 }), fc.string({ maxLength: 14 }), fc.integer({ min: 0, max: 4 }), (a, b, bound) => {
        const d = levenshtein(a, b);
        expect(boundedDistance(a, b, bound)).toBe(d <= bound ? d : bound + 1);
      }),
      { numRuns: propertyRuns(500) },
    );
  });

  it('plausible typos only', () => {
    expect(plausibleTypo('abundant-vs-scarcity-mindset', 'abundance-vs-scarcity-mindset')).toBe(true);
    expect(plausibleTypo('stress-management', 'secrets-management')).toBe(false);
    expect(plausibleTypo('art-of-hosting', 'art-hosting')).toBe(true);
  });

  it('NameMatcher: one clear best, ties give candidates only, case and underscores fold', () => {
    const m = new NameMatcher(['seed-bank-east', 'seed-bank-west', 'compost-cooperative']);
    expect(m.suggest('compost-coperative')).toEqual({ best: 'compost-cooperative', candidates: ['compost-cooperative'] });
    expect(m.suggest('seed-bank-eest')).toEqual({ candidates: ['seed-bank-east', 'seed-bank-west'] });
    expect(m.suggest('Compost_Cooperative').best).toBe('compost-cooperative');
    expect(m.suggest('x'.repeat(300))).toEqual({ candidates: [] });
  });

  it('NameMatcher: the cheap pre-filters never drop a name within the edit bound', () => {
    const word = fc.array(fc.constantFrom('a', 'b', 'e', 'o', 's', 't', 'z', '1', '-'), { minLength: 1, maxLength: 16 }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.uniqueArray(word, { minLength: 1, maxLength: 40 }), word, (names, unknown) => {
        const got = new NameMatcher(names).suggest(unknown);
        const canon = (s: string) => canonicalSlug(s);
        const t = canon(unknown);
        const bound = t.length <= 5 ? 1 : t.length <= 12 ? 2 : 3;
        // Within the edit bound, or shortened / extended by whole words (sharing at least two words).
        const related = (c: string) => (t.indexOf('-') > 0 && c.startsWith(`${t}-`)) || (c.includes('-') && t.startsWith(`${c}-`));
        const within = names.filter((n) => levenshtein(t, canon(n)) <= bound || related(canon(n)));
        const exact = names.filter((n) => canon(n) === t);
        if (exact.length === 1) return;
        // every name the matcher lists is within the bound, and it lists all of them when there are few
        for (const c of got.candidates) expect(within).toContain(c);
        expect(got.candidates.length).toBe(Math.min(5, within.length));
      }),
      { numRuns: propertyRuns(3000) },
    );
  });
});

describe('dates', () => {
  it('strict calendar dates', () => {
    expect(parseDate('2026-02-30')).toBeNull();
    expect(parseDate('2026-13-01')).toBeNull();
    expect(parseDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
    expect(parseDate('2025-02-29')).toBeNull();
    expect(parseDate('2026-02-19T10:00:00Z')).toEqual({ year: 2026, month: 2, day: 19 });
    expect(parseDate('19 Feb 2026')).toBeNull();
    expect(parseDate(null)).toBeNull();
    expect(daysBetween(requireDate('2026-08-23'), requireDate('2026-11-21'))).toBe(90);
    expect(() => requireDate('2026-02-30', '--today')).toThrow(/--today must be a calendar date/);
  });
});

describe('fingerprint', () => {
  it('ignores lines, depends on rule, file and target, NFC-normalised and unforgeable by separators', () => {
    expect(fingerprint({ rule: 'r', file: 'caf\u00e9.md', target: 't' })).toBe(fingerprint({ rule: 'r', file: 'cafe\u0301.md', target: 't' }));
    expect(fingerprint({ rule: 'a', file: 'b|c', target: 'd' })).not.toBe(fingerprint({ rule: 'a', file: 'b', target: 'c|d' }));
    expect(fingerprint({ rule: 'a', file: 'b', target: 'c' })).toMatch(/^[0-9a-f]{16}$/);
  });
});
