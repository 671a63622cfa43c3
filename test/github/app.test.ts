import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applyEdits } from '../../src/core/fixes.js';
import { fingerprint } from '../../src/core/finding.js';
import { findingMarker } from '../../src/github/markers.js';
import { applySuggestion } from '../../src/github/suggestion.js';
import { clearSnapshotCache } from '../../src/github/snapshot.js';
import { checkSuiteRerequestedPayload, FakeGitHub, loadFixture, pullRequestPayload, type Tree } from '../doubles/fake-github.js';
import { makePattern } from '../doubles/patterns.js';
import { assertNoPending, makeProbot } from './helpers.js';

const fixture = loadFixture('pull_request.opened.json');
const BASE = 'b'.repeat(40);
const HEAD = 'a'.repeat(40);

function baseTree(): Tree {
  return new Map([
    ['patterns/alpha.md', makePattern({ slug: 'alpha' })],
    ['patterns/beta.md', makePattern({ slug: 'beta' })],
    ['patterns/gamma.md', makePattern({ slug: 'gamma' })],
    ['README.md', '# Patterns\n'],
  ]);
}

beforeAll(() => {
  nock.disableNetConnect();
});
beforeEach(() => {
  clearSnapshotCache();
});
afterEach(() => {
  assertNoPending();
});

describe('pull request review', () => {
  it('reviews a new clean pattern file: green check, no review', async () => {
    const gh = new FakeGitHub();
    const base = baseTree();
    const head = new Map(base);
    head.set('patterns/delta.md', makePattern({ slug: 'delta', relationships: { complementary: ['alpha'] } }));
    gh.mockEvent({ number: 7, headSha: HEAD, baseSha: BASE, base, head });
    const { probot, outcomes } = makeProbot();
    await probot.receive({ id: '1', name: 'pull_request', payload: pullRequestPayload(fixture, { number: 7, headSha: HEAD, baseSha: BASE }) as never });
    expect(outcomes[0]).toMatchObject({ status: 'reviewed', conclusion: 'success', findings: 0 });
    expect(gh.checkRunCreates[0]).toMatchObject({ name: 'Pattern Gardener', head_sha: HEAD, status: 'in_progress' });
    expect(gh.checkRunPatches.at(-1)).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect(gh.reviews).toHaveLength(0);
  });

  it('a dangling link suppressed inline: green check, no review, the summary counts it', async () => {
    const gh = new FakeGitHub();
    const base = baseTree();
    const head = new Map(base);
    const text = makePattern({ slug: 'alpha', relationships: { complementary: ['gama'] } }).replace(
      '    - slug: gama',
      '    - slug: gama # gardener-ignore links/unknown-target: gama is merged next week',
    );
    expect(text).toContain('gardener-ignore');
    head.set('patterns/alpha.md', text);
    gh.mockEvent({ number: 7, headSha: HEAD, baseSha: BASE, base, head });
    const { probot, outcomes } = makeProbot();
    await probot.receive({ id: 's', name: 'pull_request', payload: pullRequestPayload(fixture, { number: 7, headSha: HEAD, baseSha: BASE }) as never });
    expect(outcomes[0]).toMatchObject({ status: 'reviewed', conclusion: 'success', findings: 0 });
    const done = gh.checkRunPatches.at(-1) as { conclusion: string; output: { summary: string } };
    expect(done.conclusion).toBe('success');
    expect(done.output.summary).toContain('1 finding suppressed inline');
    expect(gh.reviews).toHaveLength(0);
  });

  it('comments a dangling link with a suggestion that equals the core fix', async () => {
    const gh = new FakeGitHub();
    const base = baseTree();
    const head = new Map(base);
    head.set('patterns/alpha.md', makePattern({ slug: 'alpha', relationships: { complementary: ['gama'] } }));
    gh.mockEvent({ number: 7, headSha: HEAD, baseSha: BASE, base, head, expectReview: true });
    const { probot, outcomes } = makeProbot();
    await probot.receive({ id: '2', name: 'pull_request', payload: pullRequestPayload(fixture, { number: 7, headSha: HEAD, baseSha: BASE }) as never });
    expect(outcomes[0]).toMatchObject({ status: 'reviewed', conclusion: 'failure', comments: 1 });
    const review = gh.reviews[0] as {
      commit_id: string;
      event: string;
      body: string;
      comments: { path: string; line: number; start_line?: number; side: string; body: string }[];
    };
    expect(review.event).toBe('COMMENT');
    expect(review.commit_id).toBe(HEAD);
    expect(review.body).toContain(`<!-- pattern-gardener:review sha=${HEAD} -->`);
    const c = review.comments[0]!;
    expect(c.path).toBe('patterns/alpha.md');
    expect(c.side).toBe('RIGHT');
    const fp = fingerprint({ rule: 'links/unknown-target', file: 'patterns/alpha.md', target: 'relationships:complementary:gama' });
    expect(c.body).toContain(findingMarker(fp));
    const m = /```suggestion\n([\s\S]*?)```/.exec(c.body);
    expect(m).not.toBeNull();
    const replacement = m![1]!;
    expect(replacement).toBe('    - slug: gamma\n');
    const text = head.get('patterns/alpha.md')!;
    const line = text.split('\n').indexOf('    - slug: gama') + 1;
    expect(c.line).toBe(line);
    const viaGithub = applySuggestion(text, { startLine: c.start_line, line: c.line, replacement });
    const viaCore = applyEdits(text, [{ line, endLine: line, text: '    - slug: gamma\n' }]);
    expect(viaGithub).toBe(viaCore);
    const done = gh.checkRunPatches.at(-1) as { conclusion: string; output: { annotations: { path: string; start_line: number; annotation_level: string }[] } };
    expect(done.conclusion).toBe('failure');
    expect(done.output.annotations).toContainEqual(expect.objectContaining({ path: 'patterns/alpha.md', start_line: line, annotation_level: 'failure' }));
  });

  it('sends a reciprocal finding outside the diff to annotations and a summary patch', async () => {
    const gh = new FakeGitHub();
    const base = baseTree();
    base.set('patterns/beta.md', makePattern({ slug: 'beta', relationships: { requires: ['gamma'] } }));
    base.set('patterns/gamma.md', makePattern({ slug: 'gamma', relationships: { enables: ['beta'] } }));
    const head = new Map(base);
    head.set('patterns/alpha.md', makePattern({ slug: 'alpha', relationships: { enables: ['beta'] } }));
    // alpha and gamma both enable beta: the link engine would also propose alpha → gamma (test/links-pr covers that).
    gh.mockEvent({ number: 7, headSha: HEAD, baseSha: BASE, base, head, config: 'links:\n  propose: false\n' });
    const { probot, outcomes } = makeProbot();
    await probot.receive({ id: '3', name: 'pull_request', payload: pullRequestPayload(fixture, { number: 7, headSha: HEAD, baseSha: BASE }) as never });
    expect(outcomes[0]).toMatchObject({ status: 'reviewed', conclusion: 'neutral', findings: 1, comments: 0 });
    expect(gh.reviews).toHaveLength(0);
    const done = gh.checkRunPatches.at(-1) as { output: { summary: string; annotations: { path: string; title: string }[] } };
    expect(done.output.annotations).toEqual([expect.objectContaining({ path: 'patterns/beta.md', title: 'links/reciprocal' })]);
    expect(done.output.summary).toContain('(outside the diff)');
    expect(done.output.summary).toMatch(/```diff\n--- a\/patterns\/beta.md\n\+\+\+ b\/patterns\/beta.md\n@@[^\n]*\n[\s\S]*\+ {4}- slug: alpha/);
  });

  it('re-run with nothing changed: no new comments, no new review, snapshot from cache', async () => {
    const base = baseTree();
    const head = new Map(base);
    head.set('patterns/alpha.md', makePattern({ slug: 'alpha', relationships: { complementary: ['gama'] } }));
    const payload = pullRequestPayload(fixture, { number: 7, headSha: HEAD, baseSha: BASE });
    const gh = new FakeGitHub();
    gh.mockEvent({ number: 7, headSha: HEAD, baseSha: BASE, base, head, expectReview: true });
    const { probot, outcomes } = makeProbot();
    await probot.receive({ id: '4', name: 'pull_request', payload: payload as never });
    assertNoPending();
    const posted = (gh.reviews[0] as { comments: { body: string }[] }).comments;
    const gh2 = new FakeGitHub();
    gh2.mockEvent({
      number: 7,
      headSha: HEAD,
      baseSha: BASE,
      base,
      head,
      headTarball: false,
      threads: posted.map((c, i) => ({ id: `T${i}`, comments: [{ body: c.body }] })),
      reviewedShas: [HEAD],
    });
    await probot.receive({ id: '5', name: 'pull_request', payload: { ...payload, action: 'reopened' } as never });
    expect(outcomes[1]).toMatchObject({ status: 'reviewed', comments: 0, resolved: 0, snapshot: { cacheHit: true } });
    expect(gh2.reviews).toHaveLength(0);
    expect(gh2.log.some((r) => r.path.includes('/tarball/'))).toBe(false);
  });

  it('re-run after the author accepted the suggestion resolves the old thread', async () => {
    const base = baseTree();
    const head = new Map(base);
    head.set('patterns/alpha.md', makePattern({ slug: 'alpha', relationships: { complementary: ['gamma'] } }));
    const HEAD2 = 'c'.repeat(40);
    const fp = fingerprint({ rule: 'links/unknown-target', file: 'patterns/alpha.md', target: 'relationships:complementary:gama' });
    const gh = new FakeGitHub();
    gh.mockEvent({
      number: 7,
      headSha: HEAD2,
      baseSha: BASE,
      base,
      head,
      expectResolve: true,
      threads: [
        { id: 'PRRT_stale', comments: [{ body: `🛑 dangling\n\n${findingMarker(fp)}` }, { body: 'thanks!', bot: false }] },
        { id: 'PRRT_human', comments: [{ body: `a human comment ${findingMarker('0123456789abcdef')}`, bot: false }] },
      ],
      reviewedShas: [HEAD],
    });
    const { probot, outcomes } = makeProbot();
    await probot.receive({
      id: '6',
      name: 'pull_request',
      payload: pullRequestPayload(fixture, { number: 7, headSha: HEAD2, baseSha: BASE, action: 'synchronize' }) as never,
    });
    expect(outcomes[0]).toMatchObject({ status: 'reviewed', conclusion: 'success', resolved: 1 });
    expect(gh.resolvedThreads).toEqual(['PRRT_stale']);
    expect(gh.reviews).toHaveLength(0);
  });

  it('a broken config gives a failing check run that explains each error', async () => {
    const gh = new FakeGitHub();
    gh.mockEvent({
      number: 7,
      headSha: HEAD,
      baseSha: BASE,
      base: baseTree(),
      head: baseTree(),
      config: 'review:\n  maxComments: lots\nrules: 3\n',
      configErrorOnly: true,
    });
    const { probot, outcomes } = makeProbot();
    await probot.receive({ id: '7', name: 'pull_request', payload: pullRequestPayload(fixture, { number: 7, headSha: HEAD, baseSha: BASE }) as never });
    expect(outcomes[0]).toMatchObject({ status: 'config-error' });
    const run = gh.checkRunPatches.at(-1) as { status: string; conclusion: string; output: { title: string; summary: string } };
    expect(run).toMatchObject({ status: 'completed', conclusion: 'failure', output: { title: 'Invalid .github/pattern-gardener.yml' } });
    expect(run.output.summary).toContain('`review.maxComments`');
    expect(run.output.summary).toContain('`rules`');
  });

  it('a YAML syntax error in the config is explained, not thrown', async () => {
    const gh = new FakeGitHub();
    gh.mockEvent({ number: 7, headSha: HEAD, baseSha: BASE, base: baseTree(), head: baseTree(), config: 'review: [unclosed\n', configErrorOnly: true });
    const { probot, outcomes } = makeProbot();
    await probot.receive({ id: '8', name: 'pull_request', payload: pullRequestPayload(fixture, { number: 7, headSha: HEAD, baseSha: BASE }) as never });
    expect(outcomes[0]).toMatchObject({ status: 'config-error' });
    expect((gh.checkRunPatches.at(-1) as { conclusion: string }).conclusion).toBe('failure');
  });

  it('reviews a fork PR through the base repository with the head SHA', async () => {
    const gh = new FakeGitHub();
    const base = baseTree();
    const head = new Map(base);
    head.set('patterns/alpha.md', makePattern({ slug: 'alpha', relationships: { complementary: ['gama'] } }));
    gh.mockEvent({ number: 7, headSha: HEAD, baseSha: BASE, base, head, expectReview: true });
    const { probot, outcomes } = makeProbot();
    await probot.receive({
      id: '9',
      name: 'pull_request',
      payload: pullRequestPayload(fixture, { number: 7, headSha: HEAD, baseSha: BASE, fork: true }) as never,
    });
    expect(outcomes[0]).toMatchObject({ status: 'reviewed', comments: 1 });
    for (const r of gh.log) expect(r.path).not.toContain('/repos/contributor/');
    expect(gh.log.some((r) => r.path === `/repos/commons-garden/patterns/tarball/${HEAD}`)).toBe(true);
  });

  it('a deleted pattern still linked elsewhere gives a finding on the linking file', async () => {
    const gh = new FakeGitHub();
    const base = baseTree();
    base.set('patterns/alpha.md', makePattern({ slug: 'alpha', relationships: { complementary: ['gamma'] } }));
    const head = new Map(base);
    head.delete('patterns/gamma.md');
    gh.mockEvent({ number: 7, headSha: HEAD, baseSha: BASE, base, head });
    const { probot, outcomes } = makeProbot();
    await probot.receive({ id: '10', name: 'pull_request', payload: pullRequestPayload(fixture, { number: 7, headSha: HEAD, baseSha: BASE }) as never });
    // the base side (the deleted file's slug) comes from its patch: no base tarball request
    expect(outcomes[0]).toMatchObject({ status: 'reviewed', conclusion: 'failure', findings: 1, comments: 0, base: 'diff' });
    const done = gh.checkRunPatches.at(-1) as { output: { summary: string; annotations: { path: string; title: string }[] } };
    expect(done.output.annotations).toEqual([expect.objectContaining({ path: 'patterns/alpha.md', title: 'links/unknown-target' })]);
    expect(done.output.summary).toContain('patterns/alpha.md');
  });

  it('a renamed pattern whose old slug is still linked gives a finding on the linking file', async () => {
    const gh = new FakeGitHub();
    const base = baseTree();
    base.set('patterns/alpha.md', makePattern({ slug: 'alpha', relationships: { complementary: ['gamma'] } }));
    const head = new Map(base);
    head.delete('patterns/gamma.md');
    head.set('patterns/gamma-commons.md', makePattern({ slug: 'gamma-commons' }));
    gh.mockEvent({ number: 7, headSha: HEAD, baseSha: BASE, base, head, renames: { 'patterns/gamma-commons.md': 'patterns/gamma.md' } });
    const { probot, outcomes } = makeProbot();
    await probot.receive({ id: '11', name: 'pull_request', payload: pullRequestPayload(fixture, { number: 7, headSha: HEAD, baseSha: BASE }) as never });
    expect(outcomes[0]).toMatchObject({ status: 'reviewed', findings: 1 });
    const done = gh.checkRunPatches.at(-1) as { output: { annotations: { path: string; title: string }[] } };
    expect(done.output.annotations[0]).toMatchObject({ path: 'patterns/alpha.md', title: 'links/unknown-target' });
  });

  it('ends quietly when the head moved during the run (force-push)', async () => {
    const gh = new FakeGitHub();
    const base = baseTree();
    const head = new Map(base);
    head.set('patterns/alpha.md', makePattern({ slug: 'alpha', relationships: { complementary: ['gama'] } }));
    gh.mockEvent({ number: 7, headSha: HEAD, baseSha: BASE, base, head, currentHead: 'd'.repeat(40) });
    const { probot, outcomes } = makeProbot();
    await probot.receive({
      id: '12',
      name: 'pull_request',
      payload: pullRequestPayload(fixture, { number: 7, headSha: HEAD, baseSha: BASE, action: 'synchronize' }) as never,
    });
    expect(outcomes[0]).toMatchObject({ status: 'superseded' });
    expect(gh.reviews).toHaveLength(0);
  });

  it('ends quietly when the head commit is gone (tarball 404)', async () => {
    const gh = new FakeGitHub();
    gh.mockToken();
    gh.mockCheckRunList();
    gh.mockConfig(null);
    gh.mockCheckRunCreate();
    gh.mockFiles(7, []);
    nock('https://api.github.com').get(`/repos/commons-garden/patterns/tarball/${HEAD}`).reply(404, { message: 'Not Found' });
    const { probot, outcomes } = makeProbot();
    await probot.receive({
      id: '13',
      name: 'pull_request',
      payload: pullRequestPayload(fixture, { number: 7, headSha: HEAD, baseSha: BASE, action: 'synchronize' }) as never,
    });
    expect(outcomes[0]).toMatchObject({ status: 'superseded' });
  });

  it('skips draft PRs when review.drafts is false, reviews them otherwise', async () => {
    const gh = new FakeGitHub();
    gh.mockToken();
    gh.mockCheckRunList();
    gh.mockConfig('review:\n  drafts: false\n');
    const { probot, outcomes } = makeProbot();
    await probot.receive({
      id: '14',
      name: 'pull_request',
      payload: pullRequestPayload(fixture, { number: 7, headSha: HEAD, baseSha: BASE, draft: true }) as never,
    });
    expect(outcomes[0]).toMatchObject({ status: 'skipped-draft' });
  });

  it('check_suite rerequested without listed pull requests (a fork PR) searches every page of open pull requests', async () => {
    const gh = new FakeGitHub();
    const base = baseTree();
    const head = new Map(base);
    head.set('patterns/delta.md', makePattern({ slug: 'delta' }));
    const pr = (pullRequestPayload(fixture, { number: 7, headSha: HEAD, baseSha: BASE }) as { pull_request: Record<string, any> }).pull_request;
    const other = (n: number) => ({ ...pr, number: 1000 + n, head: { ...pr.head, sha: n.toString(16).padStart(40, '0') } });
    nock('https://api.github.com')
      .get('/repos/commons-garden/patterns/pulls')
      .query((q) => q.page === '1')
      .reply(
        200,
        Array.from({ length: 100 }, (_, i) => other(i)),
      );
    nock('https://api.github.com')
      .get('/repos/commons-garden/patterns/pulls')
      .query((q) => q.page === '2')
      .reply(200, [other(100), pr]);
    gh.mockEvent({ number: 7, headSha: HEAD, baseSha: BASE, base, head });
    const { probot, outcomes } = makeProbot();
    await probot.receive({ id: '16', name: 'check_suite', payload: checkSuiteRerequestedPayload(fixture, HEAD) as never });
    expect(outcomes).toEqual([expect.objectContaining({ status: 'reviewed', conclusion: 'success' })]);
  });

  it('check_run rerequested re-reviews the pull request of the run', async () => {
    const gh = new FakeGitHub();
    const base = baseTree();
    const head = new Map(base);
    head.set('patterns/delta.md', makePattern({ slug: 'delta' }));
    const pr = (pullRequestPayload(fixture, { number: 7, headSha: HEAD, baseSha: BASE }) as { pull_request: unknown }).pull_request;
    gh.mockEvent({ number: 7, headSha: HEAD, baseSha: BASE, base, head, getPull: pr as Record<string, unknown> });
    const { probot, outcomes } = makeProbot();
    const f = fixture as { repository: unknown; installation: unknown; sender: unknown };
    const payload = {
      action: 'rerequested',
      check_run: {
        id: 9001,
        name: 'Pattern Gardener',
        head_sha: HEAD,
        status: 'completed',
        conclusion: 'failure',
        pull_requests: [{ number: 7, head: { sha: HEAD }, base: { sha: BASE } }],
        app: { id: 1 },
      },
      repository: f.repository,
      installation: f.installation,
      sender: f.sender,
    };
    await probot.receive({ id: '15', name: 'check_run', payload: payload as never });
    expect(outcomes[0]).toMatchObject({ status: 'reviewed', conclusion: 'success' });
  });
});
