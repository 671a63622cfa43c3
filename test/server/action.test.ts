/**
 * The GitHub Action entry (src/deploy/action.ts): what @probot/adapter-github-actions `run(app)` does, with
 * the production Octokit policy, the workflow token, the event from GITHUB_EVENT_PATH, and GITHUB_API_URL pointing at a
 * GitHub Enterprise–style `/api/v3` prefix in front of the stand-in (the adapter only knows GHE_HOST).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { completedRuns } from '../../src/demo/harness.js';
import { prepareActionEnv, runAction } from '../../src/deploy/action.js';
import gardener from '../../src/github/app.js';
import { GardenerOctokit } from '../../src/server/probot.js';
import { clearSnapshotCache } from '../../src/github/snapshot.js';
import { loadSampleRepo, startStandin, type Standin } from '../../src/standin/index.js';

const KEYS = [
  'GITHUB_TOKEN',
  'INPUT_GITHUB_TOKEN',
  'INPUT_TOKEN',
  'INPUT_GITHUB-TOKEN',
  'GITHUB_RUN_ID',
  'GITHUB_EVENT_NAME',
  'GITHUB_EVENT_PATH',
  'GITHUB_API_URL',
  'GHE_HOST',
  'GHE_PROTOCOL',
  'LOG_LEVEL',
];
const saved: Record<string, string | undefined> = {};
let standin: Standin;
let proxy: Server;
let proxyUrl: string;
let out = '';
const realWrite = process.stdout.write.bind(process.stdout);
const seenPaths: string[] = [];

/** GHES layout: REST under /api/v3, GraphQL at /api/graphql. */
function startGhesProxy(target: string): Promise<Server> {
  const t = new URL(target);
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    seenPaths.push(url);
    const path = url.startsWith('/api/v3/') ? url.slice('/api/v3'.length) : url === '/api/graphql' ? '/graphql' : null;
    if (path === null) {
      res.writeHead(404).end();
      return;
    }
    const up = request({ host: t.hostname, port: t.port, method: req.method, path, headers: { ...req.headers, host: t.host }, agent: false }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.writeHead(502).end());
    req.pipe(up);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  for (const k of KEYS) saved[k] = process.env[k];
  const sample = loadSampleRepo();
  standin = await startStandin({ repo: sample.repo, pulls: sample.pulls });
  proxy = await startGhesProxy(standin.url);
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => proxy?.close(r));
  await standin?.close();
});
beforeEach(() => {
  for (const k of KEYS) delete process.env[k];
  out = '';
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stdout.write;
});
afterEach(() => {
  process.stdout.write = realWrite;
  for (const k of KEYS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

describe('GitHub Action entry', () => {
  it('fails with a workflow error annotation when the token or runner variables are missing', async () => {
    expect(await runAction()).toBe(1);
    expect(out).toMatch(/::error title=Pattern Gardener::no token/);
    expect(out).toMatch(/GITHUB_EVENT_PATH is not set/);
    expect(standin.state.requests).toEqual([]);
  });

  it('maps GITHUB_API_URL onto GHE_HOST and pull_request_target onto pull_request', () => {
    const env: Record<string, string | undefined> = {
      GITHUB_TOKEN: 'x',
      GITHUB_RUN_ID: '1',
      GITHUB_EVENT_NAME: 'pull_request_target',
      GITHUB_EVENT_PATH: '/e.json',
      GITHUB_API_URL: 'https://ghe.example.com/api/v3',
    };
    expect(prepareActionEnv(env)).toEqual([]);
    expect(env).toMatchObject({ GHE_HOST: 'ghe.example.com', GHE_PROTOCOL: 'https', GITHUB_EVENT_NAME: 'pull_request' });
    const dotcom: Record<string, string | undefined> = { ...env, GHE_HOST: undefined, GHE_PROTOCOL: undefined, GITHUB_API_URL: 'https://api.github.com' };
    prepareActionEnv(dotcom);
    expect(dotcom.GHE_HOST).toBeUndefined();
  });

  it('reviews the workflow event with the workflow token: check run and review posted', async () => {
    clearSnapshotCache();
    const payload = standin.pullRequestPayload(1) as Record<string, unknown>;
    delete payload.installation; // workflow events carry no app installation
    const dir = mkdtempSync(join(tmpdir(), 'gardener-action-'));
    writeFileSync(join(dir, 'event.json'), JSON.stringify(payload));
    Object.assign(process.env, {
      GITHUB_TOKEN: 'ghs_workflowtoken0123456789',
      GITHUB_RUN_ID: '777',
      GITHUB_EVENT_NAME: 'pull_request_target',
      GITHUB_EVENT_PATH: join(dir, 'event.json'),
      GITHUB_API_URL: `${proxyUrl}/api/v3`,
    });
    const octokitClasses = new Set<boolean>();
    const code = await runAction((probot) => {
      probot.on('pull_request', async (context) => {
        octokitClasses.add(context.octokit instanceof GardenerOctokit);
      });
      return gardener(probot);
    });
    process.stdout.write = realWrite;
    expect(code, out).toBe(0);
    expect([...octokitClasses]).toEqual([true]); // the production request policy, not the adapter's default Octokit
    const head = standin.model.pulls.get(1)!.head.sha;
    expect(completedRuns(standin, head)).toBe(1);
    expect(standin.state.reviews).toHaveLength(1);
    expect(standin.state.tokens).toEqual([]); // no app token exchange: the workflow token is used as is
    expect(seenPaths.some((p) => p === '/api/graphql')).toBe(true);
    expect(seenPaths.every((p) => p.startsWith('/api/'))).toBe(true);
    expect(out).not.toContain('ghs_workflowtoken0123456789');
  });
});
