/**
 * A pull request is judged on what it introduces (review.scope: introduced, the default): findings present
 * at head and absent at the base, by fingerprint; a renamed file is matched under its previous name;
 * findings already there are one folded line of the check summary, never inline, never failing.
 */
import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BASELINE_PATH, createBaseline, serializeBaseline } from '../../src/core/baseline.js';
import { DEFAULT_CONFIG } from '../../src/core/config.js';
import { CorpusIndex } from '../../src/core/corpus.js';
import { requireDate } from '../../src/core/dates.js';
import { parseDocument } from '../../src/core/document.js';
import { Engine } from '../../src/core/engine.js';
import { clearSnapshotCache } from '../../src/github/snapshot.js';
import { FakeGitHub, loadFixture, pullRequestPayload, type Tree } from '../doubles/fake-github.js';
import { makePattern } from '../doubles/patterns.js';
import { legacyPattern } from '../helpers/pattern.js';
import { assertNoPending, makeProbot } from './helpers.js';

const fixture = loadFixture('pull_request.opened.json');
const BASE = 'b'.repeat(40);
const HEAD = 'a'.repeat(40);

interface Done {
  conclusion: string;
  output: { title: string; summary: string; annotations?: { path: string; title: string; message: string }[] };
}
interface PostedReview {
  body: string;
  comments: { path: string; body: string }[];
}

beforeAll(() => nock.disableNetConnect());
beforeEach(() => clearSnapshotCache());
afterEach(() => assertNoPending());

/** 20 distinct dangling links: 20 `links/unknown-target` errors already in the pattern. */
const legacyDangling = Array.from({ length: 20 }, (_, i) => `lost-pattern-${i + 1}`);

function repo(): Tree {
  return new Map([
    ['patterns/alpha.md', makePattern({ slug: 'alpha', relationships: { complementary: ['beta', ...legacyDangling] } })],
    ['patterns/beta.md', makePattern({ slug: 'beta' })],
    ['patterns/gamma.md', makePattern({ slug: 'gamma' })],
  ]);
}

/** The same pattern with one more dangling link, inserted among the others (the lines below it move). */
function withOneNewDanglingLink(): Tree {
  const head = repo();
  head.set('patterns/alpha.md', makePattern({ slug: 'alpha', relationships: { complementary: ['beta', 'brand-new-typo', ...legacyDangling] } }));
  return head;
}

async function review(gh: FakeGitHub, id: string) {
  const { probot, outcomes } = makeProbot();
  await probot.receive({ id, name: 'pull_request', payload: pullRequestPayload(fixture, { number: 7, headSha: HEAD, baseSha: BASE }) as never });
  return outcomes[0] as { status: string; conclusion: string; findings: number; preExisting: number; comments: number; base?: string };
}

describe('review.scope: introduced', () => {
  it('one new dangling link in a pattern with 20 old problems: one inline comment, failing for it alone, the 20 folded in the summary', async () => {
    const gh = new FakeGitHub();
    gh.mockEvent({ number: 7, headSha: HEAD, baseSha: BASE, base: repo(), head: withOneNewDanglingLink(), expectReview: true });
    const o = await review(gh, 'bar');
    expect(o).toMatchObject({ status: 'reviewed', conclusion: 'failure', findings: 1, preExisting: 20, comments: 1, base: 'diff' });
    // the base side came from the PR's patch: no base tarball was downloaded
    expect(gh.log.filter((r) => r.path.includes('/tarball/'))).toHaveLength(1);

    const posted = gh.reviews[0] as unknown as PostedReview;
    expect(posted.comments).toHaveLength(1);
    expect(posted.comments[0]!.body).toContain('brand-new-typo');
    const done = gh.checkRunPatches.at(-1) as unknown as Done;
    expect(done.conclusion).toBe('failure');
    expect(done.output.title).toMatch(/^1 finding: 1 error/);
    expect(done.output.annotations).toHaveLength(1);
    expect(done.output.annotations![0]!.message).toContain('brand-new-typo');
    // the 20 are one folded line, listed inside it
    const details = done.output.summary.match(/<details><summary>([^<]*)<\/summary>([\s\S]*?)<\/details>/);
    expect(details?.[1]).toContain('20 findings were already there before this pull request');
    for (const slug of legacyDangling) expect(details?.[2]).toContain(`\`${slug}\``);
    expect(done.output.summary.match(/<details>/g)).toHaveLength(1);
    // nothing of the 20 outside the fold
    const outside = done.output.summary.replace(details![0], '');
    expect(outside).not.toContain('lost-pattern-');
  });

  it('a fix of an old problem alone: green check, no review, the rest still folded', async () => {
    const gh = new FakeGitHub();
    const head = repo();
    head.set('patterns/alpha.md', makePattern({ slug: 'alpha', relationships: { complementary: ['beta', ...legacyDangling.slice(1)] } }));
    gh.mockEvent({ number: 7, headSha: HEAD, baseSha: BASE, base: repo(), head });
    const o = await review(gh, 'one-line-fix');
    expect(o).toMatchObject({ status: 'reviewed', conclusion: 'success', findings: 0, preExisting: 19, comments: 0 });
    expect(gh.reviews).toHaveLength(0);
    const done = gh.checkRunPatches.at(-1) as unknown as Done;
    expect(done.output.title).toBe('No new problems');
    expect(done.output.summary).toContain('19 findings were already there before this pull request');
  });

  it('a pure move of files introduces nothing: green check, no review', async () => {
    const gh = new FakeGitHub();
    const base = repo();
    for (let i = 0; i < 6; i++) base.set(`patterns/legacy-${i}.md`, legacyPattern(`legacy-${i}`));
    const head: Tree = new Map();
    const renames: Record<string, string> = {};
    for (const [path, text] of base) {
      const moved = path.replace('patterns/', 'library/');
      head.set(moved, text);
      renames[moved] = path;
    }
    gh.mockEvent({ number: 7, headSha: HEAD, baseSha: BASE, base, head, renames });
    const o = await review(gh, 'move');
    // 20 dangling links and 6 legacy notices were already there, under the old names
    expect(o).toMatchObject({ status: 'reviewed', conclusion: 'success', findings: 0, preExisting: 26, comments: 0, base: 'diff' });
    expect(gh.reviews).toHaveLength(0);
    const done = gh.checkRunPatches.at(-1) as unknown as Done;
    expect(done.output.annotations ?? []).toHaveLength(0);
  });

  it('a move that also adds a problem reports that problem alone', async () => {
    const gh = new FakeGitHub();
    const base = repo();
    const head: Tree = new Map();
    const renames: Record<string, string> = {};
    for (const [path, text] of withOneNewDanglingLink()) {
      const moved = path.replace('patterns/', 'library/');
      head.set(moved, text);
      if (base.get(path) === text) renames[moved] = path;
    }
    // alpha moved and changed: GitHub lists it as renamed with a patch against its previous name
    renames['library/alpha.md'] = 'patterns/alpha.md';
    gh.mockEvent({ number: 7, headSha: HEAD, baseSha: BASE, base, head, renames, expectReview: true });
    const o = await review(gh, 'move-and-edit');
    expect(o).toMatchObject({ conclusion: 'failure', findings: 1, preExisting: 20, comments: 1 });
  });

  it('a bulk PR of many legacy files says the repeated notice once', async () => {
    const gh = new FakeGitHub();
    const base = repo();
    const head = new Map(base);
    for (let i = 0; i < 45; i++) head.set(`patterns/imported-${String(i).padStart(2, '0')}.md`, legacyPattern(`imported-${String(i).padStart(2, '0')}`));
    gh.mockEvent({ number: 7, headSha: HEAD, baseSha: BASE, base, head, expectReview: true });
    const o = await review(gh, 'bulk');
    // 45 new files, 45 new notices (neutral: notices do not fail): said once
    expect(o).toMatchObject({ status: 'reviewed', conclusion: 'neutral', findings: 45, preExisting: 0, comments: 1 });
    const posted = gh.reviews[0] as unknown as PostedReview;
    expect(posted.comments).toHaveLength(1);
    expect(posted.comments[0]!.body).toContain('predates v7.1');
    expect(posted.comments[0]!.body).toContain('applies to 44 other file(s)');
    expect(posted.body).toContain('found 45 problem(s)');
    const done = gh.checkRunPatches.at(-1) as unknown as Done;
    expect(done.output.annotations).toHaveLength(1);
    expect(done.output.annotations![0]!.title).toBe('legacy/predates-v7');
    // the summary still counts every file
    expect(done.output.title).toMatch(/^45 findings/);
    expect(done.output.summary).toContain('| `legacy/predates-v7` | 45 |');
  });

  it('a bulk edit of legacy files keeps their old notices out of the review', async () => {
    const gh = new FakeGitHub();
    const base = repo();
    for (let i = 0; i < 40; i++) base.set(`patterns/old-${i}.md`, legacyPattern(`old-${i}`));
    const head = new Map(base);
    for (let i = 0; i < 40; i++) head.set(`patterns/old-${i}.md`, legacyPattern(`old-${i}`, { overview: 'A longer overview, reworded.' }));
    gh.mockEvent({ number: 7, headSha: HEAD, baseSha: BASE, base, head });
    const o = await review(gh, 'bulk-edit');
    expect(o).toMatchObject({ conclusion: 'success', findings: 0, preExisting: 40, comments: 0 });
    expect(gh.reviews).toHaveLength(0);
    const done = gh.checkRunPatches.at(-1) as unknown as Done;
    expect(done.output.summary).toContain('40 findings were already there before this pull request (in 40 files; not counted)');
  });

  it('reads the base commit (one tarball, cached by SHA) when a patch is missing', async () => {
    const gh = new FakeGitHub();
    gh.mockEvent({
      number: 7,
      headSha: HEAD,
      baseSha: BASE,
      base: repo(),
      head: withOneNewDanglingLink(),
      noPatch: ['patterns/alpha.md'],
      baseTarball: true,
      redirect: true,
    });
    const o = await review(gh, 'no-patch');
    // without a patch no line is commentable: the new finding is annotated only
    expect(o).toMatchObject({ conclusion: 'failure', findings: 1, preExisting: 20, comments: 0, base: 'tarball' });
    expect(gh.log.filter((r) => r.path.includes(`/tarball/${BASE}`) || r.path.includes(`legacy.tar.gz/${BASE}`))).toHaveLength(2);
  });
});

describe('review.scope: changed-files', () => {
  it('keeps judging every finding of the changed files', async () => {
    const gh = new FakeGitHub();
    gh.mockEvent({
      number: 7,
      headSha: HEAD,
      baseSha: BASE,
      base: repo(),
      head: withOneNewDanglingLink(),
      expectReview: true,
      config: 'review:\n  scope: changed-files\n',
    });
    const o = await review(gh, 'changed-files');
    expect(o).toMatchObject({ status: 'reviewed', conclusion: 'failure', findings: 21, preExisting: 0 });
    expect(o.base).toBeUndefined();
    // the old findings on lines of the diff's context are commented too, as before
    expect(o.comments).toBeGreaterThan(1);
    const done = gh.checkRunPatches.at(-1) as unknown as Done;
    expect(done.output.annotations).toHaveLength(21);
    expect(done.output.summary).not.toContain('already there');
    expect(gh.log.filter((r) => r.path.includes('/tarball/'))).toHaveLength(1);
  });
});

describe("the repository's baseline file", () => {
  /** The head's findings for alpha, as the engine gives them (the baseline is keyed on their fingerprints). */
  function alphaFindings(tree: Tree) {
    const docs = [...tree].map(([path, text]) => parseDocument(path, text));
    const engine = new Engine({ config: structuredClone(DEFAULT_CONFIG), today: requireDate('2026-12-02') });
    return engine.checkDocument(docs[0]!, CorpusIndex.fromDocuments(docs));
  }

  it('a finding the baseline records counts as already there: no review, green check', async () => {
    const head = withOneNewDanglingLink();
    const recorded = alphaFindings(head).filter((f) => f.target.endsWith(':brand-new-typo'));
    expect(recorded).toHaveLength(1);
    head.set(BASELINE_PATH, serializeBaseline(createBaseline(recorded)));
    const gh = new FakeGitHub();
    gh.mockEvent({ number: 7, headSha: HEAD, baseSha: BASE, base: repo(), head });
    const o = await review(gh, 'baseline');
    expect(o).toMatchObject({ status: 'reviewed', conclusion: 'success', findings: 0, preExisting: 21, comments: 0 });
    expect(gh.reviews).toHaveLength(0);
  });

  it('an invalid baseline file is ignored and said so; the new finding still fails the check', async () => {
    const head = withOneNewDanglingLink();
    head.set(BASELINE_PATH, '{"version": 99}');
    const gh = new FakeGitHub();
    gh.mockEvent({ number: 7, headSha: HEAD, baseSha: BASE, base: repo(), head, expectReview: true });
    const o = await review(gh, 'bad-baseline');
    expect(o).toMatchObject({ conclusion: 'failure', findings: 1, preExisting: 20 });
    const done = gh.checkRunPatches.at(-1) as unknown as Done;
    expect(done.output.summary).toContain(`The baseline file \`${BASELINE_PATH}\` was ignored`);
  });
});
