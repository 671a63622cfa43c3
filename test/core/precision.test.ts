/**
 * One problem, one finding, said right: config rule ids, readable schema messages, did-you-mean for
 * shortened or extended names, overall scores at the author's precision, fixes that keep the author's text.
 */
import { describe, expect, it } from 'vitest';
import { closestRuleId, resolveConfig } from '../../src/core/config.js';
import { NameMatcher } from '../../src/core/similar.js';
import { byRule, checkFiles, fixFile, rulesOf } from '../helpers/check.js';
import { buildPattern, lineOf, mutate, patternCorpus } from '../helpers/pattern.js';

const FILE = 'compost-cooperative.md';
const check = (text: string) => {
  const files = { ...patternCorpus(), [FILE]: text };
  return { files, findings: checkFiles(files, { only: [FILE] }) };
};
const valid = () => buildPattern({ slug: 'compost-cooperative' });

describe('config rule ids', () => {
  it('an unknown rule id is a config error with a did-you-mean', () => {
    const r = resolveConfig({ rules: { 'body/wordcount': 'off' } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([{ path: 'rules.body/wordcount', message: expect.stringContaining('Did you mean `body/word-count`?') }]);
  });

  it('the name without its group finds the rule; a name like nothing gets no guess', () => {
    expect(closestRuleId('word-count')).toBe('body/word-count');
    expect(closestRuleId('totally/unrelated-thing')).toBeUndefined();
    const r = resolveConfig({ rules: { 'totally/unrelated-thing': 'warning' } });
    expect(r.ok).toBe(false);
  });

  it('known ids, those of findings made outside the engine included, are accepted', () => {
    expect(resolveConfig({ rules: { 'body/word-count': 'off', 'links/inferred-proposal': 'off' } }).ok).toBe(true);
  });

  it('wordCountTolerance is validated', () => {
    expect(resolveConfig({ wordCountTolerance: 0.25 }).ok).toBe(true);
    expect(resolveConfig({ wordCountTolerance: 2 }).ok).toBe(false);
  });
});

describe('schema messages', () => {
  it('last_pruned: null is a garden never pruned; another value says a date is expected', () => {
    expect(byRule(check(mutate(valid(), /last_pruned: \S+/, 'last_pruned: null')).findings, 'schema/invalid')).toEqual([]);
    const f = byRule(check(mutate(valid(), /last_pruned: \S+/, 'last_pruned: [2026]')).findings, 'schema/invalid');
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toMatch(/^`graph_garden\.last_pruned` should be a date \(YYYY-MM-DD\), or null for a garden never pruned, but it is /);
  });

  it('a list of names where entities are expected is one finding at the list, saying what an entity is', () => {
    const text = mutate(valid(), / {2}entities:\n( {4}.*\n)+/, '  entities: ["Seed Stock", "Tool Shed", "Ledger"]\n');
    const f = byRule(check(text).findings, 'schema/invalid');
    expect(f).toHaveLength(1);
    expect(f[0]!.line).toBe(lineOf(text, '  entities:'));
    expect(f[0]!.message).toBe('All 3 entries of `graph_garden.entities` are text; each should be an entity written as keys (`id`, `type`, `label`).');
  });

  it('an inferred link without a type is reported once, by links/inferred-type', () => {
    const text = mutate(
      valid(),
      '  inferred_links: []',
      '  inferred_links:\n    - target: shared-tool-shed\n      reason: "Both lend"\n    - target: mutual-aid-network\n      reason: "Both share"',
    );
    const { findings } = check(text);
    expect(rulesOf(findings)).toEqual(['links/inferred-type']);
    expect(findings[0]!.message).toContain('All 2 inferred links have no `type`');
    expect(findings[0]!.line).toBe(lineOf(text, '- target: shared-tool-shed'));
  });
});

describe('did you mean', () => {
  const m = new NameMatcher([
    'values-alignment-navigation',
    'peer-support',
    'emotional-intelligence-goleman',
    'emotional-intelligence-systems',
    'seed-library',
  ]);

  it('a shortened or extended slug of exactly one name is fixed to it', () => {
    expect(m.suggest('values-alignment').best).toBe('values-alignment-navigation');
    expect(m.suggest('peer-support-circle-model').best).toBe('peer-support');
  });

  it('several extensions are listed, none chosen; one shared word is no match', () => {
    const s = m.suggest('emotional-intelligence');
    expect(s.best).toBeUndefined();
    expect(s.candidates.sort()).toEqual(['emotional-intelligence-goleman', 'emotional-intelligence-systems']);
    expect(m.suggest('seed').best).toBeUndefined();
    expect(m.suggest('seed-bank-network').best).toBeUndefined();
  });

  it('the unknown-target fix uses it', () => {
    const text = buildPattern({ slug: 'compost-cooperative', relationships: { alternatives: ['shared-tool'] } });
    const f = byRule(check(text).findings, 'links/unknown-target');
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain('Did you mean `shared-tool-shed`?');
    expect(f[0]!.fix?.edits[0]!.text).toBe('    - slug: shared-tool-shed\n');
  });
});

describe('assessment/overall-score at the author precision', () => {
  // Sum 29.2 / 8 = 3.65 exactly.
  const scores = {
    stakeholder_architecture: 4,
    value_creation: 3.5,
    resilience: 3,
    ownership: 4,
    autonomy: 3.5,
    composability: 4,
    fractal_value: 3,
    vitality: 4.2,
  };

  it('the mean written with two decimals, or either side of a tie, is right', () => {
    for (const overall of ['3.65', '3.7', '3.6']) expect(check(buildPattern({ slug: 'compost-cooperative', scores, overall })).findings, overall).toEqual([]);
    expect(rulesOf(check(buildPattern({ slug: 'compost-cooperative', scores, overall: '3.66' })).findings)).toEqual(['assessment/overall-score']);
  });

  it('a wrong score beside a tie names both roundings', () => {
    const [f] = check(buildPattern({ slug: 'compost-cooperative', scores, overall: '3.9' })).findings;
    expect(f?.message).toContain('which rounds to 3.6 or 3.7 (a tie)');
  });

  it('the fix writes one decimal, never a bare integer', () => {
    const five = { stakeholder_architecture: 5, value_creation: 5, resilience: 5, ownership: 5, autonomy: 5, composability: 5, fractal_value: 5, vitality: 5 };
    const text = buildPattern({ slug: 'compost-cooperative', scores: five, overall: '4.8' });
    const { files, findings } = check(text);
    expect(findings[0]!.fix?.edits[0]!.text).toBe('    overall_score: 5.0\n');
    expect(checkFiles(fixFile(files, findings, FILE).files, { only: [FILE] })).toEqual([]);
  });
});

describe('links/reciprocal fixes follow the list they join', () => {
  const withInbound = (target: string) => buildPattern({ slug: 'compost-cooperative', relationships: { enables: [target] } });

  it('a weighted block list gets a weighted entry with the other side weight, `1.0` written as such', () => {
    const files = { ...patternCorpus(), [FILE]: withInbound('shared-tool-shed').replace('      weight: 0.8', '      weight: 1.0') };
    const f = byRule(checkFiles(files), 'links/reciprocal', 'shared-tool-shed.md');
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain('or remove the link there');
    const fixed = fixFile(files, f, 'shared-tool-shed.md').text;
    expect(fixed).toContain('  requires:\n    - slug: community-seed-library\n      weight: 0.8\n    - slug: compost-cooperative\n      weight: 1.0\n');
  });

  it('a list of bare names gets a bare name; a zero-indented flow list keeps its indentation and form', () => {
    const bare = mutate(
      patternCorpus()['shared-tool-shed.md'] as string,
      '  requires:\n    - slug: community-seed-library\n      weight: 0.8',
      '  requires:\n  - community-seed-library',
    );
    const files = { ...patternCorpus(), 'shared-tool-shed.md': bare, [FILE]: withInbound('shared-tool-shed') };
    const f = byRule(checkFiles(files), 'links/reciprocal', 'shared-tool-shed.md');
    expect(fixFile(files, f, 'shared-tool-shed.md').text).toContain('  requires:\n  - community-seed-library\n  - compost-cooperative\n');
    const flow = mutate(bare, '  - community-seed-library', '  - {slug: community-seed-library, weight: 0.8, description: "Lends tools"}');
    const files2 = { ...files, 'shared-tool-shed.md': flow };
    const g = byRule(checkFiles(files2), 'links/reciprocal', 'shared-tool-shed.md');
    expect(fixFile(files2, g, 'shared-tool-shed.md').text).toContain(
      '  - {slug: community-seed-library, weight: 0.8, description: "Lends tools"}\n  - {slug: compost-cooperative, weight: 0.8}\n',
    );
  });

  it('more missing inverses of one type than a curated list holds are one finding, without a fix', () => {
    const extra: Record<string, string> = {};
    for (let i = 0; i < 12; i++)
      extra[`grower-${i}-circle.md`] = buildPattern({ slug: `grower-${i}-circle`, relationships: { enables: ['shared-tool-shed'] } });
    const files = { ...patternCorpus(), ...extra };
    const f = byRule(checkFiles(files), 'links/reciprocal', 'shared-tool-shed.md');
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain('12 patterns say they enable `shared-tool-shed`');
    expect(f[0]!.fix).toBeUndefined();
  });
});

describe('links/entry-shape', () => {
  it('bare names of one list are one finding whose fix touches each entry line and nothing else', () => {
    const text = mutate(
      buildPattern({ slug: 'compost-cooperative' }),
      '  alternatives: []',
      '  alternatives:\n  - shared-tool-shed # lends tools\n  - {id: mutual-aid-network, weight: 1.0, description: "Mutual"}',
    );
    const { files, findings } = check(text);
    const f = byRule(findings, 'links/entry-shape');
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain('has a bare name and an entry keyed by `id`');
    const fixed = fixFile(files, findings, FILE, 'links/entry-shape').text;
    expect(fixed).toContain('  alternatives:\n  - slug: shared-tool-shed # lends tools\n  - {slug: mutual-aid-network, weight: 1.0, description: "Mutual"}\n');
  });
});

describe('identity: a placeholder id is one problem', () => {
  it('two files sharing `pat_placeholder` get id-format each, not duplicate-id as well', () => {
    const files = {
      ...patternCorpus(),
      [FILE]: buildPattern({ slug: 'compost-cooperative', id: 'pat_placeholder' }),
      'river-cleanup-crew.md': buildPattern({ slug: 'river-cleanup-crew', id: 'pat_placeholder' }),
    };
    const f = checkFiles(files, { only: [FILE, 'river-cleanup-crew.md'] });
    expect(rulesOf(f).sort()).toEqual(['identity/id-format', 'identity/id-format']);
    // With id-format off, the duplicate is still reported.
    const off = checkFiles(files, { only: [FILE, 'river-cleanup-crew.md'], config: { rules: { 'identity/id-format': 'off' } } });
    expect(rulesOf(off).sort()).toEqual(['identity/duplicate-id', 'identity/duplicate-id']);
  });
});
