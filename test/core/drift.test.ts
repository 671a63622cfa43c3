/** Drift groups: one deviation repeated across files is one item, with examples and a ready change. */
import { describe, expect, it } from 'vitest';
import { groupDrift, schemaLocation, targetShape } from '../../src/core/drift.js';
import type { Finding } from '../../src/core/finding.js';

const finding = (file: string, rule: string, target: string, message: string, extra: Partial<Finding> = {}): Finding => ({
  file,
  rule,
  target,
  message,
  severity: 'error',
  line: 3,
  column: 1,
  endLine: 3,
  ...extra,
});
const files = (n: number, prefix = 'p') => Array.from({ length: n }, (_, i) => `${prefix}${i}.md`);

describe('groupDrift', () => {
  it('folds the same deviation across enough files, whatever the index or the quoted value', () => {
    const nulls = files(6).map((f) =>
      finding(f, 'schema/invalid', 'graph_garden.last_pruned:type', '`graph_garden.last_pruned` should be text, but it is nothing (null).'),
    );
    const texts = files(5).map((f, i) =>
      finding(
        f,
        'schema/invalid',
        `graph_garden.entities[${i}]:type`,
        `\`graph_garden.entities[${i}]\` should be a group of keys, but it is the text "Topic ${i}".`,
      ),
    );
    const lone = finding('q.md', 'schema/invalid', 'lifecycle.status:enum', '`lifecycle.status` is the text "x"; expected one of: draft, stable.');
    const { groups, rest } = groupDrift([...nulls, ...texts, lone]);
    expect(groups.map((g) => [g.shape, g.files, g.findings.length])).toEqual([
      ['graph_garden.last_pruned:type', 6, 6],
      ['graph_garden.entities[]:type', 5, 5],
    ]);
    expect(rest).toEqual([lone]);
    expect(groups[0]!.examples.map((f) => f.file)).toEqual(['p0.md', 'p1.md', 'p2.md']);
    expect(groups[0]!.advice[0]).toContain('set properties.graph_garden.properties.last_pruned.type to ["string","null"]');
    expect(groups[1]!.advice[0]).toContain('set properties.graph_garden.properties.entities.items.type to ["object","string"]');
  });

  it('keeps deviations apart by rule, key path and kind of value, and below the file threshold', () => {
    const nulls = files(5).map((f) => finding(f, 'schema/invalid', 'a.b:type', '`a.b` should be text, but it is nothing (null).'));
    const lists = files(5, 'r').map((f) => finding(f, 'schema/invalid', 'a.b:type', '`a.b` should be text, but it is a list.'));
    const other = files(5, 's').map((f) => finding(f, 'schema/invalid', 'a.c:type', '`a.c` should be text, but it is nothing (null).'));
    const same = files(1).flatMap((f) =>
      [1, 2, 3, 4, 5, 6].map((i) => finding(f, 'schema/invalid', `a.d[${i}]:type`, `\`a.d[${i}]\` should be text, but it is a list.`)),
    );
    const { groups, rest } = groupDrift([...nulls, ...lists, ...other, ...same]);
    expect(groups).toHaveLength(3);
    expect(rest).toHaveLength(6);
    expect(groupDrift([...nulls], { minFiles: 6 }).groups).toEqual([]);
  });

  it('enum values and missing link targets are the deviation itself', () => {
    const active = files(5).map((f) =>
      finding(f, 'schema/invalid', 'lifecycle.status:enum', '`lifecycle.status` is the text "active"; expected one of: draft, stable.'),
    );
    const live = files(5, 'r').map((f) =>
      finding(f, 'schema/invalid', 'lifecycle.status:enum', '`lifecycle.status` is the text "live"; expected one of: draft, stable.'),
    );
    const g = groupDrift([...active, ...live]).groups;
    expect(g).toHaveLength(2);
    expect(g[0]!.advice[0]).toMatch(/add "active" to properties\.lifecycle\.properties\.status\.enum/);
    const dangling = files(5).map((f, i) => finding(f, 'links/unknown-target', `relationships:enables:gone-${i}`, `points at \`gone-${i}\``));
    expect(groupDrift(dangling).groups).toEqual([]);
    const sameMissing = files(5).map((f) => finding(f, 'links/unknown-target', 'relationships:enables:gone-one', 'points at `gone-one`'));
    expect(groupDrift(sameMissing).groups).toHaveLength(1);
  });

  it('offers the bulk fix when every finding has one, and the rule setting only for a whole non-error rule', () => {
    const fix = { description: 'd', edits: [] };
    const scores = files(5).map((f) =>
      finding(f, 'assessment/overall-score', 'overall_score', '`overall_score` is 4.9, but ...', { severity: 'warning', fix }),
    );
    expect(groupDrift(scores).groups[0]!.advice).toEqual([
      'fix all 5 at once: gardener check --fix',
      'turn the rule off for this repository: rules: { assessment/overall-score: "off" } in .github/pattern-gardener.yml',
    ]);
    const dups = files(5).map((f) => finding(f, 'identity/duplicate-slug', 'slug', 'The slug `x` is also used by `y`.'));
    expect(groupDrift(dups).groups[0]!.advice).toEqual([]);
  });
});

describe('shapes', () => {
  it('normalises indices, slugs and section numbers; maps key paths into a schema', () => {
    expect(targetShape('graph_garden.entities[12]:type')).toBe('graph_garden.entities[]:type');
    expect(targetShape('requires:fork-template-setup-chain')).toBe('requires:*');
    expect(targetShape('section:4:words')).toBe('section:#:words');
    expect(schemaLocation('a.b[][]')).toBe('properties.a.properties.b.items.items');
  });
});
