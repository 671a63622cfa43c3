import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { requireDate } from '../../src/core/dates.js';
import { DASHBOARD_MARKER } from '../../src/garden/dashboard.js';
import { SNOOZED_LABEL, replantMarker } from '../../src/garden/issue.js';
import { Pacer, pacedRequest, type OctokitLike } from '../../src/garden/octokit.js';
import { runRemoteSweep } from '../../src/garden/remote.js';
import { API, FakeGitHub, OWNER, REPO, SHA } from './fake-github.js';
import { pattern } from './helpers.js';

const today = requireDate('2026-11-21');

function garden(fake: FakeGitHub, extractive: string[], healthy: string[] = ['hub'], cap = 10) {
  fake.files.set('.github/pattern-gardener.yml', `garden:\n  maxNewIssuesPerSweep: ${cap}\n`);
  for (const s of extractive)
    fake.files.set(
      `patterns/${s}.md`,
      pattern({ slug: s, vitality: 1.2, links: ['hub'], lastPruned: `2026-0${1 + (s.length % 8)}-01`, contributors: ['ada-l'] }),
    );
  for (const s of healthy) fake.files.set(`patterns/${s}.md`, pattern({ slug: s, links: extractive.length ? extractive : [] }));
}

const sweep = (fake: FakeGitHub, extra: Partial<Parameters<typeof runRemoteSweep>[0]> = {}) =>
  runRemoteSweep({ octokit: fake.octokit(), owner: OWNER, repo: REPO, today, historyCap: 0, ...extra });

beforeEach(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('issue sync', () => {
  it('first sweep opens at most the cap, oldest evidence first; the rest wait on the dashboard', async () => {
    const fake = new FakeGitHub();
    garden(fake, ['a', 'bb', 'ccc', 'dddd', 'eeeee'], ['hub'], 3);
    fake.install();
    const res = await sweep(fake);
    expect(res.garden.report.candidates).toHaveLength(5);
    const creates = res.sync.operations.filter((o) => o.op === 'create');
    expect(creates.map((o) => o.slug)).toEqual(['a', 'bb', 'ccc']); // last_pruned 2026-02, -03, -04 first
    const replant = fake.issues.filter((i) => i.title.startsWith('Replant:'));
    expect(replant).toHaveLength(3);
    const body = replant[0]!.body;
    expect(body).toContain(replantMarker('a'));
    expect(body).toContain(`https://github.com/${OWNER}/${REPO}/blob/${SHA}/patterns/a.md#L`);
    expect(body).toContain('Signs of Life');
    expect(body).toContain('@ada-l');
    expect(replant[0]!.labels.map((l) => l.name)).toEqual(['replant', 'replant/extractive']);
    expect(fake.labels).toEqual(expect.arrayContaining(['replant', 'replant/extractive', 'garden-health']));
    const dash = fake.issues.find((i) => i.body.includes(DASHBOARD_MARKER))!;
    expect(dash.title).toBe('Garden health');
    expect(dash.body).toContain('Waiting for an issue** (2');
    expect(dash.body).toContain('`dddd`');
    expect(fake.writes).toContain('graphql'); // pinned
  });

  it('a second sweep with nothing changed makes zero write requests', async () => {
    const fake = new FakeGitHub();
    garden(fake, ['a', 'bb']);
    fake.install();
    await sweep(fake);
    nock.cleanAll();
    const base = `/repos/${OWNER}/${REPO}`;
    const snapshot = (label: string) => fake.issues.filter((i) => i.labels.some((l) => l.name === label));
    const scope = nock(API)
      .get(base)
      .reply(200, { default_branch: 'main' })
      .get(`${base}/tarball/main`)
      .reply(
        200,
        () => {
          const { writeTarball } = require_tar;
          return Buffer.from(
            writeTarball(
              [...fake.files].map(([path, content]) => ({ path, content })),
              'x-y-aaaaaaa',
              { comment: SHA },
            ),
          );
        },
        { 'content-type': 'application/x-gzip' },
      )
      .get(`${base}/issues`)
      .query((q) => q.labels === 'replant')
      .reply(200, snapshot('replant'))
      .get(`${base}/issues`)
      .query((q) => q.labels === 'garden-health')
      .reply(200, snapshot('garden-health'));
    const res = await sweep(fake);
    expect(res.sync.writes).toBe(0);
    expect(res.sync.operations).toEqual([]);
    expect(res.sync.dashboard).toBe('unchanged');
    expect(scope.isDone()).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('closes an issue with a comment when its signals clear', async () => {
    const fake = new FakeGitHub();
    garden(fake, ['a', 'bb']);
    fake.install();
    await sweep(fake);
    fake.files.set('patterns/a.md', pattern({ slug: 'a', vitality: 3.8, links: ['hub'] }));
    const res = await sweep(fake);
    expect(res.sync.operations).toEqual([expect.objectContaining({ op: 'close', slug: 'a' })]);
    const a = fake.issues.find((i) => i.body.includes(replantMarker('a')))!;
    expect(a.state).toBe('closed');
    expect(fake.comments.some((c) => c.issue === a.number && /cleared/.test(c.body))).toBe(true);
    expect(fake.issues.find((i) => i.body.includes(DASHBOARD_MARKER))!.body).toMatch(/cleared: `a`/);
  });

  it('an issue whose signals became a convention is closed saying so, not "cleared"; no new issue is opened', async () => {
    const fake = new FakeGitHub();
    // 24 patterns linking nowhere, without Section 8: orphan and hollow-vitality on every one.
    for (let i = 0; i < 24; i++) fake.files.set(`patterns/p${i}.md`, pattern({ slug: `p${i}`, section8: null }));
    fake.addIssue({ title: 'Replant: p0', body: `${replantMarker('p0')}\nold`, labels: [{ name: 'replant' }] });
    fake.install();
    const res = await sweep(fake);
    expect(res.garden.report.conventions).toEqual(['replant/orphan', 'replant/hollow-vitality']);
    expect(res.sync.operations).toEqual([expect.objectContaining({ op: 'close', slug: 'p0', reason: 'convention' })]);
    expect(fake.issues.filter((i) => i.title.startsWith('Replant:'))).toHaveLength(1);
    const comment = fake.comments.find((c) => c.issue === 1)!.body;
    expect(comment).toContain('now fires on most patterns');
    expect(comment).not.toContain('cleared');
    const dash = fake.issues.find((i) => i.body.includes(DASHBOARD_MARKER))!;
    expect(dash.body).toMatch(/`replant\/orphan` fires on 24 of 24 patterns/);
  });

  it('leaves snoozed and not-planned issues closed, reopens the others', async () => {
    const fake = new FakeGitHub();
    garden(fake, ['a', 'bb', 'ccc']);
    fake.addIssue({
      title: 'Replant: a',
      body: `${replantMarker('a')}\nold`,
      state: 'closed',
      state_reason: 'completed',
      labels: [{ name: 'replant' }, { name: SNOOZED_LABEL }],
      closed_at: '2026-11-01T00:00:00Z',
    });
    fake.addIssue({
      title: 'Replant: bb',
      body: `${replantMarker('bb')}\nold`,
      state: 'closed',
      state_reason: 'not_planned',
      labels: [{ name: 'replant' }],
      closed_at: '2026-10-01T00:00:00Z',
    });
    fake.addIssue({
      title: 'Replant: ccc',
      body: `${replantMarker('ccc')}\nold`,
      state: 'closed',
      state_reason: 'completed',
      labels: [{ name: 'replant' }],
      closed_at: '2026-10-01T00:00:00Z',
    });
    fake.install();
    const res = await sweep(fake);
    expect(res.sync.operations.map((o) => `${o.op} ${o.slug}`)).toEqual(['reopen ccc']);
    expect(res.sync.suppressed.join(' ')).toMatch(/a .*replant:snoozed/);
    expect(fake.issues.filter((i) => i.state === 'open' && i.title.startsWith('Replant')).map((i) => i.title)).toEqual(['Replant: ccc']);
    // A snooze older than snoozeDays no longer holds.
    const later = await sweep(fake, { today: requireDate('2027-03-01') });
    expect(later.sync.operations.map((o) => `${o.op} ${o.slug}`).sort()).toEqual(['reopen a', 'reopen bb']);
  });

  it('two sweeps at once converge to one issue per pattern', async () => {
    const fake = new FakeGitHub();
    garden(fake, ['a', 'bb', 'ccc']);
    fake.install();
    const [r1, r2] = await Promise.all([sweep(fake), sweep(fake)]);
    const open = fake.open().filter((i) => i.title.startsWith('Replant:'));
    expect(open.map((i) => i.title).sort()).toEqual(['Replant: a', 'Replant: bb', 'Replant: ccc']);
    expect(r1.sync.duplicatesClosed + r2.sync.duplicatesClosed).toBeGreaterThan(0);
    const closedDup = fake.issues.find((i) => i.state === 'closed' && i.title.startsWith('Replant:'))!;
    expect(fake.comments.find((c) => c.issue === closedDup.number)!.body).toMatch(/Duplicate of #\d+/);
    const third = await sweep(fake);
    expect(third.sync.operations.filter((o) => o.op === 'create')).toEqual([]);
  });

  it('updates the dashboard only when the garden changed', async () => {
    const fake = new FakeGitHub();
    garden(fake, ['a']);
    fake.install();
    const r1 = await sweep(fake);
    expect(r1.sync.dashboard).toBe('created');
    const dash = fake.issues.find((i) => i.body.includes(DASHBOARD_MARKER))!;
    const before = dash.body;
    const r2 = await sweep(fake, { today: requireDate('2026-11-28') });
    expect(r2.sync.dashboard).toBe('unchanged');
    expect(dash.body).toBe(before);
    fake.files.set('patterns/zz.md', pattern({ slug: 'zz', vitality: 0.5, links: ['hub'] }));
    const r3 = await sweep(fake, { today: requireDate('2026-11-28') });
    expect(r3.sync.dashboard).toBe('updated');
    expect(dash.body).toMatch(/Since the last sweep \(2026-11-21\):\*\* candidates 1 → 2; opened `zz` \(#\d+\)/);
  });

  it('--dry-run plans without writing', async () => {
    const fake = new FakeGitHub();
    garden(fake, ['a', 'bb']);
    fake.install();
    const res = await sweep(fake, { dryRun: true });
    expect(res.sync.operations.map((o) => o.op)).toEqual(['create', 'create']);
    expect(res.sync.dashboard).toBe('created');
    expect(fake.writes).toEqual([]);
  });

  it('a push only touches the changed patterns and those linking to them', async () => {
    const fake = new FakeGitHub();
    garden(fake, ['a', 'bb'], ['hub', 'other']);
    fake.install();
    fake.files.set('patterns/zed.md', pattern({ slug: 'zed', vitality: 1, links: ['other'] }));
    const res = await sweep(fake, { changedFiles: ['patterns/hub.md'] });
    // a and bb link to hub: in scope; zed links only to other: left for the next full sweep
    expect(res.garden.report.candidates.map((c) => c.slug).sort()).toEqual(['a', 'bb', 'zed']);
    expect(res.sync.operations.map((o) => o.slug).sort()).toEqual(['a', 'bb']);
    expect(res.sync.dashboard).toBe('skipped');
  });
});

describe('pacing', () => {
  it('honours Retry-After on 429 and spaces writes', async () => {
    const sleeps: number[] = [];
    let t = 0;
    const pacer = new Pacer({
      spacingMs: 1000,
      sleep: async (ms) => {
        sleeps.push(ms);
        t += ms;
      },
      now: () => t,
    });
    let calls = 0;
    const inner: OctokitLike = {
      request: vi.fn(async () => {
        calls++;
        if (calls === 1) throw Object.assign(new Error('rate'), { status: 429, response: { headers: { 'retry-after': '7' } } });
        return { status: 200, data: {}, headers: {} };
      }),
    };
    const req = pacedRequest(inner, pacer);
    await req.request('POST /repos/{owner}/{repo}/issues', {});
    await req.request('POST /repos/{owner}/{repo}/issues', {});
    expect(sleeps[0]).toBe(7000);
    expect(calls).toBe(3);
    // a plain 403 (no rate-limit headers) is not retried
    const forbidden: OctokitLike = {
      request: async () => {
        throw Object.assign(new Error('no'), { status: 403, response: { headers: {} } });
      },
    };
    await expect(pacedRequest(forbidden, pacer).request('GET /x')).rejects.toThrow('no');
  });

  it('keeps under 80 writes a minute', async () => {
    let t = 0;
    const pacer = new Pacer({
      spacingMs: 0,
      sleep: async (ms) => {
        t += ms;
      },
      now: () => t,
    });
    for (let i = 0; i < 81; i++) await pacer.beforeWrite();
    expect(t).toBeGreaterThanOrEqual(60_000);
  });
});

import * as require_tar from '../../src/github/tarball.js';
