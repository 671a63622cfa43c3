/**
 * Gardening pull requests against the stand-in: the first sweep opens one pull request with one commit per
 * rule, a second with nothing new writes nothing, a merged batch lets the next open, a batch closed unmerged
 * keeps its files out of the next one, and a run stays within its request budget at two repository sizes.
 * The corpora are synthetic (src/synth), written for this project.
 */
import { Octokit } from '@octokit/rest';
import { afterEach, describe, expect, it } from 'vitest';
import { requireDate } from '../../src/core/dates.js';
import { asOctokitLike } from '../../src/garden/octokit.js';
import { parseTendMarker, runRemoteTend, tendBranch, TEND_REQUEST_BUDGET } from '../../src/garden/tend-remote.js';
import { startStandin, type Standin } from '../../src/standin/server.js';
import { generateCorpus } from '../../src/synth/generate.js';
import { testKey } from '../helpers/key.js';

const OWNER = 'garden-club';
const REPO = 'patterns';
const TODAY = requireDate('2026-12-02');
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

let standin: Standin | undefined;
afterEach(async () => {
  await standin?.close();
  standin = undefined;
});

async function start(
  count: number,
  config = 'gardening:\n  enabled: true\n  batchSize: 8\n',
  extra: Record<string, string> = {},
): Promise<{ s: Standin; octokit: Octokit }> {
  const files = new Map<string, string>();
  for (const { file, text } of generateCorpus({ count, seed: 7 })) files.set(file, text);
  files.set('.github/pattern-gardener.yml', config);
  for (const [file, text] of Object.entries(extra)) files.set(file, text);
  standin = await startStandin({ repo: { owner: OWNER, name: REPO, files }, port: 0 });
  return { s: standin, octokit: new Octokit({ baseUrl: standin.url, auth: 'x', log: quiet }) };
}

const writes = (s: Standin): number => s.state.requests.filter((r) => r.method !== 'GET' && !(r.method === 'POST' && r.path === '/graphql')).length;

function batchCommits(s: Standin, branch: string): string[] {
  const messages: string[] = [];
  let c = s.model.branches.get(branch);
  const base = s.model.main.sha;
  while (c && c.sha !== base && c.parents.length === 1) {
    messages.push(c.message.split('\n')[0]!);
    c = s.model.commits.get(c.parents[0]!);
  }
  return messages.reverse();
}

describe('gardening pull requests (stand-in)', () => {
  it('opens one pull request with one commit per rule, writes nothing when nothing is new, moves on after a merge, skips a closed batch', async () => {
    const { s, octokit } = await start(40);
    const run = () => runRemoteTend({ octokit: asOctokitLike(octokit), owner: OWNER, repo: REPO, today: TODAY });

    const first = await run();
    expect(first.enabled).toBe(true);
    expect(first.outcomes[0]!.outcome).toMatch(/^opened #\d+$/);
    const n1 = first.outcomes[0]!.pull!;
    expect(s.state.pulls).toHaveLength(1);
    const body1 = s.state.pulls[0]!.body ?? '';
    const m1 = parseTendMarker(body1)!;
    expect(m1.files.length).toBeGreaterThan(0);
    expect(m1.files.length).toBeLessThanOrEqual(8);
    const commits = batchCommits(s, tendBranch('commons-pattern'));
    // One commit per rule, each a different rule, as many as the body lists.
    expect(commits.length).toBe(first.outcomes[0]!.commits);
    expect(commits.length).toBeGreaterThan(1);
    expect(new Set(commits).size).toBe(commits.length);
    expect(body1).toContain('/gardener reject');
    expect(body1).toContain('| garden | before | after this batch |');
    expect(first.requests).toBeLessThanOrEqual(TEND_REQUEST_BUDGET);

    const before = writes(s);
    const second = await run();
    expect(second.outcomes[0]!.outcome).toBe(`unchanged #${n1}`);
    expect(writes(s)).toBe(before);

    await octokit.request('PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge', { owner: OWNER, repo: REPO, pull_number: n1 });
    const third = await run();
    expect(third.outcomes[0]!.outcome).toMatch(/^opened #\d+$/);
    const n2 = third.outcomes[0]!.pull!;
    expect(n2).not.toBe(n1);
    const m2 = parseTendMarker(s.state.pulls.find((p) => p.number === n2)!.body)!;
    expect(m2.files.filter((f) => m1.files.includes(f))).toEqual([]);

    await octokit.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', { owner: OWNER, repo: REPO, pull_number: n2, state: 'closed' });
    const fourth = await run();
    expect(fourth.outcomes[0]!.outcome).toMatch(/^opened #\d+$/);
    const n3 = fourth.outcomes[0]!.pull!;
    const m3 = parseTendMarker(s.state.pulls.find((p) => p.number === n3)!.body)!;
    expect(m3.files.length).toBeGreaterThan(0);
    expect(m3.files.filter((f) => m2.files.includes(f))).toEqual([]);
    expect(m3.files.filter((f) => m1.files.includes(f))).toEqual([]);
  }, 60_000);

  it('honours a reject command on the open pull request', async () => {
    const { s, octokit } = await start(40);
    const run = () => runRemoteTend({ octokit: asOctokitLike(octokit), owner: OWNER, repo: REPO, today: TODAY });
    const first = await run();
    const n = first.outcomes[0]!.pull!;
    const m = parseTendMarker(s.state.pulls[0]!.body)!;
    expect(m.added.length).toBeGreaterThan(0);
    const [slug, target] = m.added[0]!.split('->') as [string, string];
    s.issueCommentPayload(n, `/gardener reject ${slug} ${target}`, 'maintainer');
    const second = await run();
    expect(second.outcomes[0]!.outcome).toBe(`updated #${n}`);
    const after = parseTendMarker(s.state.pulls[0]!.body)!;
    expect(after.added).not.toContain(`${slug}->${target}`);
    expect(after.rejected).toContain(`${slug}->${target}`);
  }, 60_000);

  it('a 👎 on the pull request rejects every link it adds', async () => {
    const { s, octokit } = await start(40);
    const run = () => runRemoteTend({ octokit: asOctokitLike(octokit), owner: OWNER, repo: REPO, today: TODAY });
    const n = (await run()).outcomes[0]!.pull!;
    const before = parseTendMarker(s.state.pulls[0]!.body)!;
    expect(before.added.length).toBeGreaterThan(0);
    s.state.reactions.push({
      id: 1,
      node_id: 'R_1',
      content: '-1',
      user: { login: 'maintainer', id: 7, type: 'User' } as never,
      created_at: '2026-12-02T10:00:00Z',
      subject: { type: 'issue', id: n },
    });
    expect((await run()).outcomes[0]!.outcome).toBe(`updated #${n}`);
    const after = parseTendMarker(s.state.pulls[0]!.body)!;
    expect(after.added.filter((a) => before.added.includes(a))).toEqual([]);
    for (const a of before.added) expect(after.rejected).toContain(a);
  }, 60_000);

  it('makes no request beyond reading the config when gardening is off', async () => {
    const { s, octokit } = await start(20, 'gardening:\n  enabled: false\n');
    const r = await runRemoteTend({ octokit: asOctokitLike(octokit), owner: OWNER, repo: REPO, today: TODAY });
    expect(r.enabled).toBe(false);
    expect(writes(s)).toBe(0);
    expect(s.state.pulls).toHaveLength(0);
  }, 30_000);

  it.each([30, 300])(
    'stays within %s-pattern repository budget of requests',
    async (count) => {
      const { s, octokit } = await start(count, 'gardening:\n  enabled: true\n');
      const r = await runRemoteTend({ octokit: asOctokitLike(octokit), owner: OWNER, repo: REPO, today: TODAY });
      expect(r.outcomes[0]!.outcome).toMatch(/^opened/);
      // Counted at the server too (a tarball redirect is one call of the client, two HTTP requests).
      const calls = s.state.requests.filter((q) => !q.path.startsWith('/_codeload/')).length;
      expect(r.requests).toBe(calls);
      expect(r.requests).toBeLessThanOrEqual(TEND_REQUEST_BUDGET);
      expect(r.outcomes[0]!.files).toBeGreaterThan(0);
    },
    120_000,
  );
});

describe('gardening in the app: the scheduled sweep (repository_dispatch)', () => {
  it('opens the gardening pull request when gardening is enabled, and only then', async () => {
    const { Probot } = await import('probot');
    const { createApp } = await import('../../src/github/app.js');
    const { LoopbackOctokit } = await import('../../src/server/probot.js');
    const pino = (await import('pino')).default;
    const privateKey = testKey();
    const sweep = async (s: Standin): Promise<void> => {
      const probot = new Probot({ appId: 1, privateKey, baseUrl: s.url, Octokit: LoopbackOctokit, log: pino({ level: 'silent' }) });
      await probot.load(createApp({ today: () => TODAY, garden: { pacing: { spacingMs: 0, sleep: async () => {} }, retryDelaysMs: [] } }));
      await probot.receive({
        id: 'd1',
        name: 'repository_dispatch',
        payload: {
          action: 'gardener-sweep',
          branch: 'main',
          client_payload: {},
          repository: { owner: { login: OWNER }, name: REPO, full_name: `${OWNER}/${REPO}` },
          installation: { id: 1 },
        } as never,
      });
    };
    const on = await start(30);
    await sweep(on.s);
    expect(on.s.state.pulls).toHaveLength(1);
    expect(parseTendMarker(on.s.state.pulls[0]!.body)?.kind).toBe('commons-pattern');
    await on.s.close();
    standin = undefined;
    const off = await start(30, 'garden:\n  mentions: false\n');
    await sweep(off.s);
    expect(off.s.state.pulls).toHaveLength(0);
    expect(off.s.state.requests.some((r) => r.path.includes('/git/'))).toBe(false);
    await off.s.close();
    // Gardening enabled only in the file `_extends` names: the sweep reads it as a review does.
    const extended = await start(30, '_extends: patterns:.github/shared-gardener.yml\ngarden:\n  mentions: false\n', {
      '.github/shared-gardener.yml': 'gardening:\n  enabled: true\n  batchSize: 8\n',
    });
    await sweep(extended.s);
    expect(extended.s.state.requests.some((r) => /contents\/.*shared-gardener\.yml/.test(decodeURIComponent(r.path)))).toBe(true);
    expect(extended.s.state.pulls).toHaveLength(1);
  }, 120_000);
});
