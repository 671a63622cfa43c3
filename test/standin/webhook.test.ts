import { createPrivateKey } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verify } from '@octokit/webhooks-methods';
import { createNodeMiddleware, Probot, ProbotOctokit } from 'probot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSampleRepo } from '../../src/standin/sample-repo.js';
import { startStandin, type Standin } from '../../src/standin/server.js';
import { deliverWebhook, pullRequestPayload, signPayload } from '../../src/standin/webhook.js';
import { testKey } from '../helpers/key.js';

const sample = loadSampleRepo();
const SECRET = 'standin-secret';

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}
function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
function bodyOf(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

describe('signPayload', () => {
  it('round-trips with @octokit/webhooks-methods verify (what Probot uses)', async () => {
    const body = JSON.stringify({ action: 'opened', text: 'ünïcödé ✓' });
    const sig = signPayload(SECRET, body);
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(await verify(SECRET, body, sig)).toBe(true);
    expect(await verify('other-secret', body, sig)).toBe(false);
    expect(await verify(SECRET, `${body} `, sig)).toBe(false);
    expect(signPayload(SECRET, new TextEncoder().encode(body))).toBe(sig);
  });
});

describe('pullRequestPayload', () => {
  it('builds a pull_request.opened payload whose SHAs match the stand-in', async () => {
    const payload = pullRequestPayload({ repo: sample.repo, pulls: sample.pulls, number: 1 }) as {
      action: string;
      number: number;
      pull_request: {
        number: number;
        draft: boolean;
        head: { sha: string; ref: string; repo: { full_name: string; fork: boolean } };
        base: { sha: string; ref: string };
        user: { login: string };
      };
      repository: { id: number; name: string; full_name: string; owner: { login: string }; default_branch: string };
      installation: { id: number };
      sender: { login: string };
    };
    expect(payload.action).toBe('opened');
    expect(payload.number).toBe(1);
    expect(payload.pull_request.head).toMatchObject({ ref: 'add-seed-swap-festival', repo: { full_name: 'garden-commons/sample-patterns', fork: false } });
    expect(payload.repository).toMatchObject({
      name: 'sample-patterns',
      full_name: 'garden-commons/sample-patterns',
      owner: { login: 'garden-commons' },
      default_branch: 'main',
    });
    expect(payload.installation.id).toBe(1);
    expect(payload.sender.login).toBe('fern-okafor');
    const s = await startStandin({ repo: sample.repo, pulls: sample.pulls });
    try {
      expect(payload.pull_request.head.sha).toBe(s.model.pulls.get(1)!.head.sha);
      expect(payload.pull_request.base.sha).toBe(s.model.pulls.get(1)!.base.sha);
    } finally {
      await s.close();
    }
  });

  it('describes forks with the head repository owned by the author', () => {
    const pull = { ...sample.pulls[0]!, fork: true };
    const payload = pullRequestPayload({ repo: sample.repo, pull }) as { pull_request: { head: { repo: { full_name: string; fork: boolean } } } };
    expect(payload.pull_request.head.repo).toMatchObject({ full_name: 'fern-okafor/sample-patterns', fork: true });
  });
});

describe('deliverWebhook', () => {
  it('POSTs a signed JSON delivery with GitHub headers', async () => {
    let seen: { headers: IncomingMessage['headers']; body: string } | undefined;
    const server = createServer(async (req, res) => {
      seen = { headers: req.headers, body: await bodyOf(req) };
      res.writeHead(202).end('accepted');
    });
    const url = await listen(server);
    try {
      const r = await deliverWebhook({ url: `${url}/hook`, secret: SECRET, event: 'pull_request', id: 'delivery-1', payload: { hello: 'world' } });
      expect(r).toEqual({ status: 202, body: 'accepted' });
      expect(seen!.headers['x-github-event']).toBe('pull_request');
      expect(seen!.headers['x-github-delivery']).toBe('delivery-1');
      expect(seen!.headers['content-type']).toBe('application/json');
      expect(await verify(SECRET, seen!.body, String(seen!.headers['x-hub-signature-256']))).toBe(true);
    } finally {
      await close(server);
    }
  });
});

describe('Probot against the stand-in', () => {
  let standin: Standin;
  let webhookServer: Server;
  let webhookUrl: string;
  const seen: { config: unknown; check: number }[] = [];

  beforeAll(async () => {
    standin = await startStandin({ repo: sample.repo, pulls: sample.pulls });
    // The run's test key, in PKCS#8 (Probot takes either encoding).
    const privateKey = createPrivateKey(testKey()).export({ type: 'pkcs8', format: 'pem' }).toString();
    const probot = new Probot({
      appId: 1,
      privateKey,
      secret: SECRET,
      baseUrl: standin.url,
      logLevel: 'fatal',
      Octokit: ProbotOctokit.defaults({ retry: { enabled: false } }),
    });
    const middleware = await createNodeMiddleware(
      (app) => {
        app.on('pull_request.opened', async (context) => {
          const config = await context.config('pattern-gardener.yml');
          const run = await context.octokit.rest.checks.create(
            context.repo({
              name: 'Pattern Gardener',
              head_sha: context.payload.pull_request.head.sha,
              status: 'completed',
              conclusion: 'neutral',
              output: { title: 'ok', summary: 'ok' },
            }),
          );
          seen.push({ config, check: run.data.id });
        });
      },
      { probot },
    );
    webhookServer = createServer((req, res) => {
      void middleware(req, res, () => {
        res.writeHead(404).end();
      });
    });
    webhookUrl = `${await listen(webhookServer)}/api/github/webhooks`;
  });
  afterAll(async () => {
    await close(webhookServer);
    await standin.close();
  });

  it('verifies the signature, takes an installation token and writes a check run', async () => {
    const r = await deliverWebhook({ url: webhookUrl, secret: SECRET, event: 'pull_request', payload: standin.pullRequestPayload(1) });
    expect(r.status, r.body + JSON.stringify(standin.state.requests)).toBe(200);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.config).toMatchObject({ staleAfterDays: 90 });
    expect(standin.state.tokens).toEqual([{ installationId: 1, token: 'ghs_standin_1_1' }]);
    expect(standin.state.checkRuns.map((c) => [c.id, c.head_sha, c.conclusion])).toEqual([[seen[0]!.check, standin.model.pulls.get(1)!.head.sha, 'neutral']]);
    const bad = await deliverWebhook({ url: webhookUrl, secret: 'wrong', event: 'pull_request', payload: standin.pullRequestPayload(1) });
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(seen).toHaveLength(1);
  });
});
