/**
 * Reliability item 3: GitHub faults, against a stateful nock GitHub and an Octokit configured as in
 * production (plugin-retry on; see ProdLikeOctokit). The request policy under test is
 * src/github/resilience.ts (review) and src/garden/octokit.ts (garden Pacer).
 */
import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { requireDate } from '../../src/core/dates.js';
import { clearSnapshotCache } from '../../src/github/snapshot.js';
import { loadFixture, pullRequestPayload } from '../../src/github/testing/fake-github.js';
import { Pacer, pacedRequest, asOctokitLike } from '../../src/garden/octokit.js';
import { runRemoteSweep } from '../../src/garden/remote.js';
import { FakeGitHub as GardenFake, OWNER, REPO } from '../garden/fake-github.js';
import { pattern } from '../garden/helpers.js';
import { ProdLikeOctokit, StatefulGitHub, prodLikeProbot, typoTrees, type TestProbot } from './stateful-github.js';

const fixture = loadFixture('pull_request.opened.json');
const BASE = 'b'.repeat(40);
const HEAD = 'a'.repeat(40);
const NUMBER = 7;

const trees = () => typoTrees();

function setup(): { gh: StatefulGitHub; app: TestProbot } {
  const { base, head } = trees();
  const gh = new StatefulGitHub({ number: NUMBER, headSha: HEAD, baseSha: BASE, base, head });
  gh.install();
  return { gh, app: prodLikeProbot() };
}

let delivery = 0;
const receive = (app: TestProbot, action = 'synchronize') =>
  app.probot.receive({ id: `d${++delivery}`, name: 'pull_request', payload: pullRequestPayload(fixture, { number: NUMBER, headSha: HEAD, baseSha: BASE, action }) as never });

const FILES = /\/pulls\/7\/files/;
const REVIEWS = /\/pulls\/7\/reviews$/;
const CHECK_PATCH = /\/check-runs\/\d+$/;

beforeAll(() => nock.disableNetConnect());
beforeEach(() => clearSnapshotCache());
afterEach(() => nock.cleanAll());

describe('5xx and timeouts: retried with backoff, each request once per attempt', () => {
  it('502 then 500 on the files list: two retries after 1 s and 4 s, then the review completes', async () => {
    const { gh, app } = setup();
    gh.fail('GET', FILES, { status: 502 });
    gh.fail('GET', FILES, { status: 500 });
    await receive(app);
    expect(app.outcomes[0]).toMatchObject({ status: 'reviewed', comments: 1 });
    // Exactly 3 requests: the app's layer retries, plugin-retry is switched off per request (else each
    // attempt would be retried again by the plugin, ignoring our backoff).
    expect(gh.requests('GET', FILES)).toHaveLength(3);
    expect(app.sleeps).toEqual([1000, 4000]);
    expect(gh.reviews).toHaveLength(1);
    expect(gh.runsFor(HEAD).at(-1)).toMatchObject({ status: 'completed', conclusion: 'failure' });
  });

  it('a request that times out (GraphQL state) and a reset connection (tarball) are retried', async () => {
    const { gh, app } = setup();
    gh.fail('POST', /^\/graphql$/, { timeoutMs: 2000 });
    gh.fail('GET', /\/tarball\//, { network: 'ECONNRESET' });
    await receive(app);
    expect(app.outcomes[0]).toMatchObject({ status: 'reviewed', comments: 1 });
    expect(gh.requests('POST', /^\/graphql$/)).toHaveLength(2);
    expect(gh.requests('GET', /\/tarball\//)).toHaveLength(2);
    expect(app.sleeps).toEqual([1000, 1000]);
  });

  it('gives up after 3 retries: the error reaches Probot and the check run is completed neutral, not left spinning', async () => {
    const { gh, app } = setup();
    gh.fail('GET', FILES, { status: 503 }, 10);
    await expect(receive(app)).rejects.toThrow();
    expect(gh.requests('GET', FILES)).toHaveLength(4);
    expect(app.sleeps).toEqual([1000, 4000, 9000]);
    expect(gh.runsFor(HEAD).at(-1)).toMatchObject({ status: 'completed', conclusion: 'neutral' });
  });

  it('a create-review 502 that GitHub did apply is not posted twice: the pull state is read first', async () => {
    const { gh, app } = setup();
    gh.fail('POST', REVIEWS, { applyThen: 502 });
    await receive(app);
    expect(app.outcomes[0]).toMatchObject({ status: 'reviewed', comments: 1 });
    expect(gh.reviews).toHaveLength(1);
    expect(gh.requests('POST', REVIEWS)).toHaveLength(1);
  });

  it('a create-review 502 that GitHub did not apply is posted again after the state check', async () => {
    const { gh, app } = setup();
    gh.fail('POST', REVIEWS, { status: 502 });
    await receive(app);
    expect(gh.reviews).toHaveLength(1);
    expect(gh.requests('POST', REVIEWS)).toHaveLength(2);
  });
});

describe('rate limits honour Retry-After', () => {
  it('review path: 403 secondary rate limit and 429 wait exactly Retry-After, then succeed', async () => {
    const { gh, app } = setup();
    gh.fail('POST', /\/check-runs$/, { status: 403, body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' }, headers: { 'retry-after': '7' } });
    gh.fail('GET', FILES, { status: 429, body: { message: 'Too many requests' }, headers: { 'retry-after': '3' } });
    await receive(app);
    expect(app.outcomes[0]).toMatchObject({ status: 'reviewed', comments: 1 });
    expect(app.sleeps).toEqual([7000, 3000]);
    expect(gh.requests('POST', /\/check-runs$/)).toHaveLength(2);
    expect(gh.requests('GET', FILES)).toHaveLength(2);
    expect(gh.runsFor(HEAD)).toHaveLength(1);
  });

  it('review path: a Retry-After beyond the longest wait fails fast instead of holding the worker', async () => {
    const { gh, app } = setup();
    gh.fail('GET', FILES, { status: 429, headers: { 'retry-after': '3600' } });
    await expect(receive(app)).rejects.toThrow();
    expect(app.sleeps).toEqual([]);
    expect(gh.requests('GET', FILES)).toHaveLength(1);
    expect(gh.runsFor(HEAD).at(-1)).toMatchObject({ status: 'completed', conclusion: 'neutral' });
  });

  it('garden Pacer over the production Octokit: 403 secondary limit and 429 wait Retry-After; the plugin does not retry first', async () => {
    const fake = new GardenFake();
    fake.files.set('.github/pattern-gardener.yml', 'garden:\n  maxNewIssuesPerSweep: 5\n');
    fake.files.set('patterns/a.md', pattern({ slug: 'a', vitality: 1.2, links: ['hub'], lastPruned: '2026-02-01', contributors: ['ada-l'] }));
    fake.files.set('patterns/hub.md', pattern({ slug: 'hub', links: ['a'] }));
    // Faults first: nock tries interceptors in the order they were added.
    nock('https://api.github.com')
      .post(`/repos/${OWNER}/${REPO}/issues`)
      .reply(403, { message: 'You have exceeded a secondary rate limit.' }, { 'retry-after': '11' })
      .get(`/repos/${OWNER}/${REPO}/issues`)
      .query(true)
      .reply(429, { message: 'Too many requests' }, { 'retry-after': '5' });
    fake.install();
    const sleeps: number[] = [];
    let t = 0;
    const pacer = new Pacer({ spacingMs: 0, sleep: async (ms) => { sleeps.push(ms); t += ms; }, now: () => t });
    const octokit = pacedRequest(asOctokitLike(new ProdLikeOctokit({ auth: 'ghs_garden' })), pacer);
    const res = await runRemoteSweep({ octokit, owner: OWNER, repo: REPO, today: requireDate('2026-11-21'), historyCap: 0 });
    expect(res.sync.operations.filter((o) => o.op === 'create').map((o) => o.slug)).toEqual(['a']);
    expect(sleeps).toEqual([5000, 11000]);
    expect(fake.issues.filter((i) => i.title.startsWith('Replant:'))).toHaveLength(1);
  });
});

describe('the head commit vanished (force-push)', () => {
  it('tarball 404: ends quietly, the started check run is completed neutral', async () => {
    const { gh, app } = setup();
    gh.fail('GET', /\/tarball\//, { status: 404 });
    await expect(receive(app)).resolves.toBeUndefined();
    expect(app.outcomes[0]).toMatchObject({ status: 'superseded' });
    expect(gh.runsFor(HEAD)).toEqual([expect.objectContaining({ status: 'completed', conclusion: 'neutral' })]);
    expect(gh.reviews).toHaveLength(0);
  });

  it('gone before the check run: 422 "No commit found" ends quietly with no check run', async () => {
    const { gh, app } = setup();
    gh.commits.delete(HEAD);
    await expect(receive(app)).resolves.toBeUndefined();
    expect(app.outcomes[0]).toMatchObject({ status: 'superseded' });
    expect(gh.checkRuns).toHaveLength(0);
  });

  it('head moved during the run: no review, the old run is completed neutral', async () => {
    const { gh, app } = setup();
    gh.headRefOid = 'd'.repeat(40);
    gh.commits.set(gh.headRefOid, trees().head);
    await expect(receive(app)).resolves.toBeUndefined();
    expect(app.outcomes[0]).toMatchObject({ status: 'superseded' });
    expect(gh.reviews).toHaveLength(0);
    expect(gh.runsFor(HEAD)).toEqual([expect.objectContaining({ status: 'completed', conclusion: 'neutral' })]);
  });
});

describe('422 on inline comments', () => {
  it('"line must be part of the diff": the review is posted without inline comments, findings in its body, fixes in the check run', async () => {
    const { gh, app } = setup();
    gh.fail('POST', REVIEWS, { status: 422, body: { message: 'Unprocessable Entity', errors: ['pull_request_review_thread.line must be part of the diff'] } }, 1, (b) => ((b as { comments?: unknown[] }).comments ?? []).length > 0);
    await expect(receive(app)).resolves.toBeUndefined();
    expect(app.outcomes[0]).toMatchObject({ status: 'reviewed', comments: 0, findings: 1 });
    expect(gh.reviews).toHaveLength(1);
    const review = gh.reviews[0]!;
    expect(review.comments).toEqual([]);
    expect(review.body).toContain('`patterns/alpha.md:');
    expect(review.body).toContain('links/unknown-target');
    expect(review.body).toContain(`<!-- pattern-gardener:review sha=${HEAD} -->`);
    const run = gh.runsFor(HEAD).at(-1)!;
    expect(run).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(run.annotations).toContainEqual(expect.objectContaining({ path: 'patterns/alpha.md', title: 'links/unknown-target' }));
    // The suggestion did not reach the PR, so its patch is back in the summary.
    expect(run.output?.summary).toContain('Ready-to-apply fixes');
    expect(run.output?.summary).toMatch(/\+ {4}- slug: gamma/);
    expect(run.output?.summary).toContain('GitHub refused 1 inline comment(s)');
  });
});

describe('partial failure never duplicates on the re-run', () => {
  it('review posted, then every check-run PATCH fails: the re-run posts no second review and completes a run', async () => {
    const { gh, app } = setup();
    gh.fail('PATCH', CHECK_PATCH, { status: 500 }, 5); // 4 attempts to complete + the neutral fallback
    await expect(receive(app)).rejects.toThrow();
    expect(gh.reviews).toHaveLength(1);
    const threads = gh.threads.length;
    await expect(receive(app)).resolves.toBeUndefined();
    expect(app.outcomes.at(-1)).toMatchObject({ status: 'reviewed', comments: 0 });
    expect(gh.reviews).toHaveLength(1);
    expect(gh.threads).toHaveLength(threads);
    expect(gh.runsFor(HEAD).at(-1)).toMatchObject({ status: 'completed', conclusion: 'failure' });
  });
});
