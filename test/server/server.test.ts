/**
 * `npm start`'s code path (src/server/run.ts) in process: configuration from environment variables, the
 * production Octokit (retries and throttling on), structured logs captured and searched for credentials.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completedRuns, waitFor } from '../../src/demo/harness.js';
import { clearSnapshotCache } from '../../src/github/snapshot.js';
import { makeScrubber, REDACTED, createLogger } from '../../src/server/logger.js';
import { runServer } from '../../src/server/run.js';
import { deliverWebhook, loadSampleRepo, startStandin, type Standin } from '../../src/standin/index.js';
import { testKey } from '../helpers/key.js';

const KEY = testKey();
const SECRET = randomBytes(20).toString('hex');
const keyLines = KEY.split('\n').filter((l) => l && !l.startsWith('-----'));

describe('runServer: configuration errors', () => {
  it('refuses to start without WEBHOOK_SECRET and names it', async () => {
    let err = '';
    const r = await runServer({ env: { APP_ID: '1', PRIVATE_KEY: KEY }, stderr: (t) => (err += t), write: () => {} });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.exitCode).toBe(78);
    expect(err).toMatch(/WEBHOOK_SECRET is not set/);
    expect(err).not.toMatch(/APP_ID|PRIVATE_KEY \(/);
  });

  it('names APP_ID and the private key when they are missing (in production; elsewhere setup starts)', async () => {
    let err = '';
    const r = await runServer({ env: { WEBHOOK_SECRET: SECRET, NODE_ENV: 'production' }, stderr: (t) => (err += t) });
    expect(r.ok).toBe(false);
    expect(err).toMatch(/APP_ID is not set/);
    expect(err).toMatch(/PRIVATE_KEY \(or PRIVATE_KEY_PATH\) is not set/);
    expect(err).not.toContain(SECRET);
  });

  it('starts without WEBHOOK_SECRET only with NODE_ENV=development, warning loudly', async () => {
    const lines: string[] = [];
    const r = await runServer({
      env: { APP_ID: '1', PRIVATE_KEY: KEY, NODE_ENV: 'development', PORT: '0', HOST: '127.0.0.1' },
      write: (l) => void lines.push(l),
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    await r.running.close(100);
    expect(lines.join('')).toMatch(/WEBHOOK_SECRET is not set; NODE_ENV=development/);
  });
});

describe('runServer against the stand-in, logs searched for credentials', () => {
  let standin: Standin;
  let stop: () => Promise<void>;
  let url: string;
  const lines: string[] = [];

  beforeAll(async () => {
    clearSnapshotCache();
    const sample = loadSampleRepo();
    standin = await startStandin({ repo: sample.repo, pulls: sample.pulls });
    const r = await runServer({
      env: {
        APP_ID: '4242',
        PRIVATE_KEY: KEY.replace(/\n/g, '\\n'),
        WEBHOOK_SECRET: SECRET,
        PORT: '0',
        HOST: '127.0.0.1',
        GITHUB_API_URL: standin.url,
        LOG_LEVEL: 'trace',
      },
      write: (l) => void lines.push(l),
    });
    if (!r.ok) throw new Error(r.message);
    url = r.running.url;
    stop = () => r.running.close(1000);
  });
  afterAll(async () => {
    await stop?.();
    await standin?.close();
  });

  it('answers /healthz with 200 JSON and 404s other paths', async () => {
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', version: expect.any(String) });
    expect((await fetch(`${url}/nope`)).status).toBe(404);
    expect((await fetch(`${url}/api/github/webhooks`)).status).toBe(404); // GET on the webhook path
  });

  it('handles a signed delivery with the production Octokit and logs it without tokens or the key', async () => {
    const head = standin.model.pulls.get(1)!.head.sha;
    const r = await deliverWebhook({
      url: `${url}/api/github/webhooks`,
      secret: SECRET,
      event: 'pull_request',
      id: 'delivery-1',
      payload: standin.pullRequestPayload(1),
    });
    expect([200, 202]).toContain(r.status);
    await waitFor(() => completedRuns(standin, head) === 1, 30_000, 'the check run');
    expect(standin.state.reviews).toHaveLength(1);
    const tokens = standin.state.tokens.map((t) => t.token);
    expect(tokens.length).toBeGreaterThan(0);

    const all = lines.join('');
    // Something was logged at debug/trace level (GitHub requests), so the search below means something.
    expect(all).toMatch(/GitHub request: POST .*check-runs/);
    const delivery = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.delivery === 'delivery-1');
    expect(delivery).toMatchObject({
      event: 'pull_request',
      action: 'opened',
      repo: 'garden-commons/sample-patterns',
      pr: 1,
      outcome: 'ok',
      status: 200,
      ms: expect.any(Number),
    });

    for (const t of tokens) expect(all).not.toContain(t);
    expect(all).not.toMatch(/ghs_/);
    expect(all).not.toContain('PRIVATE KEY');
    for (const l of keyLines) expect(all).not.toContain(l);
    expect(all).not.toContain(SECRET);
  });

  it('rejects a forged delivery with 400 and makes no API call', async () => {
    const before = standin.state.requests.length;
    const r = await deliverWebhook({
      url: `${url}/api/github/webhooks`,
      secret: 'wrong-secret',
      event: 'pull_request',
      payload: standin.pullRequestPayload(1),
    });
    expect(r.status).toBe(400);
    await new Promise((res) => setTimeout(res, 100));
    expect(standin.state.requests.length).toBe(before);
  });
});

describe('logger', () => {
  it('redacts secret-bearing fields and scrubs credentials inside strings', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'info', secrets: [KEY, SECRET], write: (l) => void lines.push(l) });
    log.info({ token: 'ghs_abcdefghijklmnop', headers: { authorization: 'token abc' }, auth: { privateKey: KEY } }, 'fields');
    log.info(`message with ghs_${'x'.repeat(36)} and github_pat_${'y'.repeat(30)} and ${SECRET}`);
    log.info({ key: KEY }, 'a key under an unexpected name');
    log.error(
      { err: Object.assign(new Error(`boom ${KEY}`), { request: { headers: { authorization: 'bearer eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOjF9.c2lnbmF0dXJl' } } }) },
      'an error',
    );
    log.info(`a JWT eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOjQyfQ.c2lnbmF0dXJlc2ln in text`);
    const all = lines.join('');
    expect(all).not.toMatch(/ghs_|github_pat_|PRIVATE KEY|eyJ/);
    expect(all).not.toContain(SECRET);
    for (const l of keyLines) expect(all).not.toContain(l);
    expect(all).not.toContain('token abc');
    expect(all.split(REDACTED).length).toBeGreaterThan(6);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'info', msg: 'fields', token: REDACTED });
  });

  it('leaves ordinary text alone', () => {
    const scrub = makeScrubber(['short', undefined, 'a-long-secret-value']);
    expect(scrub('short words about ghost_town and v1.2.3')).toBe('short words about ghost_town and v1.2.3');
    expect(scrub('x a-long-secret-value y')).toBe(`x ${REDACTED} y`);
  });
});
