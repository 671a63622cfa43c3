/**
 * Two app processes (test/scale-out/replica.mjs: `npm start`'s wiring from dist/, REDIS_URL set) share one
 * real redis-server and one GitHub stand-in. Deliveries go to both at the same instant; what GitHub
 * received is read from the stand-in's request log, and the shared limiter's own counters from Redis.
 * GitHub's seconds are scaled to 60 ms in the replicas (write spacing 60 ms, notifying writes 180 ms).
 * The spacing itself is Bottleneck's, checked in Redis's clock by test/server/redis.test.ts; here, that
 * every write of both processes took its turn from that one limiter.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../src/demo/harness.js';
import { testKey } from '../doubles/probot.js';
import { buildRepoModel, deliverWebhook, loadSampleRepo, startStandin, type SampleRepo, type Standin, type StandinPullSpec } from '../../src/standin/index.js';
import { redisSkipMessage, startRedis, type RedisServer } from '../helpers/redis.js';

const MS_PER_SECOND = 60;
const WRITE_SPACING_MS = 1 * MS_PER_SECOND;
const REPLICA = new URL('./replica.mjs', import.meta.url).pathname;
const BUILT = existsSync(new URL('../../dist/server/run.js', import.meta.url));

const started = await startRedis();
if (!started.ok) console.warn(redisSkipMessage('the two-replica tests (test/scale-out/two-replicas.test.ts)', started.reason));
if (!BUILT) console.warn('SKIPPED the two-replica tests: dist/ is not built (npm run build)');

interface Replica {
  name: string;
  child: ChildProcess;
  lines: Record<string, unknown>[];
  webhookUrl: string;
}

interface Sent {
  at: number;
  method: string;
  path: string;
  token: string | undefined;
}

/** plugin-throttling's classes: writes and GraphQL take a turn of the write limiter; token requests do not. */
function takesWriteTurn(method: string, path: string): boolean {
  const p = path.replace(/^\/api\/v3(?=\/)/, '');
  if (method === 'POST' && /^\/app\/installations\/[^/]+\/access_tokens$/.test(p)) return false;
  return p.startsWith('/graphql') || (method !== 'GET' && method !== 'HEAD');
}

async function startReplica(name: string, env: Record<string, string>): Promise<Replica> {
  const child = spawn(process.execPath, [REPLICA], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const r: Replica = { name, child, lines: [], webhookUrl: '' };
  let buffer = '';
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
  child.stdout!.on('data', (b: Buffer) => {
    buffer += b.toString('utf8');
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      try {
        r.lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        r.lines.push({ msg: line });
      }
    }
  });
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`replica ${name} exited (${code}): ${stderr}`))));
  exited.catch(() => undefined);
  await Promise.race([
    waitFor(() => r.lines.some((l) => typeof l.port === 'number' && typeof l.webhookPath === 'string'), 30_000, `replica ${name} to listen`),
    exited,
  ]);
  const listening = r.lines.find((l) => typeof l.port === 'number' && typeof l.webhookPath === 'string')!;
  r.webhookUrl = `http://127.0.0.1:${listening.port as number}${listening.webhookPath as string}`;
  return r;
}

function stopReplica(r: Replica): Promise<void> {
  if (r.child.exitCode !== null || r.child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => r.child.kill('SIGKILL'), 8000);
    r.child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    r.child.kill('SIGTERM');
  });
}

const NEW_FILE = 'patterns/seed-swap-festival.md';

/** Moves pull request `number`'s head to a new commit whose new pattern links to `slug` (not a pattern), as a push does. */
function pushTo(standin: Standin, sample: SampleRepo, number: number, date: string, slug: string): string {
  const spec = standin.model.pulls.get(number)!.spec;
  const files = new Map(spec.head.files);
  files.set(NEW_FILE, files.get(NEW_FILE)!.replace('- slug: skill-share-circle', `- slug: ${slug}`));
  const moved: StandinPullSpec = { ...spec, head: { ...spec.head, sha: undefined, date, files } };
  const m = buildRepoModel(sample.repo, [moved]);
  for (const [k, v] of m.commits) standin.model.commits.set(k, v);
  for (const [k, v] of m.trees) standin.model.trees.set(k, v);
  for (const [k, v] of m.blobs) standin.model.blobs.set(k, v);
  const pull = m.pulls.get(number)!;
  standin.model.branches.set(spec.head.ref, pull.head);
  standin.model.branches.set(`pull/${number}/head`, pull.head);
  standin.model.pulls.set(number, pull);
  return pull.head.sha;
}

describe.skipIf(!started.ok || !BUILT)('two replicas sharing one Redis and one GitHub', () => {
  const redis = (started as { server: RedisServer }).server;
  const secret = randomBytes(20).toString('hex');
  const sample = loadSampleRepo();
  const first = sample.pulls[0]!;
  // Three pull requests with the same files on different commits.
  const pulls: StandinPullSpec[] = [
    first,
    ...[2, 3].map((n) => ({ ...first, number: n, head: { ...first.head, ref: `seed-swap-${n}`, date: `2026-11-20T1${n}:00:00Z` } })),
  ];
  const sent: Sent[] = [];
  let standin: Standin;
  let replicas: Replica[] = [];
  let probe: Redis;

  const deliver = (r: Replica, event: string, id: string, payload: unknown) => deliverWebhook({ url: r.webhookUrl, secret, event, id, payload });
  /** Waits until every replica logged the end of each delivery it was sent. */
  const handled = (pairs: [Replica, string][]) =>
    waitFor(
      () => pairs.every(([r, id]) => r.lines.some((l) => l.name === 'delivery' && l.delivery === id)),
      60_000,
      `deliveries ${pairs.map(([r, id]) => `${id}@${r.name}`).join(', ')}`,
    );
  const runsOf = (sha: string) => standin.state.checkRuns.filter((c) => c.head_sha === sha && c.name === 'Pattern Gardener');
  const reviewsOf = (sha: string) => standin.state.reviews.filter((x) => x.commit_id === sha);
  const allLines = (): Record<string, unknown>[] => replicas.flatMap((r) => r.lines.map((l) => ({ ...l, replica: r.name })));
  const claimLines = (sha: string) =>
    allLines().filter((l) => typeof l.msg === 'string' && l.msg.includes('already under way in another replica') && l.msg.includes(`:${sha}:review#`));
  const alreadyChecked = (sha: string) => allLines().filter((l) => l.msg === 'pattern-gardener: this SHA is already checked' && l.sha === sha);

  beforeAll(async () => {
    standin = await startStandin({
      repo: sample.repo,
      pulls,
      onExchange: (e) => {
        const auth = e.headers.authorization;
        sent.push({
          at: performance.now(),
          method: e.method,
          path: e.path,
          token: typeof auth === 'string' ? auth.replace(/^(token|bearer)\s+/i, '') : undefined,
        });
      },
    });
    probe = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    const env = {
      APP_ID: '4242',
      PRIVATE_KEY: testKey().replace(/\n/g, '\\n'),
      WEBHOOK_SECRET: secret,
      PORT: '0',
      HOST: '127.0.0.1',
      GITHUB_API_URL: standin.url,
      REDIS_URL: redis.url,
      LOG_LEVEL: 'info',
      GARDENER_TODAY: '2026-11-21',
      GARDENER_WARM_ON_PUSH: '0',
      GARDENER_TEST_MS_PER_SECOND: String(MS_PER_SECOND),
    };
    replicas = await Promise.all(['r1', 'r2'].map((n) => startReplica(n, env)));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(replicas.map(stopReplica));
    await standin?.close();
    probe?.disconnect();
    await redis.stop();
  });

  it('the same delivery at both at once: one check run and one review; both replicas write through one limiter', async () => {
    const [r1, r2] = replicas as [Replica, Replica];
    const heads = [1, 2, 3].map((n) => standin.model.pulls.get(n)!.head.sha);
    const before = sent.length;
    // PR #1's delivery goes to both; #2 only to r1 and #3 only to r2, so that both replicas write at once.
    const pr1 = standin.pullRequestPayload(1);
    await Promise.all([
      deliver(r1, 'pull_request', 'same-1', pr1),
      deliver(r2, 'pull_request', 'same-1', pr1),
      deliver(r1, 'pull_request', 'only-2', standin.pullRequestPayload(2)),
      deliver(r2, 'pull_request', 'only-3', standin.pullRequestPayload(3)),
    ]);
    await handled([
      [r1, 'same-1'],
      [r2, 'same-1'],
      [r1, 'only-2'],
      [r2, 'only-3'],
    ]);

    for (const sha of heads) {
      const runs = runsOf(sha);
      expect(
        runs.map((c) => c.status),
        sha,
      ).toEqual(['completed']);
      expect(runs[0]!.conclusion).toBe('failure');
      expect(reviewsOf(sha), sha).toHaveLength(1);
    }
    // The copy that lost did nothing visible: it logged the claim (or, had it come after the winner had
    // finished, found the finished run).
    expect(claimLines(heads[0]!).length + alreadyChecked(heads[0]!).length).toBe(1);
    console.info(
      `deliveries: ${allLines()
        .filter((l) => l.name === 'delivery')
        .map((l) => `${l.delivery as string}@${l.replica as string} ${l.ms as number} ms`)
        .join(', ')}`,
    );
    expect(standin.state.requests.filter((q) => q.route === null)).toEqual([]);

    // Every write and GraphQL request of both replicas took its turn from the one limiter in Redis.
    const writes = sent.slice(before).filter((s) => takesWriteTurn(s.method, s.path));
    const tokens = new Set(writes.map((w) => w.token));
    expect(tokens.size, 'both replicas wrote').toBe(2);
    // A finished job is counted when its client frees it in Redis, just after it resolved locally.
    // Polled until counted, with a deadline a loaded machine does not reach (a cap of tries would).
    let settings = await probe.hgetall('b_octokit-write-no-id_settings');
    for (const end = Date.now() + 30_000; Number(settings.done) < writes.length && Date.now() < end; ) {
      await new Promise((r) => setTimeout(r, 50));
      settings = await probe.hgetall('b_octokit-write-no-id_settings');
    }
    expect(Number(settings.done), 'writes counted by the shared limiter').toBe(writes.length);
    expect(Number(settings.minTime)).toBe(WRITE_SPACING_MS);
    expect(await probe.zcard('b_octokit-write-no-id_client_last_seen'), 'limiter clients (one per replica)').toBe(2);
    const times = writes.map((w) => w.at).sort((a, b) => a - b);
    console.info(
      `two replicas: ${writes.length} writes (${tokens.size} tokens) over ${Math.round(times.at(-1)! - times[0]!)} ms, all ${settings.done} counted by the one write limiter in Redis (turn ${WRITE_SPACING_MS} ms)`,
    );
  });

  it('racing synchronize events (head moved twice, each delivered to both): one completed run per SHA, one review of the newest', async () => {
    const [r1, r2] = replicas as [Replica, Replica];
    const older = standin.model.pulls.get(1)!.head.sha;
    const olderRuns = runsOf(older).length;
    const b = pushTo(standin, sample, 1, '2026-11-21T08:00:00Z', 'skill-share-circel');
    const syncB = standin.pullRequestPayload(1, 'synchronize');
    const c = pushTo(standin, sample, 1, '2026-11-21T08:05:00Z', 'skill-swap-circle');
    const syncC = standin.pullRequestPayload(1, 'synchronize');
    expect(new Set([older, b, c]).size).toBe(3);

    await Promise.all([
      deliver(r1, 'pull_request', 'sync-b', syncB),
      deliver(r2, 'pull_request', 'sync-b', syncB),
      deliver(r2, 'pull_request', 'sync-c', syncC),
      deliver(r1, 'pull_request', 'sync-c', syncC),
    ]);
    await handled([
      [r1, 'sync-b'],
      [r2, 'sync-b'],
      [r1, 'sync-c'],
      [r2, 'sync-c'],
    ]);

    // The newest head: one completed failing run and one review (for its new dangling link).
    expect(runsOf(c).map((x) => [x.status, x.conclusion])).toEqual([['completed', 'failure']]);
    expect(reviewsOf(c)).toHaveLength(1);
    // The head passed over: at most one run (completed, whatever it concluded) and no review.
    expect(runsOf(b).every((x) => x.status === 'completed')).toBe(true);
    expect(runsOf(b).length).toBeLessThanOrEqual(1);
    expect(reviewsOf(b)).toHaveLength(0);
    expect(runsOf(older)).toHaveLength(olderRuns);
    expect(claimLines(c).length + alreadyChecked(c).length).toBe(1);
    expect(claimLines(b).length).toBeLessThanOrEqual(1);
    expect(standin.state.checkRuns.filter((x) => x.status !== 'completed')).toEqual([]);
    // Neither replica logged an error (Redis, throttling, an unhandled rejection) on the way.
    expect(allLines().filter((l) => (typeof l.level === 'number' ? l.level >= 50 : l.level === 'error' || l.level === 'fatal'))).toEqual([]);
  });
});
