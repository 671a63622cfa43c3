import { describe, expect, it } from 'vitest';
import { CorpusIndex } from '../../src/core/corpus.js';
import { requireDate } from '../../src/core/dates.js';
import { parseGitLog, GIT_LOG_FORMAT } from '../../src/garden/history.js';
import { evaluateGarden, SIGNAL_FNS, healthOf, type SignalRule } from '../../src/garden/signals.js';
import { config, doc, type PatternOpts } from './helpers.js';

const today = requireDate('2026-11-21');

/** Runs one signal over `subject` in a small garden where `friend` links to and from it. */
function run(rule: SignalRule, subject: PatternOpts, extra: PatternOpts[] = [], opts: Partial<Parameters<(typeof SIGNAL_FNS)[SignalRule]>[1]> = {}) {
  const friend: PatternOpts = { slug: 'friend', links: [subject.slug] };
  const docs = [doc({ links: ['friend'], ...subject }), doc(friend), ...extra.map((e) => doc(e))];
  const corpus = CorpusIndex.fromDocuments(docs);
  return SIGNAL_FNS[rule](docs[0]!, { config: config(), today, ...opts }, corpus);
}

describe('garden/last-pruned-stale', () => {
  it('fires past staleAfterDays with the line of last_pruned, weight 0', () => {
    const [s] = run('garden/last-pruned-stale', { slug: 'a', lastPruned: '2026-02-17' });
    expect(s).toMatchObject({ rule: 'garden/last-pruned-stale', weight: 0, value: '2026-02-17', file: 'a.md' });
    expect(doc({ slug: 'a', links: ['friend'], lastPruned: '2026-02-17' }).lines()[s!.line - 1]).toContain('last_pruned: 2026-02-17');
    expect(run('garden/last-pruned-stale', { slug: 'a', lastPruned: '2026-09-01' })).toEqual([]);
  });
});

describe('replant/extractive', () => {
  it('fires below 2.0 only, strong', () => {
    const [s] = run('replant/extractive', { slug: 'a', vitality: 1.9 });
    expect(s).toMatchObject({ weight: 2, value: '1.9' });
    expect(run('replant/extractive', { slug: 'a', vitality: 2.0 })).toEqual([]);
    expect(run('replant/extractive', { slug: 'a', vitality: 2.5 }, [], { thresholds: { extractiveBelow: 3 } })).toHaveLength(1);
  });
});

describe('replant/age', () => {
  it('uses the history map when given', () => {
    const [s] = run('replant/age', { slug: 'a' }, [], { lastChange: new Map([['a.md', '2025-01-10']]) });
    expect(s).toMatchObject({ weight: 1, since: '2025-01-10' });
    expect(s!.message).toContain('last substantive commit');
    expect(run('replant/age', { slug: 'a' }, [], { lastChange: new Map([['a.md', '2025-06-10']]) })).toEqual([]);
  });
  it('falls back to last_pruned without history, and says so', () => {
    const [s] = run('replant/age', { slug: 'a', lastPruned: '2024-12-01' });
    expect(s!.message).toContain('no git history');
    expect(s!.message).toContain('last_pruned');
  });
  it('history wins over an old frontmatter date', () => {
    expect(run('replant/age', { slug: 'a', lastPruned: '2020-01-01' }, [], { lastChange: new Map([['a.md', '2026-10-01']]) })).toEqual([]);
  });
});

describe('replant/decaying-links', () => {
  it('fires when more than the share of hard links dangle', () => {
    const [s] = run('replant/decaying-links', { slug: 'a', links: ['friend', 'gone-1', 'gone-2'] });
    expect(s).toMatchObject({ weight: 1, value: '2/3 dangling' });
    expect(run('replant/decaying-links', { slug: 'a', links: ['friend', 'friend', 'friend', 'gone-1'] })).toEqual([]); // 25% <= 30%
  });
});

describe('replant/orphan', () => {
  it('fires with no inbound and no resolving outbound link', () => {
    const docs = [doc({ slug: 'lonely', links: ['nowhere'] }), doc({ slug: 'x', links: ['y'] }), doc({ slug: 'y', links: [] })];
    const corpus = CorpusIndex.fromDocuments(docs);
    const o = { config: config(), today };
    expect(SIGNAL_FNS['replant/orphan'](docs[0]!, o, corpus)).toHaveLength(1);
    expect(SIGNAL_FNS['replant/orphan'](docs[1]!, o, corpus)).toEqual([]); // outbound
    expect(SIGNAL_FNS['replant/orphan'](docs[2]!, o, corpus)).toEqual([]); // inbound
  });
});

describe('replant/hollow-vitality', () => {
  it('fires when Section 8 is missing', () => {
    const [s] = run('replant/hollow-vitality', { slug: 'a', section8: null });
    expect(s).toMatchObject({ value: 'missing', weight: 1 });
  });
  it('fires when guidance is missing or the section is thin', () => {
    const [s] = run('replant/hollow-vitality', { slug: 'a', section8: 'Signs of Life: many. Signs of Decay: few.' });
    expect(s!.message).toContain('when to replant');
    expect(s!.message).toContain('far under');
    expect(run('replant/hollow-vitality', { slug: 'a' })).toEqual([]);
  });
});

describe('replant/draft-limbo', () => {
  it('fires for draft at confidence 1 older than draftLimboMonths', () => {
    const [s] = run('replant/draft-limbo', { slug: 'a', status: 'draft', confidence: 1, created: '2026-03-01' });
    expect(s).toMatchObject({ weight: 1, since: '2026-03-01' });
    expect(run('replant/draft-limbo', { slug: 'a', status: 'draft', confidence: 2, created: '2026-03-01' })).toEqual([]);
    expect(run('replant/draft-limbo', { slug: 'a', status: 'draft', confidence: 1, created: '2026-08-01' })).toEqual([]);
  });
  it('prefers the first commit from history, and is silent without any age', () => {
    expect(run('replant/draft-limbo', { slug: 'a', status: 'draft', confidence: 1 }, [], { firstSeen: new Map([['a.md', '2025-01-01']]) })).toHaveLength(1);
    expect(run('replant/draft-limbo', { slug: 'a', status: 'draft', confidence: 1 })).toEqual([]);
  });
});

describe('replant/deprecated-but-linked', () => {
  it('fires when a deprecated pattern still has inbound links', () => {
    const [s] = run('replant/deprecated-but-linked', { slug: 'a', status: 'deprecated' });
    expect(s).toMatchObject({ weight: 2, value: '1 linking' });
    expect(run('replant/deprecated-but-linked', { slug: 'a', status: 'stable' })).toEqual([]);
  });
});

describe('candidates', () => {
  it('one strong or two weak signals make a candidate; stale alone never does', () => {
    const docs = [
      doc({ slug: 'strong', vitality: 1.5, links: ['weak2'] }),
      doc({ slug: 'weak1', section8: null, links: ['weak2'] }),
      doc({ slug: 'weak2', section8: null, links: ['gone-a', 'gone-b'] }),
      doc({ slug: 'stale', lastPruned: '2020-01-01', links: ['strong'] }),
    ];
    const corpus = CorpusIndex.fromDocuments(docs);
    const report = evaluateGarden(docs, corpus, { config: config(), today, lastChange: new Map(docs.map((d) => [d.file, '2026-11-01'])) });
    expect(report.candidates.map((c) => c.slug).sort()).toEqual(['strong', 'weak2']);
    expect(report.counts['garden/last-pruned-stale']).toBe(1);
    expect(healthOf(docs[3]!, corpus, { config: config(), today }).candidate).toBe(false);
    const r3 = evaluateGarden(docs, corpus, { config: config({ replantThreshold: 3 }), today, lastChange: new Map() });
    expect(r3.candidates).toEqual([]);
  });
});

describe('git log history', () => {
  it('skips housekeeping commits for the last change and keeps the birth date', () => {
    const log = [
      `\x1e2026-10-01\x1fpattern-gardener[bot]\x1fchore: prune graph garden\n\npatterns/a.md\n`,
      `\x1e2026-05-02\x1fAda\x1fRewrite a's solution\n\npatterns/a.md\npatterns/b.md\n`,
      `\x1e2024-01-03\x1fAda\x1fAdd a\n\npatterns/a.md\nother/c.md\n`,
    ].join('');
    const h = parseGitLog(log, 'patterns');
    expect(h.lastChange.get('a.md')).toBe('2026-05-02');
    expect(h.firstSeen.get('a.md')).toBe('2024-01-03');
    expect(h.lastChange.has('c.md')).toBe(false);
    expect(GIT_LOG_FORMAT).toContain('%x1e');
  });
});
