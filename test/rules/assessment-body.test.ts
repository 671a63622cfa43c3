/** Assessment and body rules: score ranges and mean, the eight sections, the Problem statement, word ranges. */
import { describe, expect, it } from 'vitest';
import { byRule, checkFiles, fixFile, rulesOf } from '../helpers/check.js';
import { buildPattern, lineOf, mutate, patternCorpus, prose, SECTION_NAMES } from '../helpers/pattern.js';

const FILE = 'compost-cooperative.md';
const base = () => patternCorpus();
const check = (text: string) => {
  const files = { ...base(), [FILE]: text };
  return { files, findings: checkFiles(files, { only: [FILE] }) };
};

describe('assessment/overall-score', () => {
  it('the valid fixture (mean 3.5625 → 3.6) is silent', () => {
    expect(check(buildPattern({ slug: 'compost-cooperative' })).findings).toEqual([]);
  });

  it('a wrong overall score warns with the mean and a fix', () => {
    const text = buildPattern({ slug: 'compost-cooperative', overall: 4.2 });
    const { files, findings } = check(text);
    expect(rulesOf(findings)).toEqual(['assessment/overall-score']);
    const f = findings[0]!;
    expect(f.severity).toBe('warning');
    expect(f.line).toBe(lineOf(text, 'overall_score: 4.2'));
    expect(f.message).toContain('3.563');
    expect(f.fix?.edits).toEqual([{ line: f.line, endLine: f.line, text: '    overall_score: 3.6\n' }]);
    expect(checkFiles(fixFile(files, findings, FILE).files, { only: [FILE] })).toEqual([]);
  });

  it('a tie accepts both half-up and half-even roundings', () => {
    // Sum 26 / 8 = 3.25: half-up 3.3, half-even 3.2.
    const scores = {
      stakeholder_architecture: 3,
      value_creation: 3,
      resilience: 3,
      ownership: 3,
      autonomy: 3,
      composability: 3,
      fractal_value: 4,
      vitality: 4,
    };
    expect(check(buildPattern({ slug: 'compost-cooperative', scores, overall: '3.3' })).findings).toEqual([]);
    expect(check(buildPattern({ slug: 'compost-cooperative', scores, overall: '3.2' })).findings).toEqual([]);
    expect(rulesOf(check(buildPattern({ slug: 'compost-cooperative', scores, overall: '3.4' })).findings)).toEqual(['assessment/overall-score']);
    // Sum 27 / 8 = 3.375: half-up 3.4, half-even 3.4 (7 is odd); 3.3 is wrong.
    const odd = { ...scores, resilience: 4 };
    expect(check(buildPattern({ slug: 'compost-cooperative', scores: odd, overall: '3.4' })).findings).toEqual([]);
    expect(rulesOf(check(buildPattern({ slug: 'compost-cooperative', scores: odd, overall: '3.3' })).findings)).toEqual(['assessment/overall-score']);
  });

  it('is quiet when a dimension is not a number (the schema reports that)', () => {
    const text = mutate(buildPattern({ slug: 'compost-cooperative' }), '    resilience: 3.0', '    resilience: high');
    expect(rulesOf(check(text).findings)).toEqual(['schema/invalid']);
  });
});

describe('assessment/range', () => {
  it.each([
    ['    resilience: 3.0', '    resilience: 0.5', 'resilience'],
    ['    resilience: 3.0', '    resilience: 6', 'resilience'],
    ['    vitality: 3.5', '    vitality: -1', 'vitality'],
    ['    overall_score: 3.6', '    overall_score: 5.5', 'overall_score'],
    ['    resilience: 3.0', '    resilience: .nan', 'resilience'],
    ['    resilience: 3.0', '    resilience: .inf', 'resilience'],
    ['    vitality: 3.5', '    vitality: -.Inf', 'vitality'],
  ])('%s → %s is out of range', (from, to, key) => {
    const text = mutate(buildPattern({ slug: 'compost-cooperative' }), from, to);
    const f = byRule(check(text).findings, 'assessment/range');
    expect(f).toHaveLength(1);
    expect(f[0]!.severity).toBe('error');
    expect(f[0]!.line).toBe(lineOf(text, to.trim()));
    expect(f[0]!.message).toContain(`\`${key}\``);
  });

  it('vitality may be 0, pillars may not', () => {
    const zeroV = buildPattern({ slug: 'compost-cooperative', scores: { vitality: 0 } });
    expect(byRule(check(zeroV).findings, 'assessment/range')).toEqual([]);
    const zeroP = buildPattern({ slug: 'compost-cooperative', scores: { autonomy: 0 } });
    expect(byRule(check(zeroP).findings, 'assessment/range')).toHaveLength(1);
  });

  it('NaN in a dimension never produces an overall-score finding with a NaN fix', () => {
    const text = mutate(buildPattern({ slug: 'compost-cooperative' }), '    resilience: 3.0', '    resilience: .nan');
    expect(byRule(check(text).findings, 'assessment/overall-score')).toEqual([]);
  });
});

describe('body/sections', () => {
  const valid = () => buildPattern({ slug: 'compost-cooperative' });

  it('a missing section is an error near where it belongs', () => {
    const text = valid().replace(/### Section 6: Known Uses\n\n[^#]*?(?=---)/, '');
    const { findings } = check(text);
    const f = byRule(findings, 'body/sections');
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain('The body has no `### Section 6: Known Uses`');
    expect(f[0]!.line).toBeGreaterThan(lineOf(text, '### Section 5: Consequences'));
    expect(f[0]!.line).toBeLessThan(lineOf(text, '### Section 7: Cognitive Era'));
  });

  it('a repeated section is one finding at the repeat', () => {
    const text = mutate(valid(), '### Section 8: Vitality', '### Section 3: Solution\n\nMore words.\n\n### Section 8: Vitality');
    const f = byRule(check(text).findings, 'body/sections');
    expect(f).toHaveLength(1);
    const lines = text.split('\n');
    const repeat = lines.lastIndexOf('### Section 3: Solution') + 1;
    expect(f[0]!.line).toBe(repeat);
    expect(f[0]!.message).toContain(`Section 3 appears again from line ${repeat}`);
    expect(f[0]!.fix).toBeUndefined();
  });

  it('a whole second set of sections is one finding, not one per section', () => {
    const v = valid();
    const body = v.slice(v.indexOf('### Section 1: Context'));
    const text = `${v}\n${body.replace(/(### Section \d: [A-Za-z ]+)/g, '$1 (Expanded)')}`;
    const f = byRule(check(text).findings, 'body/sections');
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain('Sections 1–8 appear again');
  });

  it('sections out of order are reported', () => {
    const v = valid();
    const s4 = v.indexOf('### Section 4: Implementation');
    const s5 = v.indexOf('### Section 5: Consequences');
    const s6 = v.indexOf('### Section 6: Known Uses');
    // Swap sections 4 and 5 (each block runs up to the next "---" rule).
    const block4 = v.slice(s4, s5);
    const block5 = v.slice(s5, s6);
    const text = v.slice(0, s4) + block5 + block4 + v.slice(s6);
    const f = byRule(check(text).findings, 'body/sections');
    expect(f).toHaveLength(1);
    expect(f[0]!.line).toBe(lineOf(text, '### Section 4: Implementation'));
    expect(f[0]!.message).toContain(`Section 4 (line ${f[0]!.line}) comes after a later section`);
  });

  it("a misnamed section is reported without a fix (renaming would drop the author's words); hints and subtitles are tolerated", () => {
    const text = mutate(valid(), '### Section 6: Known Uses', '### Section 6: Examples In The Wild');
    const f = byRule(check(text).findings, 'body/sections');
    expect(f).toHaveLength(1);
    expect(f[0]!.line).toBe(lineOf(text, 'Examples In The Wild'));
    expect(f[0]!.message).toContain('the spec calls it "Known Uses"');
    expect(f[0]!.fix).toBeUndefined();
    expect(check(mutate(valid(), '### Section 6: Known Uses', '### Section 6: Known Uses (200-300 words)')).findings).toEqual([]);
    expect(check(mutate(valid(), '### Section 8: Vitality', '### Section 8: Vitality — Signs Of Life')).findings).toEqual([]);
    expect(check(mutate(valid(), '### Section 7: Cognitive Era', '### Section 7: Cognitive Era Considerations')).findings).toEqual([]);
  });

  it('`### N. Name` headings are recognised: one finding per file, whose fix renames them and keeps subtitles', () => {
    let text = valid();
    for (const [i, name] of SECTION_NAMES.entries())
      text = mutate(text, `### Section ${i + 1}: ${name}\n`, `### ${i + 1}. ${name}${i === 7 ? ': Signs Of Life' : i === 6 ? ' Considerations' : ''}\n`);
    const { files, findings } = check(text);
    const f = byRule(findings, 'body/sections');
    expect(f).toHaveLength(1);
    expect(f[0]!.line).toBe(lineOf(text, '### 1. Context'));
    expect(f[0]!.message).toContain('8 headings are written `### 1. Context`');
    expect(f[0]!.fix?.edits).toHaveLength(8);
    // The same sections are found, so no other body rule speaks up.
    expect(rulesOf(findings)).toEqual(['body/sections']);
    const fixed = fixFile(files, findings, FILE).text;
    expect(fixed).toContain('### Section 7: Cognitive Era Considerations\n');
    expect(fixed).toContain('### Section 8: Vitality — Signs Of Life\n');
    expect(fixed.replace(/### Section (\d): /g, '### $1. ').replace(' — Signs', ': Signs')).toBe(text);
    expect(checkFiles({ ...files, [FILE]: fixed }, { only: [FILE] })).toEqual([]);
  });

  it('a numbered step inside a section is not taken for a section', () => {
    const text = mutate(valid(), '### Section 5: Consequences', '#### 1. Context mapping\n\nStep text.\n\n### Section 5: Consequences');
    expect(byRule(check(text).findings, 'body/sections')).toEqual([]);
  });

  it('headings inside fenced code do not count', () => {
    const text = mutate(valid(), '### Section 8: Vitality', '```markdown\n### Section 2: Problem\n```\n\n### Section 8: Vitality');
    expect(byRule(check(text).findings, 'body/sections')).toEqual([]);
  });
});

describe('body/problem-tension', () => {
  it("a statement naming another tension warns without a fix: which side is right is the author's call", () => {
    const text = mutate(
      buildPattern({ slug: 'compost-cooperative' }),
      '> **The core conflict is Sharing Freely vs Keeping Stock Safe.**',
      '> **The core conflict is Speed vs Care.**',
    );
    const { findings } = check(text);
    expect(rulesOf(findings)).toEqual(['body/problem-tension']);
    expect(findings[0]!.line).toBe(lineOf(text, 'Speed vs Care'));
    expect(findings[0]!.fix).toBeUndefined();
  });

  it.each([
    'The core conflict is the Sharing Freely vs. the Keeping Stock Safe.',
    'The core conflict is between sharing freely and keeping stock safe.',
    'The core conflict is keeping stock safe against sharing freely.',
    'The core tension is Sharing Freely vs Keeping Stock Safe.',
  ])('"%s" names the tension', (statement) => {
    const text = mutate(buildPattern({ slug: 'compost-cooperative' }), 'The core conflict is Sharing Freely vs Keeping Stock Safe.', statement);
    expect(check(text).findings).toEqual([]);
  });

  it('a primary tension with an empty side is reported at the frontmatter, fixed from a statement that names both sides', () => {
    const text = mutate(
      buildPattern({ slug: 'compost-cooperative' }),
      'primary_tension: "Sharing Freely vs Keeping Stock Safe"',
      'primary_tension: "The vs Keeping Stock Safe"',
    );
    const { files, findings } = check(text);
    expect(rulesOf(findings)).toEqual(['body/problem-tension']);
    expect(findings[0]!.line).toBe(lineOf(text, 'primary_tension:'));
    expect(findings[0]!.fix?.edits[0]!.text).toBe('    primary_tension: "Sharing Freely vs Keeping Stock Safe"\n');
    expect(checkFiles(fixFile(files, findings, FILE).files, { only: [FILE] })).toEqual([]);
    // Both broken alike: reported, no fix.
    const both = mutate(text, 'The core conflict is Sharing Freely vs Keeping Stock Safe.', 'The core conflict is The vs Keeping Stock Safe.');
    const f = byRule(check(both).findings, 'body/problem-tension');
    expect(f).toHaveLength(1);
    expect(f[0]!.fix).toBeUndefined();
  });

  it('"versus" and "vs." are the same tension', () => {
    const text = mutate(
      buildPattern({ slug: 'compost-cooperative' }),
      'The core conflict is Sharing Freely vs Keeping Stock Safe.',
      'The core conflict is sharing freely versus keeping stock safe.',
    );
    expect(check(text).findings).toEqual([]);
  });

  it('no statement at all warns without a fix', () => {
    const text = mutate(
      buildPattern({ slug: 'compost-cooperative' }),
      '> **The core conflict is Sharing Freely vs Keeping Stock Safe.**',
      'Growers often ask the same question.',
    );
    const f = byRule(check(text).findings, 'body/problem-tension');
    expect(f).toHaveLength(1);
    expect(f[0]!.fix).toBeUndefined();
  });
});

describe('body/word-count', () => {
  it('a section below its range is a notice spanning the section', () => {
    const v = buildPattern({ slug: 'compost-cooperative' });
    const start = v.indexOf('### Section 1: Context');
    const end = v.indexOf('---', start);
    const text = `${v.slice(0, start)}### Section 1: Context\n\n${prose(40)}\n\n${v.slice(end)}`;
    const f = byRule(check(text).findings, 'body/word-count');
    expect(f).toHaveLength(1);
    expect(f[0]!.severity).toBe('notice');
    expect(f[0]!.message).toContain('40 words');
    expect(f[0]!.line).toBe(lineOf(text, '### Section 1: Context'));
    expect(f[0]!.endLine).toBeGreaterThan(f[0]!.line);
  });

  it('a section above its range is reported too', () => {
    const v = buildPattern({ slug: 'compost-cooperative' });
    const text = mutate(v, '### Section 2: Problem\n', `### Section 2: Problem\n\n${prose(120)}\n`);
    const f = byRule(check(text).findings, 'body/word-count');
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain('270 words');
  });

  it('counts within the tolerance are silent; the tolerance is configurable; several sections are one notice', () => {
    const v = buildPattern({ slug: 'compost-cooperative' });
    // Problem: 150 + 65 = 215 words, 7.5% over 200.
    const near = mutate(v, '### Section 2: Problem\n', `### Section 2: Problem\n\n${prose(65)}\n`);
    expect(byRule(check(near).findings, 'body/word-count')).toEqual([]);
    const strict = checkFiles({ ...base(), [FILE]: near }, { only: [FILE], config: { wordCountTolerance: 0 } });
    expect(byRule(strict, 'body/word-count')).toHaveLength(1);
    const two = mutate(near, '### Section 5: Consequences\n', `### Section 5: Consequences\n\n${prose(120)}\n`);
    const f = byRule(checkFiles({ ...base(), [FILE]: two }, { only: [FILE], config: { wordCountTolerance: 0 } }), 'body/word-count');
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain('Section 2 (Problem) has 215 words (100–200)');
    expect(f[0]!.message).toContain('Section 5 (Consequences) has 370 words (200–300)');
  });

  it('the fixture sections sit inside every range', () => {
    expect(SECTION_NAMES).toHaveLength(8);
    expect(byRule(check(buildPattern({ slug: 'compost-cooperative' })).findings, 'body/word-count')).toEqual([]);
  });
});
