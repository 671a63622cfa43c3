/**
 * A head snapshot derived from a cached ancestor's snapshot plus the comparison's files equals the head
 * archive's snapshot (files in archive order, index, link stubs, other files, baseline), renames and
 * deletions included; what the patches cannot rebuild is refused (the archive is read then).
 */
import nock from 'nock';
import { beforeAll, describe, expect, it } from 'vitest';
import { BASELINE_PATH } from '../../src/core/baseline.js';
import { DEFAULT_CONFIG, FileSelector, type GardenerConfig } from '../../src/core/config.js';
import { deriveSnapshot, type ComparedFile } from '../../src/github/derived-snapshot.js';
import { clearSnapshotCache, configKey, type Snapshot } from '../../src/github/snapshot.js';
import type { Outcome } from '../../src/github/review-pull-request.js';
import { FakeGitHub, loadFixture, pullFilesOf, pullRequestPayload, type Tree } from '../doubles/fake-github.js';
import { assertNoPending, makeProbot } from './helpers.js';
import { makePattern } from '../doubles/patterns.js';

beforeAll(() => nock.disableNetConnect());

const repo = { owner: 'commons-garden', repo: 'patterns' };
const slug = (i: number) => `pattern-${String(i).padStart(3, '0')}`;
const FROM = 'a'.repeat(40);
const HEAD = 'b'.repeat(40);

function baseTree(): Tree {
  const t: Tree = new Map();
  for (let i = 0; i < 40; i++)
    t.set(`patterns/${slug(i)}.md`, makePattern({ slug: slug(i), relationships: { complementary: [slug((i + 1) % 40)] }, words: 0.1 }));
  t.set('notes/daily.md', '# Daily\n\nSee [[pattern-001]].\n');
  t.set('images/map.svg', '<svg/>\n');
  t.set('README.md', '# Patterns\n');
  t.set(BASELINE_PATH, '{"version":1,"findings":[]}\n');
  return t;
}

/** Everything a snapshot holds, in order, as plain data. */
function shape(s: Snapshot): unknown {
  return {
    key: s.key,
    sha: s.sha,
    error: s.error,
    files: [...s.files].map(([p, b]) => [p, Buffer.from(b).toString('utf8')]),
    entries: [...s.index.entries],
    otherFiles: [...s.index.otherFiles],
    stubs: [...s.linkStubs].sort(([a], [b]) => (a < b ? -1 : 1)),
    baseline: s.baselineText,
  };
}

async function both(from: Tree, head: Tree, changes: ComparedFile[], config: GardenerConfig = structuredClone(DEFAULT_CONFIG)) {
  clearSnapshotCache();
  const gh = new FakeGitHub();
  const { snapshotOf } = gh.snapshots(repo, config);
  const fromSnap = await snapshotOf(from, FROM);
  const archived = await snapshotOf(head, HEAD);
  const derived = deriveSnapshot(fromSnap, changes, archived.key, HEAD, config, new FileSelector(config));
  return { archived, derived };
}

describe('deriveSnapshot', () => {
  it('equals the head archive after edits, additions, deletions, renames (with and without edits) and other files', async () => {
    const from = baseTree();
    const head = new Map(from);
    head.set(`patterns/${slug(3)}.md`, `${from.get(`patterns/${slug(3)}.md`)}\nOne more line.\n`);
    head.set(`patterns/${slug(5)}.md`, makePattern({ slug: slug(5), relationships: { complementary: [slug(6), 'pattern-999'] } }));
    head.set('patterns/brand-new.md', makePattern({ slug: 'brand-new', relationships: { complementary: [slug(1)] } }));
    head.delete(`patterns/${slug(9)}.md`);
    // renamed without a change, and renamed with an edit
    head.set(`moved/${slug(11)}.md`, from.get(`patterns/${slug(11)}.md`)!);
    head.delete(`patterns/${slug(11)}.md`);
    head.set(`moved/${slug(12)}.md`, `${from.get(`patterns/${slug(12)}.md`)}\nMoved and edited.\n`);
    head.delete(`patterns/${slug(12)}.md`);
    // a file takes the name of one renamed away
    head.set(`patterns/${slug(12)}.md`, makePattern({ slug: slug(12), title: 'A New Twelve' }));
    // other files: one added, one removed; the baseline changes
    head.set('images/new.png', 'png bytes\n');
    head.delete('images/map.svg');
    head.set(BASELINE_PATH, '{"version":1,"findings":[{"rule":"x"}]}\n');
    const renames = { [`moved/${slug(11)}.md`]: `patterns/${slug(11)}.md`, [`moved/${slug(12)}.md`]: `patterns/${slug(12)}.md` };
    // patterns/pattern-012.md is renamed away and written again: listed as modified beside the rename
    const changes = pullFilesOf(from, head, renames) as ComparedFile[];
    expect(changes.map((f) => f.status).sort()).toEqual([
      'added',
      'added',
      'modified',
      'modified',
      'modified',
      'modified',
      'removed',
      'removed',
      'renamed',
      'renamed',
    ]);
    const { archived, derived } = await both(from, head, changes);
    expect(derived.ok).toBe(true);
    if (!derived.ok) return;
    expect(shape(derived.snapshot)).toEqual(shape(archived));
    // 003, 005, 012 (new), brand-new, moved 012 (edited), moved 011 (pure move, parsed under its new path)
    expect(derived.parsed).toBe(6);
    expect(derived.reused).toBe(archived.files.size - 6);
  });

  it('drops a file grown past maxFileBytes, as the archive reader does', async () => {
    const from = baseTree();
    const head = new Map(from);
    head.set(`patterns/${slug(2)}.md`, `${from.get(`patterns/${slug(2)}.md`)}\n${'long line\n'.repeat(400)}`);
    const config = structuredClone(DEFAULT_CONFIG);
    config.limits.maxFileBytes = 3000;
    const { archived, derived } = await both(from, head, pullFilesOf(from, head) as ComparedFile[], config);
    expect(archived.has(`patterns/${slug(2)}.md`)).toBe(false);
    expect(derived.ok && shape(derived.snapshot)).toEqual(shape(archived));
  });

  it('refuses what the patches cannot rebuild: no patch, a patch that does not apply, a possible symbolic link, a file the ancestor lacks', async () => {
    const from = baseTree();
    const head = new Map(from);
    head.set(`patterns/${slug(4)}.md`, `${from.get(`patterns/${slug(4)}.md`)}\nEdited.\n`);
    const changes = pullFilesOf(from, head) as ComparedFile[];
    const noPatch = changes.map(({ patch: _p, ...rest }) => rest);
    expect((await both(from, head, noPatch)).derived).toMatchObject({ ok: false, reason: expect.stringMatching(/no patch/) });
    const wrongBase = new Map(from);
    wrongBase.set(`patterns/${slug(4)}.md`, 'something else\n');
    const stale = await both(wrongBase, head, changes);
    expect(stale.derived).toMatchObject({ ok: false, reason: expect.stringMatching(/does not apply/) });
    const link = new Map(from);
    link.set('patterns/link.md', `patterns/${slug(1)}.md`);
    expect((await both(from, link, pullFilesOf(from, link) as ComparedFile[])).derived).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/symbolic link/),
    });
    // the ancestor's archive left a file out (too large): its patch has nothing to apply to
    const config = structuredClone(DEFAULT_CONFIG);
    config.limits.maxFileBytes = 200;
    expect((await both(from, head, changes, config)).derived).toMatchObject({ ok: false, reason: expect.stringMatching(/not in the cached snapshot/) });
  });

  it('keys the derived snapshot as the archive would be keyed', async () => {
    const from = baseTree();
    const config = structuredClone(DEFAULT_CONFIG);
    const { archived } = await both(from, from, [], config);
    expect(archived.key).toBe(`${repo.owner}/${repo.repo}@${HEAD}#${configKey(config)}`);
  });
});

describe('a synchronize event on a cached previous head', () => {
  const fixture = loadFixture('pull_request.opened.json');
  const H1 = '1'.repeat(40);
  const H2 = '2'.repeat(40);
  const BASE = '0'.repeat(40);
  const config = 'review:\n  maxComments: 30\nlinks:\n  minConfidence: 0.01\n';

  function trees(): { base: Tree; head1: Tree; head2: Tree } {
    const base: Tree = new Map();
    for (let i = 0; i < 200; i++)
      base.set(`patterns/${slug(i)}.md`, makePattern({ slug: slug(i), relationships: { complementary: [slug((i + 1) % 200)] }, words: 0.1 }));
    const head1 = new Map(base);
    for (let i = 0; i < 6; i++)
      head1.set(`patterns/${slug(i * 30)}.md`, makePattern({ slug: slug(i * 30), relationships: { complementary: [slug(i * 30 + 1), 'pattern-999'] } }));
    const head2 = new Map(head1);
    head2.set(`patterns/${slug(31)}.md`, makePattern({ slug: slug(31), relationships: { complementary: [slug(32), 'pattern-998'] } }));
    head2.set(`moved/${slug(77)}.md`, head1.get(`patterns/${slug(77)}.md`)!);
    head2.delete(`patterns/${slug(77)}.md`);
    head2.delete(`patterns/${slug(88)}.md`);
    return { base, head1, head2 };
  }

  async function event(probot: ReturnType<typeof makeProbot>['probot'], headSha: string, action: string, before?: string) {
    await probot.receive({
      id: `${action}-${headSha}-${Math.random()}`,
      name: 'pull_request',
      payload: pullRequestPayload(fixture, { number: 7, headSha, baseSha: BASE, action, ...(before ? { before } : {}) }) as never,
    });
  }

  /** What the event posted: the completed check run's output and the review. */
  const posted = (gh: FakeGitHub) => ({ output: gh.checkRunPatches.at(-1)?.output, conclusion: gh.checkRunPatches.at(-1)?.conclusion, reviews: gh.reviews });

  it('derives the head from the previous one with one compare request instead of the archive, and posts the same review', async () => {
    clearSnapshotCache();
    const { base, head1, head2 } = trees();
    const renames = { [`moved/${slug(77)}.md`]: `patterns/${slug(77)}.md` };
    const { probot, outcomes } = makeProbot();
    const gh1 = new FakeGitHub();
    gh1.mockEvent({ number: 7, headSha: H1, baseSha: BASE, base, head: head1, expectReview: true, redirect: true, config });
    await event(probot, H1, 'opened');
    assertNoPending();

    const gh2 = new FakeGitHub();
    gh2.mockEvent({
      number: 7,
      headSha: H2,
      baseSha: BASE,
      base,
      head: head2,
      renames,
      expectReview: true,
      redirect: true,
      config,
      headTarball: false,
      compareFrom: { sha: H1, tree: head1, renames },
    });
    await event(probot, H2, 'synchronize', H1);
    assertNoPending();
    const derived = outcomes.at(-1) as Extract<Outcome, { status: 'reviewed' }>;
    expect(derived).toMatchObject({ status: 'reviewed', snapshot: { derivedFrom: H1, parsed: 2, cacheHit: false } });
    // The link index took over the previous head's documents: only the edited pattern and the moved one (a
    // new path) were read and tokenised, none of the 197 others.
    expect(derived.linkIndex).toMatchObject({ built: true, incremental: true, updated: 2, takenOver: 197, patterns: 199 });

    // The same event with nothing cached: the archive.
    clearSnapshotCache();
    const gh3 = new FakeGitHub();
    gh3.mockEvent({ number: 7, headSha: H2, baseSha: BASE, base, head: head2, renames, expectReview: true, redirect: true, config });
    await event(probot, H2, 'synchronize', H1);
    assertNoPending();
    const cold = outcomes.at(-1) as Extract<Outcome, { status: 'reviewed' }>;
    expect(cold.snapshot.derivedFrom).toBeUndefined();
    expect(cold.snapshot.parsed).toBe(head2.size);

    // one compare instead of the archive's redirect and download; nothing else differs
    const routes = (gh: FakeGitHub) => gh.log.map((r) => `${r.method} ${r.path.replace(/\?.*/, '').replace(/[0-9a-f]{40}/g, 'SHA')}`);
    expect(gh2.count()).toBe(gh3.count() - 1);
    expect(routes(gh2).filter((r) => !r.includes('compare'))).toEqual(routes(gh3).filter((r) => !r.includes('tarball') && !r.includes('codeload')));
    expect(derived.findings).toBeGreaterThan(0);
    expect(derived.proposals).toBeGreaterThan(0);
    expect(posted(gh2)).toEqual(posted(gh3));
    expect({ ...derived, snapshot: undefined, timings: undefined, linkIndex: undefined, requests: undefined }).toEqual({
      ...cold,
      snapshot: undefined,
      timings: undefined,
      linkIndex: undefined,
      requests: undefined,
    });
  });

  it('reads the archive when the head does not descend from the cached commit (a force-push)', async () => {
    clearSnapshotCache();
    const { base, head1, head2 } = trees();
    const { probot, outcomes } = makeProbot();
    const gh1 = new FakeGitHub();
    gh1.mockEvent({ number: 7, headSha: H1, baseSha: BASE, base, head: head1, expectReview: true, config });
    await event(probot, H1, 'opened');
    const gh2 = new FakeGitHub();
    gh2.mockEvent({
      number: 7,
      headSha: H2,
      baseSha: BASE,
      base,
      head: head2,
      expectReview: true,
      config,
      compareFrom: { sha: H1, tree: head1, mergeBase: BASE },
    });
    await event(probot, H2, 'synchronize', H1);
    assertNoPending();
    expect(outcomes.at(-1)).toMatchObject({ status: 'reviewed', snapshot: { notDerived: expect.stringMatching(/does not descend/) } });
    expect(outcomes.at(-1)).not.toHaveProperty('snapshot.derivedFrom');
    expect(gh2.log.some((r) => r.path.includes('/tarball/'))).toBe(true);
  });
});
