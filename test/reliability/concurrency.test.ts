/**
 * Reliability item 4: replays and races. End state: one review per head SHA, one open thread per finding,
 * one open issue per pattern.
 *
 * Defences under test:
 * - review: runs for one pull request are serialized in the process (app.ts keyedSerializer), and every
 *   run is idempotent through the markers (review sha=…, fp=…); across processes, duplicate bot threads for
 *   one fingerprint are resolved by the next run, keeping the oldest (review.ts planReview);
 * - garden: one sweep per repository per process (app-handlers sweepOnce) and, across processes, the
 *   post-create dedupe that closes younger duplicates (sync.ts).
 */
import nock from 'nock';
import { pino } from 'pino';
import { Probot } from 'probot';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/github/app.js';
import { clearSnapshotCache } from '../../src/github/snapshot.js';
import { checkSuiteRerequestedPayload, loadFixture, pullRequestPayload } from '../doubles/fake-github.js';
import { testKey } from '../doubles/probot.js';
import { FakeGitHub as GardenFake, OWNER, REPO } from '../garden/fake-github.js';
import { pattern } from '../garden/helpers.js';
import { API, LogSink, ProdLikeOctokit, StatefulGitHub, prodLikeProbot, typoTrees, type TestProbot } from './stateful-github.js';

const fixture = loadFixture('pull_request.opened.json');
const BASE = 'b'.repeat(40);
const HEAD = 'a'.repeat(40);
const HEAD2 = 'c'.repeat(40);

const trees = () => typoTrees({ betaTypo: true });

function fake(): StatefulGitHub {
  const { base, head } = trees();
  const gh = new StatefulGitHub({ number: 7, headSha: HEAD, baseSha: BASE, base, head });
  gh.install();
  return gh;
}

const event = (app: TestProbot, id: string, sha = HEAD, action = 'synchronize') =>
  app.probot.receive({ id, name: 'pull_request', payload: pullRequestPayload(fixture, { number: 7, headSha: sha, baseSha: BASE, action }) as never });

const rerun = (app: TestProbot, id: string) => app.probot.receive({ id, name: 'check_suite', payload: checkSuiteRerequestedPayload(fixture, HEAD) as never });
const reviewsFor = (gh: StatefulGitHub, sha: string) => gh.reviews.filter((r) => r.commit_id === sha);
const openThreads = (gh: StatefulGitHub) => gh.threads.filter((t) => !t.isResolved);

beforeAll(() => nock.disableNetConnect());
beforeEach(() => clearSnapshotCache());
afterEach(() => nock.cleanAll());

describe('pull request review', () => {
  it('the same delivery twice, one after the other: one review', async () => {
    const gh = fake();
    const app = prodLikeProbot();
    await event(app, 'same');
    await event(app, 'same');
    expect(reviewsFor(gh, HEAD)).toHaveLength(1);
    expect(gh.threads).toHaveLength(2);
    // The second finds the SHA's finished run and does nothing more: one run.
    expect(app.outcomes.map((o) => o.status)).toEqual(['reviewed', 'already-checked']);
    expect(gh.runsFor(HEAD)).toHaveLength(1);
  });

  it('the same delivery twice at once: one review, two threads', async () => {
    const gh = fake();
    const app = prodLikeProbot();
    await Promise.all([event(app, 'same'), event(app, 'same')]);
    expect(reviewsFor(gh, HEAD)).toHaveLength(1);
    expect(gh.threads).toHaveLength(2);
  });

  it('two synchronize events for the same head racing (and a rerequest-like reopen): one review', async () => {
    const gh = fake();
    const app = prodLikeProbot();
    await Promise.all([event(app, 's1'), event(app, 's2'), event(app, 's3', HEAD, 'reopened')]);
    expect(reviewsFor(gh, HEAD)).toHaveLength(1);
    expect(openThreads(gh)).toHaveLength(2);
    expect(gh.runsFor(HEAD).every((r) => r.status === 'completed' && r.conclusion === 'failure')).toBe(true);
  });

  it('two synchronize events for consecutive heads racing: the old head is superseded, one review for the new head', async () => {
    const gh = fake();
    gh.commits.set(HEAD2, trees().head);
    gh.headRefOid = HEAD2;
    const app = prodLikeProbot();
    await Promise.all([event(app, 'old', HEAD), event(app, 'new', HEAD2)]);
    expect(gh.reviews.map((r) => r.commit_id)).toEqual([HEAD2]);
    expect(app.outcomes.map((o) => o.status).sort()).toEqual(['reviewed', 'superseded']);
    expect(gh.runsFor(HEAD)).toEqual([expect.objectContaining({ status: 'completed', conclusion: 'neutral' })]);
  });

  it('a check run and its suite re-requested at once, the run twice (a redelivery): one new run, not three', async () => {
    const gh = fake();
    const app = prodLikeProbot();
    await event(app, 'opened', HEAD, 'opened');
    expect(gh.runsFor(HEAD)).toHaveLength(1);
    const f = fixture as { repository: unknown; installation: unknown; sender: unknown };
    const checkRun = (id: string) =>
      app.probot.receive({
        id,
        name: 'check_run',
        payload: {
          action: 'rerequested',
          check_run: { id: 1, name: 'Pattern Gardener', head_sha: HEAD, pull_requests: [] },
          repository: f.repository,
          installation: f.installation,
          sender: f.sender,
        } as never,
      });
    await Promise.all([checkRun('cr'), checkRun('cr'), rerun(app, 'cs')]);
    expect(gh.runsFor(HEAD)).toHaveLength(2);
    expect(gh.runsFor(HEAD).every((r) => r.status === 'completed' && r.conclusion === 'failure')).toBe(true);
    expect(reviewsFor(gh, HEAD)).toHaveLength(1);
    // A re-request after that one settled is a new request: a new run.
    await rerun(app, 'cs-later');
    expect(gh.runsFor(HEAD)).toHaveLength(3);
  });

  it('two processes racing may both post; the next run resolves the duplicate threads, keeping the oldest', async () => {
    const gh = fake();
    const a = prodLikeProbot();
    const b = prodLikeProbot(); // another replica: its own serializer
    await Promise.all([event(a, 'r1'), event(b, 'r2')]);
    const first = gh.threads.slice(0, 2).map((t) => t.id);
    // Whatever the interleaving, the next run (a re-run: deliveries for a checked SHA do nothing)
    // converges to one open thread per finding.
    await rerun(a, 'r3');
    expect(openThreads(gh).map((t) => t.id)).toEqual(first);
    await rerun(b, 'r4');
    expect(openThreads(gh).map((t) => t.id)).toEqual(first);
    expect(reviewsFor(gh, HEAD).length).toBeLessThanOrEqual(2);
  });
});

describe('garden sweeps', () => {
  const dispatch = (p: Probot, id: string) =>
    p.receive({
      id,
      name: 'repository_dispatch',
      payload: {
        action: 'gardener-sweep',
        repository: { owner: { login: OWNER }, name: REPO, full_name: `${OWNER}/${REPO}` },
        installation: { id: 4242 },
      } as never,
    });

  /** `fresh`: load the app modules anew, as another process would (no shared in-process sweep lock). */
  async function gardenProbot(fresh = false): Promise<Probot> {
    let make = createApp;
    if (fresh) {
      vi.resetModules();
      make = (await import('../../src/github/app.js')).createApp;
    }
    const probot = new Probot({ appId: 1, privateKey: testKey(), Octokit: ProdLikeOctokit, log: pino({ level: 'warn' }, new LogSink()) });
    void probot.load(make({ today: () => ({ year: 2026, month: 11, day: 21 }), garden: { pacing: { spacingMs: 0, sleep: async () => {} } } }));
    return probot;
  }

  function garden(): GardenFake {
    const g = new GardenFake();
    g.files.set('.github/pattern-gardener.yml', 'garden:\n  maxNewIssuesPerSweep: 10\n');
    for (const s of ['a', 'bb', 'ccc'])
      g.files.set(`patterns/${s}.md`, pattern({ slug: s, vitality: 1.2, links: ['hub'], lastPruned: '2026-02-01', contributors: ['ada-l'] }));
    g.files.set('patterns/hub.md', pattern({ slug: 'hub', links: ['a', 'bb', 'ccc'] }));
    nock(API)
      .persist()
      .post('/app/installations/4242/access_tokens')
      .reply(201, { token: 'ghs_garden', expires_at: '2099-01-01T00:00:00Z', permissions: { issues: 'write' }, repository_selection: 'all' });
    g.install();
    return g;
  }

  const openReplant = (g: GardenFake) =>
    g
      .open()
      .filter((i) => i.title.startsWith('Replant:'))
      .map((i) => i.title)
      .sort();

  it('two sweeps at once in one process: the second is skipped, one issue per pattern', async () => {
    const g = garden();
    const p = await gardenProbot();
    await Promise.all([dispatch(p, 'g1'), dispatch(p, 'g2')]);
    expect(openReplant(g)).toEqual(['Replant: a', 'Replant: bb', 'Replant: ccc']);
    expect(g.issues.filter((i) => i.title.startsWith('Replant:'))).toHaveLength(3);
  });

  it('two sweeps at once in two processes: duplicates are closed, one open issue per pattern', async () => {
    const g = garden();
    const [p1, p2] = [await gardenProbot(true), await gardenProbot(true)];
    await Promise.all([dispatch(p1, 'g1'), dispatch(p2, 'g2')]);
    expect(openReplant(g)).toEqual(['Replant: a', 'Replant: bb', 'Replant: ccc']);
    expect(g.open().filter((i) => i.title === 'Garden health')).toHaveLength(1);
    // A later sweep opens nothing new.
    const before = g.issues.length;
    await dispatch(await gardenProbot(true), 'g3');
    expect(g.issues.length).toBe(before);
    expect(openReplant(g)).toHaveLength(3);
  });
});
