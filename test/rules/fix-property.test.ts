/**
 * Property: whatever combination of fixable problems a file has, applying ALL its fixes yields a
 * file that parses, no longer triggers those rules, and differs from the original only inside the
 * fixed line ranges.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/core/document.js';
import type { Edit, Finding } from '../../src/core/finding.js';
import { applyFixes } from '../../src/core/fixes.js';
import { RULES } from '../../src/rules/index.js';
import { checkFiles } from '../helpers/check.js';
import { buildPattern, mutate, patternCorpus, typeIdFor } from '../helpers/pattern.js';
import { propertyRuns } from '../helpers/runs.js';

const FILE = 'community-seed-library.md';
const corpus = () => patternCorpus({ 'compost-cooperative.md': buildPattern({ slug: 'compost-cooperative' }) });

interface Mutation {
  rule: string;
  apply: (t: string) => string;
}

/** Independent mutations of the focus file, each giving exactly one fixable finding, on distinct lines. */
const MUTATIONS: Mutation[] = [
  { rule: 'assessment/overall-score', apply: (t) => mutate(t, 'overall_score: 3.6', 'overall_score: 4.4') },
  {
    rule: 'links/self',
    apply: (t) =>
      mutate(
        t,
        '  inferred_links:\n',
        '  inferred_links:\n    - target: community-seed-library\n      type: related\n      confidence: 0.5\n      reason: "Itself."\n',
      ),
  },
  { rule: 'links/unknown-target', apply: (t) => mutate(t, '  tools: []', '  tools:\n    - slug: compost-coperative\n      weight: 0.6') },
  { rule: 'links/entry-shape', apply: (t) => mutate(t, '  requires: []', '  requires:\n    - compost-cooperative') },
  {
    rule: 'links/entry-shape',
    apply: (t) =>
      mutate(
        t,
        '    - slug: mutual-aid-network\n      weight: 0.8',
        `    - id: ${typeIdFor('mutual-aid-network')}\n      weight: 0.8\n      description: "Seed is one kind of mutual aid"`,
      ),
  },
  {
    rule: 'links/duplicate',
    apply: (t) =>
      mutate(
        t,
        '    - slug: harvest-festival-rotation\n      weight: 0.8',
        '    - slug: harvest-festival-rotation\n      weight: 0.8\n    - slug: harvest-festival-rotation\n      weight: 0.4',
      ),
  },
  { rule: 'links/inferred-type', apply: (t) => mutate(t, '      type: complementary', '      type: complements') },
  { rule: 'links/unknown-target', apply: (t) => mutate(t, '    - target: harvest-festival-rotation', '    - target: harvest-festival-rotaton') },
  { rule: 'links/reciprocal', apply: (t) => mutate(t, '  enables:\n    - slug: shared-tool-shed\n      weight: 0.8', '  enables: []') },
  {
    rule: 'body/problem-tension',
    apply: (t) => mutate(t, 'primary_tension: "Sharing Freely vs Keeping Stock Safe"', 'primary_tension: "Sharing Freely vs The"'),
  },
  { rule: 'body/sections', apply: (t) => mutate(t, '### Section 6: Known Uses', '### 6. Known Uses') },
  { rule: 'yaml/portability', apply: (t) => mutate(t, 'cross_domains: [stewardship, local-economy]', 'cross_domains: [stewardship?, local-economy]') },
  { rule: 'identity/number-prefix', apply: (t) => mutate(t, 'title: "Community Seed Library"', 'title: "3. Community Seed Library"') },
  { rule: 'body/stray-fence', apply: (t) => mutate(t, '### Section 8: Vitality', "'''\n### Section 8: Vitality") },
  { rule: 'suppression/unused', apply: (t) => mutate(t, '  version: 0.1', '  # gardener-ignore links/self: mended long ago\n  version: 0.1') },
  { rule: 'frontmatter/second-block', apply: (t) => `${t}\n---\nslug: community-seed-library\nlicense: CC-BY-SA-4.0\n---\n` },
];

/**
 * The expected result of the applied edits, rebuilt independently: original lines outside the
 * edits kept in order, each edited range replaced by its text.
 */
function rebuild(original: string, edits: readonly Edit[]): string {
  const lines = original.split('\n');
  const last = lines.pop(); // '' after the final newline
  const sorted = [...edits].sort((a, b) => a.line - b.line);
  const out: string[] = [];
  let next = 1;
  for (const e of sorted) {
    while (next < e.line) out.push(lines[next++ - 1] as string);
    if (e.text !== '') out.push(...e.text.slice(0, -1).split('\n'));
    next = e.endLine + 1;
  }
  while (next <= lines.length) out.push(lines[next++ - 1] as string);
  return `${out.join('\n')}\n${last ?? ''}`;
}

function fixesOf(findings: readonly Finding[]) {
  return findings.filter((f) => f.file === FILE && f.fix);
}

describe('fixes', () => {
  it('every mutation alone gives exactly its one fixable finding', () => {
    for (const m of MUTATIONS) {
      const files = { ...corpus(), [FILE]: m.apply(corpus()[FILE] as string) };
      const f = checkFiles(files, { only: [FILE] });
      expect(
        f.map((x) => x.rule),
        m.rule,
      ).toEqual([m.rule]);
      expect(f[0]!.fix, m.rule).toBeDefined();
    }
  });

  it('every rule that declares a fix is exercised here', () => {
    const fixable = RULES.filter((r) => r.fix).map((r) => r.id);
    const covered = new Set(MUTATIONS.map((m) => m.rule));
    // identity/slug-filename changes the file's identity, which moves other files' links: tested alone in identity tests.
    // Frontmatter in the wrong place hides every other finding, and the site rules need a config:
    // each is tested alone in artifacts.test.ts and conventions.test.ts.
    // Note rules and mojibake need notes or damaged text: tested alone in obsidian.test.ts and mojibake.test.ts.
    const alone = [
      'identity/slug-filename',
      'frontmatter/missing',
      'frontmatter/not-at-top',
      'frontmatter/empty-block',
      'site/reserved-key',
      'site/layout-heading',
      'text/mojibake',
      'links/unknown-heading',
      'notes/tag-format',
    ];
    expect(fixable.filter((id) => !covered.has(id) && !alone.includes(id))).toEqual([]);
  });

  it('applying all fixes of a file parses, silences those rules and touches only the fixed ranges', () => {
    fc.assert(
      fc.property(fc.subarray(MUTATIONS, { minLength: 1 }), fc.boolean(), (muts, crlf) => {
        let text = corpus()[FILE] as string;
        for (const m of muts) text = m.apply(text);
        if (crlf) text = text.replace(/\n/g, '\r\n');
        const files = { ...corpus(), [FILE]: text };
        const findings = checkFiles(files, { only: [FILE] });
        const fixable = fixesOf(findings);
        expect(fixable.map((f) => f.rule).sort()).toEqual(muts.map((m) => m.rule).sort());
        const res = applyFixes(
          text,
          fixable.map((f) => f.fix!),
        );
        expect(res.skipped).toEqual([]);
        // Line endings are kept; the edits describe "\n" text.
        expect(res.text.includes('\r\n')).toBe(crlf);
        const lf = res.text.replace(/\r\n/g, '\n');
        expect(lf).toBe(
          rebuild(
            text.replace(/\r\n/g, '\n'),
            res.applied.flatMap((f) => f.edits),
          ),
        );
        const doc = parseDocument(FILE, res.text);
        expect(doc.problems.filter((p) => p.code !== 'file/line-endings')).toEqual([]);
        const after = checkFiles({ ...files, [FILE]: res.text }, { only: [FILE] });
        expect(after.filter((f) => f.rule !== 'file/line-endings')).toEqual([]);
      }),
      { numRuns: propertyRuns(40) },
    );
  });
});
