/** The baseline file: round trip, validation, counts per fingerprint, fixed entries and pruning. */
import { describe, expect, it } from 'vitest';
import { BaselineError, baselineSize, compareWithBaseline, createBaseline, parseBaseline, pruneBaseline, serializeBaseline } from '../../src/core/baseline.js';
import { fingerprint } from '../../src/core/finding.js';

const f = (file: string, rule: string, target: string) => ({ file, rule, target });

describe('baseline file', () => {
  const findings = [
    f('b.md', 'links/unknown-target', 'relationships:enables:x'),
    f('a.md', 'schema/invalid', 'graph_garden.last_pruned:type'),
    f('a.md', 'links/duplicate', 't'),
    f('a.md', 'links/duplicate', 't'),
  ];

  it('is sorted by file, rule and target, one entry per line, with counts', () => {
    const text = serializeBaseline(createBaseline(findings));
    const lines = text.split('\n').filter((l) => l.trimStart().startsWith('{"file"'));
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => JSON.parse(l.replace(/,$/, '')).file + ' ' + JSON.parse(l.replace(/,$/, '')).rule)).toEqual([
      'a.md links/duplicate',
      'a.md schema/invalid',
      'b.md links/unknown-target',
    ]);
    expect(JSON.parse(lines[0]!.replace(/,$/, ''))).toEqual({
      file: 'a.md',
      rule: 'links/duplicate',
      target: 't',
      count: 2,
      fingerprint: fingerprint(findings[2]!),
    });
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('round-trips, and the same findings in another order give the same text', () => {
    const text = serializeBaseline(createBaseline(findings));
    expect(serializeBaseline(parseBaseline(text))).toBe(text);
    expect(serializeBaseline(createBaseline([...findings].reverse()))).toBe(text);
    expect(serializeBaseline(createBaseline([]))).toContain('"findings": []');
    expect(parseBaseline(serializeBaseline(createBaseline([]))).entries).toEqual([]);
  });

  it.each([
    ['not json', /not valid JSON/],
    ['[]', /expected an object/],
    ['{"version": 2, "findings": []}', /unsupported version 2/],
    ['{"version": 1}', /"findings" must be a list/],
    ['{"version": 1, "findings": [{"file": "a.md", "rule": "r", "target": "t", "count": 0, "fingerprint": "x"}]}', /findings\[0\]: "count"/],
    [
      '{"version": 1, "findings": [{"file": "a.md", "rule": "r", "target": "t", "count": 1, "fingerprint": "0000000000000000"}]}',
      /findings\[0\]: "fingerprint" does not match/,
    ],
    ['{"version": 1, "findings": [{"file": 3, "rule": "r", "target": "t", "count": 1, "fingerprint": "x"}]}', /findings\[0\]: "file" must be text/],
  ])('refuses %s', (text, message) => {
    expect(() => parseBaseline(text)).toThrow(BaselineError);
    expect(() => parseBaseline(text)).toThrow(message);
  });

  it('refuses two entries for one fingerprint', () => {
    const e = { ...f('a.md', 'r', 't'), count: 1, fingerprint: fingerprint(f('a.md', 'r', 't')) };
    expect(() => parseBaseline(JSON.stringify({ version: 1, findings: [e, e] }))).toThrow(/findings\[1\]: same finding as findings\[0\]/);
  });
});

describe('compareWithBaseline', () => {
  it('accepts exactly the recorded findings, and counts occurrences per fingerprint', () => {
    const dup = f('a.md', 'links/duplicate', 't');
    const baseline = createBaseline([dup, dup, dup, f('a.md', 'x', 'y')]);
    const now = [dup, dup, dup, dup, f('a.md', 'x', 'y'), f('c.md', 'new', 'z')];
    const r = compareWithBaseline(now, baseline);
    expect(r.known).toBe(4);
    expect(r.fresh).toEqual([dup, f('c.md', 'new', 'z')]);
    expect(r.fixed).toEqual([]);
    expect(compareWithBaseline(now.slice(0, 5), createBaseline(now.slice(0, 5))).fresh).toEqual([]);
  });

  it('reports entries fixed in the checked files only', () => {
    const baseline = createBaseline([f('a.md', 'r', '1'), f('a.md', 'r', '1'), f('b.md', 'r', '2'), f('c.md', 'r', '3')]);
    const r = compareWithBaseline([f('a.md', 'r', '1')], baseline, { checkedFiles: new Set(['a.md', 'b.md']) });
    expect(r.fresh).toEqual([]);
    expect(r.fixed.map((x) => [x.entry.file, x.gone])).toEqual([
      ['a.md', 1],
      ['b.md', 1],
    ]);
    expect(r.fixedCount).toBe(2);
    expect(compareWithBaseline([], baseline).fixedCount).toBe(4);
  });

  it('uses the subject function for repository paths', () => {
    const baseline = createBaseline([f('patterns/a.md', 'r', 't')]);
    const r = compareWithBaseline([f('a.md', 'r', 't')], baseline, { subject: (x) => ({ ...x, file: `patterns/${x.file}` }) });
    expect(r.known).toBe(1);
  });
});

describe('pruneBaseline', () => {
  it('lowers counts to what is still found, drops fixed entries, never adds, keeps unchecked files', () => {
    const baseline = createBaseline([f('a.md', 'r', '1'), f('a.md', 'r', '1'), f('a.md', 'r', '1'), f('b.md', 'r', '2'), f('c.md', 'r', '3')]);
    const pruned = pruneBaseline(baseline, [f('a.md', 'r', '1'), f('a.md', 'new', 'x')], { checkedFiles: new Set(['a.md', 'b.md']) });
    expect(pruned.entries.map((e) => [e.file, e.count])).toEqual([
      ['a.md', 1],
      ['c.md', 1],
    ]);
    expect(baselineSize(pruned)).toBe(2);
  });
});
