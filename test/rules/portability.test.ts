/**
 * yaml/portability: plain scalars YAML 1.1 readers take differently are reported, quoted ones are not,
 * and after the fix a YAML 1.1 reader (the `yaml` package in 1.1 mode, as a stand-in for PyYAML and
 * Psych) reads what this checker reads.
 */
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseDocument } from '../../src/core/document.js';
import { yaml11Difference } from '../../src/rules/portability.js';
import { byRule, checkFiles, fixFile } from '../helpers/check.js';
import { mutate, patternCorpus } from '../helpers/pattern.js';

const FILE = 'community-seed-library.md';
const valid = () => patternCorpus()[FILE] as string;
const withLine = (extra: string) => mutate(valid(), 'license: CC-BY-SA-4.0', `license: CC-BY-SA-4.0\n${extra}`);
const portability = (text: string) => byRule(checkFiles({ ...patternCorpus(), [FILE]: text }, { only: [FILE] }), 'yaml/portability');
const frontmatterOf = (text: string) => text.slice(4, text.indexOf('\n---\n', 4) + 1);

describe('yaml/portability', () => {
  const cases: [string, RegExp][] = [
    ['reviewed: yes', /the string "yes" here, but YAML 1\.1 tools \(PyYAML, Jekyll\) read the boolean true/],
    ['public: Off', /read the boolean false/],
    ['duration: 1:30', /read the base-60 number 90/],
    ['edition: 012', /is the number 12 here, .* read the octal number 10/],
    ['edition: 09', /is the number 9 here, .* read the string "09"/],
    ['mode: 0o17', /is the number 15 here/],
    ['population: 1e6', /is the number 1000000 here, .* read the string "1e6"/],
    ['questions: [why?, how]', /PyYAML rejects it: a `\?` inside an unquoted item/],
  ];
  for (const [line, message] of cases) {
    it(`${line}: reported, and the fix makes a YAML 1.1 reader agree`, () => {
      const text = withLine(line);
      const f = portability(text);
      expect(f).toHaveLength(1);
      expect(f[0]!.message).toMatch(message);
      expect(f[0]!.line).toBe(text.split('\n').indexOf(line) + 1);
      const fixed = fixFile({ [FILE]: text }, f, FILE).text;
      const ours = parseDocument(FILE, fixed).frontmatter?.data;
      const theirs = parseYaml(frontmatterOf(fixed), { version: '1.1' }) as Record<string, unknown>;
      const key = line.slice(0, line.indexOf(':'));
      expect(theirs[key]).toEqual(ours?.[key]);
      expect(portability(fixed)).toEqual([]);
    });
  }

  it('quoted values, block scalars, dates, decimals and words in prose are left alone', () => {
    const text = withLine(
      [
        'reviewed: "yes"',
        "public: 'off'",
        'note: |',
        '  yes',
        'created: 2026-02-01',
        'weight: 0.82',
        'summary_words: [yes we can, not now]',
        'url: "https://x.test/?a=b"',
        'links: ["why?"]',
      ].join('\n'),
    );
    expect(portability(text)).toEqual([]);
  });

  it('a `<<` key and a tab between tokens are reported (the YAML fast path steps aside for both)', () => {
    expect(portability(withLine('base: &b {x: 1}\nextra:\n  <<: *b\n  y: 2'))[0]?.message).toMatch(/a key named `<<`.*merge/);
    const tab = portability(withLine('domain_note:\tshared'));
    expect(tab).toHaveLength(1);
    expect(tab[0]!.message).toMatch(/tab between YAML tokens/);
  });

  it('the fast path notes divergent scalars while parsing, so clean frontmatter is never parsed twice', () => {
    expect(parseDocument(FILE, valid()).frontmatter?.yaml11Divergent).toBe(false);
    expect(parseDocument(FILE, withLine('reviewed: yes')).frontmatter?.yaml11Divergent).toBe(true);
    expect(parseDocument(FILE, withLine('weird: "a\\tb"\nflow: {a: 1,\n  b: 2}')).frontmatter?.yaml11Divergent).toBeUndefined();
  });

  it('an octal that YAML 1.1 reads as the same number is no difference', () => {
    expect(yaml11Difference('07', { inFlow: false, isKey: false })).toBeUndefined();
    expect(yaml11Difference('yesterday', { inFlow: false, isKey: false })).toBeUndefined();
    expect(yaml11Difference('why?', { inFlow: false, isKey: false })).toBeUndefined();
  });
});
