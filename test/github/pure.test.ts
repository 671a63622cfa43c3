import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/finding.js';
import { applyEdits } from '../../src/core/fixes.js';
import { buildCheckOutput, capSummary, completeCheckRun, conclusionFor, mostSevere, SUMMARY_LIMIT } from '../../src/github/check-run.js';
import { parsePatch, rangeInOneHunk } from '../../src/github/diff-lines.js';
import { findingMarker, parseFindingMarker, parseReviewMarker, reviewMarker } from '../../src/github/markers.js';
import type { GitHubApi } from '../../src/github/octokit.js';
import { toChangedFile } from '../../src/github/pull-files.js';
import { planReview } from '../../src/github/review.js';
import { LruCache } from '../../src/github/snapshot.js';
import { applySuggestion, fenceFor, suggestionFor } from '../../src/github/suggestion.js';
import { githubPatch } from '../doubles/fake-github.js';
import { DEFAULT_CONFIG } from '../../src/core/config.js';
import { propertyRuns } from '../helpers/runs.js';

const F = (o: Partial<Finding>): Finding => ({
  rule: 'body/sections',
  severity: 'error',
  file: 'p/a.md',
  line: 1,
  column: 1,
  endLine: 1,
  message: 'm',
  target: 't',
  ...o,
});

describe('diff lines', () => {
  it('marks added and context lines on the RIGHT side, hunk by hunk', () => {
    const patch = '@@ -1,3 +1,4 @@\n a\n-b\n+B\n+C\n c\n@@ -10,2 +11,2 @@\n x\n-y\n+Y';
    const c = parsePatch(patch);
    expect([...c.lines.keys()]).toEqual([1, 2, 3, 4, 11, 12]);
    expect([...c.added]).toEqual([2, 3, 12]);
    expect(rangeInOneHunk(c, 1, 4)).toBe(true);
    expect(rangeInOneHunk(c, 4, 11)).toBe(false);
    expect(parsePatch(undefined).lines.size).toBe(0); // binary file: no patch
  });
  it('ignores "\\ No newline at end of file"', () => {
    const c = parsePatch('@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+b\n\\ No newline at end of file');
    expect([...c.lines.keys()]).toEqual([1]);
  });
});

describe('suggestions', () => {
  it('chooses a fence longer than any backtick run', () => {
    expect(fenceFor('plain')).toBe('```');
    expect(fenceFor('a ``` b')).toBe('````');
    expect(fenceFor('`````')).toBe('``````');
  });

  const text = ['---', 'slug: a', 'title: T', 'tags:', '  - x', '  - x', '---', 'body', ''].join('\n');
  const patch = githubPatch('', text);
  const file = toChangedFile({ filename: 'p/a.md', status: 'added', patch });
  const lines = text.split('\n').slice(0, -1);

  it('single-line, multi-line, deletion and insertion suggestions apply like the core fix', () => {
    const cases = [
      { line: 2, endLine: 2, text: 'slug: b\n' },
      { line: 4, endLine: 6, text: 'tags: [x]\n' },
      { line: 6, endLine: 6, text: '' },
      { line: 4, endLine: 3, text: 'aliases: []\n' },
      { line: 3, endLine: 3, text: 'title: ```code```\n' },
    ];
    for (const edit of cases) {
      const s = suggestionFor(F({ fix: { description: 'd', edits: [edit] } }), file.commentable, lines);
      expect(s, JSON.stringify(edit)).toBeDefined();
      const body = /^(`{3,})suggestion\n([\s\S]*)\1$/.exec(s!.markdown);
      expect(body).not.toBeNull();
      expect(applySuggestion(text, { startLine: s!.startLine, line: s!.line, replacement: body![2]! })).toBe(applyEdits(text, [edit]));
    }
  });

  it('property: any single-line-range edit inside the hunk round-trips', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 3 }),
        fc.array(fc.stringMatching(/^[a-z` -]{0,12}$/), { maxLength: 3 }),
        (start, len, repl) => {
          const end = Math.min(8, start + len);
          const edit = { line: start, endLine: end, text: repl.map((l) => `${l}\n`).join('') };
          const s = suggestionFor(F({ fix: { description: 'd', edits: [edit] } }), file.commentable, lines);
          if (!s) return;
          const body = /^(`{3,})suggestion\n([\s\S]*)\1$/.exec(s.markdown)!;
          expect(applySuggestion(text, { startLine: s.startLine, line: s.line, replacement: body[2]! })).toBe(applyEdits(text, [edit]));
        },
      ),
      { numRuns: propertyRuns(200) },
    );
  });

  it('no suggestion for multi-edit fixes or ranges outside the diff', () => {
    const partial = toChangedFile({ filename: 'p/a.md', status: 'modified', patch: '@@ -2,1 +2,1 @@\n-slug: z\n+slug: a' });
    expect(
      suggestionFor(
        F({
          fix: {
            description: 'd',
            edits: [
              { line: 2, endLine: 2, text: 'x\n' },
              { line: 5, endLine: 5, text: 'y\n' },
            ],
          },
        }),
        file.commentable,
        lines,
      ),
    ).toBeUndefined();
    expect(suggestionFor(F({ fix: { description: 'd', edits: [{ line: 5, endLine: 5, text: 'x\n' }] } }), partial.commentable, lines)).toBeUndefined();
    expect(suggestionFor(F({ fix: { description: 'd', edits: [{ line: 2, endLine: 3, text: 'x\n' }] } }), partial.commentable, lines)).toBeUndefined();
  });
});

describe('markers', () => {
  it('round-trip', () => {
    expect(parseFindingMarker(`x\n${findingMarker('0123456789abcdef')}`)).toBe('0123456789abcdef');
    expect(parseReviewMarker(reviewMarker('a'.repeat(40)))).toBe('a'.repeat(40));
    expect(parseFindingMarker('no marker')).toBeUndefined();
  });
});

describe('check run output', () => {
  it('conclusion follows review.failOn', () => {
    expect(conclusionFor([], 'error')).toBe('success');
    expect(conclusionFor([F({ severity: 'warning' })], 'error')).toBe('neutral');
    expect(conclusionFor([F({ severity: 'warning' })], 'warning')).toBe('failure');
    expect(conclusionFor([F({ severity: 'error' })], 'never')).toBe('neutral');
  });

  it('caps the summary under 65,535 bytes, saying how many findings each list left out', () => {
    const findings = Array.from({ length: 3000 }, (_, i) => F({ file: `p/${i}.md`, target: `t${i}`, message: 'x'.repeat(200) }));
    const out = buildCheckOutput({ findings, failOn: 'error', diffFiles: new Set(), textOf: () => undefined, maxAnnotations: 1000 });
    expect(Buffer.byteLength(out.summary)).toBeLessThanOrEqual(SUMMARY_LIMIT);
    const unannotated = [...out.summary.matchAll(/^- `p\/\d+\.md:1`/gm)].length;
    expect(out.summary).toMatch(/^- … and \d+ more: run `gardener check` locally for every finding$/m);
    const more = Number(/^- … and (\d+) more: run/m.exec(out.summary)![1]);
    // Outside-the-diff list and unannotated list share the room; every finding is shown or counted.
    expect(unannotated).toBeGreaterThan(0);
    expect(more).toBeLessThan(2000);
    expect(out.annotations).toHaveLength(1000);
    expect(capSummary(['short'])).toBe('short\n');
  });

  it('sends annotations 50 per PATCH, the last one completing the run', async () => {
    const calls: Record<string, unknown>[] = [];
    const api: GitHubApi = { request: async (_r, p) => (calls.push(p ?? {}), { status: 200, data: {}, headers: {} }), graphql: async () => ({}) as never };
    const findings = Array.from({ length: 120 }, (_, i) => F({ line: i + 1, target: `t${i}` }));
    const out = buildCheckOutput({ findings, failOn: 'error', diffFiles: new Set(['p/a.md']), textOf: () => undefined });
    const n = await completeCheckRun(api, { owner: 'o', repo: 'r' }, { id: 1, annotationsCount: 0 }, out);
    expect(n).toBe(3);
    expect(calls.map((c) => ((c.output as { annotations?: unknown[] }).annotations ?? []).length)).toEqual([50, 50, 20]);
    expect(calls.map((c) => c.conclusion)).toEqual([undefined, undefined, 'failure']);
  });
});

describe('review planning', () => {
  const text = Array.from({ length: 60 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
  const file = toChangedFile({ filename: 'p/a.md', status: 'added', patch: githubPatch('', text) });
  const files = new Map([['p/a.md', file]]);
  const base = { files, linesOf: () => text.split('\n').slice(0, -1), headSha: 'h'.repeat(40), review: { ...DEFAULT_CONFIG.review } };

  it('caps inline comments at review.maxComments and lists the rest in the body', () => {
    const findings = Array.from({ length: 40 }, (_, i) => F({ line: i + 1, target: `t${i}` }));
    const plan = planReview({ ...base, findings, state: { threads: [], reviewedShas: new Set() } });
    expect(plan.review?.comments).toHaveLength(30);
    expect(plan.overflow).toHaveLength(10);
    expect(plan.review?.body).toContain('`p/a.md:31`');
  });

  it('skips already-commented findings, resolves stale app threads, one review per SHA', () => {
    const findings = [F({ line: 3, target: 'keep' }), F({ line: 4, target: 'new' })];
    const plan1 = planReview({ ...base, findings, state: { threads: [], reviewedShas: new Set() } });
    const keepBody = plan1.review!.comments[0]!.body;
    const plan2 = planReview({
      ...base,
      findings,
      state: {
        threads: [
          { id: 'A', isResolved: false, fp: parseFindingMarker(keepBody)!, humanReplies: false },
          { id: 'B', isResolved: false, fp: 'ffffffffffffffff', humanReplies: true },
          { id: 'C', isResolved: true, fp: 'eeeeeeeeeeeeeeee', humanReplies: false },
        ],
        reviewedShas: new Set(),
      },
    });
    expect(plan2.review?.comments).toHaveLength(1);
    expect(plan2.resolve).toEqual(['B']);
    const plan3 = planReview({ ...base, findings, state: { threads: [], reviewedShas: new Set([base.headSha]) } });
    expect(plan3.review).toBeUndefined();
  });
});

describe('LRU', () => {
  it('evicts the least recently used', () => {
    const c = new LruCache<string, number>(2);
    c.set('a', 1);
    c.set('b', 2);
    c.get('a');
    c.set('c', 3);
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBe(1);
  });
});

describe('LruCache weight bound', () => {
  it('evicts the oldest entries once the total weight is over the bound, keeping the newest', async () => {
    const { LruCache } = await import('../../src/github/snapshot.js');
    const c = new LruCache<string, number>(10, 100, (v) => v);
    c.set('a', 60);
    c.set('b', 30);
    expect(c.size).toBe(2);
    c.set('c', 50);
    expect(c.get('a')).toBeUndefined();
    expect(c.get('b')).toBe(30);
    c.set('huge', 500);
    expect(c.size).toBe(1);
    expect(c.get('huge')).toBe(500);
  });
});

describe('annotations within the request budget', () => {
  const f = (line: number, severity: Finding['severity']): Finding => ({
    rule: 'r/x',
    severity,
    file: 'a.md',
    line,
    column: 1,
    endLine: line,
    message: `m${line}`,
    target: `t${line}`,
  });
  it('keeps errors before warnings before notices, each group and the result in their original order', () => {
    const all = [f(1, 'notice'), f(2, 'error'), f(3, 'warning'), f(4, 'error'), f(5, 'notice'), f(6, 'warning')];
    expect(mostSevere(all, 3).map((x) => x.line)).toStrictEqual([2, 3, 4]);
    expect(mostSevere(all, 5).map((x) => x.line)).toStrictEqual([1, 2, 3, 4, 6]);
    expect(mostSevere(all, 10)).toStrictEqual(all);
  });

  it('lists every finding without an annotation in the summary, and the truncation note does not claim otherwise', () => {
    const all = Array.from({ length: 120 }, (_, i) => f(i + 1, i % 2 ? 'error' : 'notice'));
    const out = buildCheckOutput({ findings: all, failOn: 'error', diffFiles: new Set(['a.md']), textOf: () => undefined, maxAnnotations: 100 });
    expect(out.annotations).toHaveLength(100);
    expect(out.annotations.filter((a) => a.annotation_level === 'failure')).toHaveLength(60);
    const listed = [...out.summary.matchAll(/^- `a\.md:(\d+)`/gm)].map((m) => Number(m[1]));
    expect(listed).toHaveLength(20);
    for (const l of listed) expect(l % 2).toBe(1); // odd lines are notices (i even)
    expect(capSummary(['x'.repeat(70_000)], false)).toContain('run `gardener check` locally for every finding');
    expect(capSummary(['x'.repeat(70_000)])).toContain('every finding is still in the annotations');
  });
});
