/**
 * One garden sweep per repository across replicas: two app instances loaded as two processes would load
 * them (fresh modules, so no shared in-process sweep lock), each with its own connection to one real
 * redis-server (test/helpers/redis.ts), receive the same sweep trigger at once.
 */
import nock from 'nock';
import { pino } from 'pino';
import { Probot } from 'probot';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { ClaimStore } from '../../src/github/claims.js';
import { testKey } from '../doubles/probot.js';
import { redisClaims } from '../../src/github/redis-claims.js';
import { LogSink, ProdLikeOctokit } from '../reliability/stateful-github.js';
import { FakeGitHub, OWNER, REPO } from './fake-github.js';
import { pattern } from './helpers.js';
import { redisSkipMessage, startRedis, type RedisServer } from '../helpers/redis.js';

const started = await startRedis();
if (!started.ok) console.warn(redisSkipMessage('the cross-replica sweep test (test/garden/redis-sweep.test.ts)', started.reason));

describe.skipIf(!started.ok)('garden sweeps of two replicas sharing one Redis', () => {
  const redis = (started as { server: RedisServer }).server;
  const stores: ClaimStore[] = [];
  afterEach(() => nock.cleanAll());
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await redis.stop();
  });

  async function replica(): Promise<{ probot: Probot; sink: LogSink }> {
    vi.resetModules();
    const { createApp } = (await import('../../src/github/app.js')) as typeof import('../../src/github/app.js');
    const claims = redisClaims(redis.url);
    stores.push(claims);
    const sink = new LogSink();
    const probot = new Probot({ appId: 1, privateKey: testKey(), Octokit: ProdLikeOctokit, log: pino({ level: 'info' }, sink) });
    void probot.load(
      createApp({ today: () => ({ year: 2026, month: 11, day: 21 }), claims, garden: { pacing: { spacingMs: 0, sleep: async () => {} }, retryDelaysMs: [] } }),
    );
    return { probot, sink };
  }

  it('the same trigger at both at once: one sweeps, the other logs the claim and writes nothing', async () => {
    const g = new FakeGitHub();
    g.files.set('.github/pattern-gardener.yml', 'garden:\n  maxNewIssuesPerSweep: 10\n');
    for (const s of ['a', 'bb', 'ccc'])
      g.files.set(`patterns/${s}.md`, pattern({ slug: s, vitality: 1.2, links: ['hub'], lastPruned: '2026-02-01', contributors: ['ada-l'] }));
    g.files.set('patterns/hub.md', pattern({ slug: 'hub', links: ['a', 'bb', 'ccc'] }));
    nock('https://api.github.com')
      .persist()
      .post('/app/installations/4242/access_tokens')
      .reply(201, { token: 'ghs_garden', expires_at: '2099-01-01T00:00:00Z', permissions: { issues: 'write' }, repository_selection: 'all' });
    g.install();
    const [r1, r2] = [await replica(), await replica()];
    const payload = {
      action: 'gardener-sweep',
      repository: { owner: { login: OWNER }, name: REPO, full_name: `${OWNER}/${REPO}` },
      installation: { id: 4242 },
    };
    await Promise.all([
      r1.probot.receive({ id: 'sweep-1', name: 'repository_dispatch', payload } as never),
      r2.probot.receive({ id: 'sweep-1', name: 'repository_dispatch', payload } as never),
    ]);

    // No duplicate was ever opened (two concurrent sweeps open some and close them afterwards).
    expect(
      g.issues
        .filter((i) => i.title.startsWith('Replant:'))
        .map((i) => i.title)
        .sort(),
    ).toEqual(['Replant: a', 'Replant: bb', 'Replant: ccc']);
    expect(g.issues.filter((i) => i.title === 'Garden health')).toHaveLength(1);
    const sweeps = () => [r1, r2].reduce((n, r) => n + (r.sink.text.match(/garden \S+: \d+ patterns/g) ?? []).length, 0);
    expect(sweeps()).toBe(1);
    const skipped = [r1, r2].filter((r) => r.sink.text.includes(`the garden sweep of ${OWNER}/${REPO} is already under way in another replica`));
    expect(skipped).toHaveLength(1);
    // The claim is gone once the sweep is done: the next trigger sweeps (and finds nothing to write).
    const before = g.writes.length;
    await r2.probot.receive({ id: 'sweep-2', name: 'repository_dispatch', payload } as never);
    expect(sweeps()).toBe(2);
    expect(g.writes.slice(before)).toEqual([]);
  });
});
