/**
 * Reliability item 6: secrets. A full PR review and a garden sweep run on a Probot whose pino logger
 * writes to a captured stream (level trace, so Octokit's request logs are in), with a freshly generated
 * private key and an installation token with a recognisable value. Some requests fail (500, 422, a PATCH
 * that never succeeds, a failed issue create) so the error paths log too. Then every captured log line,
 * every error that reached Probot's caller, and every request body and URL sent to GitHub is searched for
 * the token, the app JWT and each line of the key's PEM body.
 *
 * Webhook secret: the server refuses to start without WEBHOOK_SECRET outside NODE_ENV=development
 * (src/server/config.ts, when present), and Probot rejects deliveries without or with a wrong signature.
 */
import { existsSync } from 'node:fs';
import { createHmac, randomBytes } from 'node:crypto';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clearSnapshotCache } from '../../src/github/snapshot.js';
import { loadFixture, pullRequestPayload } from '../doubles/fake-github.js';
import { makePattern } from '../doubles/patterns.js';
import { FakeGitHub as GardenFake, OWNER, REPO } from '../garden/fake-github.js';
import { pattern } from '../garden/helpers.js';
import { API, StatefulGitHub, prodLikeProbot, typoTrees } from './stateful-github.js';
import { testKey } from '../helpers/key.js';

const fixture = loadFixture('pull_request.opened.json');
const BASE = 'b'.repeat(40);
const HEAD = 'a'.repeat(40);

const privateKey = testKey();
const TOKEN = `ghs_SECRET${randomBytes(12).toString('hex')}TOKEN`;
/** Every base64 line of the PEM body: any one of them leaking is a leak. */
const pemLines = privateKey.split('\n').filter((l) => l && !l.startsWith('-----'));

function leaks(haystack: string, extra: string[] = []): string[] {
  const found: string[] = [];
  if (haystack.includes(TOKEN)) found.push('installation token');
  for (const [i, l] of pemLines.entries()) if (haystack.includes(l)) found.push(`PEM line ${i + 1}`);
  // Also the key's JSON-escaped form (a PEM inside a logged object).
  if (haystack.includes(privateKey.slice(0, 60).replace(/\n/g, '\\n'))) found.push('PEM (escaped)');
  for (const e of extra) if (e && haystack.includes(e)) found.push(`secret ${e.slice(0, 12)}…`);
  return found;
}

function errorText(e: unknown): string {
  const parts: string[] = [String(e), (e as Error)?.stack ?? ''];
  const all = (e as { errors?: unknown[] })?.errors ?? [e];
  for (const x of all) {
    parts.push(String(x), (x as Error)?.stack ?? '');
    try {
      parts.push(JSON.stringify(x, Object.getOwnPropertyNames(x as object)));
    } catch {
      /* circular */
    }
  }
  return parts.join('\n');
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

describe('the private key and tokens never leave the process except as credentials', () => {
  it('PR review and garden sweep with failing requests: no secret in logs, errors, check runs, reviews, issues or comments', async () => {
    clearSnapshotCache();
    const { base, head } = typoTrees();
    const gh = new StatefulGitHub({ number: 7, headSha: HEAD, baseSha: BASE, base, head });
    gh.token = TOKEN;
    gh.fail('GET', /\/pulls\/7\/files/, { status: 500 });
    gh.fail(
      'POST',
      /\/pulls\/7\/reviews$/,
      { status: 422, body: { message: 'Unprocessable Entity', errors: ['pull_request_review_thread.line must be part of the diff'] } },
      1,
      (b) => ((b as { comments?: unknown[] }).comments ?? []).length > 0,
    );
    gh.fail('PATCH', /\/check-runs\/\d+$/, { status: 500 }, 5);
    gh.install(); // token exchange included
    const app = prodLikeProbot({ privateKey, level: 'trace', garden: { pacing: { spacingMs: 0, sleep: async () => {} } } });

    const errors: string[] = [];
    await app.probot
      .receive({
        id: 'pr-1',
        name: 'pull_request',
        payload: pullRequestPayload(fixture, { number: 7, headSha: HEAD, baseSha: BASE, action: 'opened' }) as never,
      })
      .catch((e: unknown) => errors.push(errorText(e)));
    await app.probot
      .receive({
        id: 'pr-2',
        name: 'pull_request',
        payload: pullRequestPayload(fixture, { number: 7, headSha: HEAD, baseSha: BASE, action: 'synchronize' }) as never,
      })
      .catch((e: unknown) => errors.push(errorText(e)));
    // Then a garden sweep: the garden fake's routes, a failing issue create first (nock tries interceptors in order).
    nock.cleanAll();
    const garden = new GardenFake();
    garden.files.set('.github/pattern-gardener.yml', 'garden:\n  maxNewIssuesPerSweep: 5\n');
    for (const s of ['a', 'bb'])
      garden.files.set(`patterns/${s}.md`, pattern({ slug: s, vitality: 1.2, links: ['hub'], lastPruned: '2026-02-01', contributors: ['ada-l'] }));
    garden.files.set('patterns/hub.md', pattern({ slug: 'hub', links: ['a', 'bb'] }));
    const gardenBodies: unknown[] = [];
    nock(API)
      .post(`/repos/${OWNER}/${REPO}/issues`)
      .reply((_u, body) => {
        gardenBodies.push(body);
        return [500, { message: 'Server Error' }];
      });
    garden.install();
    nock(API)
      .persist()
      .post('/app/installations/4242/access_tokens')
      .reply(201, { token: TOKEN, expires_at: '2099-01-01T00:00:00Z', permissions: { issues: 'write' }, repository_selection: 'all' });
    await app.probot
      .receive({
        id: 'sweep-1',
        name: 'repository_dispatch',
        payload: {
          action: 'gardener-sweep',
          repository: { owner: { login: OWNER }, name: REPO, full_name: `${OWNER}/${REPO}` },
          installation: { id: 4242 },
        } as never,
      })
      .catch((e: unknown) => errors.push(errorText(e)));

    // The scenario did go through the error paths and did use the secrets.
    expect(errors.length).toBeGreaterThanOrEqual(1); // the PATCH that never succeeds (the failed issue create is looked up, then sent again)
    expect(gh.reviews).toHaveLength(1); // the 422 fallback (the re-run posts nothing new)
    expect(garden.labels.length).toBeGreaterThan(0);
    expect(JSON.stringify(gardenBodies)).toContain('Replant'); // the failed create's rendered issue is checked below
    const tokenUse = gh.sent.filter((s) => String(s.headers.authorization ?? '').includes(TOKEN));
    expect(tokenUse.length).toBeGreaterThan(5);
    const jwt = String(gh.sent.find((s) => /access_tokens$/.test(s.path))?.headers.authorization ?? '').replace(/^bearer /i, '');
    expect(jwt.length).toBeGreaterThan(100);
    expect(app.sink.text.length).toBeGreaterThan(1000);
    expect(app.sink.text).toContain('retrying a GitHub request');

    // Everything that left the process other than the Authorization header.
    const outbound = JSON.stringify([
      gh.sent.map((s) => ({ method: s.method, path: s.path, body: s.body })),
      gh.checkRuns,
      gh.reviews,
      garden.issues,
      garden.comments,
      gardenBodies,
    ]);
    expect(leaks(app.sink.text, [jwt]), 'logs').toEqual([]);
    expect(leaks(errors.join('\n'), [jwt]), 'errors').toEqual([]);
    expect(leaks(outbound, [jwt]), 'request bodies and URLs').toEqual([]);
  });
});

describe('webhook secret', () => {
  const secret = `whsec_${randomBytes(8).toString('hex')}`;
  const sign = (body: string, key = secret) => `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;

  it('Probot rejects a delivery without a signature or with a wrong one, before any handler runs', async () => {
    const app = prodLikeProbot({ secret, garden: false });
    const payload = JSON.stringify(pullRequestPayload(fixture, { number: 7, headSha: HEAD, baseSha: BASE }));
    await app.probot.ready();
    const deliver = (signature: string) => app.probot.webhooks.verifyAndReceive({ id: 'x', name: 'pull_request', payload, signature } as never);
    const { base, head } = {
      base: new Map([['patterns/alpha.md', makePattern({ slug: 'alpha' })]]),
      head: new Map([['patterns/alpha.md', makePattern({ slug: 'alpha' })]]),
    };
    const gh = new StatefulGitHub({ number: 7, headSha: HEAD, baseSha: BASE, base, head });
    gh.install();
    await expect(deliver('')).rejects.toThrow();
    await expect(deliver(sign(payload, 'not-the-secret'))).rejects.toThrow();
    await expect(deliver(sign(`${payload} `))).rejects.toThrow();
    // Rejected before any handler: not one request reached GitHub.
    expect(gh.sent).toEqual([]);
    expect(app.outcomes).toEqual([]);
    // The correctly signed delivery is handled.
    await deliver(sign(payload));
    expect(app.outcomes).toEqual([expect.objectContaining({ status: 'reviewed' })]);
  });

  it.runIf(existsSync(new URL('../../src/server/config.ts', import.meta.url)))(
    'the server requires WEBHOOK_SECRET outside development and never echoes secrets',
    async () => {
      const { readServerConfig } = await import('../../src/server/config.js');
      const env = { APP_ID: '123', PRIVATE_KEY: privateKey };
      let err: unknown;
      try {
        readServerConfig({ ...env, NODE_ENV: 'production' });
      } catch (e) {
        err = e;
      }
      expect(String((err as Error)?.message)).toMatch(/WEBHOOK_SECRET/);
      expect(leaks(errorText(err))).toEqual([]);
      expect(() => readServerConfig({ ...env })).toThrow(/WEBHOOK_SECRET/);
      expect(readServerConfig({ ...env, WEBHOOK_SECRET: secret }).webhookSecret).toBe(secret);
      expect(readServerConfig({ ...env, NODE_ENV: 'development' })).toMatchObject({ insecureSecret: true });
      // A bad key is reported without its value.
      let bad: unknown;
      try {
        readServerConfig({
          APP_ID: '123',
          PRIVATE_KEY: `-----BEGIN RSA PRIVATE KEY-----\n${pemLines[3]}\n-----END RSA PRIVATE KEY-----`,
          WEBHOOK_SECRET: secret,
        });
      } catch (e) {
        bad = e;
      }
      expect(String((bad as Error)?.message)).toMatch(/PRIVATE_KEY/);
      expect(leaks(errorText(bad), [secret])).toEqual([]);
    },
  );
});
