/** Inline suppressions: `gardener-ignore` comments in a pattern file, applied by the engine for the CLI and the app alike. */
import { describe, expect, it } from 'vitest';
import { CorpusIndex } from '../../src/core/corpus.js';
import { requireDate } from '../../src/core/dates.js';
import { Engine } from '../../src/core/engine.js';
import { fingerprint, type Finding } from '../../src/core/finding.js';
import { parseDocument } from '../../src/core/document.js';
import { readSuppressions } from '../../src/core/suppressions.js';
import { configFrom, fixFile, parseAll } from '../helpers/check.js';
import { DEFAULT_TODAY, lineOf, mutate, patternCorpus } from '../helpers/pattern.js';
import { removeTree, runCli, writeTree } from '../helpers/cli.js';

const FILE = 'community-seed-library.md';
const ALTERNATIVES = '  alternatives: []';
const DANGLING = '  alternatives:\n    - slug: nowhere-at-all\n      weight: 0.6';
const focus = () => patternCorpus()[FILE] as string;

/** The focus file's findings and those its suppressions silenced, checked with the rest of the corpus. */
function inspect(text: string, config?: Record<string, unknown>): { findings: Finding[]; suppressed: Finding[] } {
  const files = { ...patternCorpus(), [FILE]: text };
  const cfg = configFrom(config);
  const docs = parseAll(files, cfg);
  const engine = new Engine({ config: cfg, today: requireDate(DEFAULT_TODAY) });
  return engine.inspectDocument(docs.find((d) => d.file === FILE)!, CorpusIndex.fromDocuments(docs));
}
const rules = (fs: Finding[]) => fs.map((f) => f.rule);

describe('frontmatter: YAML comments', () => {
  it('a comment above the line silences that rule there; the silenced finding keeps its fingerprint', () => {
    const plain = inspect(mutate(focus(), ALTERNATIVES, DANGLING));
    expect(rules(plain.findings)).toEqual(['links/unknown-target']);
    const text = mutate(
      focus(),
      ALTERNATIVES,
      '  alternatives:\n    # gardener-ignore links/unknown-target: the page lands next week\n    - slug: nowhere-at-all\n      weight: 0.6',
    );
    const r = inspect(text);
    expect(r.findings).toEqual([]);
    expect(r.suppressed).toHaveLength(1);
    expect(fingerprint(r.suppressed[0]!)).toBe(fingerprint(plain.findings[0]!));
  });

  it('a comment at the end of the line silences it too; another rule or another line is not silenced', () => {
    const same = mutate(
      focus(),
      ALTERNATIVES,
      '  alternatives:\n    - slug: nowhere-at-all # gardener-ignore links/unknown-target: lands next week\n      weight: 0.6',
    );
    expect(inspect(same).findings).toEqual([]);
    const otherRule = mutate(
      focus(),
      ALTERNATIVES,
      '  alternatives:\n    - slug: nowhere-at-all # gardener-ignore body/word-count: wrong rule\n      weight: 0.6',
    );
    expect(rules(inspect(otherRule).findings)).toContain('links/unknown-target');
    const otherLine = mutate(
      focus(),
      ALTERNATIVES,
      '  # gardener-ignore links/unknown-target: applies to the next line only\n  alternatives:\n    - slug: nowhere-at-all\n      weight: 0.6',
    );
    expect(rules(inspect(otherLine).findings)).toContain('links/unknown-target');
  });

  it('gardener-ignore-file silences the rule in the whole file', () => {
    const text = mutate(
      mutate(focus(), ALTERNATIVES, DANGLING),
      /^---\n/,
      '---\n# gardener-ignore-file links/unknown-target: links to pages of another site\n',
    );
    const r = inspect(text);
    expect(r.findings).toEqual([]);
    expect(r.suppressed.map((f) => f.rule)).toEqual(['links/unknown-target']);
  });
});

describe('body: HTML comments', () => {
  /** A stray `\'\'\'` line after the Problem section's heading: a body/stray-fence finding on that line. */
  const stray = (text: string, before: string) => text.replace('### Section 2: Problem\n', `### Section 2: Problem\n\n${before}'''\n`);

  it('a comment alone on its line silences the next non-blank line', () => {
    const plain = inspect(stray(focus(), ''));
    expect(rules(plain.findings)).toEqual(['body/stray-fence']);
    const r = inspect(stray(focus(), '<!-- gardener-ignore body/stray-fence: the quotes are part of a poem -->\n\n'));
    expect(r.findings).toEqual([]);
    expect(r.suppressed).toHaveLength(1);
  });

  it('a comment inside fenced code is an example, not a suppression', () => {
    const text = stray(focus(), '```markdown\n<!-- gardener-ignore body/stray-fence: shown as an example -->\n```\n');
    expect(readSuppressions(parseDocument(FILE, text))).toEqual([]);
    expect(rules(inspect(text).findings)).toEqual(['body/stray-fence']);
  });

  it('<!-- gardener-ignore-file … --> anywhere in the body covers the whole file', () => {
    const text = `${mutate(focus(), ALTERNATIVES, DANGLING)}\n<!-- gardener-ignore-file links/unknown-target: migrated links, checked by hand -->\n`;
    expect(inspect(text).findings).toEqual([]);
  });
});

describe('suppressions that do not hold', () => {
  it('without a reason: reported, and the finding stays', () => {
    const text = mutate(focus(), ALTERNATIVES, '  alternatives:\n    - slug: nowhere-at-all # gardener-ignore links/unknown-target\n      weight: 0.6');
    const r = inspect(text);
    expect(rules(r.findings).sort()).toEqual(['links/unknown-target', 'suppression/invalid']);
    const invalid = r.findings.find((f) => f.rule === 'suppression/invalid')!;
    expect(invalid.message).toContain('gives no reason');
    expect(invalid.line).toBe(lineOf(text, 'gardener-ignore'));
    expect(r.suppressed).toEqual([]);
  });

  it('naming a rule that does not exist: reported with the closest id', () => {
    const text = mutate(focus(), ALTERNATIVES, '  alternatives:\n    - slug: nowhere-at-all # gardener-ignore links/unknown-targets: typo\n      weight: 0.6');
    const invalid = inspect(text).findings.find((f) => f.rule === 'suppression/invalid')!;
    expect(invalid.message).toContain('`links/unknown-targets`, which is not a rule (did you mean `links/unknown-target`?)');
  });

  it('silencing nothing: a notice whose fix deletes the comment line', () => {
    const text = mutate(focus(), ALTERNATIVES, `${ALTERNATIVES}\n  # gardener-ignore links/unknown-target: fixed long ago`);
    const files = { ...patternCorpus(), [FILE]: text };
    const r = inspect(text);
    expect(rules(r.findings)).toEqual(['suppression/unused']);
    expect(r.findings[0]!.severity).toBe('notice');
    const fixed = fixFile(files, r.findings, FILE);
    expect(fixed.files[FILE]).toBe(focus());
  });

  it('a suppression of a rule that is off or did not run is not called unused', () => {
    const text = mutate(focus(), ALTERNATIVES, `${ALTERNATIVES}\n  # gardener-ignore links/unknown-target: kept for the other config`);
    expect(inspect(text, { rules: { 'links/unknown-target': 'off' } }).findings).toEqual([]);
  });

  it('the findings about suppressions follow the severity settings', () => {
    const text = mutate(focus(), ALTERNATIVES, `${ALTERNATIVES}\n  # gardener-ignore links/unknown-target: fixed long ago`);
    expect(inspect(text, { rules: { 'suppression/unused': 'off' } }).findings).toEqual([]);
  });
});

describe('the CLI counts what was suppressed', () => {
  it('text summary and, for machine formats, stderr say how many findings were suppressed inline', async () => {
    const files = {
      ...patternCorpus(),
      [FILE]: mutate(
        focus(),
        ALTERNATIVES,
        '  alternatives:\n    - slug: nowhere-at-all # gardener-ignore links/unknown-target: lands next week\n      weight: 0.6',
      ),
    };
    const root = writeTree(Object.fromEntries(Object.entries(files).map(([f, t]) => [`patterns/${f}`, t])));
    try {
      const text = await runCli(['check', `${root}/patterns`, '--today', DEFAULT_TODAY]);
      expect(text.code).toBe(0);
      expect(text.stdout).toContain('1 finding suppressed inline');
      const json = await runCli(['check', `${root}/patterns`, '--today', DEFAULT_TODAY, '--format', 'json']);
      expect(JSON.parse(json.stdout).findings).toEqual([]);
      expect(json.stderr).toContain('1 finding suppressed inline');
    } finally {
      removeTree(root);
    }
  });
});
