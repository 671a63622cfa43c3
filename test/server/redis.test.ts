/**
 * REDIS_URL against a real redis-server started for this file (test/helpers/redis.ts): the claims of
 * src/github/claims.ts as two replicas see them, and Probot's throttling clustered through Redis with the
 * app's request policy (two Probot instances, each with its own Redis connection, as two replicas have).
 */
import { Probot } from 'probot';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimKey, memoryClaims, withClaim, type ClaimLog } from '../../src/github/claims.js';
import { redisClaims } from '../../src/github/redis-claims.js';
import { disconnectThrottling, policyOctokit } from '../../src/github/resilience.js';
import { waitFor } from '../../src/demo/harness.js';
import { testKey } from '../doubles/probot.js';
import { createLogger } from '../../src/server/logger.js';
import { runServer } from '../../src/server/run.js';
import { loadSampleRepo, startStandin, type Standin } from '../../src/standin/index.js';
import { redisSkipMessage, startRedis, type RedisServer } from '../helpers/redis.js';

const started = await startRedis();
if (!started.ok) console.warn(redisSkipMessage('the Redis tests (test/server/redis.test.ts)', started.reason));
afterAll(async () => {
  if (started.ok) await started.server.stop();
});

const recorder = (): ClaimLog & { lines: string[] } => {
  const lines: string[] = [];
  return { lines, info: (m) => void lines.push(`info ${m}`), warn: (m) => void lines.push(`warn ${m}`) };
};

describe('claims in memory (no REDIS_URL)', () => {
  it('one holder at a time; released, the claim can be taken again', async () => {
    const store = memoryClaims();
    const key = claimKey({ owner: 'Garden', repo: 'Patterns' }, 'abc', 'review#1');
    expect(key).toBe('pattern-gardener:claim:garden/patterns:abc:review#1');
    const a = await store.acquire(key);
    expect(a).toBeDefined();
    expect(await store.acquire(key)).toBeUndefined();
    await a!.release();
    expect(await store.acquire(key)).toBeDefined();
  });
});

describe.skipIf(!started.ok)('claims in Redis, seen by two replicas', () => {
  const redis = (started as { server: RedisServer }).server;
  let probe: Redis;
  const stores: ReturnType<typeof redisClaims>[] = [];
  const store = (ttlMs?: number) => {
    const s = redisClaims(redis.url, { ttlMs });
    stores.push(s);
    return s;
  };
  beforeAll(() => {
    probe = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    probe.disconnect();
  });

  it('the second replica is turned away while the first holds the claim, and may take it once released', async () => {
    const [a, b] = [store(), store()];
    const key = claimKey({ owner: 'o', repo: 'r' }, 'sha1', 'review#7');
    const held = await a.acquire(key);
    expect(held).toBeDefined();
    expect(await b.acquire(key)).toBeUndefined();
    expect(await probe.pttl(key)).toBeGreaterThan(0);
    await held!.release();
    expect(await probe.exists(key)).toBe(0);
    const taken = await b.acquire(key);
    expect(taken).toBeDefined();
    await taken!.release();
  });

  it('withClaim: the loser runs nothing and says so in one line; the winner releases when done', async () => {
    const [a, b] = [store(), store()];
    const key = claimKey({ owner: 'o', repo: 'r' }, 'sha2', 'review#1');
    const log = recorder();
    let runs = 0;
    let releaseWinner!: () => void;
    const gate = new Promise<void>((r) => (releaseWinner = r));
    const winner = withClaim(a, key, log, 'the review', async () => {
      runs++;
      await gate;
      return 'done';
    });
    await waitFor(() => runs === 1, 5000, 'the winner to start');
    const loser = await withClaim(b, key, log, 'the review', async () => {
      runs++;
      return 'twice';
    });
    expect(loser).toEqual({ claimed: false });
    releaseWinner();
    expect(await winner).toEqual({ claimed: true, value: 'done' });
    expect(runs).toBe(1);
    expect(log.lines).toEqual([
      expect.stringMatching(
        /^info pattern-gardener: the review is already under way in another replica \(claim .*sha2:review#1\); this delivery does nothing$/,
      ),
    ]);
    expect(await probe.exists(key)).toBe(0);
  });

  it('a holder that dies (no renewal, no release) frees the claim by expiry; a late release never deletes the next holder', async () => {
    const dying = store(300);
    const key = claimKey({ owner: 'o', repo: 'r' }, 'sha3', 'garden-sweep');
    const lost = await dying.acquire(key);
    expect(lost).toBeDefined();
    dying.client.disconnect(); // dies: renewals stop reaching Redis
    // Renewed every 500 ms: a pause of a loaded machine (hundreds of ms) must not let the key lapse.
    const RENEWING_TTL_MS = 1_500;
    const next = store(RENEWING_TTL_MS);
    expect(await next.acquire(key)).toBeUndefined();
    let attempts = 0;
    let taken: Awaited<ReturnType<typeof next.acquire>>;
    const deadline = Date.now() + 10_000;
    while (!(taken = await next.acquire(key)) && Date.now() < deadline) {
      attempts++;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(taken).toBeDefined();
    expect(attempts).toBeGreaterThan(0);
    // The holder renews while it works: the key outlives its TTL (counted from after it was set).
    const takenAt = Date.now();
    while (Date.now() < takenAt + RENEWING_TTL_MS + 100) await new Promise((r) => setTimeout(r, 50));
    expect(await probe.exists(key)).toBe(1);
    // A release by an earlier holder whose claim was lost does not touch the current one.
    const stale = store(300);
    const staleKey = claimKey({ owner: 'o', repo: 'r' }, 'sha4', 'review#2');
    const first = await stale.acquire(staleKey);
    await probe.del(staleKey); // as if it had expired
    const second = await next.acquire(staleKey);
    expect(second).toBeDefined();
    await first!.release();
    expect(await probe.exists(staleKey)).toBe(1);
    await second!.release();
    await taken!.release();
    await lost!.release(); // stops its renewal timer; Redis is out of its reach
  });

  it('an unreachable Redis does not stop the work: it goes ahead without a claim, with a warning', async () => {
    const down = redisClaims('redis://127.0.0.1:1', { answerTimeoutMs: 500 });
    const log = recorder();
    const r = await withClaim(down, 'pattern-gardener:claim:o/r:x:review#1', log, 'the review', async () => 'ran');
    expect(r).toEqual({ claimed: true, value: 'ran' });
    expect(log.lines).toEqual([expect.stringMatching(/^warn pattern-gardener: the claim store did not answer .*; the review goes ahead without a claim$/)]);
    await down.close();
  });
});

describe.skipIf(!started.ok)('Probot throttling clustered through Redis (redisConfig) with the app policy', () => {
  const redis = (started as { server: RedisServer }).server;
  // A fresh database: the limiter counters below start from zero.
  beforeAll(async () => {
    const probe = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    await probe.flushall();
    probe.disconnect();
  });
  let standin: Standin;
  const arrivals: { at: number; token: string }[] = [];
  beforeAll(async () => {
    const sample = loadSampleRepo();
    standin = await startStandin({
      repo: sample.repo,
      pulls: sample.pulls,
      onExchange: (e) => {
        if (e.method === 'POST' && e.path.endsWith('/check-runs')) arrivals.push({ at: performance.now(), token: String(e.headers.authorization) });
      },
    });
  });
  afterAll(async () => {
    await disconnectThrottling();
    await standin?.close();
  });

  it('two instances, each with its own connection, take their write turns from one limiter', async () => {
    const MS_PER_SECOND = 100; // writes one turn (100 ms) apart
    const privateKey = testKey();
    const log = createLogger({ level: 'silent' });
    // Each its own Octokit class (its own limiter groups, as in two processes) and its own Redis connection.
    const replicas = [0, 1].map(
      () => new Probot({ appId: 1, privateKey, baseUrl: standin.url, redisConfig: redis.url, Octokit: policyOctokit({ msPerSecond: MS_PER_SECOND }), log }),
    );
    const clients = await Promise.all(replicas.map((p) => p.auth(1)));
    const repo = { owner: standin.model.owner, repo: standin.model.name };
    const head = standin.model.pulls.get(1)!.head.sha;
    const write = (o: (typeof clients)[number], name: string) => o.request('POST /repos/{owner}/{repo}/check-runs', { ...repo, name, head_sha: head });
    // One write each first: tokens fetched, limiters registered in Redis, both bursts start together.
    await Promise.all(clients.map((o, i) => write(o, `warm-up ${i}`)));
    const probe = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    // `probot.auth(id)` keys the limiters by installation (webhook event clients share `no-id`).
    const settings = async () => {
      const [next, done, minTime] = await probe.hmget('b_octokit-write-1_settings', 'nextRequest', 'done', 'minTime');
      return { next: Number(next), done: Number(done), minTime: Number(minTime) };
    };
    // A finished job is counted when its client frees it in Redis, just after it resolved locally.
    // Polled until counted, with a deadline a loaded machine does not reach (a cap of tries would).
    const counted = async (done: number) => {
      for (const end = Date.now() + 30_000; (await settings()).done < done && Date.now() < end; ) await new Promise((r) => setTimeout(r, 50));
      return settings();
    };
    try {
      const before = await counted(2);
      const fromHere = arrivals.length;
      const PER_REPLICA = 6;
      await Promise.all(clients.flatMap((o, i) => Array.from({ length: PER_REPLICA }, (_, j) => write(o, `burst ${i}.${j}`))));
      const after = await counted(2 + 2 * PER_REPLICA);
      const burst = arrivals.slice(fromHere);
      expect(burst).toHaveLength(2 * PER_REPLICA);
      expect(new Set(burst.map((a) => a.token)).size, 'tokens').toBe(2);
      // Every write of both took a turn from the one limiter in Redis: its counter saw them all, and each
      // turn moved its next free slot on by at least the spacing (Redis's clock, so no local timing).
      expect(before.done, 'writes counted before the burst').toBe(2);
      expect(after.done - before.done, 'writes counted in the burst').toBe(2 * PER_REPLICA);
      expect(after.minTime).toBe(MS_PER_SECOND);
      expect(after.next - before.next).toBeGreaterThanOrEqual(2 * PER_REPLICA * MS_PER_SECOND);
      expect(await probe.zcard('b_octokit-write-1_client_last_seen'), 'limiter clients').toBe(2);
      const times = burst.map((a) => a.at).sort((a, b) => a - b);
      console.info(
        `${burst.length} writes from two instances reached GitHub over ${Math.round(times.at(-1)! - times[0]!)} ms; the limiter's next slot moved ${after.next - before.next} ms (turn ${MS_PER_SECOND} ms)`,
      );
    } finally {
      probe.disconnect();
    }
  });

  it('runServer refuses to start when REDIS_URL does not answer, naming it without the password', async () => {
    let err = '';
    const r = await runServer({
      env: {
        APP_ID: '1',
        PRIVATE_KEY: testKey(),
        WEBHOOK_SECRET: 'x'.repeat(20),
        PORT: '0',
        HOST: '127.0.0.1',
        REDIS_URL: 'redis://:hunter2-secret@127.0.0.1:1/0',
      },
      stderr: (t) => (err += t),
      write: () => {},
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.exitCode).toBe(1);
    expect(err).toMatch(/REDIS_URL: redis:\/\/127\.0\.0\.1:1\/0 did not answer/);
    expect(err).not.toContain('hunter2');
  });
});
