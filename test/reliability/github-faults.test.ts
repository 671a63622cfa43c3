/**
 * GitHub faults, against a stateful nock GitHub and the Octokit production runs (Probot's throttling and
 * retry plugins configured by src/github/resilience.ts policyOctokit), with GitHub's seconds shrunk to
 * milliseconds. Also the garden's Pacer (src/garden/octokit.ts), which owns its requests' retries.
 */
import nock from 'nock';
import { pino } from 'pino';
import { Probot } from 'probot';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { requireDate } from '../../src/core/dates.js';
import { clearSnapshotCache } from '../../src/github/snapshot.js';
import { checkSuiteRerequestedPayload, loadFixture, pullRequestPayload } from '../doubles/fake-github.js';
import { Pacer, pacedRequest, asOctokitLike, SweepDeadlineError, type OctokitLike, type PacingOptions } from '../../src/garden/octokit.js';
import { runRemoteSweep } from '../../src/garden/remote.js';
import { sweepAllInstallations, type SweepReport } from '../../src/garden/app-handlers.js';
import { DASHBOARD_MARKER } from '../../src/garden/dashboard.js';
import { isTransient } from '../../src/github/resilience.js';
import { createApp } from '../../src/github/app.js';
import { testKey } from '../doubles/probot.js';
import { FakeGitHub as GardenFake, OWNER, REPO } from '../garden/fake-github.js';
import { pattern } from '../garden/helpers.js';
import { API, LogSink, PROD_LIKE_TIMEOUT_MS, ProdLikeOctokit, StatefulGitHub, prodLikeProbot, typoTrees, type TestProbot } from './stateful-github.js';

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
  app.probot.receive({
    id: `d${++delivery}`,
    name: 'pull_request',
    payload: pullRequestPayload(fixture, { number: NUMBER, headSha: HEAD, baseSha: BASE, action }) as never,
  });

const FILES = /\/pulls\/7\/files/;
const REVIEWS = /\/pulls\/7\/reviews$/;
const CHECK_PATCH = /\/check-runs\/\d+$/;

beforeAll(() => nock.disableNetConnect());
beforeEach(() => clearSnapshotCache());
afterEach(() => nock.cleanAll());

describe('5xx and timeouts: idempotent reads retried, each request once per attempt', () => {
  it('502 then 500 on the files list: retried twice, then the review completes', async () => {
    const { gh, app } = setup();
    gh.fail('GET', FILES, { status: 502 });
    gh.fail('GET', FILES, { status: 500 });
    await receive(app);
    expect(app.outcomes[0]).toMatchObject({ status: 'reviewed', comments: 1 });
    // One layer retries: 3 requests, not 3 × (1 + plugin retries).
    expect(gh.requests('GET', FILES)).toHaveLength(3);
    expect(gh.reviews).toHaveLength(1);
    expect(gh.runsFor(HEAD).at(-1)).toMatchObject({ status: 'completed', conclusion: 'failure' });
  });

  it('a request that times out (GraphQL state) and a reset connection (tarball) are retried', async () => {
    const { gh, app } = setup();
    gh.fail('POST', /^\/graphql$/, { timeoutMs: 2 * PROD_LIKE_TIMEOUT_MS });
    gh.fail('GET', /\/tarball\//, { network: 'ECONNRESET' });
    await receive(app);
    expect(app.outcomes[0]).toMatchObject({ status: 'reviewed', comments: 1 });
    expect(gh.requests('POST', /^\/graphql$/)).toHaveLength(2);
    expect(gh.requests('GET', /\/tarball\//)).toHaveLength(2);
  });

  it('GitHub unavailable past the retries: the event is reviewed again after a wait, on the same run, kept in progress meanwhile', async () => {
    const { gh } = setup();
    const app = prodLikeProbot({ reviewRetryDelaysMs: [5, 5] });
    gh.fail('GET', FILES, { status: 502 }, 4); // the first attempt's request and its 3 retries
    await receive(app);
    expect(app.outcomes).toMatchObject([{ status: 'reviewed', comments: 1 }]);
    expect(gh.requests('GET', FILES)).toHaveLength(5);
    expect(gh.runsFor(HEAD)).toHaveLength(1);
    expect(gh.runsFor(HEAD)[0]).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(gh.requests('PATCH', CHECK_PATCH).some((r) => (r.body as { output?: { title?: string } }).output?.title === 'Waiting for GitHub')).toBe(true);
    expect(gh.reviews).toHaveLength(1);
  });

  it('GitHub unavailable through every attempt: one run, completed "Not checked", after the last', async () => {
    const { gh } = setup();
    const app = prodLikeProbot({ reviewRetryDelaysMs: [5] });
    gh.fail('GET', FILES, { status: 502 }, 8);
    await expect(receive(app)).rejects.toThrow();
    expect(gh.requests('GET', FILES)).toHaveLength(8);
    expect(gh.runsFor(HEAD)).toHaveLength(1);
    expect(gh.runsFor(HEAD)[0]).toMatchObject({
      status: 'completed',
      conclusion: 'failure',
      output: { title: 'Not checked: GitHub did not answer; re-run this check' },
    });
  });

  it('gives up after 3 retries: the error reaches Probot and the run fails asking for a re-run, not neutral', async () => {
    const { gh, app } = setup();
    gh.fail('GET', FILES, { status: 503 }, 10);
    await expect(receive(app)).rejects.toThrow();
    expect(gh.requests('GET', FILES)).toHaveLength(4);
    const run = gh.runsFor(HEAD).at(-1)!;
    expect(run).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(run.output?.title).toBe('Not checked: GitHub did not answer; re-run this check');
    expect(run.output?.summary).toContain('Re-run this check');
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

const SECONDARY = { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' };
const CONFIG_READ = /\/contents\/\.github\/pattern-gardener\.yml/;

describe('rate limits honour Retry-After, with a cap on count, wait and the event deadline', () => {
  it('review path: 403 secondary limit and 429 are retried after Retry-After, then succeed', async () => {
    const { gh, app } = setup();
    gh.fail('POST', /\/check-runs$/, { status: 403, body: SECONDARY, headers: { 'retry-after': '7' } });
    gh.fail('GET', FILES, { status: 429, body: SECONDARY, headers: { 'retry-after': '3' } });
    await receive(app);
    expect(app.outcomes[0]).toMatchObject({ status: 'reviewed', comments: 1 });
    expect(app.limits.map((l) => [l.kind, l.retryAfterS, l.retried])).toEqual([
      ['secondary', 7, true],
      ['secondary', 3, true],
    ]);
    expect(gh.requests('POST', /\/check-runs$/)).toHaveLength(2);
    expect(gh.requests('GET', FILES)).toHaveLength(2);
    expect(gh.runsFor(HEAD)).toHaveLength(1);
  });

  it('a Retry-After beyond the longest wait is not taken: the run says GitHub did not answer', async () => {
    const { gh, app } = setup();
    gh.fail('GET', FILES, { status: 429, body: SECONDARY, headers: { 'retry-after': '3600' } });
    await expect(receive(app)).rejects.toThrow();
    expect(app.limits.map((l) => l.retried)).toEqual([false]);
    expect(gh.requests('GET', FILES)).toHaveLength(1);
    expect(gh.runsFor(HEAD).at(-1)).toMatchObject({
      status: 'completed',
      conclusion: 'failure',
      output: { title: 'Not checked: GitHub did not answer; re-run this check' },
    });
  });

  it('a limit that never lifts is retried 3 times, not forever', async () => {
    const { gh, app } = setup();
    gh.fail('GET', FILES, { status: 403, body: SECONDARY, headers: { 'retry-after': '1' } }, 50);
    await expect(receive(app)).rejects.toThrow();
    expect(gh.requests('GET', FILES)).toHaveLength(4);
    expect(app.limits.map((l) => l.retried)).toEqual([true, true, true, false]);
  });

  it('past the event deadline nothing is retried', async () => {
    const { gh } = setup();
    const app = prodLikeProbot({ policy: { eventDeadlineMs: 0 } });
    gh.fail('GET', FILES, { status: 403, body: SECONDARY, headers: { 'retry-after': '1' } });
    gh.fail('POST', /^\/graphql$/, { status: 502 });
    await expect(receive(app)).rejects.toThrow();
    expect(gh.requests('GET', FILES)).toHaveLength(1);
    expect(app.limits.map((l) => l.retried)).toEqual([false]);
  });

  it('a plain 429 (no secondary-limit message) on the review create is retried after Retry-After: one review', async () => {
    const { gh, app } = setup();
    gh.fail('POST', REVIEWS, { status: 429, body: { message: 'Too Many Requests' }, headers: { 'retry-after': '2' } });
    gh.fail('GET', FILES, { status: 429, body: { message: 'Too Many Requests' }, headers: { 'retry-after': '1' } });
    await receive(app);
    expect(app.outcomes[0]).toMatchObject({ status: 'reviewed', comments: 1 });
    expect(gh.reviews).toHaveLength(1);
    expect(gh.requests('POST', REVIEWS)).toHaveLength(2);
    // Once each, after its own Retry-After: plugin-retry does not retry a 429 on its own backoff first.
    expect(gh.requests('GET', FILES)).toHaveLength(2);
    expect(app.limits.map((l) => [l.retryAfterS, l.retried])).toEqual([
      [1, true],
      [2, true],
    ]);
  });

  it('a plain 429 that never lifts is retried 3 times, then given up', async () => {
    const { gh, app } = setup();
    gh.fail('GET', FILES, { status: 429, body: { message: 'Too Many Requests' }, headers: { 'retry-after': '1' } }, 50);
    await expect(receive(app)).rejects.toThrow();
    expect(gh.requests('GET', FILES)).toHaveLength(4);
    expect(app.limits.map((l) => l.retried)).toEqual([true, true, true, false]);
  });

  it('GraphQL RATE_LIMITED (HTTP 200 with errors) is retried after the reset time', async () => {
    const { gh, app } = setup();
    const reset = String(Math.floor(Date.now() / 1000));
    gh.fail('POST', /^\/graphql$/, {
      status: 200,
      body: { data: null, errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded for installation ID 4242.' }] },
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset },
    });
    await receive(app);
    expect(app.outcomes[0]).toMatchObject({ status: 'reviewed', comments: 1 });
    expect(app.limits.map((l) => [l.kind, l.retried])).toEqual([['primary', true]]);
    expect(gh.requests('POST', /^\/graphql$/).length).toBeGreaterThanOrEqual(2);
  });
});

describe('config reads are retried, never misreported as an invalid config', () => {
  it('429 and a 403 secondary limit on the config read: retried, then the review runs', async () => {
    const { gh, app } = setup();
    gh.fail('GET', CONFIG_READ, { status: 429, body: SECONDARY, headers: { 'retry-after': '2' } });
    gh.fail('GET', CONFIG_READ, { status: 403, body: SECONDARY, headers: { 'retry-after': '1' } });
    await receive(app);
    expect(app.outcomes[0]).toMatchObject({ status: 'reviewed', conclusion: 'failure' });
    expect(gh.runsFor(HEAD).map((r) => r.output?.title)).not.toContain('Invalid .github/pattern-gardener.yml');
  });

  it('a config read that keeps failing: the run says GitHub did not answer, never "invalid config"', async () => {
    const { gh, app } = setup();
    gh.fail('GET', CONFIG_READ, { status: 502 }, 20);
    await expect(receive(app)).rejects.toThrow();
    expect(gh.runsFor(HEAD)).toHaveLength(1);
    expect(gh.runsFor(HEAD)[0]).toMatchObject({
      status: 'completed',
      conclusion: 'failure',
      output: { title: 'Not checked: GitHub did not answer; re-run this check' },
    });
  });

  it('a schema file GitHub refuses (403) gives a run that says so; one too large is a config error naming it', async () => {
    const refused = setup();
    const config = 'schemas:\n  commons-pattern: schemas/pattern.json\n';
    const gh1 = new StatefulGitHub({ number: NUMBER, headSha: HEAD, baseSha: BASE, ...trees(), config });
    nock.cleanAll();
    gh1.install();
    gh1.fail('GET', /\/contents\/schemas\/pattern\.json/, { status: 403, body: { message: 'Resource not accessible by integration' } });
    await expect(receive(refused.app)).rejects.toThrow();
    const run1 = gh1.runsFor(HEAD).at(-1)!;
    expect(run1).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(run1.output?.title).toContain('Not checked');
    expect(run1.output?.summary).toContain('Resource not accessible by integration');

    nock.cleanAll();
    const gh2 = new StatefulGitHub({ number: NUMBER, headSha: HEAD, baseSha: BASE, ...trees(), config });
    gh2.contents.set('schemas/pattern.json', `{"description": "${'x'.repeat(3 * 1024 * 1024)}"}`);
    gh2.install();
    await receive(prodLikeProbot());
    const run2 = gh2.runsFor(HEAD).at(-1)!;
    expect(run2).toMatchObject({ status: 'completed', conclusion: 'failure', output: { title: 'Invalid .github/pattern-gardener.yml' } });
    expect(run2.output?.summary).toContain('`schemas/pattern.json` is too large');
  });
});

describe('the garden Pacer owns its retries', () => {
  it('over the production Octokit: 403 secondary limit and 429 wait Retry-After; the plugins do not retry first', async () => {
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
    const pacer = new Pacer({
      spacingMs: 0,
      sleep: async (ms) => {
        sleeps.push(ms);
        t += ms;
      },
      now: () => t,
    });
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
    gh.fail(
      'POST',
      REVIEWS,
      { status: 422, body: { message: 'Unprocessable Entity', errors: ['pull_request_review_thread.line must be part of the diff'] } },
      1,
      (b) => ((b as { comments?: unknown[] }).comments ?? []).length > 0,
    );
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
  it('review posted, then every check-run PATCH fails: the redelivery adopts the unfinished run, no second review or run', async () => {
    const { gh, app } = setup();
    // The completion carries annotations: sent, read back, sent again (3); the not-checked fallback is
    // idempotent and retried (4). All fail: the run is left unfinished.
    gh.fail('PATCH', CHECK_PATCH, { status: 500 }, 7);
    await expect(receive(app)).rejects.toThrow();
    expect(gh.reviews).toHaveLength(1);
    expect(gh.runsFor(HEAD)).toHaveLength(1);
    expect(gh.runsFor(HEAD)[0]!.status).toBe('in_progress');
    const threads = gh.threads.length;
    await expect(receive(app)).resolves.toBeUndefined();
    expect(app.outcomes.at(-1)).toMatchObject({ status: 'reviewed', comments: 0 });
    expect(gh.reviews).toHaveLength(1);
    expect(gh.threads).toHaveLength(threads);
    expect(gh.runsFor(HEAD)).toHaveLength(1);
    expect(gh.runsFor(HEAD)[0]).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(gh.runsFor(HEAD)[0]!.annotations).toHaveLength(1);
  });

  it('a run completed as "Not checked" is no result: a redelivery checks the commit again', async () => {
    const { gh, app } = setup();
    gh.fail('GET', FILES, { status: 503 }, 4);
    await expect(receive(app)).rejects.toThrow();
    expect(gh.runsFor(HEAD)[0]!.output?.title).toMatch(/^Not checked:/);
    await receive(app);
    expect(app.outcomes.at(-1)).toMatchObject({ status: 'reviewed', conclusion: 'failure' });
    expect(gh.runsFor(HEAD).at(-1)).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(gh.runsFor(HEAD).at(-1)!.annotations).toHaveLength(1);
  });
});

describe('the conclusion survives a review GitHub will not take', () => {
  it('422 on every review request, head unchanged: the run is failure with its annotations, not "Superseded"', async () => {
    const { gh, app } = setup();
    gh.fail('POST', REVIEWS, { status: 422, body: { message: 'Validation Failed', errors: ['something GitHub refused'] } }, 5);
    await expect(receive(app)).resolves.toBeUndefined();
    expect(app.outcomes[0]).toMatchObject({ status: 'reviewed', conclusion: 'failure', comments: 0 });
    expect(gh.reviews).toHaveLength(0);
    const run = gh.runsFor(HEAD).at(-1)!;
    expect(run).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(run.output?.title).not.toBe('Superseded');
    expect(run.annotations).toContainEqual(expect.objectContaining({ path: 'patterns/alpha.md', title: 'links/unknown-target' }));
    expect(run.output?.summary).toContain('Not delivered to the pull request');
    // The suggestion never reached the pull request: its patch is in the summary.
    expect(run.output?.summary).toContain('Ready-to-apply fixes');
  });

  it('5xx on every review post: still failure with annotations', async () => {
    const { gh, app } = setup();
    gh.fail('POST', REVIEWS, { status: 502 }, 5);
    await expect(receive(app)).resolves.toBeUndefined();
    const run = gh.runsFor(HEAD).at(-1)!;
    expect(run).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(run.annotations).toHaveLength(1);
    // Sent once per attempt, never retried blindly by the request layer: the first post and the one after the state check.
    expect(gh.requests('POST', REVIEWS)).toHaveLength(2);
  });

  it('422 on the review because the head really moved: neutral "Superseded"', async () => {
    const { gh, app } = setup();
    gh.fail('POST', REVIEWS, { status: 422, body: { message: 'Validation Failed' } }, 5);
    // The state read before the review sees the old head; the read after the refusal sees the new one.
    let reads = 0;
    gh.fail(
      'POST',
      /^\/graphql$/,
      { status: 200, body: { data: { repository: { pullRequest: null } } } },
      1,
      (b) => String((b as { query?: string }).query).includes('reviewThreads') && ++reads > 1,
    );
    await receive(app);
    expect(app.outcomes[0]).toMatchObject({ status: 'superseded' });
    expect(gh.runsFor(HEAD).at(-1)).toMatchObject({ conclusion: 'neutral', output: { title: 'Superseded' } });
  });
});

describe('writes are idempotent', () => {
  it('a lost answer to POST /check-runs (written, answer lost) leaves one run, completed', async () => {
    const { gh, app } = setup();
    gh.fail('POST', /\/check-runs$/, { applyThen: 502 });
    await receive(app);
    expect(app.outcomes[0]).toMatchObject({ status: 'reviewed', conclusion: 'failure' });
    expect(gh.runsFor(HEAD)).toHaveLength(1);
    expect(gh.runsFor(HEAD)[0]).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(gh.requests('POST', /\/check-runs$/)).toHaveLength(1);
  });

  it('a redelivery (same delivery id) does not create a second run on the SHA', async () => {
    const { gh, app } = setup();
    const event = {
      id: 'same-delivery',
      name: 'pull_request',
      payload: pullRequestPayload(fixture, { number: NUMBER, headSha: HEAD, baseSha: BASE, action: 'synchronize' }) as never,
    };
    await app.probot.receive(event as never);
    await app.probot.receive(event as never);
    expect(gh.runsFor(HEAD)).toHaveLength(1);
    expect(gh.runsFor(HEAD)[0]).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(app.outcomes.map((o) => o.status)).toEqual(['reviewed', 'already-checked']);
    expect(gh.reviews).toHaveLength(1);
  });

  it('a re-requested check creates a new run (as Re-run expects), still one review', async () => {
    const { gh, app } = setup();
    await receive(app);
    await receive(app, 'synchronize');
    expect(gh.runsFor(HEAD)).toHaveLength(1);
    await app.probot.receive({ id: 'rerun', name: 'check_suite', payload: checkSuiteRerequestedPayload(fixture, HEAD) as never });
    expect(gh.runsFor(HEAD)).toHaveLength(2);
    expect(gh.runsFor(HEAD).map((r) => r.conclusion)).toEqual(['failure', 'failure']);
    expect(app.outcomes.map((o) => o.status)).toEqual(['reviewed', 'already-checked', 'reviewed']);
    expect(gh.reviews).toHaveLength(1);
  });

  it('an annotation PATCH whose answer is lost is not sent again: no duplicate annotations', async () => {
    const { gh, app } = setup();
    gh.fail('PATCH', CHECK_PATCH, { applyThen: 502 }, 1, (b) => ((b as { output?: { annotations?: unknown[] } }).output?.annotations ?? []).length > 0);
    await receive(app);
    const run = gh.runsFor(HEAD).at(-1)!;
    expect(run).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(run.annotations).toHaveLength(1);
    expect(
      gh.requests('PATCH', CHECK_PATCH).filter((r) => ((r.body as { output?: { annotations?: unknown[] } }).output?.annotations ?? []).length > 0),
    ).toHaveLength(1);
  });

  it('an annotation PATCH that failed without landing is sent again once: the annotations arrive once', async () => {
    const { gh, app } = setup();
    gh.fail('PATCH', CHECK_PATCH, { status: 502 }, 1, (b) => ((b as { output?: { annotations?: unknown[] } }).output?.annotations ?? []).length > 0);
    await receive(app);
    const run = gh.runsFor(HEAD).at(-1)!;
    expect(run).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(run.annotations).toHaveLength(1);
  });
});

describe('garden sweep faults: each write is its own step, creates are never blindly repeated', () => {
  const SLUGS = ['a', 'bb', 'ccc', 'dddd'];
  const ISSUES = /\/issues$/;
  const LABELS = /\/labels$/;

  function gardenFake(): GardenFake {
    const g = new GardenFake();
    g.files.set('.github/pattern-gardener.yml', 'garden:\n  maxNewIssuesPerSweep: 10\n');
    for (const s of SLUGS)
      g.files.set(`patterns/${s}.md`, pattern({ slug: s, vitality: 1.2, links: ['hub'], lastPruned: '2026-02-01', contributors: ['ada-l'] }));
    g.files.set('patterns/hub.md', pattern({ slug: 'hub', links: SLUGS }));
    g.install();
    return g;
  }

  const sweep = (pacing: PacingOptions = {}) =>
    runRemoteSweep({
      octokit: pacedRequest(asOctokitLike(new ProdLikeOctokit({ auth: 'ghs_garden' })), new Pacer({ spacingMs: 0, sleep: async () => {}, ...pacing })),
      owner: OWNER,
      repo: REPO,
      today: requireDate('2026-11-21'),
      historyCap: 0,
    });

  const replant = (g: GardenFake) => g.issues.filter((i) => i.title.startsWith('Replant:'));
  const openReplant = (g: GardenFake) =>
    replant(g)
      .filter((i) => i.state === 'open')
      .map((i) => i.title)
      .sort();
  const openDashboards = (g: GardenFake) => g.open().filter((i) => i.body.includes(DASHBOARD_MARKER));
  const duplicateComments = (g: GardenFake, issue: number) => g.comments.filter((c) => c.issue === issue && /Duplicate of #\d+/.test(c.body));

  it('a dropped label write (every attempt reset) does not stop the issues or the dashboard', async () => {
    const g = gardenFake();
    g.fail('POST', LABELS, { network: 'ECONNRESET' }, 1000);
    const res = await sweep();
    expect(openReplant(g)).toEqual(SLUGS.map((s) => `Replant: ${s}`));
    expect(openDashboards(g)).toHaveLength(1);
    expect(res.sync.dashboard).toBe('created');
    const failed = res.sync.failed.map((f) => f.what);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((w) => w.startsWith('create label '))).toBe(true);
    // Each label write was retried (3 retries) on its own; the other writes were not.
    expect(g.count('POST', LABELS)).toBe(4 * failed.length);
    expect(openDashboards(g)[0]!.body).toContain(`${failed.length} GitHub write(s) failed`);
  });

  it('a create whose response was lost (applied, then 502) is looked up by its marker, not sent again', async () => {
    const g = gardenFake();
    g.fail('POST', ISSUES, { applyThen: 502 });
    const res = await sweep();
    expect(res.sync.failed).toEqual([]);
    expect(replant(g)).toHaveLength(SLUGS.length);
    expect(openReplant(g)).toEqual(SLUGS.map((s) => `Replant: ${s}`));
    expect(g.count('POST', ISSUES)).toBe(SLUGS.length + 1); // four replant issues and the dashboard, each sent once
    expect(res.sync.operations.filter((o) => o.op === 'create').every((o) => typeof o.number === 'number')).toBe(true);
  });

  it('a create that GitHub did not apply (502) is looked up, then sent again: one issue', async () => {
    const g = gardenFake();
    g.fail('POST', ISSUES, { status: 502 });
    const res = await sweep();
    expect(res.sync.failed).toEqual([]);
    expect(replant(g)).toHaveLength(SLUGS.length);
    expect(g.count('POST', ISSUES)).toBe(SLUGS.length + 2);
  });

  it('two sweeps interleaved (both read before either writes) converge: one issue per pattern, one dashboard, one "Duplicate of" per duplicate', async () => {
    const g = gardenFake();
    g.barrier('GET', ISSUES, 2, (q) => q.get('labels') === 'replant');
    const [r1, r2] = await Promise.all([sweep(), sweep()]);
    expect(replant(g).length).toBe(2 * SLUGS.length); // the race did happen
    expect(openReplant(g)).toEqual(SLUGS.map((s) => `Replant: ${s}`));
    expect(openDashboards(g)).toHaveLength(1);
    expect(r1.sync.duplicatesClosed + r2.sync.duplicatesClosed).toBeGreaterThanOrEqual(SLUGS.length);
    for (const closed of replant(g).filter((i) => i.state === 'closed')) expect(duplicateComments(g, closed.number)).toHaveLength(1);
    for (const kept of replant(g).filter((i) => i.state === 'open')) expect(duplicateComments(g, kept.number)).toHaveLength(0);
    const third = await sweep();
    expect(third.sync.operations).toEqual([]);
    expect(replant(g)).toHaveLength(2 * SLUGS.length);
  });

  it('two sweeps closing the same duplicate at once leave one "Duplicate of" comment', async () => {
    const g = gardenFake();
    for (const s of SLUGS) g.addIssue({ title: `Replant: ${s}`, body: `<!-- pattern-gardener:replant slug=${s} -->\nold`, labels: [{ name: 'replant' }] });
    const twin = g.addIssue({ title: 'Replant: a', body: '<!-- pattern-gardener:replant slug=a -->\nold', labels: [{ name: 'replant' }] });
    // Both sweeps look for the comment before either posts it.
    g.barrier('GET', new RegExp(`/issues/${twin.number}/comments$`), 2);
    await Promise.all([sweep(), sweep()]);
    expect(twin.state).toBe('closed');
    expect(g.comments.filter((c) => c.issue === twin.number && c.body.includes('Duplicate of #1'))).toHaveLength(1);
    expect(g.writes.filter((w) => w.startsWith('delete comment') && w.endsWith(` on #${twin.number}`))).toHaveLength(1); // both posted; one copy went
    expect(openReplant(g)).toEqual(SLUGS.map((s) => `Replant: ${s}`));
  });

  it('a stall past the timeout fails that attempt (the read is retried) and the sweep completes', async () => {
    const g = gardenFake();
    g.fail('GET', ISSUES, { stallMs: 60_000 });
    g.fail('PATCH', /\/issues\/\d+$/, { stallMs: 60_000 });
    // Far below the stall and far above an answer of the in-process GitHub, even on a loaded machine.
    const res = await sweep({ timeoutMs: 1_000 });
    expect(res.sync.failed).toEqual([]);
    expect(openReplant(g)).toEqual(SLUGS.map((s) => `Replant: ${s}`));
    expect(g.count('GET', ISSUES)).toBeGreaterThanOrEqual(2);
  });

  it('a request that never answers is abandoned at the timeout, as a transient failure', async () => {
    let calls = 0;
    const hung: OctokitLike = {
      request: (_route, params) =>
        new Promise((_resolve, reject) => {
          calls++;
          const signal = (params?.request as { signal?: AbortSignal } | undefined)?.signal!;
          signal.addEventListener('abort', () => reject(Object.assign(new Error('This operation was aborted'), { name: 'AbortError' })));
        }),
    };
    const req = pacedRequest(hung, new Pacer({ timeoutMs: 20, retries: 2, sleep: async () => {} }));
    const err = await req.request('GET /repos/{owner}/{repo}/issues', {}).catch((e: unknown) => e);
    expect(isTransient(err)).toBe(true);
    expect(calls).toBe(3); // first attempt + 2 retries, each abandoned
    // A create that never answers is not repeated by the request layer (the sync looks it up first).
    calls = 0;
    await req.request('POST /repos/{owner}/{repo}/issues', {}).catch(() => {});
    expect(calls).toBe(1);
  });

  it('past the sweep deadline nothing more is sent: the rest fails fast and is left for the next sweep', async () => {
    const g = gardenFake();
    let t = 0;
    g.onRequest = (r) => {
      if (r.endsWith('/labels') || r.endsWith('/issues')) t += r.startsWith('POST') ? 30_000 : 0;
    };
    const res = await sweep({ deadlineMs: 100_000, now: () => t });
    const sent = g.requests.length;
    expect(res.sync.failed.length).toBeGreaterThan(0);
    expect(res.sync.failed.some((f) => /deadline/.test(f.error))).toBe(true);
    expect(res.sync.dashboard).toBe('skipped');
    // Writes stopped once the clock passed the deadline: 4 writes of 30 s fit in 100 s.
    expect(g.requests.filter((r) => r.startsWith('POST'))).toHaveLength(4);
    expect(g.requests.length).toBe(sent);
    expect(new SweepDeadlineError('x')).toBeInstanceOf(Error);
  });

  describe('in the app', () => {
    async function gardenProbot(retryDelaysMs: number[] = [], onSweep?: (r: SweepReport) => void): Promise<{ probot: Probot; sink: LogSink }> {
      const sink = new LogSink();
      const probot = new Probot({ appId: 1, privateKey: testKey(), Octokit: ProdLikeOctokit, log: pino({ level: 'info' }, sink) });
      void probot.load(
        createApp({ today: () => ({ year: 2026, month: 11, day: 21 }), garden: { pacing: { spacingMs: 0, sleep: async () => {} }, retryDelaysMs, onSweep } }),
      );
      nock(API)
        .persist()
        .post('/app/installations/4242/access_tokens')
        .reply(201, { token: 'ghs_garden', expires_at: '2099-01-01T00:00:00Z', permissions: { issues: 'write' }, repository_selection: 'all' });
      return { probot, sink };
    }
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

    it('a dropped label write: the delivery succeeds (no 500), 4 issues and the dashboard exist, the failure is logged', async () => {
      const { probot, sink } = await gardenProbot();
      const g = gardenFake();
      g.fail('POST', LABELS, { network: 'ECONNRESET' }, 1000);
      await expect(dispatch(probot, 'labels-dropped')).resolves.toBeUndefined();
      expect(openReplant(g)).toHaveLength(4);
      expect(openDashboards(g)).toHaveLength(1);
      expect(sink.text).toContain('was incomplete');
    });

    it('a sweep that failed whole (tarball 500 on every attempt) is tried again later and then completes', async () => {
      const { probot, sink } = await gardenProbot([10]);
      const g = gardenFake();
      g.fail('GET', /\/tarball\//, { status: 500 }, 4); // the first sweep's attempt and its 3 retries
      await expect(dispatch(probot, 'tarball-down')).resolves.toBeUndefined();
      expect(replant(g)).toHaveLength(0);
      expect(sink.text).toContain('trying again in');
      await vi.waitFor(() => expect(openReplant(g)).toHaveLength(4), { timeout: 10_000, interval: 20 });
      await vi.waitFor(() => expect(openDashboards(g)).toHaveLength(1), { timeout: 10_000, interval: 20 });
      expect(g.count('GET', /\/tarball\//)).toBe(5);
    });

    it('a sweep skipped while the retry runs leaves the retry count alone: one retry, then none', async () => {
      const reports: SweepReport[] = [];
      const { probot } = await gardenProbot([10], (r) => reports.push(r));
      const g = gardenFake();
      g.fail('GET', /\/tarball\//, { status: 500 }, 4); // the first sweep fails whole
      g.fail('GET', /\/tarball\//, { stallMs: 200 }, 1); // the retry is slow to start: a trigger arrives meanwhile
      g.fail('POST', LABELS, { network: 'ECONNRESET' }, 1000); // and the retry is left incomplete
      g.onRequest = (r) => {
        if (r.includes('/tarball/') && g.count('GET', /\/tarball\//) === 5) void dispatch(probot, 'during-retry');
      };
      // The sweep of the test before may still be finishing (one sweep per repository per process).
      for (let i = 0; reports.length === 0 || reports[0]!.outcome === 'skipped'; i++) {
        if (i === 50) throw new Error(`every sweep skipped: ${JSON.stringify(reports)}`);
        reports.length = 0;
        await dispatch(probot, `first-${i}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      await vi.waitFor(() => expect(reports.map((r) => r.outcome)).toEqual(['failed', 'skipped', 'incomplete']), { timeout: 10_000, interval: 20 });
      expect(reports.map((r) => r.retryInMs)).toEqual([10, undefined, undefined]);
      await new Promise((r) => setTimeout(r, 100));
      expect(g.count('GET', /\/tarball\//)).toBe(5);
    });
  });
});

describe('scheduled sweeps read every page', () => {
  it('installations and repositories over several pages; one failing installation does not stop the others', async () => {
    const swept: string[] = [];
    const warnings: string[] = [];
    const installs = [1, 2, 3, 4, 5].map((id) => ({ id }));
    const reposOf = (id: number) => [1, 2, 3].map((n) => ({ full_name: `org${id}/repo${n}` }));
    const page = <T>(list: T[], p: Record<string, unknown>) => list.slice((Number(p.page) - 1) * Number(p.per_page), Number(p.page) * Number(p.per_page));
    const app = {
      log: { warn: (m: string) => void warnings.push(m) },
      auth: async (id?: number) => {
        if (id === 4) throw new Error('installation suspended');
        return {
          request: async (route: string, p: Record<string, unknown> = {}) =>
            route === 'GET /app/installations' ? { data: page(installs, p) } : { data: { total_count: 3, repositories: page(reposOf(id!), p) } },
        };
      },
    };
    await sweepAllInstallations(app, async (_o, owner, repo) => void swept.push(`${owner}/${repo}`), 2);
    expect(swept).toHaveLength(12);
    expect(swept).toContain('org5/repo3');
    expect(swept.some((s) => s.startsWith('org4/'))).toBe(false);
    expect(warnings.join('\n')).toContain('installation 4');
  });
});
