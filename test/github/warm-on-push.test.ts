/**
 * A push to the default branch warms the snapshot cache: one config read and one tarball, then the first
 * review of a pull request based on that commit re-reads only its changed files and updates the link
 * index instead of building it.
 */
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clearSnapshotCache } from '../../src/github/snapshot.js';
import { FakeGitHub, loadFixture, pullRequestPayload, type Tree } from '../doubles/fake-github.js';
import { makePattern } from '../doubles/patterns.js';
import { warmSkipReason, type WarmOutcome } from '../../src/github/warm-snapshot.js';
import type { Outcome } from '../../src/github/review-pull-request.js';
import { assertNoPending, makeProbot } from './helpers.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => assertNoPending());

const fixture = loadFixture('pull_request.opened.json') as {
  repository: Record<string, unknown>;
  installation: Record<string, unknown>;
  organization?: unknown;
  sender: unknown;
};
const pushPayload = (o: { ref?: string; after: string; commits?: { added?: string[]; modified?: string[]; removed?: string[] }[]; deleted?: boolean }) => ({
  ref: o.ref ?? 'refs/heads/main',
  before: 'a'.repeat(40),
  after: o.after,
  deleted: o.deleted ?? false,
  commits: o.commits ?? [{ modified: ['patterns/pattern-0001.md'] }],
  repository: { ...fixture.repository, default_branch: 'main' },
  installation: fixture.installation,
  sender: fixture.sender,
});

describe('warmSkipReason', () => {
  const repository = { default_branch: 'main' };
  it('warms pushes to the default branch that touch Markdown or the config', () => {
    expect(warmSkipReason({ ref: 'refs/heads/main', after: 'b'.repeat(40), repository, commits: [{ modified: ['x/p.md'] }] })).toBeUndefined();
    expect(
      warmSkipReason({ ref: 'refs/heads/main', after: 'b'.repeat(40), repository, commits: [{ added: ['.github/pattern-gardener.yml'] }] }),
    ).toBeUndefined();
    expect(warmSkipReason({ ref: 'refs/heads/main', after: 'b'.repeat(40), repository, commits: [] })).toBeUndefined();
  });
  it('skips other branches, deletions and pushes without pattern changes', () => {
    expect(warmSkipReason({ ref: 'refs/heads/feature', after: 'b'.repeat(40), repository })).toBe('not the default branch');
    expect(warmSkipReason({ ref: 'refs/heads/main', after: '0'.repeat(40), repository, deleted: true })).toBe('branch deleted');
    expect(warmSkipReason({ ref: 'refs/heads/main', after: 'b'.repeat(40), repository, commits: [{ modified: ['src/app.ts'] }] })).toBe(
      'no Markdown or config change',
    );
  });
});

describe('warming on push', () => {
  const slug = (i: number) => `pattern-${String(i).padStart(4, '0')}`;
  const base: Tree = new Map();
  for (let i = 0; i < 300; i++)
    base.set(`patterns/${slug(i)}.md`, makePattern({ slug: slug(i), relationships: { complementary: [slug((i + 1) % 300)] }, words: 0.05 }));
  const MAIN = '5'.repeat(40);

  it('caches the pushed commit, and the next pull request re-reads only its changed files', async () => {
    clearSnapshotCache();
    const warmed: WarmOutcome[] = [];
    const { probot, outcomes } = makeProbot({ garden: false, warmOnPush: true, onWarm: (o) => warmed.push(o) });
    const gh = new FakeGitHub();
    gh.mockToken();
    gh.mockConfig(undefined);
    gh.mockTarball(MAIN, () => gh.tarball(base, MAIN));
    await probot.receive({ id: 'push-1', name: 'push', payload: pushPayload({ after: MAIN }) as never });
    expect(warmed).toHaveLength(1);
    expect(warmed[0]).toMatchObject({ status: 'warmed', sha: MAIN, snapshot: { parsed: 300, reused: 0 }, linkIndex: { built: true, patterns: 300 } });
    assertNoPending();

    const head = new Map(base);
    head.set(`patterns/${slug(7)}.md`, makePattern({ slug: slug(7), relationships: { complementary: [slug(8), 'pattern-9999'] } }));
    head.set(`patterns/${slug(9)}.md`, makePattern({ slug: slug(9), relationships: { complementary: [slug(10), 'pattern-9998'] } }));
    const HEAD = '6'.repeat(40);
    const gh2 = new FakeGitHub();
    // The pushed commit is the pull request's base: its snapshot plus one comparison stand in for the head archive.
    gh2.mockEvent({ number: 7, headSha: HEAD, baseSha: MAIN, base, head, expectReview: true, headTarball: false, compareFrom: { sha: MAIN, tree: base } });
    await probot.receive({ id: 'pr-1', name: 'pull_request', payload: pullRequestPayload(fixture, { number: 7, headSha: HEAD, baseSha: MAIN }) as never });
    const o = outcomes[0] as Extract<Outcome, { status: 'reviewed' }>;
    expect(o.status).toBe('reviewed');
    expect(o.snapshot).toMatchObject({ parsed: 2, reused: 298, derivedFrom: MAIN });
    expect(o.linkIndex).toMatchObject({ built: true, incremental: true, updated: 2, takenOver: 298 });
  });

  it('makes no request for a push to another branch', async () => {
    clearSnapshotCache();
    const warmed: WarmOutcome[] = [];
    const { probot } = makeProbot({ garden: false, warmOnPush: true, onWarm: (o) => warmed.push(o) });
    await probot.receive({ id: 'push-2', name: 'push', payload: pushPayload({ ref: 'refs/heads/feature', after: MAIN }) as never });
    expect(warmed).toHaveLength(0);
  });

  it('a failed warm-up is logged and changes nothing', async () => {
    clearSnapshotCache();
    const warmed: WarmOutcome[] = [];
    const { probot } = makeProbot({ garden: false, warmOnPush: true, onWarm: (o) => warmed.push(o), policy: { retries: 0 } });
    const gh = new FakeGitHub();
    gh.mockToken();
    gh.mockConfig(undefined);
    nock('https://api.github.com').get(`/repos/commons-garden/patterns/tarball/${MAIN}`).reply(500, { message: 'boom' });
    await probot.receive({ id: 'push-3', name: 'push', payload: pushPayload({ after: MAIN }) as never });
    expect(warmed).toEqual([expect.objectContaining({ status: 'skipped' })]);
  });
});
