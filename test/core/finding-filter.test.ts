/**
 * A filtered check (a pull request's files outside the diff) gives exactly the unfiltered findings that
 * the filter accepts, runs only the filter's rules, and lets rules skip unwanted targets.
 */
import { describe, expect, it } from 'vitest';
import { CorpusIndex } from '../../src/core/corpus.js';
import { requireDate } from '../../src/core/dates.js';
import { Engine, type FindingFilter } from '../../src/core/engine.js';
import { RULES } from '../../src/rules/index.js';
import type { Rule } from '../../src/rules/rule.js';
import { configFrom, parseAll } from '../helpers/check.js';
import { DEFAULT_TODAY, buildPattern, mutate, patternCorpus } from '../helpers/pattern.js';

const HUB = 'shared-tool-shed.md';

/** A hub that three patterns enable (so it lacks three `requires`), with a dangling link of its own. */
function files(): Record<string, string> {
  const hub = mutate(
    buildPattern({ slug: 'shared-tool-shed', relationships: { requires: ['community-seed-library'] } }),
    '  alternatives: []',
    '  alternatives:\n    - slug: compost-coperative\n      weight: 0.6',
  );
  return patternCorpus({
    'compost-cooperative.md': buildPattern({ slug: 'compost-cooperative', relationships: { enables: ['shared-tool-shed'] } }),
    'seed-bank-east.md': buildPattern({ slug: 'seed-bank-east', relationships: { enables: ['shared-tool-shed'] } }),
    'repair-cafe-circle.md': buildPattern({ slug: 'repair-cafe-circle', relationships: { enables: ['shared-tool-shed'] } }),
    [HUB]: hub,
  });
}

function setup(rules: readonly Rule[] = RULES) {
  const config = configFrom();
  const docs = parseAll(files(), config);
  const corpus = CorpusIndex.fromDocuments(docs);
  const engine = new Engine({ config, today: requireDate(DEFAULT_TODAY), rules });
  const hub = docs.find((d) => d.file === HUB)!;
  return { engine, corpus, hub };
}

describe('FindingFilter', () => {
  it('gives the unfiltered findings the filter accepts, for targets of either link rule', () => {
    const { engine, corpus, hub } = setup();
    const all = engine.checkDocument(hub, corpus);
    const reciprocal = all.filter((f) => f.rule === 'links/reciprocal').map((f) => f.target);
    expect(reciprocal.sort()).toEqual(['requires:compost-cooperative', 'requires:repair-cafe-circle', 'requires:seed-bank-east']);
    expect(all.some((f) => f.rule === 'links/unknown-target')).toBe(true);
    const filters: FindingFilter[] = [
      { rules: new Set(['links/reciprocal']), target: (_r, t) => t === 'requires:seed-bank-east' },
      { rules: new Set(['links/reciprocal', 'links/unknown-target']), target: (r, t) => r === 'links/unknown-target' || t.endsWith('repair-cafe-circle') },
      { rules: new Set(['links/unknown-target']), target: () => false },
    ];
    for (const filter of filters) {
      const expected = all.filter((f) => filter.rules.has(f.rule) && filter.target(f.rule, f.target!));
      expect(engine.checkDocument(hub, corpus, filter)).toEqual(expected);
    }
    expect(engine.checkDocument(hub, corpus, filters[0])).toHaveLength(1);
  });

  it('runs only the rules the filter names, and rules may ask before building a problem', () => {
    const rule = (id: string, check: Rule['check']): Rule => ({ id, defaultSeverity: 'warning', kinds: ['commons-pattern'], description: id, check });
    const asked: string[] = [];
    const guard = rule('test/must-not-run', () => {
      throw new Error('a rule outside the filter ran');
    });
    // Asks before reporting, as the link rules do.
    const asking = rule('test/asks', (_doc, ctx, report) => {
      for (const target of ['a', 'b']) {
        if (ctx.wants && !ctx.wants('test/asks', target)) continue;
        asked.push(target);
        report({ target, line: 1, message: target });
      }
    });
    // Reports everything: the engine drops what the caller does not want.
    const ignoring = rule('test/ignores', (_doc, _ctx, report) => {
      for (const target of ['a', 'b']) report({ target, line: 2, message: target });
    });
    const { engine, corpus, hub } = setup([guard, asking, ignoring]);
    const got = engine.checkDocument(hub, corpus, { rules: new Set(['test/asks', 'test/ignores']), target: (_r, t) => t === 'b' });
    expect(got.map((f) => `${f.rule} ${f.target}`)).toEqual(['test/asks b', 'test/ignores b']);
    expect(asked).toEqual(['b']);
    expect(() => engine.checkDocument(hub, corpus)).toThrow('a rule outside the filter ran');
  });
});
