/**
 * Reliability item 5: properties over generated input.
 * (1) Generated v7.1 patterns with random mutations (near-miss dangling slugs, wrong overall_score,
 *     misnamed sections, misspelt inferred link types, bare-string relationship entries, CRLF): applying
 *     every fix the engine proposes gives a file that parses, no longer triggers those rules, and differs
 *     from the original only inside the fix ranges.
 * (2) Suggestions: for random replacement text (backtick runs of any length, empty = deletion) the
 *     ```suggestion block parses back to exactly the replacement, and applySuggestion = applyEdits.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/core/document.js';
import type { Edit, Finding } from '../../src/core/finding.js';
import { applyEdits, applyFixes } from '../../src/core/fixes.js';
import { parsePatch } from '../../src/github/diff-lines.js';
import { applySuggestion, fenceFor, suggestionFor, suggestionMarkdown } from '../../src/github/suggestion.js';
import { checkFiles } from '../helpers/check.js';
import { DEFAULT_SCORES, DIMENSION_KEYS, SECTION_NAMES, buildPattern, meanScore, mutate, patternCorpus, type Scores } from '../helpers/pattern.js';
import { propertyRuns } from '../helpers/runs.js';

const FILE = 'community-seed-library.md';
/** A corpus member nothing links to, with a long slug: the near-miss target. */
const TARGET = 'compost-cooperative';
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/**
 * One edit at distance 1 from `s` (substitution, deletion or adjacent transposition) on letters only:
 * an edit touching a hyphen ("compostcooperative") gets "Close matches" without a fix (reported).
 */
function nearMiss(s: string, kind: number, pos: number, letter: number): string {
  const spots = [...s.slice(0, -1)].map((_, i) => i).filter((i) => i > 0 && /[a-z]/.test(s[i]!) && /[a-z]/.test(s[i + 1]!));
  const i = spots[pos % spots.length]!;
  if (kind === 0) {
    const c = LETTERS[letter % 26]!;
    return s.slice(0, i) + (c === s[i] ? LETTERS[(letter + 1) % 26]! : c) + s.slice(i + 1);
  }
  if (kind === 1) return s.slice(0, i) + s.slice(i + 1);
  return s[i] === s[i + 1] ? s.slice(0, i) + s.slice(i + 1) : s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
}

/** Misspelt types the rule maps back (aliases, case); edit-distance typos get a finding without a fix. */
const INFERRED_TYPOS = ['complements', 'Complementary', 'COMPLEMENTARY', 'Complements'];
const NAME_WORDS = ['Background', 'Setting', 'Answer', 'Approach', 'Effects', 'Examples', 'Outlook', 'Health', 'Notes', 'Overview'];

interface Gen {
  scores: Scores;
  overallDelta: number;
  near?: [number, number, number];
  sections: [number, number][];
  inferredTypo?: number;
  bare: boolean;
  crlf: boolean;
}

const halfSteps = fc.integer({ min: 2, max: 10 }).map((n) => n / 2);
const gen: fc.Arbitrary<Gen> = fc.record({
  scores: fc.tuple(...DIMENSION_KEYS.map(() => halfSteps)).map((v) => Object.fromEntries(DIMENSION_KEYS.map((k, i) => [k, v[i]!])) as Scores),
  // The rule tolerates ±0.1 (half-way rounding), so a wrong score is at least 0.2 off.
  overallDelta: fc.oneof(fc.constant(0), fc.integer({ min: 2, max: 15 }), fc.integer({ min: -15, max: -2 })),
  near: fc.option(fc.tuple(fc.nat(2), fc.nat(40), fc.nat(25)), { nil: undefined }),
  sections: fc.uniqueArray(fc.tuple(fc.integer({ min: 1, max: 8 }), fc.nat(NAME_WORDS.length - 1)), { selector: (t) => t[0], maxLength: 3 }),
  inferredTypo: fc.option(fc.nat(INFERRED_TYPOS.length - 1), { nil: undefined }),
  bare: fc.boolean(),
  crlf: fc.boolean(),
});

/** The focus file for a generated case, and the rules whose fixable findings it must produce. */
function build(g: Gen): { text: string; rules: string[] } {
  const rules: string[] = [];
  const correct = meanScore({ ...DEFAULT_SCORES, ...g.scores });
  let overall = Math.round((correct + g.overallDelta / 10) * 10) / 10;
  if (overall < 1 || overall > 5) overall = correct;
  if (overall !== correct) rules.push('assessment/overall-score');
  let text = buildPattern({
    slug: 'community-seed-library',
    scores: g.scores,
    overall: Number.isInteger(overall) ? overall.toFixed(1) : String(overall),
    relationships: { enables: ['shared-tool-shed'], generalizes_from: ['mutual-aid-network'], complementary: ['harvest-festival-rotation'] },
    inferred: [{ target: 'harvest-festival-rotation', type: g.inferredTypo === undefined ? 'complementary' : INFERRED_TYPOS[g.inferredTypo]! }],
  });
  if (g.inferredTypo !== undefined) rules.push('links/inferred-type');
  if (g.near) {
    text = mutate(text, '  tools: []', `  tools:\n    - slug: ${nearMiss(TARGET, ...g.near)}\n      weight: 0.6`);
    rules.push('links/unknown-target');
  }
  if (g.bare) {
    text = mutate(text, '  requires: []', `  requires:\n    - ${TARGET}`);
    rules.push('links/entry-shape');
  }
  for (const [n, w] of g.sections) {
    // The `### N. Name` form, with a subtitle: fixable (a misnamed heading is not, its words are the author's).
    text = mutate(text, `### Section ${n}: ${SECTION_NAMES[n - 1]}`, `### ${n}. ${SECTION_NAMES[n - 1]}: ${NAME_WORDS[w]}`);
    rules.push('body/sections');
  }
  if (g.crlf) text = text.replace(/\n/g, '\r\n');
  return { text, rules };
}

/** Original lines outside the edits kept in order, each edited range replaced by its text. */
function rebuild(original: string, edits: readonly Edit[]): string {
  const lines = original.split('\n');
  const last = lines.pop();
  const out: string[] = [];
  let next = 1;
  for (const e of [...edits].sort((a, b) => a.line - b.line)) {
    while (next < e.line) out.push(lines[next++ - 1]!);
    if (e.text !== '') out.push(...e.text.replace(/\n$/, '').split('\n'));
    next = e.endLine + 1;
  }
  while (next <= lines.length) out.push(lines[next++ - 1]!);
  return `${out.join('\n')}\n${last ?? ''}`;
}

const corpus = () => patternCorpus({ [`${TARGET}.md`]: buildPattern({ slug: TARGET }) });

describe('fixes on generated patterns', () => {
  it('the unmutated generator output is clean', () => {
    fc.assert(
      fc.property(gen, (g) => {
        const { text, rules } = build({ ...g, overallDelta: 0, near: undefined, sections: [], inferredTypo: undefined, bare: false, crlf: false });
        expect(rules).toEqual([]);
        expect(checkFiles({ ...corpus(), [FILE]: text }, { only: [FILE] })).toEqual([]);
      }),
      { numRuns: propertyRuns(10) },
    );
  });

  it('applying all proposed fixes parses, silences those rules and changes only the fix ranges', () => {
    fc.assert(
      fc.property(gen, (g) => {
        const { text, rules } = build(g);
        const files = { ...corpus(), [FILE]: text };
        const findings = checkFiles(files, { only: [FILE] }).filter((f) => f.rule !== 'file/line-endings');
        // Every mutation is found, and found fixable.
        expect([...new Set(findings.map((f) => f.rule))].sort()).toEqual([...new Set(rules)].sort());
        const fixable = findings.filter((f): f is Finding & { fix: NonNullable<Finding['fix']> } => !!f.fix);
        expect(fixable).toHaveLength(findings.length);
        const res = applyFixes(
          text,
          fixable.map((f) => f.fix),
        );
        expect(res.skipped).toEqual([]);
        expect(res.text.includes('\r\n')).toBe(g.crlf);
        expect(res.text.replace(/\r\n/g, '\n')).toBe(
          rebuild(
            text.replace(/\r\n/g, '\n'),
            res.applied.flatMap((f) => f.edits),
          ),
        );
        const doc = parseDocument(FILE, res.text);
        expect(doc.problems.filter((p) => p.code !== 'file/line-endings')).toEqual([]);
        const after = checkFiles({ ...files, [FILE]: res.text }, { only: [FILE] }).filter((f) => f.rule !== 'file/line-endings');
        expect(after).toEqual([]);
      }),
      { numRuns: propertyRuns(60) },
    );
  });
});

/** Random text with backtick runs of any length and blank lines; ends in "\n" unless empty. */
const replacementText = fc
  .array(
    fc.oneof(
      fc.string({ maxLength: 12 }).map((s) => s.replace(/[\r\n]/g, ' ')),
      fc.integer({ min: 1, max: 12 }).map((n) => '`'.repeat(n)),
      fc.constant('\n'),
      fc.constant('~~~'),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''))
  .map((s) => (s === '' ? '' : s.endsWith('\n') ? s : `${s}\n`));

/** Reads a ```suggestion block back the way GitHub's renderer does: the fence's own length closes it. */
function parseSuggestion(md: string): string {
  const open = /^(`{3,})suggestion\n/.exec(md);
  if (!open) throw new Error('no opening fence');
  const fence = open[1]!;
  const rest = md.slice(open[0].length);
  // The closing fence: a line of at least fence.length backticks and nothing else; the first one wins.
  const lines = rest.split('\n');
  const out: string[] = [];
  for (const l of lines) {
    if (/^`+$/.test(l) && l.length >= fence.length) return out.length ? `${out.join('\n')}\n` : '';
    out.push(l);
  }
  // The block generator writes the closing fence right after the last "\n": "…\n```".
  throw new Error('unclosed fence');
}

describe('suggestion blocks', () => {
  it('render the exact replacement text, whatever backtick runs it holds', () => {
    fc.assert(
      fc.property(replacementText, (text) => {
        const md = suggestionMarkdown(text);
        const fence = fenceFor(text);
        for (const m of text.matchAll(/`+/g)) expect(m[0].length).toBeLessThan(fence.length);
        expect(parseSuggestion(md)).toBe(text);
      }),
      { numRuns: propertyRuns(300) },
    );
  });

  it('applySuggestion equals applyEdits for single-edit fixes (replacements, deletions, insertions)', () => {
    const file = fc.array(
      fc.string({ maxLength: 10 }).map((s) => s.replace(/[\r\n]/g, ' ')),
      { minLength: 2, maxLength: 20 },
    );
    fc.assert(
      fc.property(file, fc.nat(), fc.nat(3), replacementText, fc.boolean(), (lines, at, span, full, chopNewline) => {
        // Edit texts may omit the final "\n" (applyEdits accepts both).
        const repl = chopNewline ? full.replace(/\n$/, '') : full;
        const text = `${lines.join('\n')}\n`;
        const line = 1 + (at % lines.length);
        // span 0: insertion before `line` (endLine = line - 1); otherwise replace `span` lines.
        const endLine = span === 0 ? line - 1 : Math.min(lines.length, line + span - 1);
        const edit: Edit = { line, endLine, text: repl };
        const finding: Finding = {
          rule: 'x/y',
          severity: 'error',
          file: 'f.md',
          target: 't',
          line,
          column: 1,
          endLine: Math.max(line, endLine),
          message: 'm',
          fix: { description: 'd', edits: [edit] },
        };
        // Every line of the file is an added line in one hunk: everything is commentable.
        const patch = `@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}`;
        const s = suggestionFor(finding, parsePatch(patch), lines);
        if (span === 0 && line < 2) {
          expect(s).toBeUndefined();
          return;
        }
        expect(s).toBeDefined();
        expect(parseSuggestion(s!.markdown)).toBe(s!.replacement);
        expect(applySuggestion(text, s!)).toBe(applyEdits(text, [edit]));
      }),
      { numRuns: propertyRuns(300) },
    );
  });
});
